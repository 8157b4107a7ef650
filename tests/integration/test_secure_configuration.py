"""Secure configuration (docs/spec/quality.md#secure-configuration: "`manage.py check --deploy
--fail-level WARNING` with production settings; header test: exit 0; CSP, HSTS, nosniff,
Referrer-Policy, no-store on case pages") and generic error pages ("forced server error with DEBUG
off: no traceback in the page; the error is logged with a request id").

The suite runs over plain HTTP (tests/plain_http.py); the production values of the HTTPS
settings are read from settings.py itself, as a deployment with no PRACTICE_REVIEW_HTTPS gets
them, and put in place for the header tests.
"""

import logging
import os
import re
import runpy
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

import practice_review.settings as settings_module
from practice_review.core.errors import server_error
from practice_review.reports.models import SummaryReport
from practice_review.reviews.models import Review
from practice_review.site.management.commands.demo import (
    _moderation,
    _reviews_to_do,
    _summary_report,
)
from practice_review.tracker.queries import recommendations_visible_to

COMMAND = shutil.which("practice-review", path=os.path.dirname(sys.executable))
PRODUCTION_HOST = "practice-review.example.gov.uk"
HTTPS_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
]
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
LINK = re.compile(r'href="([^"#]+)"')
NOT_CRAWLED = ("/static/", "/admin/", "mailto:")
# PDFs take about a second each to make, and have tests of their own (test_report_documents.py).
NOT_CRAWLED_ENDINGS = (".pdf",)


