"""Start the test OpenID provider (server.mjs) and play the person on its login page.

The provider is node's oidc-provider package, installed by `npm ci` (package.json's
devDependencies). Tests that need it FAIL when node or the package is missing, rather than skip:
a skipped sign-in test would let a broken sign-in through unseen.

    provider = start_provider(["http://testserver/oidc/callback/"])
    ...  # the app builds an authorize URL for provider.issuer
    callback_url = sign_in_at_provider(authorize_url, "qa.lead")
    ...  # the test GETs callback_url on the app
    provider.stop()
"""

import contextlib
import os
import selectors
import shutil
import subprocess
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(__file__).resolve().with_name("server.mjs")
CLIENT_ID = "practice-review"
CLIENT_SECRET = "practice-review-test-secret"
TENANT_ID = "11111111-2222-3333-4444-555555555555"
ANY_PASSWORD = "any-password"  # the provider accepts any password for any of its accounts
TAMPER_MODES = ("expired", "wrong-signature", "wrong-audience", "wrong-issuer", "unsigned")
READY_TIMEOUT = 20  # seconds; it is ready in well under one on an idle machine
CONTROL_TIMEOUT = 10


class ProviderError(RuntimeError):
    """The provider could not be started or refused a control call."""


class Provider:
    """A running test provider: its issuer, its one client, and its test controls."""

    def __init__(self, process, issuer, client_secret, stderr_file):
        self.process = process
        self.issuer = issuer
        self.client_id = CLIENT_ID
        self.client_secret = client_secret
        self._stderr_file = stderr_file

    def set_account(self, username, groups=None, amr=None):
        """Change an account's groups and/or amr for its later sign-ins (None leaves it)."""
        body = {}
        if groups is not None:
            body["groups"] = list(groups)
        if amr is not None:
            body["amr"] = list(amr)
        return self._control(f"/test/accounts/{username}", body)

    def tamper(self, mode):
        """Spoil the ID token of every later token response (a mode in TAMPER_MODES), or None."""
        if mode is not None and mode not in TAMPER_MODES:
            raise ValueError(f"unknown tamper mode {mode!r}: one of {TAMPER_MODES} or None")
        return self._control("/test/tamper", {"mode": mode})

    def reset(self):
        """Every account as it started, and no tampering."""
        return self._control("/test/reset", {})

    def stderr(self):
        """What the provider has written to stderr (errors only), for a failing test's message."""
        self._stderr_file.flush()
        self._stderr_file.seek(0)
        return self._stderr_file.read()

    def stop(self):
        """Terminate the provider and wait for it (kill it if it does not stop)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self._stderr_file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _control(self, path, body):
        response = requests.post(self.issuer + path, json=body, timeout=CONTROL_TIMEOUT)
        if response.status_code != 200:
            raise ProviderError(f"POST {path} -> {response.status_code}: {response.text}")
        return response.json()


def _node():
    node = shutil.which("node")
    if node is None:
        raise ProviderError(
            "node is not installed: the OpenID provider for tests (tests/oidc_provider/server.mjs) "
            "needs node 20 or later, and `npm ci` in the repository root"
        )
    if not (REPO_ROOT / "node_modules" / "oidc-provider").is_dir():
        raise ProviderError(
            f"{REPO_ROOT / 'node_modules' / 'oidc-provider'} is missing: run `npm ci` in "
            f"{REPO_ROOT} to install the OpenID provider for tests (package.json devDependencies)"
        )
    return node


def start_provider(redirect_uris, post_logout_redirect_uris=(), client_secret=CLIENT_SECRET):
    """Start server.mjs on a free loopback port and return a Provider once it says READY."""
    if isinstance(redirect_uris, str):
        redirect_uris = [redirect_uris]
    if isinstance(post_logout_redirect_uris, str):
        post_logout_redirect_uris = [post_logout_redirect_uris]
    command = [_node(), str(SERVER), "--port", "0", "--client-secret", client_secret]
    for uri in redirect_uris:
        command += ["--redirect-uri", uri]
    for uri in post_logout_redirect_uris:
        command += ["--post-logout-redirect-uri", uri]

    # stderr to a file, not a pipe: nobody reads it while tests run, and a full pipe would stall
    # node. stdout is a pipe read only for the READY line (nothing else is printed there). The file
    # lives as long as the provider, so Provider.stop() closes it, not a with block.
    stderr_file = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,  # node resolves oidc-provider from the repository's node_modules
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr_file,
        env={**os.environ, "NODE_ENV": "test"},
    )
    provider = Provider(process, None, client_secret, stderr_file)
    try:
        provider.issuer = _wait_for_ready(process)
    except BaseException as error:
        problem = provider.stderr()
        provider.stop()
        if isinstance(error, ProviderError):
            raise ProviderError(f"{error}\n--- provider stderr ---\n{problem}") from None
        raise
    return provider


def _wait_for_ready(process):
    deadline = time.monotonic() + READY_TIMEOUT
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    buffer = b""
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ProviderError(f"the OpenID provider did not say READY in {READY_TIMEOUT} s")
            if not selector.select(timeout=remaining):
                continue
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                process.wait(timeout=5)
                raise ProviderError(
                    f"the OpenID provider exited (code {process.returncode}) before READY"
                )
            buffer += chunk
            if b"\n" in buffer:
                line = buffer.split(b"\n", 1)[0].decode().strip()
                if not line.startswith("READY http://127.0.0.1:"):
                    raise ProviderError(f"the OpenID provider printed {line!r}, not READY")
                return line.split(" ", 1)[1]
    finally:
        selector.close()


class _FormParser(HTMLParser):
    """Every <form> on a page: its attributes and its named inputs and buttons."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": {}, "buttons": []})
        elif tag in ("input", "button") and attrs.get("name"):
            form = self._owner(attrs)
            if form is None:
                return
            if tag == "button" or attrs.get("type") == "submit":
                form["buttons"].append(attrs)
            else:
                form["fields"][attrs["name"]] = attrs.get("value") or ""

    def _owner(self, attrs):
        # A button may belong to a form elsewhere on the page by its form= attribute, as on
        # oidc-provider's sign-out page.
        if attrs.get("form"):
            return next((f for f in self.forms if f["attrs"].get("id") == attrs["form"]), None)
        return self.forms[-1] if self.forms else None


