"""Warned before being signed out, and nothing typed lost when it happens (issue 13, item 1:
WCAG 2.2.1 Timing adjustable).

The timeouts are shortened through settings (the live server runs in this process and reads
them on every request): idle 12 seconds with the warning 8 seconds before, so a page left alone
warns 4 seconds after its last request. The dialog is used with the keyboard only.
"""

import datetime
import os
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.functional.conftest import ROOT, SCREENS, enter_second_factor
from tests.functional.test_review_journey import (  # noqa: F401 (reference_data: autouse)
    assigned_review,
    autosave_started,
    autosave_status,
    is_autosave,
    reference_data,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE_WARNING = "You’re about to be signed out"
ABSOLUTE_WARNING = "You will need to sign in again soon"
PUT_BACK = "We have put back what you typed before you were signed out. Check it and save."
REASONS = "Reasons for the grade for social work practice"
TYPED = "Typed after the session had ended: the family moved twice in the review period."
WAIT = 25_000  # ms: the server's clock is real, and the machine may be busy
SCREENSHOT_DIR = (
    ROOT / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") else SCREENS / "session"
)


def screenshot(page, name):
    """For docs/signing-in.md (docs/screenshots/README.md says how to make them again)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)  # headless Chromium can miss a dialog's backdrop in its first frame
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), animations="disabled")


@pytest.fixture
def short_idle(settings):
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(seconds=12)
    settings.SESSION_WARNING_BEFORE = datetime.timedelta(seconds=8)
    settings.SESSION_ABSOLUTE_TIMEOUT = datetime.timedelta(hours=1)


def focus_is_in_dialog(page):
    return page.evaluate(
        "() => document.getElementById('session-timeout').contains(document.activeElement)"
    )


def fail_autosaves(page, path):
    """The connection fails for every autosave: nothing typed reaches the server."""

    def answer(route):
        request = route.request
        if request.method == "POST" and request.headers.get("x-autosave") == "1":
            route.abort()
        else:
            route.continue_()

    page.route(f"**{path}", answer)


def grades_page(cast):
    """A review assigned to reviewer.independent and the path of its grades section: every
    journey here types the reasons for a grade."""
    review = assigned_review(cast)
    return review, f"/reviews/{review.id}/form/grades/"


def open_as_the_reviewer(page, path):
    sign_in(page, "reviewer.independent")
    page.goto(path)
    autosave_started(page)


def sign_in_again(page, username):
    """On the sign-in page the timeout led to: both steps, with the keyboard."""
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    enter_second_factor(page, username)


def test_the_warning_takes_focus_and_stay_signed_in_keeps_the_session(drive, cast, axe, short_idle):
    _, path = grades_page(cast)

    def journey(page):
        open_as_the_reviewer(page, path)
        reasons = page.get_by_label(REASONS)
        reasons.focus()
        # 4 seconds after the page's request, the warning opens and takes focus.
        dialog = page.get_by_role("dialog", name=IDLE_WARNING)
        expect(dialog).to_be_visible(timeout=WAIT)
        stay = dialog.get_by_role("button", name="Stay signed in")
        expect(stay).to_be_focused()
        expect(dialog).to_contain_text(re.compile(r"we will sign you out in \d seconds?\."))
        description = page.evaluate(
            """() => document.getElementById('session-timeout').getAttribute('aria-describedby')
                .split(' ').map((id) => document.getElementById(id).textContent).join(' ')"""
        )
        assert "For your security, we will sign you out in" in description
        axe(page)
        screenshot(page, "session-timeout-warning")
        # Focus stays in the dialog, whichever way the keyboard goes.
        for key in ["Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]:
            page.keyboard.press(key)
            assert focus_is_in_dialog(page), f"focus left the dialog after {key}"
        while not stay.evaluate("button => button === document.activeElement"):
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(dialog).to_be_hidden()
        expect(reasons).to_be_focused()  # focus goes back where it was
        # Past the moment the session would have ended, a page still opens.
        page.wait_for_timeout(9_000)
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Grades")
        # Escape means "Stay signed in" too.
        expect(dialog).to_be_visible(timeout=WAIT)
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        page.wait_for_timeout(9_000)
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Grades")

    drive(journey)


def test_a_tab_left_alone_is_not_warned_while_another_tab_is_in_use(drive, cast, settings):
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(seconds=20)
    settings.SESSION_WARNING_BEFORE = datetime.timedelta(seconds=8)
    _, path = grades_page(cast)

    def journey(page):
        open_as_the_reviewer(page, path)
        other = page.context.new_page()
        other.goto("/")
        # The other tab is in use (a page every 3 seconds, each one activity): the first tab,
        # due to warn 12 seconds after its own page, asks the server first, and does not warn.
        for _ in range(7):
            page.wait_for_timeout(3_000)
            other.goto("/")
            assert not page.get_by_role("dialog").is_visible()
        other.close()
        # Once the other tab is left alone too, the warning comes.
        expect(page.get_by_role("dialog", name=IDLE_WARNING)).to_be_visible(timeout=WAIT)

    drive(journey)


def test_ignored_the_warning_signs_out_and_what_was_typed_comes_back(drive, cast, axe, short_idle):
    review, path = grades_page(cast)

    def journey(page):
        open_as_the_reviewer(page, path)
        fail_autosaves(page, path)
        page.get_by_label(REASONS).fill(TYPED)
        expect(autosave_status(page)).to_contain_text("the connection failed", timeout=WAIT)
        dialog = page.get_by_role("dialog", name=IDLE_WARNING)
        expect(dialog).to_be_visible(timeout=WAIT)
        # Nobody answers: at the end the page goes to sign in, and says why.
        expect(page).to_have_url(re.compile(r"/sign-in/\?next="), timeout=WAIT)
        expect(page.get_by_text("signed out after 12 seconds without activity")).to_be_visible()
        page.unroute(f"**{path}")
        sign_in_again(page, "reviewer.independent")
        # Back on the form, the words are back, and a banner says so and has focus.
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.get_by_label(REASONS)).to_have_value(TYPED)
        banner = page.get_by_role("region", name="Important")
        expect(banner).to_contain_text(PUT_BACK)
        expect(banner).to_be_focused()
        axe(page)
        page.set_viewport_size({"width": 1280, "height": 1100})  # the banner and the words
        screenshot(page, "session-timeout-put-back")
        # Saved, the kept copy is gone: the next sign-out has nothing to put back.
        with page.expect_response(is_autosave):
            page.get_by_label(REASONS).press("End")
            page.keyboard.type(" Checked.")
        expect(autosave_status(page)).to_contain_text("Saved at", timeout=WAIT)
        assert page.evaluate("() => Object.keys(sessionStorage)") == []

    drive(journey)
    review.refresh_from_db()
    assert review.grade("practice", "rationale") == TYPED + " Checked."


def test_save_after_the_session_ended_goes_to_sign_in_and_back_to_the_words(drive, cast):
    """The issue's own story: the session ended while the page could not tell (a computer
    asleep, or signed out elsewhere); typing shows "Not saved: you have been signed out", Save
    goes to the sign-in page, and after signing in the words are on the form again."""
    review, path = grades_page(cast)

    def journey(page):
        open_as_the_reviewer(page, path)
        page.context.clear_cookies(name="sessionid")  # the session has gone
        page.get_by_label(REASONS).fill(TYPED)
        expect(autosave_status(page)).to_contain_text(
            "Not saved: you have been signed out. What you typed is kept in this browser tab",
            timeout=WAIT,
        )
        page.get_by_role("button", name="Save and return to the review").click()
        expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
        sign_in_again(page, "reviewer.independent")
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.get_by_label(REASONS)).to_have_value(TYPED)
        expect(page.get_by_role("region", name="Important")).to_contain_text(PUT_BACK)
        page.get_by_role("button", name="Save and return to the review").click()
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Grades")

    drive(journey)
    review.refresh_from_db()
    assert review.grade("practice", "rationale") == TYPED


def test_signing_out_leaves_nothing_typed_in_the_browser(drive, cast):
    """A shared computer: after Sign out, in this tab or another, the next person finds none of
    the words, and no tab still shows them."""
    _, path = grades_page(cast)
    nothing_kept = "() => Object.keys(sessionStorage).length === 0"

    def type_unsaved(page):
        page.goto(path)
        autosave_started(page)
        fail_autosaves(page, path)
        page.get_by_label(REASONS).fill(TYPED)
        assert TYPED in str(page.evaluate("() => Object.values(sessionStorage)"))

    def journey(page):
        sign_in(page, "reviewer.independent")
        # Signed out in another tab: this one forgets the words and goes to sign in.
        type_unsaved(page)
        other = page.context.new_page()
        other.goto("/")
        other.get_by_role("button", name="Sign out").click()
        expect(other.get_by_role("heading", level=1)).to_contain_text("Sign in")
        expect(page).to_have_url(re.compile(r"/sign-in/"), timeout=WAIT)
        page.wait_for_function(nothing_kept)
        other.close()
        page.unroute(f"**{path}")
        sign_in_again(page, "reviewer.independent")
        expect(page.get_by_label(REASONS)).to_have_value("")
        # Signed out in this tab.
        type_unsaved(page)
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
        page.wait_for_function(nothing_kept)
        page.unroute(f"**{path}")
        page.goto(path)
        sign_in_again(page, "reviewer.independent")
        expect(page.get_by_label(REASONS)).to_have_value("")
        expect(page.get_by_role("region", name="Important")).to_have_count(0)

    drive(journey)


def test_a_copy_kept_for_one_person_is_never_shown_to_another(drive, cast):
    _, path = grades_page(cast)

    def journey(page):
        open_as_the_reviewer(page, path)
        page.context.clear_cookies(name="sessionid")
        page.get_by_label(REASONS).fill(TYPED)
        expect(autosave_status(page)).to_contain_text("Not saved", timeout=WAIT)
        page.goto("/sign-in/")
        assert TYPED in str(page.evaluate("() => Object.values(sessionStorage)"))  # kept...
        sign_in_again(page, "qa.lead")
        assert page.evaluate("() => Object.keys(sessionStorage)") == []  # ...not for them

    drive(journey)


def test_the_twelve_hour_limit_is_warned_of_and_cannot_be_put_off(drive, cast, axe, settings):
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(hours=1)
    settings.SESSION_ABSOLUTE_TIMEOUT = datetime.timedelta(seconds=20)
    settings.SESSION_WARNING_BEFORE = datetime.timedelta(seconds=8)
    _, path = grades_page(cast)

    def journey(page):
        open_as_the_reviewer(page, path)
        reasons = page.get_by_label(REASONS)
        reasons.focus()
        dialog = page.get_by_role("dialog", name=ABSOLUTE_WARNING)
        expect(dialog).to_be_visible(timeout=WAIT)
        expect(dialog).to_contain_text("You can stay signed in for 20 seconds at most.")
        expect(dialog.get_by_role("button", name="Stay signed in")).to_have_count(0)
        # On a form that saves as you type, it offers to save; Continue carries on until then.
        expect(dialog.get_by_role("button", name="Save your answers")).to_be_focused()
        axe(page)
        page.keyboard.press("Tab")
        expect(dialog.get_by_role("button", name="Continue")).to_be_focused()
        page.keyboard.press("Enter")
        expect(dialog).to_be_hidden()
        expect(reasons).to_be_focused()
        # However busy they are, the limit stands: typing saves, and still they are signed out.
        page.keyboard.type("Busy to the end.")
        expect(page).to_have_url(re.compile(r"/sign-in/\?next="), timeout=WAIT)
        expect(page.get_by_text("You were signed out after 20 seconds.")).to_be_visible()

    drive(journey)
