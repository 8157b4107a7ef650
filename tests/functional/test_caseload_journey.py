"""The QA lead imports a caseload extract in the browser: a bad file's problems, then a good
file checked and confirmed, and the list of extracts; axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.functional.test_journeys import sign_in
from tests.integration.helpers import csv_bytes
from tests.integration.test_caseload_import import extract_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_qa_lead_imports_a_caseload_extract(drive, cast, axe, screenshot, tmp_path):
    bad_file = tmp_path / "bad.csv"
    bad_file.write_bytes(csv_bytes([{**extract_rows()[0], "legal_status": "adopted"}]))
    good_file = tmp_path / "march.csv"
    good_file.write_bytes(csv_bytes(extract_rows()))

    def journey(page):
        sign_in(page, "qa.lead")
        page.get_by_role("link", name="Caseload").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
        axe(page)
        page.get_by_role("button", name="Import a caseload extract").click()
        axe(page)

        page.get_by_label("Upload a caseload extract").set_input_files(bad_file)
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_title(re.compile(r"^Error: Import a caseload extract"))
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("row 2, column legal_status: got 'adopted'")
        axe(page)

        page.get_by_label("Upload a caseload extract").set_input_files(good_file)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
        added = page.get_by_role("table", name="Staff the service does not know yet")
        expect(added.locator("tbody tr")).to_have_count(2)
        axe(page)
        screenshot(page, "caseload-check")

        page.get_by_role("button", name="Confirm and import").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Imported a caseload extract of 2 children: 0 already known, 2 new."
        )
        expect(page.get_by_role("table").locator("tbody tr")).to_contain_text("Current")
        axe(page)
        screenshot(page, "caseload-extracts")

    drive(journey)
