"""Legal and practice frameworks as reference data (issue 15, item 5 of docs/adr/0007): a council
adds one (Family Help, under the Families First reforms) in the admin, and imports, figures,
placeholders, the summary report, the figure check and the review form follow it."""

import re
from html import unescape

import pytest
from django.urls import reverse

from practice_review.core import vocabulary as v
from practice_review.reports.builder import build_report
from practice_review.reports.figures import cohort_figures
from practice_review.reports.models import SummaryReport
from practice_review.reports.narrative import placeholders
from practice_review.reports.narrative_check import narrative_problems
from practice_review.reports.report_data import report_data
from practice_review.reviews import actions
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.models import Child, Framework, Review
from practice_review.reviews.queries import find_cohort, frameworks
from tests.conftest import PASSWORD, SEPTEMBER
from tests.integration.helpers import csv_bytes, seed_rows

pytestmark = pytest.mark.django_db

FAMILY_HELP = "Family Help in 2026"


def add_family_help(active=True):
    return Framework.objects.create(
        key="family_help", label="Family Help", synonyms=["FH"], order=60, active=active
    )


def family_help_rows():
    """Four reviews of a new cohort from the seed file's rows, two of them in Family Help (by
    its label and, in lower case, its synonym)."""
    rows = [dict(row, cohort=FAMILY_HELP) for row in seed_rows() if row["cohort"] == SEPTEMBER]
    rows = rows[:4]
    rows[0]["legal_status"] = "Family Help"
    rows[1]["legal_status"] = " fh "
    return rows


def page_text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_built_in_frameworks_are_todays_five_with_todays_synonyms(db):
    assert frameworks() == v.BUILT_IN_FRAMEWORKS
    assert [(f.key, f.label) for f in frameworks()] == [
        ("early_help", "Early Help"),
        ("child_in_need", "Child in Need"),
        ("child_protection", "Child Protection"),
        ("looked_after", "Child in care (looked after)"),
        ("care_leaver", "Care leaver / care experienced"),
    ]
    assert Framework.objects.get(key="looked_after").synonyms == [
        "LAC", "CLA", "CIC", "Child in Care", "Looked After Child", "Looked After Children",
        "Looked after",
    ]  # fmt: skip


def test_a_flushed_database_gets_the_built_in_frameworks_back(db):
    Framework.objects.all().delete()
    assert frameworks() == v.BUILT_IN_FRAMEWORKS


def test_a_council_framework_is_imported_by_its_label_and_synonym_and_counted(seeded, actor):
    add_family_help()
    result = import_reviews(data=csv_bytes(family_help_rows()), file_name="fh.csv", by=actor)
    assert result.ok, [str(problem) for problem in result.problems]
    cohort = find_cohort(FAMILY_HELP)
    assert list(cohort.reviews.values_list("legal_status", flat=True)).count("family_help") == 2
    figures = cohort_figures(cohort)
    assert list(figures["legal_status"]) == [*v.BUILT_IN_KEYS, "family_help"]
    assert figures["legal_status"]["family_help"] == 2
    # The seed cohorts count it too, as none.
    assert cohort_figures(find_cohort(SEPTEMBER))["legal_status"]["family_help"] == 0


def test_an_inactive_framework_is_refused_on_import_but_keeps_its_counts(seeded, actor):
    framework = add_family_help()
    assert import_reviews(data=csv_bytes(family_help_rows()), file_name="a.csv", by=actor).ok
    framework.active = False
    framework.save()
    rows = [dict(row, cohort="Later") for row in family_help_rows()]
    result = import_reviews(data=csv_bytes(rows), file_name="b.csv", by=actor)
    assert not result.ok
    messages = [str(problem) for problem in result.problems]
    assert messages[0] == (
        "row 2, column legal_status: got 'Family Help'; expected one of early_help, "
        "child_in_need, child_protection, looked_after, care_leaver (or a label such as CIN, "
        "LAC): Family Help is no longer in use"
    )
    assert cohort_figures(find_cohort(FAMILY_HELP))["legal_status"]["family_help"] == 2


def test_an_unknown_framework_is_refused_naming_the_councils_list(seeded, actor):
    add_family_help()
    rows = family_help_rows()
    rows[0]["legal_status"] = "Adopted"
    result = import_reviews(data=csv_bytes(rows), file_name="c.csv", by=actor)
    assert [str(problem) for problem in result.problems] == [
        "row 2, column legal_status: got 'Adopted'; expected one of early_help, child_in_need, "
        "child_protection, looked_after, care_leaver, family_help (or a label such as CIN, LAC)"
    ]


def test_a_council_frameworks_placeholder_report_table_and_figure_check(seeded, actor):
    add_family_help()
    assert import_reviews(data=csv_bytes(family_help_rows()), file_name="fh.csv", by=actor).ok
    cohort = find_cohort(FAMILY_HELP)
    figures = cohort_figures(cohort)
    table = placeholders(figures, frameworks=frameworks())
    assert table["legal_status.family_help"] == ("2 of 4 (50%)", "Family Help")
    assert table["legal_status.family_help.percent"][0] == "50%"

    data = report_data(Review.objects.filter(cohort=cohort))
    report = build_report(council="A council", figures=figures, data=data)
    [overview] = [section for section in report.sections if section.number == "2"]
    [frameworks_table] = [t for t in overview.tables if t.caption.startswith("Legal or practice")]
    assert frameworks_table.rows[-1] == ["Family Help", "2 of 4 (50%)"]

    # Half of the four are in Family Help: right. A quarter is wrong, and flagged.
    said = "Half of the children were in Family Help."
    assert narrative_problems(said, figures, frameworks()) == []
    wrong = narrative_problems("A quarter of the children were in Family Help.", figures,
                               frameworks())  # fmt: skip
    assert [problem["text"] for problem in wrong] == ["A quarter"]
    assert "family help is 2 of 4 (50%)" in wrong[0]["problem"]


