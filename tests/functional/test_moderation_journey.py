"""A moderation meeting in a real Chromium: the QA lead plans it from the generated agenda,
changes one grade with a reason, confirms another, records a learning point and raises a
service-level recommendation. axe-core runs on every page.

Screenshots go to /tmp/screens/moderation/; `UPDATE_SCREENSHOTS=1` writes them to
docs/screenshots/ (moderation-*.png) for docs/moderation.md.
"""

import os

import pytest
from playwright.sync_api import expect

from practice_review.moderation.models import Meeting
from practice_review.reviews.models import Review
from practice_review.reviews.queries import find_cohort
from tests.conftest import PASSWORD, SEPTEMBER
from tests.functional.conftest import ROOT, SCREENS, enter_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_DIR = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else SCREENS / "moderation"
)


def shot(page, name, top=None):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"moderation-{name}.png"
    if top:
        page.screenshot(
            path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": top}
        )
    else:
        page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size < 450_000, f"{path.name} is too large"


def test_the_qa_lead_runs_a_moderation_meeting_from_the_agenda(drive, cast, axe):
    september = Review.objects.filter(cohort=find_cohort(SEPTEMBER))
    gap = september.get(child__initials="AS-S")
    plain = september.filter(
        answers__grades__practice__grade="outstanding",
        answers__grades__outcome__grade="outstanding",
    ).first()
    Review.objects.filter(pk__in=[gap.pk, plain.pk]).update(status="submitted")

    def journey(page):
        page.goto("/sign-in/")
        page.get_by_label("Username").fill("qa.lead")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        enter_second_factor(page, "qa.lead")

        page.get_by_role("link", name="Moderation").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Moderation meetings")
        expect(page.locator(".govuk-summary-list")).to_contain_text("2")
        axe(page)
        page.get_by_role("link", name="Plan a meeting").click()
        expect(page.get_by_role("checkbox")).to_have_count(2)
        page.get_by_label("Date of the meeting").fill("15/1/2027")
        page.get_by_label("Who is attending").fill("Head of QA, two reviewers, Service Manager")
        axe(page)
        shot(page, "01-plan")
        page.get_by_role("button", name="Plan the meeting").click()

        expect(page.get_by_role("heading", level=1)).to_contain_text("15 January 2027")
        agenda = page.get_by_role("table", name="Reviews to moderate")
        expect(agenda.locator("tbody tr")).to_have_count(2)
        expect(agenda).to_contain_text("Practice good or better, outcomes not")
        axe(page)
        shot(page, "02-agenda", top=1300)

        page.get_by_role("link", name="Moderate AS-S's review").click()
        page.get_by_role("group", name="Social work practice").get_by_label(
            "Good", exact=True
        ).check()
        page.get_by_role("button", name="Record the decision").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Give the reason for changing the grade"
        )
        axe(page)
        page.get_by_label("Why the meeting changed a grade").fill(
            "Good practice, but no evidence yet of its impact on the young person."
        )
        shot(page, "03-decide")
        page.get_by_role("button", name="Record the decision").click()

        row = agenda.locator("tr", has_text="AS-S")
        expect(row).to_contain_text("Changed")
        other = agenda.locator("tbody tr").filter(has_not_text="AS-S")
        other.get_by_role("link").last.click()
        page.get_by_role("button", name="Record the decision").click()
        expect(agenda.locator("tbody tr").filter(has_not_text="AS-S")).to_contain_text("Confirmed")

        page.get_by_label("Learning point").fill("Chronologies fall behind after transfers.")
        page.get_by_role("button", name="Add learning point").click()
        expect(page.locator("#learning ~ ul").first).to_contain_text("Chronologies fall behind")
        page.get_by_label("What should be done").fill("Check chronologies in supervision.")
        page.get_by_label("Theme", exact=True).select_option("management_oversight")
        page.get_by_label("Who owns it").select_option(label="BA – supervisor")
        page.get_by_label("Date it should be done by").fill("31/3/2027")
        page.get_by_label("How success will be seen").fill("The next cohort's audit shows it.")
        page.get_by_role("button", name="Raise recommendation").click()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
        raised = page.locator("#recommendation + ul")
        expect(raised).to_contain_text("Check chronologies in supervision.")
        expect(raised).to_contain_text("BA, by 31 March 2027")
        axe(page)
        shot(page, "04-meeting", top=1500)

        page.get_by_role("button", name="Close the meeting").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Are you sure you want to close this meeting?"
        )
        axe(page)
        shot(page, "05-close")
        page.get_by_role("button", name="Yes, close the meeting").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("The meeting is closed")

    drive(journey)
    assert Meeting.objects.get().closed_at is not None
    gap.refresh_from_db()
    assert (gap.status, gap.grade("practice"), gap.grade("practice", "moderated")) == (
        "final",
        "outstanding",
        "good",
    )
