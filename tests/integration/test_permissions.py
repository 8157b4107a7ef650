"""Who sees what (docs/spec/domain.md#who-sees-what): one scoped query decides, and out of scope is
a 404."""

import pytest
from django.urls import reverse

from practice_review.core.vocabulary import ReviewStatus
from practice_review.reports.figures import cohort_figures
from practice_review.reviews.models import Review
from practice_review.reviews.queries import cohorts_visible_to, find_cohort, reviews_visible_to
from tests.conftest import PASSWORD, SEPTEMBER
from tests.integration.helpers import seed_rows

pytestmark = pytest.mark.django_db


def expected_refs(column, value):
    return {row["child_ref"] for row in seed_rows() if row[column] == value}


ALL_REFS = {row["child_ref"] for row in seed_rows()}
EXPECTED = {
    "qa_lead": lambda: ALL_REFS,
    "senior_leader": lambda: ALL_REFS,
    "reviewer_independent": lambda: expected_refs("reviewer", "Independent Associate"),
    "reviewer_internal": lambda: expected_refs("reviewer", "Head of Safeguarding and QA"),
    "practitioner": lambda: expected_refs("social_worker", "RL"),
    "manager": lambda: expected_refs("supervisor", "BA"),
    "admin": set,
    "outsider": set,
}


@pytest.mark.parametrize("person", list(EXPECTED))
def test_each_role_sees_exactly_the_reviews_the_domain_allows(cast, person):
    visible = set(reviews_visible_to(cast[person]).values_list("child__case_ref", flat=True))
    assert visible == EXPECTED[person]()


@pytest.mark.parametrize("person", ["practitioner", "manager"])
def test_practitioners_and_managers_do_not_see_reviews_before_submission(cast, person):
    review = Review.objects.get(child__case_ref="C1001")  # RL's case, supervised by BA
    review.status = ReviewStatus.IN_PROGRESS
    review.save()
    assert review not in reviews_visible_to(cast[person])
    assert review in reviews_visible_to(cast["reviewer_independent"])


def test_an_inactive_user_sees_nothing(cast):
    cast["qa_lead"].is_active = False
    assert not reviews_visible_to(cast["qa_lead"]).exists()


def test_figures_count_only_what_the_person_may_see(cast):
    cohort = find_cohort(SEPTEMBER)
    visible = reviews_visible_to(cast["practitioner"])
    figures = cohort_figures(cohort, reviews=visible)
    assert figures["cohort"]["reviews"] == len(
        [r for r in seed_rows() if r["cohort"] == SEPTEMBER and r["social_worker"] == "RL"]
    )


def test_cohorts_without_a_visible_review_are_hidden(cast):
    names = {c.name for c in cohorts_visible_to(cast["reviewer_internal"])}
    assert SEPTEMBER in names
    assert not cohorts_visible_to(cast["outsider"]).exists()
    assert not cohorts_visible_to(cast["admin"]).exists()


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("person", list(EXPECTED))
def test_review_pages_are_404_out_of_scope_and_200_in_scope(client, cast, person):
    signed_in(client, cast[person])
    allowed = EXPECTED[person]()
    for review in Review.objects.select_related("child"):
        response = client.get(reverse("review_detail", args=[review.id]))
        assert response.status_code == (200 if review.child.case_ref in allowed else 404)


@pytest.mark.parametrize("person", list(EXPECTED))
def test_cohort_pages_are_404_out_of_scope(client, cast, person):
    signed_in(client, cast[person])
    visible = {c.id for c in cohorts_visible_to(cast[person])}
    for cohort_id in Review.objects.values_list("cohort", flat=True).distinct():
        response = client.get(reverse("cohort_detail", args=[cohort_id]))
        assert response.status_code == (200 if cohort_id in visible else 404)


@pytest.mark.parametrize("person", list(EXPECTED))
def test_only_the_qa_lead_may_import(client, cast, person):
    signed_in(client, cast[person])
    response = client.get(reverse("import_reviews"))
    assert response.status_code == (200 if person == "qa_lead" else 404)


def test_the_cohort_page_shows_a_practitioner_only_their_own_reviews(client, cast):
    signed_in(client, cast["practitioner"])
    cohort = find_cohort(SEPTEMBER)
    page = client.get(reverse("cohort_detail", args=[cohort.id])).content.decode()
    mine = [
        r["initials"]
        for r in seed_rows()
        if r["cohort"] == SEPTEMBER and r["social_worker"] == "RL"
    ]
    others = [
        r["initials"]
        for r in seed_rows()
        if r["cohort"] == SEPTEMBER and r["social_worker"] != "RL"
    ]
    for initials in mine:
        assert f">{initials}<" in page
    for initials in others:
        assert f">{initials}<" not in page
    assert f"{len(mine)} completed reviews you can see" in page


def test_the_admin_role_manages_accounts_but_sees_no_case_content(client, cast):
    admin_user = cast["admin"]
    admin_user.is_staff = True
    admin_user.save()
    signed_in(client, admin_user)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/reviews/gradedescriptorset/").status_code == 200  # reference data
    for case_data in ["review", "child", "cohort", "alert", "recommendation"]:
        assert client.get(f"/admin/reviews/{case_data}/").status_code == 404
    page = client.get("/").content.decode()
    assert SEPTEMBER not in page


@pytest.mark.parametrize("url", ["/", "/import/", "/cohorts/1/", "/reviews/1/"])
def test_anonymous_people_are_sent_to_sign_in(client, seeded, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_administrator_cannot_widen_their_own_access(client, cast):
    admin_user = cast["admin"]
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    page = client.get(f"/admin/accounts/user/{admin_user.id}/change/").content.decode()
    assert 'name="role"' not in page and 'name="is_superuser"' not in page
    other = cast["outsider"]
    page = client.get(f"/admin/accounts/user/{other.id}/change/").content.decode()
    assert 'name="role"' in page and 'name="is_superuser"' not in page