def test_the_figure_check_on_the_draft_page_knows_a_council_framework(client, cast):
    add_family_help()
    client.login(username=cast["qa_lead"].username, password=PASSWORD)
    response = client.post(reverse("report_create"), {
        "title": "Summary", "comparator": "previous", "cohorts": [find_cohort(SEPTEMBER).pk],
    })  # fmt: skip
    assert response.status_code == 302
    report_id = SummaryReport.objects.latest("id").pk
    report_url = reverse("report_detail", args=[report_id])
    page = client.get(reverse("report_part", args=[report_id, "gradings"]))
    version = re.search(r'name="version" value="(\d+)"', page.content.decode())[1]
    said = "Half of the children were in Family Help."
    client.post(reverse("report_part", args=[report_id, "gradings"]),
                {"text": said, "version": version})  # fmt: skip
    text = page_text(client.get(reverse("report_part", args=[report_id, "gradings"])))
    assert "Half : family help is 0 of 10 (0%), not half" in text
    overview = page_text(client.get(report_url))
    assert "Family Help 0 of 10 (0%)" in overview
    cohort_page = page_text(client.get(reverse("cohort_detail", args=[find_cohort(SEPTEMBER).pk])))
    assert "Family Help 0 of 10 (0%)" in cohort_page


def test_the_review_form_offers_the_active_frameworks_and_the_reviews_own(client, cast):
    add_family_help()
    retired = Framework.objects.create(key="retired_one", label="Retired one", order=70,
                                       active=False)  # fmt: skip
    review = actions.assign_review(
        by=cast["qa_lead"], cohort=find_cohort(SEPTEMBER),
        child=Child.objects.get(case_ref="C1008"),
        reviewer=cast["reviewer_independent"].staff_member, reviewer_type="independent",
        due_date=find_cohort(SEPTEMBER).reviews.first().review_date,
        social_worker=Review.objects.first().social_worker,
    )  # fmt: skip
    client.force_login(cast["reviewer_independent"])
    url = reverse("review_section", args=[review.id, "child"])
    html = client.get(url).content.decode()
    assert 'value="family_help"' in html and "Family Help" in html
    assert 'value="retired_one"' not in html
    # A review already in a framework no longer in use keeps it on offer.
    Review.objects.filter(pk=review.pk).update(legal_status=retired.key)
    assert 'value="retired_one"' in client.get(url).content.decode()

    version = Review.objects.get(pk=review.pk).section_versions.get("child", 0)
    answers = {"version": version, "review_date": "", "age_at_review": "9", "gender": "male",
               "legal_status": "family_help"}  # fmt: skip
    assert client.post(url, answers).status_code == 302
    assert Review.objects.get(pk=review.pk).legal_status == "family_help"
    # A framework not in use is refused like any other value not offered.
    Review.objects.filter(pk=review.pk).update(legal_status="family_help")
    version = Review.objects.get(pk=review.pk).section_versions.get("child", 0)
    response = client.post(url, {**answers, "version": version, "legal_status": "retired_one"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_qa_lead_adds_a_framework_in_the_admin(client, cast):
    qa_lead = cast["qa_lead"]
    qa_lead.is_staff = True
    qa_lead.save()
    client.force_login(qa_lead)
    response = client.post(reverse("admin:reviews_framework_add"), {
        "key": "family_help", "label": "Family Help", "synonyms": "FH\nFamily Help service",
        "order": "60", "active": "on",
    })  # fmt: skip
    assert response.status_code == 302, page_text(response)[:2000]
    added = Framework.objects.get(key="family_help")
    assert added.synonyms == ["FH", "Family Help service"]
    assert added.history.count() == 1
    assert frameworks()[-1] == v.FrameworkTerms(
        "family_help", "Family Help", ("FH", "Family Help service"), True
    )


@pytest.mark.parametrize(
    ("key", "label", "synonyms", "problem"),
    [
        ("Family Help", "Family Help", "", "lower-case letters"),
        ("family_help", "Family Help", "CIN", "already means Child in Need"),
        ("family_help", "child protection", "", "already means Child Protection"),
    ],
)
def test_the_admin_refuses_a_framework_that_clashes(client, cast, key, label, synonyms, problem):
    qa_lead = cast["qa_lead"]
    qa_lead.is_staff = True
    qa_lead.save()
    client.force_login(qa_lead)
    response = client.post(reverse("admin:reviews_framework_add"), {
        "key": key, "label": label, "synonyms": synonyms, "order": "60", "active": "on",
    })  # fmt: skip
    assert response.status_code == 200
    assert problem in page_text(response)
    assert not Framework.objects.filter(order=60).exists()


def test_a_framework_cannot_be_deleted_in_the_admin(client, cast):
    qa_lead = cast["qa_lead"]
    qa_lead.is_staff = True
    qa_lead.save()
    client.force_login(qa_lead)
    looked_after = Framework.objects.get(key="looked_after")
    response = client.post(reverse("admin:reviews_framework_delete", args=[looked_after.pk]),
                           {"post": "yes"})  # fmt: skip
    assert response.status_code == 403
    assert Framework.objects.filter(key="looked_after").exists()
