"""Payloads in every free-text field, in a real browser: none runs
(docs/spec/quality.md#output-encoding, "XSS payloads in every free-text field, rendered on every
page, DOCX and PDF": 0 payloads execute).

The integration test (tests/integration/test_untrusted_input.py) proves every page escapes
them; this one proves the result in Chromium, where a dialog, a script's marker
(window.__xss) or an element the payloads would create would show that one got through. The
Content-Security-Policy would block an inline script too, so the DOM check does not rely on
it: an injected element is found whether or not its script could run.
"""

import pytest
from django.urls import reverse

from tests.functional.test_journeys import sign_in
from tests.integration.test_untrusted_input import hostile  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

# What the payloads would put in the page if any were markup.
INJECTED = (
    "xss, img[src='x'], svg[onload], [onerror], [onload], "
    "a[href^='javascript:' i], iframe[src^='javascript:' i]"
)


def _pages(world):
    report, number = world["report"], world["version"].number
    return [
        reverse("home"),
        reverse("review_detail", args=[world["draft_independent"].pk]),
        reverse("review_detail", args=[world["submitted_rl"].pk]),
        reverse("cohort_detail", args=[world["cohort"].pk]),
        reverse("alert_list"),
        reverse("alert_detail", args=[world["alert_ba"].pk]),
        reverse("tracker_list"),
        reverse("tracker_detail", args=[world["to_sign_off"].pk]),
        reverse("meeting_list"),
        reverse("meeting_detail", args=[world["open_meeting"].pk]),
        reverse("meeting_detail", args=[world["closed_meeting"].pk]),
        reverse("report_detail", args=[report.pk]),
        reverse("report_part", args=[report.pk, "introduction"]),
        reverse("report_version", args=[report.pk, number]),
        reverse("report_draft_file", args=[report.pk, "full", "html"]),
        reverse("report_version_file", args=[report.pk, number, "wider-circulation", "html"]),
        reverse("audit_log"),
    ]


def test_no_payload_runs_on_the_main_pages(drive, cast, hostile):  # noqa: F811
    """docs/spec/quality.md#output-encoding, XSS row: with a payload in every free-text field, the
    QA lead's and the reviewer's main pages open no dialog, set no script marker and hold no
    injected element."""
    pages = _pages(hostile)
    reviewer_pages = [
        reverse("my_reviews"),
        reverse("review_conversations", args=[hostile["draft_independent"].pk]),
        reverse("review_recommendations", args=[hostile["draft_independent"].pk]),
        reverse("review_section", args=[hostile["draft_independent"].pk, "grades"]),
    ]
    people = {}
    for person in ("qa_lead", "reviewer_independent"):
        cast[person].refresh_from_db()  # the username is a payload now too
        people[person] = cast[person].username

    def journey(page):
        dialogs, found, as_text = [], [], 0
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for person, urls in (("qa_lead", pages), ("reviewer_independent", reviewer_pages)):
            page.context.clear_cookies()
            sign_in(page, people[person])
            for url in urls:
                response = page.goto(url)
                assert response.status == 200, url
                marker = page.evaluate("() => window.__xss")
                injected = page.evaluate(
                    "(selector) => [...document.querySelectorAll(selector)]"
                    ".map((element) => element.outerHTML.slice(0, 120))",
                    INJECTED,
                )
                as_text += page.evaluate(
                    "() => /<script>|<svg onload|<img src=x/.test(document.body.innerText)"
                )
                if marker is not None or injected:
                    found.append((person, url, marker, injected))
        return dialogs, found, as_text

    dialogs, found, as_text = drive(journey)
    assert dialogs == []
    assert found == []
    # The payloads were on the pages, as text a person can read.
    assert as_text >= (len(pages) + len(reviewer_pages)) // 2
