"""Signing in with the council's account in a real Chromium, against the test OpenID provider.

The browser goes where a person's would: our sign-in page, the provider's own login page
(tests/oidc_provider, node's oidc-provider on loopback), back to our callback, and at sign-out
through the provider's end-session page. axe-core checks our pages; the provider's are not ours.

Screenshots go to /tmp/screens/council-sign-in/; `UPDATE_SCREENSHOTS=1` writes them to
docs/screenshots/ (council-sign-in-*.png) for the user guide.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from practice_review.accounts import single_sign_on
from tests.functional.conftest import ROOT, SCREENS
from tests.oidc_provider.fixture import ANY_PASSWORD, start_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_DIR = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else SCREENS / "council-sign-in"
)
MAX_SCREENSHOT_BYTES = 450_000
ROLE_GROUPS = "qa_lead=grp-qa-lead,reviewer=grp-reviewer"
COUNCIL_BUTTON = "Sign in with your council account"
# The path of oidc-provider's end-session endpoint (RP-initiated logout) and of its confirmation.
END_SESSION_PATH = "/session/end"


@pytest.fixture(scope="module")
def provider(live_server):
    # The provider must know our callback and sign-out return addresses, which name the live
    # server's port: so it starts once that exists, and once for the module (node takes a moment).
    provider = start_provider(
        [single_sign_on.redirect_uri(live_server.url)],
        [single_sign_on.signed_out_uri(live_server.url)],
    )
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def council_accounts(settings, provider, live_server):
    provider.reset()
    settings.SITE_URL = live_server.url
    settings.TWO_FACTOR_REQUIRED = True
    settings.SINGLE_SIGN_ON = single_sign_on.configuration(
        issuer=provider.issuer,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        role_groups=ROLE_GROUPS,
    )


def shot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"council-sign-in-{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    assert path.stat().st_size < MAX_SCREENSHOT_BYTES, f"{path.name} is too large"


def at_provider(provider, path=""):
    return re.compile("^" + re.escape(provider.issuer + path))


def start_council_sign_in(page, provider):
    """Our sign-in page's button, which takes the browser to the provider's login page."""
    page.goto("/sign-in/")
    page.get_by_role("button", name=COUNCIL_BUTTON).click()
    expect(page).to_have_url(at_provider(provider, "/interaction/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def sign_in_at_provider(page, username):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(ANY_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def expect_signed_out(page, live_server):
    """Not signed in: the home page sends the browser to sign in."""
    page.goto("/")
    expect(page).to_have_url(re.compile("^" + re.escape(live_server.url) + r"/sign-in/\?next=/$"))
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)


def test_a_qa_lead_signs_in_with_their_council_account_and_signs_out_there_too(
    drive, axe, provider, live_server
):
    def journey(page):
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto("/sign-in/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Practice Review")
        # The council's account first; the password form is for break-glass accounts, folded.
        expect(page.get_by_role("button", name=COUNCIL_BUTTON)).to_be_visible()
        details = page.locator("details.govuk-details")
        expect(details).to_contain_text("Sign in with a username and password")
        expect(details).not_to_have_attribute("open", re.compile(".*"))
        expect(page.get_by_label("Password")).to_be_hidden()
        axe(page)
        shot(page, "01-sign-in-page")

        page.get_by_role("button", name=COUNCIL_BUTTON).click()
        expect(page).to_have_url(at_provider(provider, "/interaction/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        shot(page, "02-provider")
        sign_in_at_provider(page, "qa.lead")

        # Back home, signed in as a QA lead; no code asked for: the provider said "mfa".
        expect(page).to_have_url(live_server.url + "/")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text("Home")
        expect(heading).to_contain_text("Quinn Lead")
        menu = page.get_by_role("navigation", name="Menu")
        expect(menu.get_by_role("link", name="Reports")).to_be_visible()
        axe(page)

        # Signing out here signs out at the provider too: its end-session page (whose button
        # server.mjs presses as the person would), then back to our sign-in page.
        visited = []
        page.on("request", lambda request: visited.append((request.method, request.url)))
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(single_sign_on.signed_out_uri(live_server.url))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Practice Review")
        end_session = provider.issuer + END_SESSION_PATH
        assert any(
            method == "GET" and url.startswith(end_session + "?") for method, url in visited
        ), visited
        assert any(
            method == "POST" and url.startswith(end_session + "/confirm") for method, url in visited
        ), visited
        expect_signed_out(page, live_server)

        # The provider's session ended too: the button asks for the password again rather than
        # signing the person straight back in.
        start_council_sign_in(page, provider)

    drive(journey, second_factor=False)


def test_someone_in_none_of_the_groups_is_told_whom_to_ask_and_not_signed_in(
    drive, axe, provider, live_server
):
    def journey(page):
        page.set_viewport_size({"width": 1200, "height": 900})
        start_council_sign_in(page, provider)
        sign_in_at_provider(page, "no.group")

        # Shown after a redirect, so that reloading it says the same again.
        expect(page).to_have_url(re.compile(r"/sign-in/council/refused/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "You cannot use Practice Review yet"
        )
        expect(page).to_have_title(re.compile("^You cannot use Practice Review yet"))
        expect(page.locator("main")).to_contain_text("not in any of the groups")
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
        axe(page)
        shot(page, "03-refused")
        expect_signed_out(page, live_server)

    drive(journey, second_factor=False)


def test_someone_the_provider_did_not_ask_for_a_second_factor_sets_up_ours(
    drive, axe, provider, live_server
):
    def journey(page):
        page.set_viewport_size({"width": 1200, "height": 900})
        start_council_sign_in(page, provider)
        sign_in_at_provider(page, "no.mfa")

        expect(page).to_have_url(re.compile(r"/account/two-factor/set-up/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
        axe(page)
        # Nothing else opens until it is done.
        page.goto("/")
        expect(page).to_have_url(re.compile(r"/account/two-factor/set-up/$"))

    drive(journey, second_factor=False)
