"""The agreement page in a real Chromium, as a senior leader, with axe-core."""

import pytest
from playwright.sync_api import expect

from practice_review.accounts.models import StaffMember
from practice_review.reviews.models import Review
from practice_review.reviews.queries import find_cohort
from tests.conftest import PASSWORD, SEPTEMBER, regrade
from tests.functional.conftest import SCREENS, enter_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_senior_leader_reads_how_consistently_reviewers_grade(drive, cast, axe):
    second = StaffMember.objects.get(name="Head of Safeguarding and QA")
    reviews = Review.objects.filter(cohort=find_cohort(SEPTEMBER)).order_by("id")[:4]
    for index, review in enumerate(reviews):
        regrade(
            Review.objects.filter(pk=review.pk),
            second_reviewer=second,
            second_practice_grade=review.grade("practice") if index else "good",
            second_outcome_grade=review.grade("outcome"),
        )

    def journey(page):
        page.goto("/sign-in/")
        page.get_by_label("Username").fill("senior.leader")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        enter_second_factor(page, "senior.leader")
        page.get_by_role("link", name="Agreement").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("main")).to_contain_text("3 of 4 (75%)")
        expect(page.locator("main")).to_contain_text("fewer than 20")
        axe(page)
        page.get_by_label("Cohort").select_option(label=SEPTEMBER)
        page.get_by_role("button", name="Apply").click()
        expect(page.locator("main")).to_contain_text("3 of 4 (75%)")
        axe(page)
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "agreement.png"), full_page=True)

    drive(journey)
