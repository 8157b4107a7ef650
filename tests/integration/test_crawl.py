"""Crawl the app as each role, following every link a person is shown.

A link the app shows a person must work for them: no server error, and no 404 (which would
mean a page offered a link the person may not follow). Acceptance checks crawl the demo the
same way.
"""

import datetime
import re
from urllib.parse import urljoin, urlparse

import pytest

from practice_review.accounts.models import StaffMember
from practice_review.reviews import actions
from practice_review.reviews.models import Child

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="([^"#]+)"')
SKIP = ("/static/", "/admin/", "mailto:")
# PDFs take about a second each to make, and have tests of their own (test_report_documents.py).
SKIP_ENDINGS = (".pdf",)


@pytest.fixture
def live_work(cast):
    """A review in progress and an alert, so the crawl reaches the pages of running reviews."""
    qa = cast["qa_lead"]
    cohort = actions.create_cohort(
        by=qa, name="Crawl cohort", period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30), selected_by="SLT", selection_reason="mixed",
    )  # fmt: skip
    staff = {member.name: member for member in StaffMember.objects.all()}
    review = actions.assign_review(
        by=qa, cohort=cohort, child=Child.objects.get(case_ref="C1001"),
        reviewer=staff["Independent Associate"], reviewer_type="independent",
        due_date=datetime.date(2026, 11, 20), social_worker=staff["RL"], supervisor=staff["BA"],
    )  # fmt: skip
    from practice_review.alerts.actions import raise_alert

    raise_alert(review=review, concern="A concern.", severity="high", must_act=staff["BA"],
                by=cast["reviewer_independent"])  # fmt: skip
    # A summary report with a published version, so the crawl reaches the report pages.
    from practice_review.reports import actions as report_actions
    from practice_review.reviews.models import Review
    from practice_review.reviews.queries import find_cohort
    from tests.conftest import JULY, SEPTEMBER

    report = report_actions.create_report(
        by=qa, title="Crawl report", cohorts=[find_cohort(SEPTEMBER)], comparator=find_cohort(JULY)
    )
    # A moderation meeting with the submitted review on its agenda and one decision.
    from practice_review.moderation import actions as moderation_actions

    submitted = Review.objects.filter(cohort__name=SEPTEMBER).first()
    Review.objects.filter(pk=submitted.pk).update(status="submitted")
    submitted.refresh_from_db()
    meeting = moderation_actions.plan_meeting(
        by=qa, held_on=datetime.date(2026, 11, 25), attendees="QA lead", reviews=[submitted]
    )
    moderation_actions.moderate(by=qa, item=meeting.agenda.get(),
                                grades={"practice": "good", "outcome": "good"},
                                reason="Agreed at the meeting.")  # fmt: skip
    report_actions.publish(by=qa, report=report, reviews=Review.objects.all(),
                           version=report.version)  # fmt: skip
    return review


def crawl(client, limit=400):
    seen, queue, problems = set(), ["/"], []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            problems.append((url, response.status_code))
            continue
        if response.status_code in (301, 302):
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            target = urljoin(url, href.replace("&amp;", "&"))
            parsed = urlparse(target)
            if parsed.netloc or target.startswith(SKIP) or "sign-out" in target:
                continue
            if parsed.path.endswith(SKIP_ENDINGS):
                continue
            queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return seen, problems


@pytest.mark.parametrize(
    "person",
    ["qa_lead", "reviewer_independent", "reviewer_internal", "practitioner", "manager",
     "senior_leader", "admin", "outsider"],
)  # fmt: skip
def test_every_link_a_person_is_shown_works_for_them(client, cast, live_work, person):
    client.force_login(cast[person])
    seen, problems = crawl(client)
    assert problems == []
    assert len(seen) >= (2 if person in ("admin", "outsider") else 5)
    for section in ("/reports/", "/moderation/"):
        reached = any(url.startswith(section) for url in seen)
        assert reached == (person in ("qa_lead", "senior_leader")), section
