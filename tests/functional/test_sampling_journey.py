"""Drawing a cohort in the browser (docs/sampling.md, "Drawing a cohort"): options, preview with
the children left out, creating the cohort, the cohort page's account of the draw and the
prefilled Add a child's case, each page checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.functional.test_review_journey import sign_in
from tests.integration.test_sampling_draw import make_extract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_qa_lead_draws_a_cohort_and_adds_a_drawn_child(drive, cast, actor, axe):
    in_need = [(f"D{n:03}", "child_in_need", "North", "Ann Worker") for n in range(8)]
    in_care = [(f"E{n:03}", "looked_after", "South", "Bea Worker") for n in range(4)]
    make_extract(actor, in_need + in_care)

    def journey(page):
        sign_in(page, "qa.lead")
        page.get_by_role("link", name="Caseload").click()
        page.get_by_role("button", name="Draw a cohort").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Draw a cohort")
        axe(page)
        page.get_by_label("How many children").fill("3")
        page.get_by_label("Date to draw as of").fill("31/03/2026")
        page.get_by_role("button", name="Preview the draw").click()
        expect(page.get_by_role("table", name="Places in each group")).to_contain_text(
            "Child in Need"
        )
        axe(page)
        page.get_by_label("Name of the new cohort").fill("Drawn in the browser")
        page.get_by_role("button", name="Create the cohort").click()
        expect(page.get_by_role("heading", name="How this cohort was drawn")).to_be_visible()
        axe(page)
        page.get_by_role("link", name="Add with a reviewer").first.click()
        expect(page.get_by_label("Case reference")).to_have_value(re.compile(r"^[DE]\d{3}$"))
        axe(page)

    drive(journey)
