"""A second reviewer grades blind, in a real Chromium with axe-core: the review's page says why
the first reviewer's findings are hidden, and shows them once the second grades are recorded."""

import pytest
from playwright.sync_api import expect

from practice_review.reviews import actions
from practice_review.reviews.answers import with_standard_values
from practice_review.reviews.models import Review
from tests.conftest import PASSWORD
from tests.functional.conftest import enter_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_second_reviewer_is_told_why_the_findings_are_hidden(drive, cast, axe, screenshot):
    review = Review.objects.filter(reviewer__name="Independent Associate").first()
    comment = {"basic_details_comment": "Chronology up to date at the last visit."}
    Review.objects.filter(pk=review.pk).update(
        status="submitted",
        answers=with_standard_values(review.answers, ["basic_details"], comment),
    )
    second = cast["reviewer_internal"].staff_member
    actions.assign_second_reviewer(review=review, by=cast["qa_lead"], second_reviewer=second)

    def journey(page):
        page.goto("/sign-in/")
        page.get_by_label("Username").fill("reviewer.internal")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        enter_second_factor(page, "reviewer.internal")
        page.goto(f"/reviews/{review.pk}/")
        main = page.locator("main")
        expect(main.locator(".govuk-inset-text").first).to_contain_text(
            "You are the second reviewer: you will see the first reviewer's findings once you "
            "have recorded your grades."
        )
        expect(main).not_to_contain_text("Chronology up to date at the last visit.")
        expect(page.get_by_role("table", name="Practice standards")).to_have_count(0)
        axe(page)
        screenshot(page, "blind-01-second-reviewer-before-grading")

        page.get_by_role("link", name="Record your grades as second reviewer").click()
        for axis in ("Social work practice", "Outcomes for the child"):
            page.get_by_role("group", name=axis).get_by_label("Good", exact=True).check()
        page.get_by_label("Your reasons for these grades").fill("Visits on time; a clear plan.")
        page.get_by_role("button", name="Record my grades").click()
        expect(main).to_contain_text("Your grades are recorded.")
        expect(main).to_contain_text("Chronology up to date at the last visit.")
        expect(main).not_to_contain_text("You are the second reviewer")
        axe(page)
        screenshot(page, "blind-02-second-reviewer-after-grading")

    drive(journey)
