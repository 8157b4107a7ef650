"""The QA lead makes an audit template of their own in Chromium
(docs/audit-templates.md#managing-templates-in-the-browser): a copy of the built-in template,
a question added (after a key the format refuses), a standard moved up with the keyboard's
buttons, the review form previewed, the draft published and then offered for a new cohort.
Every page passes axe-core. Screenshots go to /tmp/screens/template-*.png."""

import pytest
from playwright.sync_api import expect

from practice_review.core.audit_templates import built_in
from practice_review.reviews.models import AuditTemplate
from tests.functional.test_review_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Was the child's voice recorded?"


def test_the_qa_lead_copies_edits_previews_and_publishes_a_template(drive, cast, axe, screenshot):
    first, second = built_in().standards[0].label, built_in().standards[1].label

    def journey(page):
        sign_in(page, "qa.lead")
        page.get_by_role("link", name="Audit templates").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Audit templates")
        axe(page)
        screenshot(page, "template-list")

        page.get_by_role("link", name="Version 1 of Practice and Impact Review").click()
        axe(page)
        screenshot(page, "template-version")
        page.get_by_role("link", name="Copy as a new template").click()
        page.get_by_label("Name").fill("Monthly practice audit")
        page.get_by_role("button", name="Create draft").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            "Monthly practice audit, version 1"
        )
        axe(page)

        page.get_by_role("link", name="Add a question").click()
        page.get_by_label("The question").fill(QUESTION)
        page.get_by_label("Key (optional)").fill("Voice recorded")
        page.get_by_label("Yes or no").check()
        page.get_by_role("button", name="Save question").click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(page.locator("#id_key-error")).to_contain_text("must be lower-case letters")
        axe(page)
        screenshot(page, "template-edit-error")
        page.get_by_label("Key (optional)").fill("")
        page.get_by_role("button", name="Save question").click()
        expect(page.get_by_text("Key: was_the_child_s_voice_recorded")).to_be_visible()

        # Keyboard only: focus the button and press Enter.
        page.get_by_role("button", name=f"Move up {second}").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Moved")).to_be_visible()
        rows = page.locator("#standards + .app-table-scroll tbody tr td:first-child")
        expect(rows.nth(0)).to_contain_text(second)
        expect(rows.nth(1)).to_contain_text(first)
        axe(page)
        screenshot(page, "template-draft")

        page.get_by_role("link", name="Preview the review form").click()
        expect(page.get_by_text("Preview", exact=True)).to_be_visible()
        expect(page.get_by_role("group", name=QUESTION)).to_be_visible()
        expect(page.get_by_role("group", name=QUESTION).get_by_label("Yes")).to_be_disabled()
        axe(page)
        screenshot(page, "template-preview")
        page.get_by_role("link", name="Back to the template").click()

        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_text("Version 1 is published")).to_be_visible()
        axe(page)

        page.goto("/cohorts/new/")
        expect(page.get_by_label("Monthly practice audit, version 1")).to_be_visible()
        axe(page)

    drive(journey)
    made = AuditTemplate.objects.get(key="monthly_practice_audit")
    assert made.is_published and made.published_by == cast["qa_lead"]
    assert [s.label for s in made.template.standards][:2] == [second, first]
    assert made.template.questions[-1].label == QUESTION
