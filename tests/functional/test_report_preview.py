"""The QA lead previews both editions of a draft side by side before publishing, in a real
Chromium, with axe-core on the page. The screenshot is /tmp/screens/report-preview.png."""

import pytest
from playwright.sync_api import expect

from practice_review.reports import actions as report_actions
from practice_review.reviews.queries import find_cohort
from tests.conftest import JULY, SEPTEMBER
from tests.functional.test_review_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_qa_lead_previews_both_editions_before_publishing(drive, cast, axe, screenshot):
    report = report_actions.create_report(
        by=cast["qa_lead"], title="Summary, September 2024 cohort",
        cohorts=[find_cohort(SEPTEMBER)], comparator=find_cohort(JULY),
    )  # fmt: skip

    def journey(page):
        sign_in(page, "qa.lead")
        page.goto(f"/reports/{report.pk}/")
        page.get_by_role("link", name="preview both editions side by side", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Summary report: draftPreview both editions"
        )
        wider = page.locator(".govuk-grid-column-one-half").nth(1)
        expect(wider.get_by_role("heading", level=2)).to_have_text("For wider circulation")
        expect(wider).to_contain_text("fewer than 3 of 10")
        expect(wider).not_to_contain_text("not shown")
        expect(wider.locator("img")).to_have_count(0)  # its charts are left out, with a note
        axe(page)
        screenshot(page, "report-preview")

    drive(journey)
