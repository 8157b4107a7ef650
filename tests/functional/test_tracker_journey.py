"""A recommendation from owner to impact check in a real Chromium, with axe on every page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from practice_review.accounts.models import StaffMember
from practice_review.reviews.models import Review
from practice_review.tracker.models import Recommendation
from tests.conftest import PASSWORD
from tests.functional.conftest import SCREENS, enter_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTION = "Record religion and first language at the first visit."


def sign_in(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_second_factor(page, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Home")


def open_recommendation(page, axe):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Recommendations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendations")
    axe(page)
    # At 1280 px the list fits beside its filters: no column is cut off behind a scroll.
    table = page.locator(".app-table-scroll").first
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), "the list runs off the page"
    row = page.get_by_role("row").filter(has_text=ACTION[:25])
    row.get_by_role("link", name=re.compile(r"^REC-\d+$")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_an_owner_completes_a_recommendation_and_its_impact_is_checked(drive, cast, axe):
    # A child-level recommendation on VB's review: RL is the social worker, BA the supervisor,
    # so the manager can see it and check its impact.
    review = Review.objects.get(child__initials="VB", social_worker__name="RL")
    Recommendation.objects.create(
        level="child",
        review=review,
        theme="identity",
        action=ACTION,
        owner=StaffMember.objects.get(name="RL"),
        due_date=datetime.date.today() + datetime.timedelta(days=20),
        success_measure="No review finds them missing.",
        created_by=cast["qa_lead"],
    )

    def owner(page):
        sign_in(page, "practitioner")
        open_recommendation(page, axe)
        page.get_by_label("Add an update").fill("Added to the first-visit checklist.")
        page.get_by_role("button", name="Add update").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Update added")
        expect(page.locator("main")).to_contain_text("Added to the first-visit checklist.")
        page.get_by_label("Completed").check()
        page.get_by_role("button", name="Change status").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Status changed")
        axe(page)

    def manager(page):  # each person on their own computer: a browser context each
        sign_in(page, "manager")
        open_recommendation(page, axe)
        page.get_by_role("group", name="Did it make a difference?").get_by_label("Yes").check()
        page.get_by_role("group", name="For whom?").get_by_label("The child").check()
        page.get_by_label("Evidence").fill("The next cohort's reviews all record religion.")
        page.get_by_role("button", name="Record impact check").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Impact check recorded")
        axe(page)

    def qa_lead(page):
        sign_in(page, "qa.lead")
        open_recommendation(page, axe)
        page.get_by_role("button", name="Sign off impact check").click()
        expect(page.locator("main")).to_contain_text("Signed off")
        axe(page)
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "tracker-detail.png"), full_page=True)

    for person in (owner, manager, qa_lead):
        drive(person)