def _forms(html):
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def _origin(url):
    parts = urlsplit(url)
    return (parts.scheme, parts.netloc)


def _follow_within(session, response, provider_origin, step):
    """Follow redirects while they stay at the provider; return the first one that leaves it."""
    for _ in range(20):
        if not response.is_redirect:
            return None, response
        location = urljoin(response.url, response.headers["Location"])
        if _origin(location) != provider_origin:
            return location, response
        response = session.get(location, allow_redirects=False, timeout=CONTROL_TIMEOUT)
    raise ProviderError(f"too many redirects at the provider while {step}")


@contextlib.contextmanager
def _session(given):
    """The caller's requests.Session (left open), or a new one closed afterwards."""
    if given is not None:
        yield given
        return
    with requests.Session() as session:
        yield session


def sign_in_at_provider(authorize_url, username, password=ANY_PASSWORD, session=None):
    """Sign in as `username` on the provider's own login page, as a person would.

    Starts at the app's authorize URL, fills in and posts the login form, and follows the
    provider's redirects until one leaves the provider: that URL (the app's redirect URI with
    `code` and `state`, or with `error`) is returned without being fetched. A fresh cookie jar each
    time unless `session` (a requests.Session) is given to keep the provider's session cookies.
    """
    provider_origin = _origin(authorize_url)
    with _session(session) as session:
        response = session.get(authorize_url, allow_redirects=False, timeout=CONTROL_TIMEOUT)
        leaving, response = _follow_within(session, response, provider_origin, "authorizing")
        if leaving:
            return leaving  # an error for the app, or an existing session at the provider
        form = next((f for f in _forms(response.text) if "login" in f["fields"]), None)
        if form is None:
            raise ProviderError(
                f"no login form at {response.url} ({response.status_code}): {response.text[:2000]}"
            )
        action = urljoin(response.url, form["attrs"].get("action") or response.url)
        data = {**form["fields"], "login": username, "password": password}
        response = session.post(action, data=data, allow_redirects=False, timeout=CONTROL_TIMEOUT)
        leaving, response = _follow_within(session, response, provider_origin, "signing in")
        if leaving:
            return leaving
        raise ProviderError(
            f"signing in as {username!r} did not lead back to the app: "
            f"{response.status_code} at {response.url}: {response.text[:2000]}"
        )


def sign_out_at_provider(end_session_url, session=None):
    """Confirm an RP-initiated sign-out at the provider, as a person clicking "Sign out" would.

    The provider's sign-out page posts its form by script in a browser; this posts it here.
    Returns the first URL outside the provider (the post_logout_redirect_uri, with `state`), or
    None when the provider ends on its own "Signed out" page (no post_logout_redirect_uri).
    `session`: as for sign_in_at_provider, to sign out of the session that signing in made.
    """
    provider_origin = _origin(end_session_url)
    with _session(session) as session:
        response = session.get(end_session_url, allow_redirects=False, timeout=CONTROL_TIMEOUT)
        leaving, response = _follow_within(session, response, provider_origin, "signing out")
        if leaving:
            return leaving
        form = next(
            (f for f in _forms(response.text) if f["attrs"].get("id") == "op.logoutForm"), None
        )
        if form is None:
            raise ProviderError(
                f"no sign-out form at {response.url} ({response.status_code}): "
                f"{response.text[:2000]}"
            )
        action = urljoin(response.url, form["attrs"]["action"])
        data = {**form["fields"], "logout": "yes"}
        response = session.post(action, data=data, allow_redirects=False, timeout=CONTROL_TIMEOUT)
        leaving, response = _follow_within(session, response, provider_origin, "signing out")
        if leaving or response.status_code == 200:
            return leaving
        raise ProviderError(f"sign-out ended with {response.status_code}: {response.text[:2000]}")
