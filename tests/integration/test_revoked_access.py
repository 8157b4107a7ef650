"""Authorisation applies at once: take a review away from someone whose session is live, and
their very next request on it is refused.

docs/spec/quality.md#revoked-access: "revoke an assignment or deactivate a user, reuse the live
session -> the next request is refused" (the revoke-an-assignment half; test_sessions.py has
deactivation).
"""

import pytest
from django.urls import reverse

from practice_review.accounts.models import StaffMember
from practice_review.reviews.models import Review, ReviewResponse
from tests.conftest import TwoFactorClient
from tests.integration.access_world import DUE, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return build_world(cast)


def grades(version, rationale):
    return {"version": version, "practice_grade": "good", "practice_rationale": rationale,
            "outcome_grade": "good", "outcome_rationale": rationale}  # fmt: skip


def test_a_reviewer_whose_review_is_reassigned_is_refused_on_their_next_request(cast, world):
    """docs/spec/quality.md#revoked-access: revoke an assignment, reuse the live session -> the next
    request is refused, page, section save and autosave alike, and nothing is written."""
    review = world["draft_independent"]
    reviewer = TwoFactorClient()
    reviewer.force_login(cast["reviewer_independent"])
    section = reverse("review_section", args=[review.id, "grades"])
    page = reviewer.get(section)
    assert page.status_code == 200  # the form is open in their browser

    qa_lead = TwoFactorClient()
    qa_lead.force_login(cast["qa_lead"])
    someone_else = cast["reviewer_internal"].staff_member
    moved = qa_lead.post(
        reverse("review_reassign", args=[review.id]),
        {"reviewer": someone_else.id, "reviewer_type": "internal",
         "due_date": DUE.strftime("%d/%m/%Y")},
    )  # fmt: skip
    assert moved.status_code == 302, moved.context["form"].errors
    before = Review.objects.values().get(pk=review.pk)
    assert before["reviewer_id"] == someone_else.id

    version = page.context["form"]["version"].value()
    refused = [
        reviewer.get(section),
        reviewer.post(section, grades(version, "Saved after losing the review.")),
        reviewer.post(
            section,
            grades(version, "Autosaved after losing the review."),
            headers={"X-Autosave": "1"},
        ),  # fmt: skip
        reviewer.get(reverse("review_tasks", args=[review.id])),
        reviewer.get(reverse("review_detail", args=[review.id])),
        reviewer.post(reverse("review_submit", args=[review.id])),
    ]
    assert [response.status_code for response in refused] == [404] * len(refused)
    assert Review.objects.values().get(pk=review.pk) == before


def test_a_practitioner_taken_off_a_case_loses_its_review_at_once(cast, world):
    """docs/spec/quality.md#revoked-access: revoke an assignment, reuse the live session -> the next
    request is refused: a new social worker is recorded, and the old one can neither read nor
    respond."""
    review = world["submitted_rl"]  # RL's case, submitted
    practitioner = TwoFactorClient()
    practitioner.force_login(cast["practitioner"])
    detail = reverse("review_detail", args=[review.id])
    assert practitioner.get(detail).status_code == 200

    Review.objects.filter(pk=review.pk).update(social_worker=StaffMember.objects.get(name="PA"))

    assert practitioner.get(detail).status_code == 404
    respond = practitioner.post(reverse("review_respond", args=[review.id]),
                                {"text": "My reflection, after I left the case."})  # fmt: skip
    assert respond.status_code == 404
    assert not ReviewResponse.objects.filter(review=review).exists()
    document = practitioner.get(reverse("review_document", args=[review.id, "docx"]))
    assert document.status_code == 404
