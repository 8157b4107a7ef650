"""A review on an audit template of the council's own, in the browser (issue 15, stage 2b): the
reviewer answers the neglect thematic audit's standards and questions and submits. axe-core runs
on every page; the steps' screenshots go to /tmp/screens/journey/neglect-*.png.

The child's details, themes, grades and a conversation are saved beforehand, through the form
as the reviewer would (test_review_journey.py walks those pages): this journey is about what a
template changes.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.functional.test_review_journey import PageChecks, group, sign_in, success_banner
from tests.integration.test_template_reviews import (
    CHILD,
    GRADES,
    NEGLECT_FINDINGS,
    NEGLECT_STANDARDS,
    neglect_review,
    save,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VOICE = "Was the child's voice recorded?"
LEVEL = "At what level was neglect identified at the time of the audit?"
MONTHS = "For how many months has the child been known to children's social care for neglect?"
ONE_THING = "What one thing would have made the biggest difference for this child sooner?"


def test_a_reviewer_answers_a_neglect_audits_standards_and_questions_and_submits(
    drive, client, cast, axe
):
    review = neglect_review(cast)
    client.force_login(cast["reviewer_independent"])
    for section, data in [("child", CHILD), ("themes", NEGLECT_FINDINGS), ("grades", GRADES)]:
        assert save(client, review, section, data).status_code == 302
    client.post(
        reverse("review_conversations", args=[review.id]),
        {"held_with": "practitioner", "held_on": "10/03/2026", "method": "video",
         "their_words": "We kept the family engaged."},
    )  # fmt: skip
    client.logout()
    tasks_url = reverse("review_tasks", args=[review.id])
    labels = dict(zip(NEGLECT_STANDARDS, [s.label for s in review.asks.standards], strict=True))

    def journey(page):
        page.set_viewport_size({"width": 1200, "height": 900})
        sign_in(page, "reviewer.independent")  # checked by test_review_journey.py
        checks = PageChecks(page, axe, prefix="neglect-")
        page.goto(tasks_url)
        expect(page.get_by_text("You have completed 4 of 6 required sections")).to_be_visible()
        checks.step("task-list")

        def task(title):
            return page.locator(".govuk-task-list__item").filter(
                has=page.get_by_role("link", name=title, exact=True)
            )

        # The template's own standards, each with its guidance as the hint.
        task("Practice standards").get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Practice standards")
        expect(
            page.get_by_text("Completed with the family within the last 6 months")
        ).to_be_visible()
        for key, label in labels.items():
            result = "Not met" if key == "plan_is_specific" else "Met"
            group(page, label).get_by_label(result, exact=True).check()
        page.locator("#id_plan_is_specific_comment").fill("No timescales for change.")
        checks.step("section-standards")
        page.get_by_role("button", name="Save and return to the review").click()
        expect(task("Practice standards")).to_contain_text("Completed")

        # Check and submit names the question that must be answered.
        page.get_by_role("link", name="Check and submit").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text(f"Questions: Answer the question: {VOICE}")
        expect(summary).to_contain_text(f"Questions: Answer the question: {LEVEL}")
        checks.step("submit-names-the-questions")
        summary.get_by_role("link", name=re.compile(re.escape(VOICE))).click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Questions")
        checks.step("section-questions")
        group(page, VOICE).get_by_label("Yes", exact=True).check()
        group(page, LEVEL).get_by_label("Moderate - child in need").check()
        page.get_by_label(MONTHS).fill("-3")
        page.get_by_label(ONE_THING).fill("A Graded Care Profile when the school first raised it.")
        page.get_by_role("button", name="Save and return to the review").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("The answer must be 0 or more")
        expect(page.get_by_label(MONTHS)).to_have_attribute("inputmode", "numeric")
        checks.step("section-questions-error")
        page.get_by_label(MONTHS).fill("14")
        page.get_by_role("button", name="Save and return to the review").click()
        expect(success_banner(page)).to_contain_text("Questions saved")
        expect(task("Questions")).to_contain_text("Completed")

        page.get_by_role("link", name="Check and submit").click()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
        answers = page.locator(".govuk-summary-list")
        expect(answers).to_contain_text(MONTHS)
        expect(answers).to_contain_text("Moderate - child in need")
        checks.step("check-and-submit")
        page.get_by_role("button", name="Submit the review").click()

        expect(success_banner(page)).to_contain_text("Review submitted.")
        expect(page.get_by_role("heading", name="Questions")).to_be_visible()
        expect(
            page.get_by_role("row", name=re.compile(labels["graded_care_profile"]))
        ).to_contain_text("Met")
        checks.step("review-submitted")
        checks.assert_every_page_checked()

    drive(journey)
    review.refresh_from_db()
    assert review.status == "submitted"
    assert review.answers["questions"]["months_known"] == 14
