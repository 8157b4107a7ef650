"""Browser journeys: one Debian Chromium for the session, driven through Playwright.

Playwright's sync API marks an asyncio loop as running in the thread that started it, and
Django then refuses database calls in that thread (SynchronousOnlyOperation). So Playwright
lives in a thread of its own for the whole session: the test body does its database work
(fixtures, ids to visit) in the main thread, then hands a function of a page to `drive`,
which runs it in the browser thread against pytest-django's live server and waits for it.

Chromium and axe-core are requirements, not options: when either is missing, every browser
test fails with a message that says what to install. CI must never pass without a browser.
"""

import dataclasses
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = Path("/tmp/screens")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The WCAG 2.0, 2.1 and 2.2 A and AA rules; best practices are not checked.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def require_browser_tools():
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    if not AXE.exists():
        missing.append(f"axe-core at {AXE} (run `npm ci --no-audit --no-fund` in {ROOT})")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (run `make test-browser`)")
    if missing:
        pytest.fail(
            "The browser tests need " + " and ".join(missing) + ". They fail rather than skip "
            "so that CI never passes without running them.",
            pytrace=False,
        )


class BrowserThread:
    """Playwright and one Chromium, owned by a single worker thread for the session."""

    def __init__(self):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._playwright = None
        self.browser = None

    def call(self, function, *args):
        return self._executor.submit(function, *args).result()

    def start(self):
        self.call(self._start)

    def _start(self):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )

    def stop(self):
        try:
            self.call(self._stop)
        finally:
            self._executor.shutdown(wait=True)

    def _stop(self):
        if self.browser is not None:
            self.browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def drive(self, base_url, journey, name):
        return self.call(self._drive, base_url, journey, name)

    def _drive(self, base_url, journey, name):
        context = self.browser.new_context(
            base_url=base_url, viewport={"width": 1280, "height": 900}, locale="en-GB"
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        # Script errors and broken assets on any page of the journey fail the test too.
        page_errors = []
        broken = []

        def note_broken_asset(response):
            if response.status >= 400 and response.request.resource_type != "document":
                broken.append(f"{response.status} {response.url}")

        page.on("pageerror", lambda error: page_errors.append(str(error)))
        page.on("response", note_broken_asset)
        # Chromium reports what the Content Security Policy blocked on the console.
        blocked = []
        page.on(
            "console",
            lambda message: (
                blocked.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        try:
            result = journey(page)
        except BaseException:
            # What the browser showed when the test failed, for the person reading the failure.
            if name:
                SCREENS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENS / f"failed-{name}.png"), full_page=True)
            raise
        finally:
            context.close()
        assert not page_errors, f"JavaScript errors on the pages: {page_errors}"
        assert not broken, f"Assets that failed to load: {broken}"
        assert not blocked, f"Content Security Policy violations: {blocked}"
        return result


@pytest.fixture(scope="session")
def browser_thread():
    require_browser_tools()
    thread = BrowserThread()
    try:
        thread.start()
    except Exception as error:
        thread.stop()
        pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}", pytrace=False)
    yield thread
    thread.stop()


@pytest.fixture
def drive(browser_thread, live_server, request):
    """drive(journey): run journey(page) in a fresh browser context against the live server.

    Do database work before calling it: journey runs in the browser thread. A failing
    journey leaves a screenshot in /tmp/screens/failed-<test name>.png.

    Two-factor sign-in is on (tests/conftest.py): before the journey, everyone who can sign in
    gets an authenticator app, whose codes `enter_second_factor` types. With
    second_factor=False nobody gets one (a journey that sets two-factor up itself).
    """
    # Expected failures (reported app bugs) leave no screenshot to confuse a reader.
    name = None if request.node.get_closest_marker("xfail") else request.node.name

    def run(journey, second_factor=True):
        if second_factor:
            prepare_authenticator_apps()
        return browser_thread.drive(live_server.url, journey, name)

    return run


# Two-factor sign-in in the browser ------------------------------------------------------------


@dataclasses.dataclass
class AuthenticatorApp:
    """A person's authenticator app, as the browser thread types its codes.

    It mirrors what the server's TOTPDevice remembers (django-otp): the last time step it
    accepted (an older or equal one is refused as a replay) and its drift (the step offset of
    the last accepted code, which centres the next window of three steps).
    """

    key: bytes
    last_step: int = -1
    drift: int = 0

    def next_code(self):
        from django_otp.oath import hotp

        while True:
            now_step = int(time.time()) // 30
            centre = now_step + self.drift
            # A step inside the server's window even if the clock ticks over on the way there.
            usable = [step for step in (centre, centre + 1) if step > self.last_step]
            if usable:
                self.last_step = usable[0]
                self.drift = usable[0] - now_step
                return f"{hotp(self.key, usable[0]):06d}"
            time.sleep(30 - time.time() % 30 + 0.1)  # every code used: wait for the next


AUTHENTICATOR_APPS = {}  # username -> AuthenticatorApp, set in the main thread
_apps_lock = threading.Lock()


def prepare_authenticator_apps():
    """Main thread: a confirmed authenticator for every person who can sign in (not in the
    browser thread, where Django refuses database calls)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from practice_review.accounts.models import User

    with _apps_lock:
        AUTHENTICATOR_APPS.clear()
        for user in User.objects.filter(is_active=True, is_system=False):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
            AUTHENTICATOR_APPS[user.username] = AuthenticatorApp(
                key=device.bin_key, last_step=device.last_t, drift=device.drift
            )


def enter_second_factor(page, username, keyboard=False):
    """Browser thread: after the password, type the code the person's app shows now."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    with _apps_lock:
        code = AUTHENTICATOR_APPS[username].next_code()
    field = page.get_by_label("Code from your authenticator app")
    if keyboard:
        for _ in range(20):
            if page.evaluate("() => document.activeElement.id") == "id_code":
                break
            page.keyboard.press("Tab")
        expect(field).to_be_focused()
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    else:
        field.fill(code)
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Enter your sign-in code")


@pytest.fixture
def screenshot():
    """screenshot(page, name): a full-page PNG in /tmp/screens/ for a person to look at."""
    SCREENS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe():
    """axe(page): fail on any serious or critical WCAG 2.2 A/AA violation on the page."""
    return check_accessibility


def check_accessibility(page, tags=AXE_TAGS):
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: an injected <script> tag would be inline
        # script, which the Content Security Policy rightly blocks.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return {
                violations: results.violations.map((v) => ({
                    id: v.id,
                    impact: v.impact,
                    help: v.help,
                    helpUrl: v.helpUrl,
                    nodes: v.nodes.map((n) => ({
                        target: n.target,
                        html: n.html,
                        summary: n.failureSummary,
                    })),
                })),
                passes: results.passes.length,
            };
        }""",
        tags,
    )
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe found {len(blocking)} serious or critical violation(s) on {page.url}:"]
        for violation in blocking:
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                f" <{violation['helpUrl']}>"
            )
            for node in violation["nodes"]:
                lines.append(f"    target {json.dumps(node['target'])}: {node['html'][:200]}")
        pytest.fail("\n".join(lines), pytrace=False)
    return results
