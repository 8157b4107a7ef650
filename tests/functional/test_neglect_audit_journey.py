"""Issue 15's "Done when", in one browser journey: a QA lead takes the shipped example template
(docs/templates/neglect-thematic.yaml) end to end as a newcomer would, in Chromium. They upload
it on the Audit templates page, make a cohort on it and assign a new child's case; the reviewer
completes every section of the neglect audit's form and submits it; the QA lead imports a file
of 30 more reviews on the template into the cohort, moderates the submitted review (changing a
grade, with the reason), downloads the figures JSON from a summary report's draft, publishes
the report and downloads every file its version offers: Word, PDF and web page in both
editions, and the figures as published.

The figures are checked against counts this test makes itself from the rows it imported and
the answers it gave, not against the product's own figure code. axe-core runs on every page the
journey visits (PageChecks fails the test if one was missed); the steps' screenshots go to
/tmp/screens/journey/neglect-audit-*.png.

It took the place of two journeys that walked parts of it (a review on the neglect template;
an import on it), so it also checks what they did: the built-in template is chosen unless the QA
lead picks another, Check and submit names the required questions, and a number question
refuses a negative answer.
"""

import datetime
import io
import json
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from practice_review.moderation.models import Meeting
from practice_review.reviews.models import AuditTemplate, Cohort, Review
from tests.functional.conftest import SCREENS
from tests.functional.test_review_journey import (
    PageChecks,
    group,
    reference_data,  # noqa: F401 (the grade descriptors, which a flush takes away)
    sign_in,
    sign_out,
    success_banner,
)
from tests.integration.helpers import csv_bytes
from tests.integration.test_import_templates import (
    NEGLECT_COHORT,
    NEGLECT_FILE,
    expected_answers,
    neglect_rows,
)
from tests.pdfs import read_pdf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

TEMPLATE = "Thematic audit - neglect, version 1"
INITIALS = "NJ"  # in no seed review, so it names this child's case on every page
CASE_REF = "C9015"
LEVELS = ["outstanding", "good", "requires_improvement", "inadequate"]  # the ILACS scale
THEMES = {
    "recognition": "Recognition of neglect and its impact on the child",
    "voice_and_lived_experience": "The voice and lived experience of the child",
    "parental_capacity": "Understanding of parental capacity to change",  # the label's start
    "multi_agency": "Multi-agency work with health, schools and early years settings",
    "management_oversight": "Management oversight of drift and delay",
}
# The reviewer's answers, as the form's words and as the figures count them.
STANDARDS = {
    "graded_care_profile": ("A Graded Care Profile 2 was completed", "Met"),
    "lived_experience_recorded": ("The lived experience of the child is recorded", "Met"),
    "health_needs_followed_up": (
        "Health needs are followed up (dental, immunisations, health appointments)",
        "Met",
    ),
    "home_conditions_seen": (
        "Home conditions have been seen, including where the child sleeps",
        "Not met",
    ),
    "school_attendance_considered": (
        "School attendance and punctuality have been considered",
        "Not applicable",
    ),
    "cumulative_harm_considered": ("The impact of cumulative harm has been considered", "Met"),
    "chronology_shows_patterns": ("The chronology shows patterns of neglect over time", "Met"),
    "plan_is_specific": (
        "The plan says what must change for the child, by when, and what happens if it does not",
        "Met",
    ),
}
RESULT_KEYS = {"Met": "met", "Not met": "not_met", "Not applicable": "not_applicable"}
VOICE = "Was the child's voice recorded?"
LEVEL = "At what level was neglect identified at the time of the audit?"
MONTHS = "For how many months has the child been known to children's social care for neglect?"
PLANS = "How many times has the child been subject to a child protection plan for neglect?"
ONE_THING = "What one thing would have made the biggest difference for this child sooner?"
REVIEWED_QUESTIONS = {
    "voice_recorded": True,
    "neglect_level": "significant",
    "months_known": 26,
    "previous_plans": 2,
    "one_thing_to_change": "A Graded Care Profile when the school first raised concerns.",
}
# The reviewer grades practice good and outcomes good; the meeting changes practice.
REVIEWED_GRADES = {"practice": "good", "outcome": "good"}
MODERATED_GRADES = {"practice": "requires_improvement", "outcome": "good"}
MODERATION_REASON = "The plan had no timescales, so drift went unchallenged for months."
REPORT_TITLE = "Neglect thematic audit, spring 2025"


