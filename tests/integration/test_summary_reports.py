"""The report builder in the app: coverage, narrative with live figures, the figure and
disclosure checks, publishing that freezes a version, and who may do what."""

import io
import re
from html import unescape

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from practice_review.reports.models import PublishedFile, PublishedReport, SummaryReport
from practice_review.reviews.answers import with_grades
from practice_review.reviews.models import Cohort, Review
from practice_review.reviews.queries import find_cohort
from tests.conftest import JULY, PASSWORD, SEPTEMBER
from tests.integration.helpers import make_recommendations_for_the_figures

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def create(client, **fields):
    data = {"title": "Summary, September 2024 cohort", "comparator": "previous"}
    if "cohorts" not in fields and "date_from" not in fields:
        data["cohorts"] = [find_cohort(SEPTEMBER).pk]
    data |= fields
    response = client.post(reverse("report_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return SummaryReport.objects.latest("id")


def page_text(response):
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def publish(client, report, reason=""):
    """Publish as the QA lead does: from the draft page, with what it showed."""
    html = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    hidden = dict(re.findall(r'name="(version|seen_problems)" value="([^"]*)"', html))
    data = {**hidden, "override_reason": reason}
    return client.post(reverse("report_publish", args=[report.pk]), data)


def save_part(client, report, part, text):
    report.refresh_from_db()
    return client.post(
        reverse("report_part", args=[report.pk, part]), {"text": text, "version": report.version}
    )


def test_a_new_report_compares_with_the_previous_cohort_by_default(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    assert report.comparator == find_cohort(JULY)
    text = page_text(client.get(reverse("report_detail", args=[report.pk])))
    assert "Independent reviewers completed 8 of 10 (80%)" in text
    assert (
        "In July 2024 Practice Assurance Fortnight, practice was good or better in 12 of 14 (86%)"
        in text
    )
    assert "Figure check: every number typed into the narrative matches the figures" in text


def test_the_comparator_table_gives_july_practice_as_6_6_2_of_14(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    html = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    table = html[html.index("Grades: social work practice") :]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)[1:5]
    july_practice = [re.findall(r"<td[^>]*>(.*?)</td>", row)[2] for row in rows]
    assert july_practice == ["6 of 14 (43%)", "6 of 14 (43%)", "2 of 14 (14%)", "0 of 14 (0%)"]


def test_several_cohorts_or_a_date_range_can_be_covered(client, cast):
    signed_in(client, cast["qa_lead"])
    both = create(client, cohorts=[c.pk for c in Cohort.objects.all()], comparator="none")
    text = page_text(client.get(reverse("report_detail", args=[both.pk])))
    assert "Completed reviews 24" in text
    assert "No comparison" in text
    dated = create(client, cohorts=[], date_from="1/1/2025", date_to="28/2/2025")
    text = page_text(client.get(reverse("report_detail", args=[dated.pk])))
    expected = Review.objects.filter(review_date__range=("2025-01-01", "2025-02-28")).count()
    assert f"Completed reviews {expected}" in text
    assert "Reviews from 1 January 2025 to 28 February 2025" in text


def test_the_comparator_never_shares_a_review_with_the_report(client, cast):
    signed_in(client, cast["qa_lead"])
    dated = create(client, cohorts=[], date_from="1/1/2025", date_to="28/2/2025")
    assert dated.comparator == find_cohort(JULY)  # September runs on into 2025
    response = client.post(reverse("report_create"), {
        "title": "Overlap", "date_from": "1/1/2025", "comparator": find_cohort(SEPTEMBER).pk,
    })  # fmt: skip
    assert response.status_code == 200
    assert f"{SEPTEMBER} has reviews this report covers" in page_text(response)


def test_a_report_needs_something_to_cover_and_changes_nothing_when_refused(client, cast):
    signed_in(client, cast["qa_lead"])
    response = client.post(reverse("report_create"), {"title": "Nothing", "comparator": "none"})
    assert response.status_code == 200
    assert "Choose at least one cohort, or give a date range" in page_text(response)
    response = client.post(
        reverse("report_create"),
        {
            "title": "Backwards",
            "comparator": "none",
            "date_from": "2/2/2025",
            "date_to": "1/1/2025",
        },
    )
    assert "The end of the date range must be on or after its start" in page_text(response)
    assert not SummaryReport.objects.exists()


def test_placeholders_fill_from_the_figures_and_the_markdown_is_never_html(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    response = save_part(
        client,
        report,
        "closing",
        (
            "Practice was **good or better** in {practice.good_or_better}, that is "
            "{practice.good_or_better.percent}.\n\n<script>alert('x')</script> "
            "[a link](javascript:alert(1))\n\n- one\n- two"
        ),
    )
    assert response.status_code == 302
    html = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert "<strong>good or better</strong> in 10 of 10 (100%), that is 100%." in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert 'href="javascript' not in html
    assert SummaryReport.history.filter(id=report.pk).first().history_user == cast["qa_lead"]


def test_the_figure_check_marks_typed_figures_in_place_and_blocks_publishing(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    # Two of the reference report's own mistakes, typed into the narrative.
    save_part(
        client,
        report,
        "gradings",
        (
            "Outcomes were outstanding in 5 of 10 reviews. Two thirds (6/10) of the young people "
            "were care leavers."
        ),
    )
    html = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert (
        '<mark class="app-figure-problem"><span class="govuk-visually-hidden">Figure-check '
        "problem: </span>5 of 10</mark>"
    ) in html
    assert "6/10 is not two thirds" in html
    response = publish(client, report)
    assert response.status_code == 400
    assert "Fix the 2 figure-check problems, or say why" in page_text(response)
    assert not PublishedReport.objects.exists()
    response = publish(client, report, "Quoted from last year's report to show what changed.")
    assert response.status_code == 302
    version = PublishedReport.objects.get()
    assert len(version.overridden_problems) == 2
    assert "Quoted from last year" in version.override_reason


def test_a_part_with_a_thousand_problems_marks_them_all_and_lists_the_first_50(client, cast):
    # 1,000 problems in one part once made the draft page a 500 (marking them recursed once
    # for each). Every one is marked in place; the lists name the first 50 and count the rest.
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "closing", "1 of 3 (50%). " * 1_000)
    response = client.get(reverse("report_detail", args=[report.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('<mark class="app-figure-problem">') == 1_000
    text = page_text(response)
    assert "1000 numbers in the narrative do not match the figures" in text
    # the banner at the top and the list in the part
    assert text.count("1 of 3 (50%) : 1 of 3 is 33%, not 50%") == 50
    assert text.count("1 of 3 (50%) in 6. Closing remarks : 1 of 3 is 33%, not 50%") == 50
    # in the banner, in the part, and in the disclosure check's warnings (a count under 3)
    assert text.count("and 950 more in 6. Closing remarks") == 3
    part = page_text(client.get(reverse("report_part", args=[report.pk, "closing"])))
    assert "The figure check found 1000 problems in this part" in part
    assert part.count("1 of 3 is 33%, not 50%") == 50
    assert "and 950 more in 6. Closing remarks" in part
    # Publishing needs a reason for all 1,000; the version lists them as the draft did.
    assert publish(client, report, "A test of a long part.").status_code == 302
    assert len(PublishedReport.objects.get().overridden_problems) == 1_000
    version = page_text(client.get(reverse("report_version", args=[report.pk, 1])))
    assert version.count("1 of 3 (50%) : 1 of 3 is 33%, not 50%") == 50
    assert "and 950 more in 6. Closing remarks" in version


def test_an_override_covers_only_the_draft_and_problems_the_publisher_read(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "closing", "Outstanding in 5 of 10.")
    html = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    seen = dict(re.findall(r'name="(version|seen_problems)" value="([^"]*)"', html))
    # Meanwhile another author adds a mistake of their own.
    save_part(client, report, "gradings", "Good in 3 of 10 (50%).")
    response = client.post(reverse("report_publish", args=[report.pk]),
                           {**seen, "override_reason": "Quoted on purpose."})  # fmt: skip
    assert response.status_code == 400
    assert "The report changed after you opened it" in page_text(response)
    assert not PublishedReport.objects.exists()
    # Reading it again and giving a reason for what is there now publishes it.
    assert publish(client, report, "Both quoted on purpose.").status_code == 302
    assert len(PublishedReport.objects.get().overridden_problems) == 2


def test_an_unknown_placeholder_is_a_figure_check_problem(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "closing", "Outstanding: {practice.excellent}.")
    text = page_text(client.get(reverse("report_detail", args=[report.pk])))
    assert "no figure is called practice.excellent" in text


def test_publishing_freezes_figures_narrative_and_files(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "closing", "Good or better: {practice.good_or_better}.")
    assert publish(client, report).status_code == 302
    first = PublishedReport.objects.get()
    url = reverse("report_version_file", args=[report.pk, 1, "full", "docx"])
    before = client.get(url).content
    # The reviews change after publishing: one practice grade drops to inadequate.
    Review.objects.filter(cohort__name=SEPTEMBER).order_by("id").first()
    review = Review.objects.filter(cohort=find_cohort(SEPTEMBER)).order_by("id").first()
    review.answers = with_grades(
        review.answers, {"practice": {"grade": "inadequate", "moderated": "inadequate"}}
    )
    review.save()
    assert client.get(url).content == before  # the same file, byte for byte
    document = docx.Document(io.BytesIO(before))
    assert "Good or better: 10 of 10 (100%)." in "\n".join(p.text for p in document.paragraphs)
    version_text = page_text(client.get(reverse("report_version", args=[report.pk, 1])))
    assert "Good or better: 10 of 10 (100%)." in version_text
    # The draft follows the reviews; publishing again makes version 2 beside version 1.
    draft_text = page_text(client.get(reverse("report_detail", args=[report.pk])))
    assert "Good or better: 9 of 10 (90%)." in draft_text
    publish(client, report)
    assert list(report.versions.values_list("number", flat=True)) == [2, 1]
    assert first.figures["practice"]["good_or_better"] == 10
    frozen = client.get(reverse("report_version_figures", args=[report.pk, 1])).json()
    assert frozen["schema"] == "practice-review/report-figures/1"
    assert frozen["practice"]["good_or_better"] == 10
    assert (
        client.get(reverse("report_figures", args=[report.pk])).json()["practice"]["good_or_better"]
        == 9
    )
    assert PublishedFile.objects.filter(version=first).count() == 1
    with pytest.raises(ValueError):
        first.save()


def test_the_wider_circulation_edition_hides_the_table_initials_and_small_counts(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    publish(client, report)
    full = docx.Document(
        io.BytesIO(
            client.get(reverse("report_version_file", args=[report.pk, 1, "full", "docx"])).content
        )
    )
    wider = docx.Document(
        io.BytesIO(
            client.get(
                reverse("report_version_file", args=[report.pk, 1, "wider-circulation", "docx"])
            ).content
        )
    )

    def everything(document):
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)

    assert "VB" in everything(full) and "RL" in everything(full)
    assert "AS-S" in everything(full)
    text = everything(wider)
    assert "For wider circulation" in text
    for initials in ("VB", "AS-S", "RL", "BA"):
        assert not re.search(rf"(?<![\w-]){initials}(?![\w-])", text), initials
    assert "Initials" not in text
    assert "fewer than 3 of 10" in text and "[c]" in text and "not shown" not in text
    # Nothing hidden can be worked out by subtraction: 8 outstanding shown beside 0, 0 and a
    # hidden "good" would give it away, so the outstanding count is kept from view too.
    assert "8 of 10 (80%)\n6 of 10 (60%)" not in text
    assert "Young person refuses to meet services" in everything(full)
    assert "Young person refuses to meet services" not in text  # one child's circumstances
    assert "reasons for each review where practice was good or better" in text


def test_the_wider_edition_of_a_small_cohort_never_says_not_shown(client, cast):
    # The seed cohort has counts of 1 and 2 everywhere: in tables, charts and the narrative.
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "closing", "Outcomes were good or better in "
              "{outcome.good_or_better}. Female: {gender.female.count}.")  # fmt: skip
    wider = {format: client.get(reverse("report_draft_file",
                                        args=[report.pk, "wider-circulation", format]))
             for format in ("html", "docx")}  # fmt: skip
    document = docx.Document(io.BytesIO(wider["docx"].content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    words = "\n".join([p.text for p in document.paragraphs] + cells)
    for text in (page_text(wider["html"]), words):
        assert "not shown" not in text.lower()
        assert "Female: fewer than 3." in text  # reworded, in the author's own sentence
        assert "Outcomes were good or better in" not in text  # withheld: the sentence goes
        assert '"[c]" marks a count withheld so that a count under 3 cannot' in text
        assert "are left out of this version: some of their counts are under 3" in text
    assert "<img" not in wider["html"].content.decode()
    assert not document.inline_shapes  # no chart drawn with empty bars


def test_the_qa_lead_previews_both_editions_side_by_side_before_publishing(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    draft_page = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    preview_url = reverse("report_preview", args=[report.pk])
    assert f'href="{preview_url}"' in draft_page
    response = client.get(preview_url)
    assert response.status_code == 200
    html = response.content.decode()
    full, wider = html.split('<h2 class="govuk-heading-l">For wider circulation</h2>')
    assert '<h2 class="govuk-heading-l">Full report</h2>' in full
    assert "AS-S" in full and "AS-S" not in wider
    assert "fewer than 3 of 10" in wider and "not shown" not in wider
    assert 'id="part-' not in html  # two copies of the report: no repeated ids
    assert not PublishedReport.objects.exists()  # previewing publishes nothing


def test_the_disclosure_check_warns_about_initials_typed_into_the_narrative(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(
        client,
        report,
        "strengths.journey",
        "VB's worker RL visited weekly; 1 of 10 reviews found this.",
    )
    text = page_text(client.get(reverse("report_detail", args=[report.pk])))
    assert "Disclosure check: this report could identify a child" in text
    assert "VB in 4.1. The journey of the child : a child's initials" in text
    assert "a member of staff named in the narrative" in text
    assert "a count under 3, typed" in text
    # Findings still in the reviewers' own words are flagged until the author edits them.
    assert text.count("are still here as they wrote them about individual children") == 1
    assert "The reviewers' own words" in text


def test_two_authors_cannot_overwrite_each_other_unseen(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    report.refresh_from_db()
    started_from = report.version
    save_part(client, report, "closing", "First author's words.")
    response = client.post(
        reverse("report_part", args=[report.pk, "closing"]),
        {"text": "Second author's words.", "version": started_from},
    )
    assert response.status_code == 409
    text = page_text(response)
    assert "Someone else changed this report while you were writing" in text
    assert "Second author's words." in text and "First author's words." in text
    report.refresh_from_db()
    assert report.narrative["closing"] == "First author's words."


def test_restoring_a_part_follows_the_reviews_again(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "closing", "Mine.")
    report.refresh_from_db()
    client.post(reverse("report_part_restore", args=[report.pk, "closing"]),
                {"version": report.version - 1})  # stale: someone saved since  # fmt: skip
    report.refresh_from_db()
    assert report.narrative["closing"] == "Mine."
    client.post(reverse("report_part_restore", args=[report.pk, "closing"]),
                {"version": report.version})  # fmt: skip
    report.refresh_from_db()
    assert "closing" not in report.narrative


ROLES = ["qa_lead", "senior_leader", "reviewer_independent", "reviewer_internal",
         "practitioner", "manager", "admin", "outsider"]  # fmt: skip
READERS, WRITERS = {"qa_lead", "senior_leader"}, {"qa_lead"}


def report_urls(report):
    """(method, url, who may) for every report page and action."""
    pk = report.pk
    return [
        ("get", reverse("report_list"), READERS),
        ("get", reverse("report_detail", args=[pk]), READERS),
        ("get", reverse("report_figures", args=[pk]), READERS),
        ("get", reverse("report_preview", args=[pk]), READERS),
        ("get", reverse("report_draft_file", args=[pk, "full", "docx"]), READERS),
        ("get", reverse("report_draft_file", args=[pk, "wider-circulation", "docx"]), READERS),
        ("get", reverse("report_version", args=[pk, 1]), READERS),
        ("get", reverse("report_version_figures", args=[pk, 1]), READERS),
        ("get", reverse("report_version_file", args=[pk, 1, "full", "docx"]), READERS),
        ("get", reverse("report_version_file", args=[pk, 1, "wider-circulation", "html"]),
         READERS),
        ("get", reverse("report_create"), WRITERS),
        ("post", reverse("report_create"), WRITERS),
        ("get", reverse("report_coverage", args=[pk]), WRITERS),
        ("post", reverse("report_coverage", args=[pk]), WRITERS),
        ("get", reverse("report_part", args=[pk, "closing"]), WRITERS),
        ("post", reverse("report_part", args=[pk, "closing"]), WRITERS),
        ("post", reverse("report_part_restore", args=[pk, "closing"]), WRITERS),
        ("post", reverse("report_publish", args=[pk]), WRITERS),
    ]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_report_page_and_action_is_open_only_to_the_roles_it_is_for(client, cast, role):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    publish(client, report)
    client.logout()
    client.force_login(cast[role])
    before = (SummaryReport.objects.count(), PublishedReport.objects.count(),
              SummaryReport.history.count())  # fmt: skip
    for method, url, allowed in report_urls(report):
        status = getattr(client, method)(url, {}).status_code
        assert (status != 404) == (role in allowed), (method, url, status)
    if role not in WRITERS:  # refused requests change nothing
        after = (SummaryReport.objects.count(), PublishedReport.objects.count(),
                 SummaryReport.history.count())  # fmt: skip
        assert after == before


def test_senior_leaders_read_reports_but_cannot_write_or_publish(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    client.logout()
    signed_in(client, cast["senior_leader"])
    response = client.get(reverse("report_detail", args=[report.pk]))
    assert response.status_code == 200
    assert "Publish version" not in response.content.decode()
    assert client.post(reverse("report_publish", args=[report.pk]), {}).status_code == 404
    assert client.get(reverse("report_part", args=[report.pk, "closing"])).status_code == 404
    assert client.get(reverse("report_create")).status_code == 404
    assert not PublishedReport.objects.exists()


@pytest.mark.pdf
def test_a_published_version_downloads_as_pdf_in_both_editions(client, cast):
    from tests.pdfs import read_pdf

    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "closing", "Good or better: {practice.good_or_better}.")
    publish(client, report)
    texts = {}
    for edition in ("full", "wider-circulation"):
        url = reverse("report_version_file", args=[report.pk, 1, edition, "pdf"])
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf"
        assert client.get(url).content == response.content  # kept, not made again
        pdf = read_pdf(response.content)
        assert pdf.tagged
        texts[edition] = pdf.words
    assert "Good or better: 10 of 10 (100%)." in texts["full"]
    assert "AS-S" in texts["full"] and "AS-S" not in texts["wider-circulation"]
    assert "fewer than 3 of 10" in texts["wider-circulation"]


def test_the_part_page_says_what_the_figure_is_and_offers_its_placeholder(client, cast):
    """Issue 14: a typed figure that contradicts the measure its sentence names is a problem
    that says what the figure is, and the part's page offers the placeholder instead."""
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "gradings", "Half of the children were care leavers.")
    part = page_text(client.get(reverse("report_part", args=[report.pk, "gradings"])))
    assert (
        "Half : care leavers is 6 of 10 (60%), not half. Use {legal_status.care_leaver.percent} "
        "in place of “Half”"
    ) in part


def use_figure(client, report, part, text, chosen):
    report.refresh_from_db()
    return client.post(reverse("report_part", args=[report.pk, part]),
                       {"text": text, "version": report.version, "use_figure": chosen})  # fmt: skip


def test_using_the_offered_placeholder_saves_the_text_with_it_in_place(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    text = "Practice was good.\n\nOutcomes were good or better in 6 of 10 (60%) of reviews."
    save_part(client, report, "gradings", text)
    url = reverse("report_part", args=[report.pk, "gradings"])
    html = client.get(url).content.decode()
    [chosen] = re.findall(r'name="use_figure" value="([^"]+)"', html)
    response = use_figure(client, report, "gradings", text, chosen)
    assert response.status_code == 302 and response["Location"] == f"{url}#figure-problems"
    report.refresh_from_db()
    assert report.narrative["gradings"] == (
        "Practice was good.\n\nOutcomes were good or better in {outcome.good_or_better} of reviews."
    )
    # Attributed and kept like any other change to the narrative.
    assert report.history.latest().history_user == cast["qa_lead"]
    after = client.get(url)
    shown = page_text(after)
    assert (
        "Saved with {outcome.good_or_better} in place of “6 of 10”: it shows 8 of 10 (80%)."
        in shown
    )
    assert "The figure check found" not in shown
    assert "Outcomes were good or better in 8 of 10 (80%) of reviews." in shown  # the preview


def test_a_placeholder_goes_in_the_right_place_when_the_browser_ends_lines_with_crlf(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(
        client, report, "gradings", "Opening.\n\nSeven reviews were by independent reviewers."
    )
    html = client.get(reverse("report_part", args=[report.pk, "gradings"])).content.decode()
    [chosen] = re.findall(r'name="use_figure" value="([^"]+)"', html)
    typed = "Opening.\r\n\r\nSeven reviews were by independent reviewers."  # as browsers send it
    assert use_figure(client, report, "gradings", typed, chosen).status_code == 302
    report.refresh_from_db()
    assert report.narrative["gradings"] == (
        "Opening.\n\n{reviewers.independent.count} reviews were by independent reviewers."
    )


def test_a_placeholder_used_goes_into_what_is_in_the_box_not_the_stored_text(client, cast):
    # The author typed more before choosing: their unsaved words are kept, with the figure put
    # right where the problem now is.
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "gradings", "Seven reviews were by independent reviewers.")
    typed = "Opening words. Seven reviews were by independent reviewers."
    response = use_figure(client, report, "gradings", typed, "15-20")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.narrative["gradings"] == (
        "Opening words. {reviewers.independent.count} reviews were by independent reviewers."
    )


def test_after_a_refused_choice_the_buttons_fit_the_text_as_the_browser_sends_it(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "gradings", "Seven reviews were by independent reviewers.")
    typed = "A.\r\n\r\nSeven reviews were by independent reviewers."
    page = use_figure(client, report, "gradings", typed, "0-5").content.decode()
    [chosen] = re.findall(r'name="use_figure" value="([^"]+)"', page)
    assert chosen == "4-9"  # counted in "A.\n\nSeven", as the next post will be read
    assert use_figure(client, report, "gradings", typed, chosen).status_code == 302


@pytest.mark.parametrize("chosen", ["0-5", "abc", "", "15-20-1"])
def test_a_choice_that_no_longer_fits_the_text_changes_nothing_and_says_so(client, cast, chosen):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    text = "Seven reviews were by independent reviewers."
    save_part(client, report, "gradings", text)
    report.refresh_from_db()
    version = report.version
    response = use_figure(client, report, "gradings", "Other words. " + text, chosen)
    assert response.status_code == 409
    assert "The text changed after the list of problems was made" in page_text(response)
    # Their words stay in the box, and the list is of the problems in what is there now.
    assert "Other words. Seven reviews" in response.content.decode()
    assert 'name="use_figure" value="13-18"' in response.content.decode()
    report.refresh_from_db()
    assert (report.version, report.narrative["gradings"]) == (version, text)


def test_using_a_placeholder_on_a_report_changed_meanwhile_keeps_the_words_and_says_so(
    client, cast
):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    text = "Seven reviews were by independent reviewers."
    save_part(client, report, "gradings", text)
    report.refresh_from_db()
    old_version = report.version
    save_part(client, report, "closing", "Someone else's closing remarks.")
    response = client.post(reverse("report_part", args=[report.pk, "gradings"]),
                           {"text": text, "version": old_version, "use_figure": "0-5"})  # fmt: skip
    assert response.status_code == 409
    assert "Someone else changed this report while you were writing" in page_text(response)
    report.refresh_from_db()
    assert report.narrative["gradings"] == text


def test_the_narrative_editor_shows_the_text_with_its_figures_filled_in(client, cast):
    signed_in(client, cast["qa_lead"])
    report = create(client)
    save_part(client, report, "closing", "Good or better: {practice.good_or_better}.")
    page = client.get(reverse("report_part", args=[report.pk, "closing"])).content.decode()
    preview = page[page.index("How it reads in the report") :]
    assert "Good or better: 10 of 10 (100%)." in preview
    assert "{practice.good_or_better}" in page[: page.index("How it reads in the report")]


def test_the_key_messages_say_how_many_recommendations_for_children_are_overdue(
    client, cast, actor
):
    make_recommendations_for_the_figures(actor, timezone.localdate())
    signed_in(client, cast["qa_lead"])
    report = create(client)
    figures = client.get(reverse("report_figures", args=[report.pk])).json()
    assert figures["recommendations"] == {"made": 6, "overdue": 3}
    assert figures["comparison"]["recommendations"] == {"made": 0, "overdue": 0}
    text = page_text(client.get(reverse("report_detail", args=[report.pk])))
    assert "Recommendations for children overdue: 3 of 6 (50%)." in text
