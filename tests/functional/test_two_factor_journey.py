"""Two-factor sign-in set up from scratch in a real Chromium, with axe-core on every page.

A practitioner signs in for the first time: the set-up page (QR code drawn on the page, the key
to type instead), a wrong code, the right one, the recovery codes shown once; then signs in
again with a recovery code. The code is made from the key the page shows, as an app would.

Screenshots go to /tmp/screens/two-factor/; `UPDATE_SCREENSHOTS=1` writes them to
docs/screenshots/ (two-factor-*.png) for docs/signing-in.md.
"""

import base64
import os
import re
import time

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.functional.conftest import ROOT, SCREENS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_DIR = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else SCREENS / "two-factor"
)
MAX_SCREENSHOT_BYTES = 450_000


def shot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"two-factor-{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    assert path.stat().st_size < MAX_SCREENSHOT_BYTES, f"{path.name} is too large"


def code_from_key(typed_key):
    """What an authenticator app shows for the key a person typed into it."""
    secret = typed_key.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def sign_in_with_password(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_practitioner_sets_up_two_factor_sign_in_then_uses_a_recovery_code(drive, cast, axe):
    def journey(page):
        page.set_viewport_size({"width": 1200, "height": 900})
        sign_in_with_password(page, "practitioner")

        # The set-up page: nothing else opens until it is done.
        expect(page).to_have_url(re.compile(r"/account/two-factor/set-up/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
        expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
        expect(page.get_by_role("navigation", name="Menu").get_by_role("link")).to_have_count(0)
        axe(page)
        shot(page, "01-set-up")
        page.goto("/")
        expect(page).to_have_url(re.compile(r"/account/two-factor/set-up/$"))

        # Someone who cannot scan types the key instead.
        page.get_by_text("I cannot scan the QR code").click()
        typed_key = page.locator("#secret-key").inner_text()
        assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", typed_key), typed_key
        axe(page)

        # A mistyped code: the error summary says so.
        code = code_from_key(typed_key)
        page.get_by_label("Code from your authenticator app").fill(f"{(int(code) + 1) % 10**6:06d}")
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_title(re.compile(r"^Error: Set up two-factor sign-in"))
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("The code is not correct")
        axe(page)
        shot(page, "02-wrong-code")

        # Each wrong code makes the next try wait a little longer (1 second after the first).
        time.sleep(1.5)
        page.get_by_label("Code from your authenticator app").fill(code_from_key(typed_key))
        page.get_by_role("button", name="Continue").click()

        # The recovery codes, shown this once.
        expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
        codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
        expect(codes).to_have_count(10)
        recovery_codes = codes.all_inner_texts()
        expect(page.get_by_text("This is the only time you will see these codes")).to_be_visible()
        axe(page)
        shot(page, "03-recovery-codes")
        page.get_by_role("link", name=re.compile("I have kept my codes safe")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Home")
        page.get_by_role("button", name="Sign out").click()

        # Next time: the code page. No phone today, so a recovery code.
        sign_in_with_password(page, "practitioner")
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
        axe(page)
        shot(page, "04-enter-code")
        page.get_by_label("Code from your authenticator app").fill(recovery_codes[0])
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Home")
        axe(page)

        # The recovery codes page says how many are left.
        page.goto("/account/two-factor/recovery-codes/")
        expect(page.locator("main")).to_contain_text("You have 9 unused recovery codes")
        axe(page)

    drive(journey, second_factor=False)
