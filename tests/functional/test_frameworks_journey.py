"""A council's own framework in a real Chromium: the QA lead adds Family Help in the admin site,
and the reviewer is offered it on the review form (axe on the form). Screenshots are
/tmp/screens/framework-admin.png and /tmp/screens/framework-on-the-form.png."""

import pytest
from playwright.sync_api import expect

from practice_review.reviews import actions
from practice_review.reviews.models import Child, Review
from practice_review.reviews.queries import find_cohort
from tests.conftest import SEPTEMBER
from tests.functional.test_review_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_qa_lead_adds_family_help_and_the_reviewer_is_offered_it(drive, cast, axe, screenshot):
    cast["qa_lead"].is_staff = True
    cast["qa_lead"].save()
    review = actions.assign_review(
        by=cast["qa_lead"], cohort=find_cohort(SEPTEMBER),
        child=Child.objects.get(case_ref="C1008"),
        reviewer=cast["reviewer_independent"].staff_member, reviewer_type="independent",
        due_date=find_cohort(SEPTEMBER).reviews.first().review_date,
        social_worker=Review.objects.first().social_worker,
    )  # fmt: skip

    def add_it(page):
        sign_in(page, "qa.lead")
        page.goto("/admin/reviews/framework/add/")
        page.get_by_label("Key").fill("family_help")
        page.get_by_label("Label").fill("Family Help")
        page.get_by_label("Synonyms").fill("FH")
        page.get_by_label("Order").fill("60")
        screenshot(page, "framework-admin")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    def offered(page):
        sign_in(page, "reviewer.independent")
        page.goto(f"/reviews/{review.pk}/form/child/")
        expect(page.get_by_label("Family Help")).to_be_visible()
        axe(page)
        screenshot(page, "framework-on-the-form")

    drive(add_it)
    drive(offered)