def percentage(count, total):
    """100 x count / total, rounded half up to one place (docs/review-files.md#report-figures)."""
    exact = Decimal(100 * count) / Decimal(total)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def whole_percentage(count, total):
    """As the report's tables show a share: a whole number, rounded half up."""
    exact = Decimal(100 * count) / Decimal(total)
    return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def expected_figures(rows):
    """The counts the figures must give: the imported rows plus the reviewed case, worked out
    here from the rows and the answers the journey gives."""
    grades = {axis: Counter() for axis in REVIEWED_GRADES}
    standards = {key: Counter() for key in STANDARDS}
    answers = []
    for row in rows:
        grades["practice"][row["practice_grade"]] += 1
        grades["outcome"][row["outcome_grade"]] += 1
        results, questions = expected_answers(row)
        for key, result in results.items():
            standards[key][result] += 1
        answers.append(questions)
    for axis, grade in MODERATED_GRADES.items():  # the counted grade is the moderated one
        grades[axis][grade] += 1
    for key, (_, result) in STANDARDS.items():
        standards[key][RESULT_KEYS[result]] += 1
    answers.append(REVIEWED_QUESTIONS)
    total = len(rows) + 1

    def axis_block(counts):
        good = counts["outstanding"] + counts["good"]
        return {level: counts[level] for level in LEVELS} | {
            "good_or_better": good,
            "good_or_better_pct": percentage(good, total),
        }

    def answered(key):
        return [a[key] for a in answers if a[key] is not None]

    return {
        "reviews": total,
        "practice": axis_block(grades["practice"]),
        "outcome": axis_block(grades["outcome"]),
        "practice_standards": {
            key: {result: counts[result] for result in RESULT_KEYS.values()}
            for key, counts in standards.items()
        },
        "questions": {
            "voice_recorded": {
                "yes": answered("voice_recorded").count(True),
                "no": answered("voice_recorded").count(False),
            },
            "neglect_level": {
                level: answered("neglect_level").count(level)
                for level in ("low", "moderate", "significant", "not_identified")
            },
            "months_known": {
                "answered": len(answered("months_known")),
                "total": sum(answered("months_known")),
            },
            "previous_plans": {
                "answered": len(answered("previous_plans")),
                "total": sum(answered("previous_plans")),
            },
            "one_thing_to_change": {"answered": len(answered("one_thing_to_change"))},
        },
    }


def top_of(page, name, height=1400):
    """The top of a long page (a report's draft runs to many screens) as a screenshot."""
    SCREENS.joinpath("journey").mkdir(parents=True, exist_ok=True)
    clip = {"x": 0, "y": 0, "width": 1200, "height": height}
    page.screenshot(
        path=str(SCREENS / "journey" / f"neglect-audit-{name}.png"), clip=clip, full_page=True
    )