def production_environment(data_dir, **extra):
    env = {**os.environ}
    for name in ("PRACTICE_REVIEW_HTTPS", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return {
        **env,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": PRODUCTION_HOST,
        "PRACTICE_REVIEW_DATA_DIR": str(data_dir),
        "PRACTICE_REVIEW_DEMO_MODE": "false",
        "DEBUG": "false",
        **extra,
    }


@pytest.mark.slow
def test_check_deploy_passes_with_production_settings(tmp_path):
    """Row: secure configuration. `check --deploy --fail-level WARNING` exits 0."""
    result = subprocess.run(
        [COMMAND, "check", "--deploy", "--fail-level", "WARNING"],
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_fails_when_https_is_switched_off(tmp_path):
    """The check is not vacuous: the demo's plain-HTTP settings would not pass it."""
    result = subprocess.run(
        [COMMAND, "check", "--deploy", "--fail-level", "WARNING"],
        env=production_environment(tmp_path, PRACTICE_REVIEW_HTTPS="false"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


@pytest.fixture
def production_values(monkeypatch, tmp_path):
    """settings.py as a deployment with no switches set reads it."""
    for name, value in production_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PRACTICE_REVIEW_HTTPS", raising=False)
    return runpy.run_path(settings_module.__file__)


def test_production_is_the_default_and_demo_mode_turns_https_off(monkeypatch, tmp_path):
    """One switch: HTTPS-only settings on by default, off for the plain-HTTP demo."""
    for name, value in production_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PRACTICE_REVIEW_HTTPS", raising=False)
    production = runpy.run_path(settings_module.__file__)
    monkeypatch.setenv("PRACTICE_REVIEW_DEMO_MODE", "true")
    demo = runpy.run_path(settings_module.__file__)
    assert production["DEBUG"] is False and production["DEMO_MODE"] is False
    assert production["SECURE_SSL_REDIRECT"] and production["SESSION_COOKIE_SECURE"]
    assert production["CSRF_COOKIE_SECURE"]
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert "SECURE_PROXY_SSL_HEADER" not in production  # only when told it is behind a proxy
    assert not (demo["SECURE_SSL_REDIRECT"] or demo["SESSION_COOKIE_SECURE"])
    assert not (demo["CSRF_COOKIE_SECURE"] or demo["SECURE_HSTS_SECONDS"])
    monkeypatch.setenv("PRACTICE_REVIEW_BEHIND_PROXY", "true")
    behind_proxy = runpy.run_path(settings_module.__file__)
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    # The lockout counts by the address our proxy saw (accounts/lockout.py), and only then.
    assert (production["PROXY_COUNT"], behind_proxy["PROXY_COUNT"]) == (0, 1)
    monkeypatch.setenv("PRACTICE_REVIEW_PROXY_COUNT", "2")
    assert runpy.run_path(settings_module.__file__)["PROXY_COUNT"] == 2


@pytest.fixture
def https(settings, production_values):
    for name in HTTPS_SETTINGS:
        setattr(settings, name, production_values[name])
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return settings


@pytest.fixture
def everything(cast, actor):
    """Reviews to do, a published summary report, a moderation meeting and a tracked
    recommendation: the demo's data, so the walk reaches every kind of case page."""
    qa_lead = cast["qa_lead"]
    _reviews_to_do(actor)
    _summary_report(qa_lead)
    _moderation(qa_lead)
    return cast


def assert_security_headers(response, url):
    where = f"{response.status_code} {url}"
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response["Content-Security-Policy"].split(";")
    )
    for directive, sources in CSP_DIRECTIVES.items():
        assert policy.get(directive, "").startswith(sources), (where, directive, policy)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], where
    hsts = response["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in response["Permissions-Policy"], where
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"]), where


def cache_directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def walk(client, start="/", limit=400):
    """Every same-site page the person is shown a link to, over HTTPS: {url: response}."""
    seen, queue = {}, [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url, secure=True)
        seen[url] = response
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            target = urljoin(url, href.replace("&amp;", "&"))
            parsed = urlparse(target)
            if parsed.netloc and parsed.netloc != "testserver":
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if path.startswith(NOT_CRAWLED) or parsed.path.endswith(NOT_CRAWLED_ENDINGS):
                continue
            if path not in seen:
                queue.append(path)
    return seen


@pytest.mark.django_db
def test_every_page_a_qa_lead_reaches_has_the_security_headers_and_no_store(
    client, everything, https
):
    """Row: secure configuration. Walking every link the QA lead is shown (reviews, cohorts,
    the tracker, reports, moderation, exports and downloads), each response carries the CSP,
    HSTS, nosniff, Referrer-Policy, X-Frame-Options, COOP and Permissions-Policy headers and
    `Cache-Control: no-store`."""
    client.force_login(everything["qa_lead"])
    review = Review.objects.filter(status="signed_off").first() or Review.objects.first()
    report = SummaryReport.objects.get()
    recommendation = recommendations_visible_to(everything["qa_lead"]).first()
    case_urls = [
        reverse("review_detail", args=[review.pk]),
        reverse("review_document", args=[review.pk, "docx"]),
        reverse("cohort_detail", args=[review.cohort_id]),
        reverse("tracker_list"),
        reverse("tracker_detail", args=[recommendation.pk]),
        reverse("tracker_export", args=["csv"]),
        reverse("tracker_export", args=["xlsx"]),
        reverse("report_detail", args=[report.pk]),
        reverse("report_figures", args=[report.pk]),
        reverse("report_version_file", args=[report.pk, 1, "full", "html"]),
        reverse("report_version_file", args=[report.pk, 1, "full", "docx"]),
        reverse("report_draft_file", args=[report.pk, "wider-circulation", "docx"]),
        reverse("meeting_list"),
        reverse("agreement"),
        reverse("alert_list"),
    ]
    pages = walk(client)
    for url in case_urls:
        if url not in pages:
            pages[url] = client.get(url, secure=True)
    assert len(pages) > 40  # the walk really went round the service
    for url, response in pages.items():
        assert response.status_code < 500, url
        assert_security_headers(response, url)
        assert {"no-store", "private"} <= cache_directives(response), url
    for url in case_urls:
        assert pages[url].status_code == 200, url


@pytest.mark.django_db
def test_the_html_report_may_use_only_its_own_inline_stylesheet(client, everything, https):
    """The standalone HTML report's <style> is allowed by its hash, not by 'unsafe-inline'."""
    client.force_login(everything["qa_lead"])
    report = SummaryReport.objects.get()
    response = client.get(
        reverse("report_version_file", args=[report.pk, 1, "full", "html"]), secure=True
    )
    style_src = next(
        part
        for part in response["Content-Security-Policy"].split(";")
        if part.strip().startswith("style-src")
    )
    assert re.fullmatch(r"\s*style-src 'self' 'sha256-[A-Za-z0-9+/=]+'", style_src)
    assert "<style>" in response.content.decode()


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, https):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/sign-in/"


@pytest.mark.django_db
def test_anonymous_pages_have_the_headers_and_sensible_caching(client, https):
    """The sign-in page carries a CSRF token for one visitor: never stored. Public pages may be
    cached, but never shared between a signed-in person and anyone else."""
    sign_in = client.get(reverse("login"), secure=True)
    assert sign_in.status_code == 200
    assert_security_headers(sign_in, "sign-in")
    assert "no-store" in cache_directives(sign_in)
    statement = client.get(reverse("accessibility"), secure=True)
    assert statement.status_code == 200
    assert_security_headers(statement, "accessibility")
    assert "public" not in cache_directives(statement)
    assert "Cookie" in statement["Vary"]
    home = client.get("/", secure=True)
    assert home.status_code == 302 and home["Location"].startswith("/sign-in/")
    assert_security_headers(home, "/ (anonymous)")
    cookie = client.post(
        reverse("login"), {"username": "nobody", "password": "wrong"}, secure=True
    ).cookies.get("csrftoken")
    if cookie is not None:
        assert cookie["secure"] and cookie["httponly"]


@pytest.mark.django_db
def test_the_session_cookie_is_secure_and_http_only(client, cast, https):
    from tests.conftest import PASSWORD

    response = client.post(
        reverse("login"), {"username": "qa.lead", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


# Error pages ----------------------------------------------------------------------------


def request_id_on_page(response):
    found = re.search(r"Quote reference <strong[^>]*>([0-9a-f]{32})</strong>", response.text)
    return found and found.group(1)


@pytest.mark.django_db
@pytest.mark.urls("tests.integration.urls_with_a_broken_view")
def test_a_server_error_shows_a_generic_page_with_the_request_id_that_is_logged(
    client, cast, settings, caplog
):
    """Row: forced server error with DEBUG off. No traceback or exception text in the page;
    the page, the X-Request-ID header and the logged error carry the same id."""
    from tests.integration.urls_with_a_broken_view import FAILURE

    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(cast["qa_lead"])
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/", HTTP_X_REQUEST_ID="f" * 32)

    assert response.status_code == 500
    page = response.text
    for leak in (FAILURE, "Traceback", "RuntimeError", "urls_with_a_broken_view", ".py"):
        assert leak not in page
    assert "Sorry, there is a problem with the service" in page
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id) and request_id != "f" * 32
    assert request_id_on_page(response) == request_id
    [logged] = [r for r in caplog.records if r.name == "django.request"]
    assert logged.levelno == logging.ERROR and logged.exc_info
    assert logged.request_id == request_id


@pytest.mark.django_db
def test_the_server_error_page_touches_neither_the_database_nor_the_user(
    django_assert_num_queries,
):
    """The 500 page must render when the database or the user is what failed."""

    def broken_user():
        raise AssertionError("the 500 page looked at the user")

    request = RequestFactory().get("/anywhere/")
    request.user = SimpleLazyObject(broken_user)
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


@pytest.mark.django_db
def test_a_missing_page_is_generic_and_quotes_the_request_id(client, cast):
    client.force_login(cast["qa_lead"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert request_id_on_page(response) == response["X-Request-ID"]


@pytest.mark.django_db
def test_a_refused_form_is_a_generic_page_with_the_request_id():
    """A CSRF failure gets the GOV.UK 403 page, not Django's own (whose inline style the
    Content Security Policy would block)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "CSRF" not in response.text and "<style" not in response.text
    assert request_id_on_page(response) == response["X-Request-ID"]


def test_every_template_keeps_to_the_content_security_policy():
    """No inline script, style attribute or event handler in any template: the policy would
    block them. (The HTML report's <style> element is allowed by hash, see above.)"""
    root = Path(settings_module.__file__).parent
    offending = []
    for template in root.glob("*/templates/**/*.html"):
        text = re.sub(
            r"{% comment %}.*?{% endcomment %}",
            "",
            template.read_text(encoding="utf-8"),
            flags=re.S,
        )
        for pattern in (r"<script(?![^>]*\bsrc=)", r"\sstyle=", r"\son[a-z]+=", "javascript:"):
            if re.search(pattern, text):
                offending.append(f"{template.relative_to(root)}: {pattern}")
        if "<style" in text and template.name != "report.html":
            offending.append(f"{template.relative_to(root)}: <style>")
    assert offending == []
