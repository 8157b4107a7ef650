"""The QA lead imports a review file on an audit template, and makes a cohort on one, in
Chromium (docs/review-files.md#columns-follow-the-template): the template is chosen with radios
of the published templates, shown on the check page, and the pages pass axe-core. Screenshots
go to /tmp/screens/."""

import pytest
from playwright.sync_api import expect

from practice_review.core.audit_templates import read_yaml
from practice_review.reviews.models import Cohort, Review
from practice_review.reviews.template_actions import load_template
from tests.functional.test_review_journey import sign_in
from tests.integration.helpers import csv_bytes
from tests.integration.test_import_templates import NEGLECT_COHORT, NEGLECT_FILE, neglect_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_qa_lead_imports_a_file_on_the_neglect_template(drive, cast, axe, screenshot, tmp_path):
    neglect = load_template(by=cast["admin"], definition=read_yaml(NEGLECT_FILE.read_text()))
    path = tmp_path / "neglect.csv"
    path.write_bytes(csv_bytes(neglect_rows()))

    def journey(page):
        sign_in(page, "qa.lead")
        page.goto("/import/")
        built_in = page.get_by_label("Practice and Impact Review, version 1")
        expect(built_in).to_be_checked()
        axe(page)
        screenshot(page, "import-choose-template")
        page.get_by_label("Upload a review file").set_input_files(str(path))
        page.get_by_label("Thematic audit - neglect, version 1").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
        expect(page.get_by_text("Thematic audit - neglect, version 1")).to_be_visible()
        axe(page)
        screenshot(page, "import-check-template")
        page.get_by_role("button", name="Confirm and import").click()
        expect(page.get_by_text("Imported 30 reviews into")).to_be_visible()
        # The new cohort's page names its template, which is not the built-in one.
        page.get_by_role("link", name=NEGLECT_COHORT).first.click()
        expect(
            page.get_by_text("Audit template: Thematic audit - neglect, version 1")
        ).to_be_visible()
        axe(page)
        screenshot(page, "cohort-page-template")

        page.goto("/cohorts/new/")
        expect(page.get_by_label("Practice and Impact Review, version 1")).to_be_checked()
        axe(page)
        screenshot(page, "cohort-choose-template")

    drive(journey)
    assert Cohort.objects.get(name=NEGLECT_COHORT).template == neglect.template
    assert Review.objects.filter(template=neglect.template).count() == 30
