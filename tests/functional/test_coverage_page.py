"""The coverage page in a real Chromium, as a senior leader, with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.functional.conftest import enter_second_factor
from tests.integration.test_coverage import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_senior_leader_sees_who_has_not_been_reviewed(drive, actor, axe, screenshot):
    World(actor)
    make_user("senior.leader", "senior_leader")

    def journey(page):
        page.goto("/sign-in/")
        page.get_by_label("Username").fill("senior.leader")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        enter_second_factor(page, "senior.leader")
        page.get_by_role("link", name="Coverage", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Coverage: who has been reviewed")
        first_worker = page.get_by_role("table", name="Social workers").locator("tbody tr").first
        expect(first_worker).to_contain_text("Ben Brown (BB)")
        expect(first_worker).to_contain_text("0 of 1 (0%)")
        axe(page)
        screenshot(page, "coverage")

    drive(journey)
