"""The two-person rule in a real Chromium: the QA lead approves one account change an
administrator asked for and declines another (the reason is required). axe-core runs on every
page.

Screenshots go to /tmp/screens/account-approvals/; `UPDATE_SCREENSHOTS=1` writes them to
docs/screenshots/ (account-approvals*.png) for docs/signing-in.md.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from practice_review.accounts import actions
from practice_review.accounts.models import AccountChangeRequest
from practice_review.core.vocabulary import AccountChangeStatus, Role
from tests.conftest import PASSWORD
from tests.functional.conftest import ROOT, SCREENS, enter_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_DIR = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else SCREENS / "account-approvals"
)


def shot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    assert path.stat().st_size < 450_000, f"{path.name} is too large"


def test_the_qa_lead_approves_one_account_change_and_declines_another(drive, cast, axe):
    administrator = cast["admin"]
    raised = cast["reviewer_internal"]
    raised.role = Role.SENIOR_LEADER
    raise_change = actions.save_account(account=raised, by=administrator)
    reset_change = actions.ask_for_two_factor_reset(account=cast["manager"], by=administrator)

    def journey(page):
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto("/sign-in/")
        page.get_by_label("Username").fill("qa.lead")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        enter_second_factor(page, "qa.lead")

        page.get_by_role("link", name="Account approvals").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Account changes waiting for approval"
        )
        expect(page.locator(".govuk-summary-card")).to_have_count(2)
        axe(page)
        shot(page, "account-approvals")

        # Approve the role straight from the list.
        page.get_by_role("button", name="Approve the change to reviewer.internal").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Change approved and made for reviewer.internal"
        )
        expect(page.locator(".govuk-summary-card")).to_have_count(1)
        axe(page)

        # Decline the reset: the reason is asked for.
        page.get_by_role("link", name="Decline the change to manager").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Approve or decline a change to manager"
        )
        axe(page)
        page.get_by_role("button", name="Decline the change").click()
        expect(page).to_have_title(re.compile(r"^Error: "))
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter why you are declining the change"
        )
        axe(page)
        shot(page, "account-approvals-decline")
        page.get_by_label("Why are you declining the change?").fill(
            "The manager has their phone again."
        )
        page.get_by_role("button", name="Decline the change").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Change declined"
        )
        expect(page.get_by_text("No changes are waiting.")).to_be_visible()
        axe(page)

    drive(journey)
    raise_change.refresh_from_db()
    reset_change.refresh_from_db()
    assert raise_change.status == AccountChangeStatus.APPROVED
    assert reset_change.status == AccountChangeStatus.DECLINED
    raised.refresh_from_db()
    assert raised.role == Role.SENIOR_LEADER
    assert AccountChangeRequest.objects.filter(status=AccountChangeStatus.WAITING).count() == 0