def test_a_qa_lead_takes_the_neglect_template_from_file_to_summary_report(
    drive, cast, axe, tmp_path
):
    today = timezone.localdate()
    due = today + datetime.timedelta(days=21)
    rows = [
        row | {"moderated_practice_grade": "", "moderated_outcome_grade": ""}
        for row in neglect_rows()
    ]
    review_file = tmp_path / "neglect-spring-2025.csv"
    review_file.write_bytes(csv_bytes(rows))
    assert not AuditTemplate.objects.filter(key="neglect_thematic").exists()

    def journey(page):
        page.set_viewport_size({"width": 1200, "height": 900})
        checks = PageChecks(page, axe, prefix="neglect-audit-")

        # ------------------------------------------------ 1. the QA lead uploads the template
        page.goto("/sign-in/")
        checks.axe_check()
        sign_in(page, "qa.lead", checks)
        checks.axe_check()
        page.get_by_role("link", name="Audit templates").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Audit templates")
        checks.axe_check()
        page.get_by_role("link", name="Upload a template file").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Upload a template file")
        page.get_by_label("Upload a template file").set_input_files(str(NEGLECT_FILE))
        checks.step("upload-template")
        page.get_by_role("button", name="Upload", exact=True).click()
        expect(success_banner(page)).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text(TEMPLATE)
        checks.axe_check()
        page.get_by_role("link", name="Audit templates").first.click()
        listed = page.get_by_role("table", name=re.compile("Thematic audit - neglect"))
        expect(listed).to_contain_text("neglect_thematic")
        expect(listed.locator("tbody tr")).to_have_count(1)
        expect(listed.locator("tbody tr")).to_contain_text("Published")
        checks.step("template-listed-as-published")

        # ------------------------------------------------ 2. a cohort on it
        page.goto("/cohorts/new/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Create a cohort")
        checks.axe_check()
        page.get_by_label("Name of the cohort").fill(NEGLECT_COHORT)
        page.get_by_label("Start of the period").fill("01/03/2025")
        page.get_by_label("End of the period").fill("31/03/2025")
        page.get_by_label("Who selected the cohort").fill("Senior leadership team")
        group(page, "Why these cases").get_by_label("A theme").check()
        page.get_by_label("Theme", exact=True).fill("Neglect")
        expect(page.get_by_label("Practice and Impact Review, version 1")).to_be_checked()
        page.get_by_label(TEMPLATE).check()
        checks.step("create-cohort-on-the-template")
        page.get_by_role("button", name="Create cohort").click()
        expect(success_banner(page)).to_contain_text(f"Cohort {NEGLECT_COHORT} created")
        expect(page.get_by_text(f"Audit template: {TEMPLATE}")).to_be_visible()
        checks.axe_check()
        cohort_url = page.url

        # ------------------------------------------------ 3. a child's case, assigned
        page.get_by_role("link", name="Add a child's case").click()
        page.get_by_label("Case reference").fill(CASE_REF)
        page.locator("summary", has_text="A child new to Practice Review").click()
        page.get_by_label("Child's initials").fill(INITIALS)
        group(page, "Gender").get_by_label("Male", exact=True).check()
        page.get_by_label("Date of birth").fill("14/08/2016")
        page.get_by_label("Ethnicity").fill("White British")
        page.get_by_label("First language").fill("English")
        group(page, "Needs an interpreter").get_by_label("No", exact=True).check()
        page.get_by_label("Allocated social worker").select_option(label="RL – social worker")
        page.get_by_label("Social worker's supervisor").select_option(label="BA – supervisor")
        page.get_by_label("Reviewer", exact=True).select_option(
            label="Independent Associate – reviewer"
        )
        group(page, "Type of reviewer").get_by_label("Independent").check()
        page.get_by_label("Date the review is due").fill(due.strftime("%d/%m/%Y"))
        checks.step("add-a-childs-case")
        page.get_by_role("button", name="Add case and assign").click()
        expect(success_banner(page)).to_contain_text(
            f"{INITIALS}'s case added and assigned to Independent Associate"
        )
        checks.axe_check()
        sign_out(page)

        # ------------------------------------------------ the reviewer completes the form
        sign_in(page, "reviewer.independent")
        checks.axe_check()
        page.get_by_role("link", name="My reviews").first.click()
        checks.axe_check()
        page.get_by_role("link", name=f"{INITIALS} review").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Review of {INITIALS}")
        expect(page.get_by_text("You have completed 0 of 6 required sections")).to_be_visible()
        checks.step("task-list")
        tasks_url = page.url

        def task(title):
            return page.locator(".govuk-task-list__item").filter(
                has=page.get_by_role("link", name=title, exact=True)
            )

        def save_section(title):
            page.get_by_role("button", name="Save and return to the review").click()
            expect(task(title).locator(".govuk-task-list__status")).to_have_text("Completed")

        task("The child at the review").get_by_role("link").click()
        checks.axe_check()
        page.get_by_label("Date of the review").fill("28/03/2025")
        group(page, "Legal or practice framework").get_by_label("Child Protection").check()
        page.get_by_label("Religion").fill("None")
        save_section("The child at the review")

        # The template's own standards, each with its guidance as the hint.
        task("Practice standards").get_by_role("link").click()
        expect(
            page.get_by_text("Completed with the family within the last 6 months")
        ).to_be_visible()
        for key, (label, result) in STANDARDS.items():
            group(page, label).get_by_label(result, exact=True).check()
            if result != "Met":
                page.locator(f"#id_{key}_comment").fill(f"{result}: seen on the file.")
        checks.step("section-standards")
        save_section("Practice standards")

        # A group for each of the template's own themes.
        task("Strengths and areas for development").get_by_role("link").click()
        for key, label in THEMES.items():
            expect(page.locator("#main-content")).to_contain_text(label)
            page.locator(f"#id_strengths_{key}").fill(f"Strengths seen: {label.lower()}.")
        page.locator("#id_development_multi_agency").fill("The school was not at the core group.")
        checks.step("section-themes")
        save_section("Strengths and areas for development")

        # The template's two grades, on the ILACS scale.
        task("Grades").get_by_role("link").click()
        group(page, "Social work practice").get_by_label("Good", exact=True).check()
        page.get_by_label("Reasons for the grade for social work practice").fill(
            "Neglect was recognised and named in the assessment."
        )
        group(page, "Outcomes for the child").get_by_label("Good", exact=True).check()
        page.get_by_label("Reasons for the grade for outcomes for the child").fill(
            "He attends school every day now and is registered with a dentist."
        )
        checks.step("section-grades")
        save_section("Grades")

        task("Conversations").get_by_role("link").click()
        checks.axe_check()
        group(page, "Who the conversation was with").get_by_label("Practitioner").check()
        page.get_by_label("Date of the conversation").fill("27/03/2025")
        group(page, "How it was held").get_by_label("Video call").check()
        page.get_by_label("What they said, in their words").fill(
            "Things only changed once we used the Graded Care Profile with his mum."
        )
        page.get_by_role("button", name="Add conversation").click()
        expect(success_banner(page)).to_contain_text("Conversation added")
        page.get_by_role("link", name="Back to the review").first.click()
        expect(page.get_by_text("You have completed 5 of 6 required sections")).to_be_visible()

        # A recommendation for the child, on one of the template's own themes.
        page.goto(tasks_url)
        task("Recommendations for the child").get_by_role("link").click()
        checks.axe_check()
        page.get_by_label("What should be done").fill(
            "Complete a Graded Care Profile 2 with his mum and review it at the next core group."
        )
        page.get_by_label("Who will do it").select_option(label="RL")
        page.get_by_label("Date it should be done by").fill(due.strftime("%d/%m/%Y"))
        page.get_by_label("How success will be seen").fill("The plan names what must change.")
        theme = page.get_by_label("Theme (optional)")
        expect(theme.locator("option")).to_have_count(len(THEMES) + 1)
        theme.select_option(label=THEMES["recognition"])
        page.get_by_role("button", name="Add recommendation").click()
        expect(success_banner(page)).to_contain_text("Recommendation added")
        checks.step("recommendation-added")
        page.get_by_role("link", name="Back to the review").first.click()

        # Check and submit names each question the template says must be answered.
        page.get_by_role("link", name="Check and submit").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary.locator("li")).to_have_count(2)
        expect(summary).to_contain_text(f"Questions: Answer the question: {VOICE}")
        expect(summary).to_contain_text(f"Questions: Answer the question: {LEVEL}")
        checks.step("submit-names-the-questions")
        summary.get_by_role("link", name=re.compile(re.escape(VOICE))).click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Questions")
        group(page, VOICE).get_by_label("Yes", exact=True).check()
        group(page, LEVEL).get_by_label("Significant - child protection").check()
        page.get_by_label(MONTHS).fill("-3")
        page.get_by_label(PLANS).fill("2")
        page.get_by_label(ONE_THING).fill(REVIEWED_QUESTIONS["one_thing_to_change"])
        page.get_by_role("button", name="Save and return to the review").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("The answer must be 0 or more")
        expect(page.get_by_label(MONTHS)).to_have_attribute("inputmode", "numeric")
        checks.step("section-questions-error")
        page.get_by_label(MONTHS).fill("26")
        checks.step("section-questions")
        save_section("Questions")
        expect(success_banner(page)).to_contain_text("Questions saved")
        expect(page.get_by_text("You have completed 6 of 6 required sections")).to_be_visible()

        page.get_by_role("link", name="Check and submit").click()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
        answers = page.locator(".govuk-summary-list")
        expect(answers).to_contain_text(MONTHS)
        expect(answers).to_contain_text("Significant - child protection")
        checks.step("check-and-submit")
        page.get_by_role("button", name="Submit the review").click()
        expect(success_banner(page)).to_contain_text("Review submitted.")
        expect(page.get_by_role("heading", name="Questions")).to_be_visible()
        expect(
            page.get_by_role("row", name=re.compile(STANDARDS["graded_care_profile"][0]))
        ).to_contain_text("Met")
        checks.step("review-submitted")
        sign_out(page)

        # ------------------------------------------------ 4. the QA lead imports 30 more
        sign_in(page, "qa.lead")
        checks.axe_check()
        page.goto("/import/")
        checks.axe_check()
        expect(page.get_by_label("Practice and Impact Review, version 1")).to_be_checked()
        page.get_by_label("Upload a review file").set_input_files(str(review_file))
        page.get_by_label(TEMPLATE).check()
        checks.step("import-choose-template")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
        expect(page.get_by_text(TEMPLATE)).to_be_visible()
        checks.step("import-check")
        page.get_by_role("button", name="Confirm and import").click()
        expect(page.get_by_text("Imported 30 reviews into")).to_be_visible()
        checks.axe_check()

        # ------------------------------------------------ 5. moderation
        page.get_by_role("link", name="Moderation").first.click()
        checks.axe_check()
        page.get_by_role("link", name="Plan a meeting").click()
        expect(page.get_by_role("checkbox")).to_have_count(1)
        expect(page.get_by_role("checkbox")).to_be_checked()
        page.get_by_label("Date of the meeting").fill("15/4/2025")
        page.get_by_label("Who is attending").fill("Head of QA, two reviewers, Service Manager")
        checks.axe_check()
        page.get_by_role("button", name="Plan the meeting").click()
        agenda = page.get_by_role("table", name="Reviews to moderate")
        expect(agenda.locator("tbody tr")).to_have_count(1)
        expect(agenda).to_contain_text(INITIALS)
        checks.axe_check()
        page.get_by_role("link", name=f"Moderate {INITIALS}'s review").click()
        group(page, "Social work practice").get_by_label(
            "Requires improvement to be good", exact=True
        ).check()
        page.get_by_label("Why the meeting changed a grade").fill(MODERATION_REASON)
        checks.step("moderate")
        page.get_by_role("button", name="Record the decision").click()
        expect(agenda.locator("tr", has_text=INITIALS)).to_contain_text("Changed")
        checks.step("moderated")

        # The cohort's page counts all 31, on the template.
        page.goto(cohort_url)
        expect(page.get_by_text("31 completed reviews")).to_be_visible()
        expect(page.get_by_text(f"Audit template: {TEMPLATE}")).to_be_visible()
        checks.axe_check()

        # ------------------------------------------------ 6 and 7. the summary report
        page.get_by_role("link", name="Reports").first.click()
        checks.axe_check()
        page.get_by_role("link", name="Create a summary report").click()
        page.get_by_label("Title of the report").fill(REPORT_TITLE)
        page.get_by_role("checkbox", name=NEGLECT_COHORT).check()
        page.get_by_label("No comparison").check()
        checks.step("create-report")
        page.get_by_role("button", name="Create draft report").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(REPORT_TITLE)
        expect(
            page.get_by_text("Figure check: every number typed into the narrative matches")
        ).to_be_visible()
        checks.axe_check()
        top_of(page, "report-draft")
        files = {}
        with page.expect_download() as download:
            page.get_by_role("link", name="The figures as data (JSON)").click()
        files["draft figures"] = download.value.path().read_bytes()

        # The narrative written for the QA lead agrees with the figures, so it publishes as is.
        page.get_by_role("button", name="Publish version 1").click()
        expect(page.locator(".govuk-caption-l")).to_have_text("Published summary report, version 1")
        checks.axe_check()
        top_of(page, "report-published")
        version_url = page.url
        for edition in ("Full report", "For wider circulation"):
            row = page.locator(".govuk-summary-list__row", has_text=edition)
            for kind in ("Word", "PDF"):
                with page.expect_download() as download:
                    row.get_by_role("link", name=kind).click()
                files[edition, kind] = download.value.path().read_bytes()
            row.get_by_role("link", name="web page").click()
            expect(page.locator("h1").first).to_be_visible()
            checks.axe_check()
            files[edition, "web page"] = page.content()
            page.goto(version_url)
        with page.expect_download() as download:
            page.get_by_role("link", name="The figures as data (JSON)").click()
        files["published figures"] = download.value.path().read_bytes()

        checks.assert_every_page_checked()
        return files

    files = drive(journey)

    # The database agrees with what the pages said.
    cohort = Cohort.objects.get(name=NEGLECT_COHORT)
    assert cohort.template.key == "neglect_thematic"
    assert Review.objects.filter(cohort=cohort, template=cohort.template).count() == 31
    reviewed = Review.objects.get(child__case_ref=CASE_REF)
    assert reviewed.status == "final"
    assert reviewed.recommendations.get().theme == "recognition"
    # Answers in words are kept apart from the others (reviews/answers.py).
    assert reviewed.answers["questions"] | reviewed.answers["texts"] == REVIEWED_QUESTIONS
    assert reviewed.grade("practice") == "good"
    assert reviewed.grade("practice", "moderated") == "requires_improvement"
    assert Meeting.objects.count() == 1

    # 6. The figures, against counts made here from the file and the review.
    expected = expected_figures(rows)
    for name in ("draft figures", "published figures"):
        figures = json.loads(files[name])
        assert figures["cohort"]["reviews"] == expected["reviews"], name
        assert figures["practice"] == expected["practice"], name
        assert figures["outcome"] == expected["outcome"], name
        assert figures["practice_standards"] == expected["practice_standards"], name
        assert list(figures["practice_standards"]) == list(STANDARDS), name
        assert figures["questions"] == expected["questions"], name
        assert figures["template"]["key"] == "neglect_thematic", name
        assert figures["template"]["version"] == 1, name
        assert figures["moderated"] == 1, name
        assert figures["grades_changed_at_moderation"] == {"practice": 1, "outcome": 0}, name
        assert figures["comparison"] is None, name
        assert figures["recommendations"]["made"] == 1, name

    # 7. Every file the published version offers, opened again: the report is named after the
    # template, has a section for each of its themes, and its standards table counts as we do.
    counts = expected["practice_standards"]["graded_care_profile"]
    row = [STANDARDS["graded_care_profile"][0]] + [
        f"{counts[result]} of 31 ({whole_percentage(counts[result], 31)}%)"
        for result in RESULT_KEYS.values()
    ]
    for edition in ("Full report", "For wider circulation"):
        document = docx.Document(io.BytesIO(files[edition, "Word"]))
        assert document.paragraphs[0].text == "Thematic audit - neglect: summary", edition
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
        for section in (4, 5):
            for place, label in enumerate(THEMES.values(), start=1):
                assert any(h.startswith(f"{section}.{place}. {label}") for h in headings), (
                    edition,
                    headings,
                )
        rows = [[cell.text for cell in r.cells] for t in document.tables for r in t.rows]
        assert any(cells[:4] == row for cells in rows), (edition, row)
        pdf = read_pdf(files[edition, "PDF"]).words
        web_page = " ".join(re.sub(r"<[^>]+>", " ", files[edition, "web page"]).split())
        for text in (pdf, web_page):
            assert "Thematic audit - neglect: summary" in text, edition
            assert " ".join(row) in text, edition
            assert f"4.1. {THEMES['recognition']}" in text, edition
