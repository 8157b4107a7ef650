"""Dual review: the QA lead adds a second reviewer, who grades blind; neither reviewer sees the
other's grades until both have graded, in pages, figures or documents."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from practice_review.accounts.models import StaffMember
from practice_review.reports.figures import cohort_figures
from practice_review.reviews.models import Review
from tests.conftest import PASSWORD, regrade

pytestmark = pytest.mark.django_db


def page_text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def live(cast):
    """A review the Independent Associate is still writing (graded already), in a cohort of
    its own, so the cohort's figures would give its grades away."""
    from practice_review.reviews import actions

    review = Review.objects.filter(reviewer__name="Independent Associate").first()
    cohort = actions.create_cohort(
        by=cast["qa_lead"],
        name="Dual cohort",
        period_start=None,
        period_end=None,
        selected_by="QA",
        selection_reason="mixed",
    )
    regrade(
        Review.objects.filter(pk=review.pk),
        cohort=cohort,
        status="in_progress",
        practice_grade="requires_improvement",
        outcome_grade="good",
        second_reviewer=None,
        second_practice_grade=None,
        second_outcome_grade=None,
        moderated_practice_grade=None,
        moderated_outcome_grade=None,
    )
    review.refresh_from_db()
    return review


def sign_in(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def add_second(client, cast, review, name="Head of Safeguarding and QA"):
    sign_in(client, cast["qa_lead"])
    second = StaffMember.objects.get(name=name)
    return client.post(
        reverse("review_second_reviewer", args=[review.pk]), {"second_reviewer": second.pk}
    )


def test_the_second_reviewer_grades_blind_and_then_both_see_both(client, cast, live):
    Review.objects.filter(pk=live.pk).update(status="submitted")  # the first reviewer is done
    assert add_second(client, cast, live).status_code == 302
    second = cast["reviewer_internal"]
    sign_in(client, second)
    assert "Second reviews to grade: 1" in page_text(client.get(reverse("home")))
    page = page_text(client.get(reverse("review_detail", args=[live.pk])))
    assert "you will see the first reviewer's findings once you have recorded your grades" in page
    assert "Requires improvement to be good" not in page
    cohort = client.get(reverse("cohort_detail", args=[live.cohort_id]))
    assert "Shown once you have both graded" in page_text(cohort)
    assert "1 of 1" not in page_text(cohort)  # the figures leave the blind review out
    assert client.get(reverse("review_document", args=[live.pk, "docx"])).status_code == 404

    response = client.post(
        reverse("second_grades", args=[live.pk]),
        {"practice_grade": "good", "outcome_grade": "good"},
    )
    assert "Enter your reasons for these grades" in page_text(response)
    client.post(
        reverse("second_grades", args=[live.pk]),
        {
            "practice_grade": "good",
            "outcome_grade": "good",
            "rationale": "Timely visits.",
        },
    )
    live.refresh_from_db()
    assert (live.grade("practice", "second"), live.second_rationale) == ("good", "Timely visits.")
    assert client.get(reverse("second_grades", args=[live.pk])).status_code == 404  # once only

    page = page_text(client.get(reverse("review_detail", args=[live.pk])))
    assert "Requires improvement to be good" in page  # both have graded: both see both
    sign_in(client, cast["reviewer_independent"])
    first_view = page_text(client.get(reverse("review_detail", args=[live.pk])))
    assert "Social work practice Good Outcomes for the child Good Reasons Timely visits." in (
        first_view
    )
    assert cohort_figures(live.cohort)["agreement"]["practice"]["pairs"] == 1


def test_the_first_reviewer_does_not_see_second_grades_before_submitting(client, cast, live):
    add_second(client, cast, live)
    sign_in(client, cast["reviewer_internal"])
    client.post(
        reverse("second_grades", args=[live.pk]),
        {
            "practice_grade": "outstanding",
            "outcome_grade": "good",
            "rationale": "Strong plan.",
        },
    )
    sign_in(client, cast["reviewer_independent"])
    page = page_text(client.get(reverse("review_detail", args=[live.pk])))
    assert "Graded; shown once both reviewers have graded" in page
    assert "Strong plan." not in page
    sign_in(client, cast["reviewer_internal"])
    assert "Requires improvement to be good" not in page_text(
        client.get(reverse("review_detail", args=[live.pk]))
    )


def test_the_second_reviewer_must_be_someone_else_and_independent(client, cast, live):
    response = add_second(client, cast, live, name="Independent Associate")
    assert "must be someone other than the first" in page_text(response)
    live.refresh_from_db()
    assert live.second_reviewer is None


def test_only_the_second_reviewer_records_second_grades(client, cast, live):
    add_second(client, cast, live)
    for role in ("reviewer_independent", "qa_lead", "practitioner", "senior_leader"):
        sign_in(client, cast[role])
        response = client.post(
            reverse("second_grades", args=[live.pk]),
            {"practice_grade": "good", "outcome_grade": "good", "rationale": "x"},
        )
        assert response.status_code == 404, role
    for role in ("reviewer_independent", "reviewer_internal", "practitioner", "senior_leader"):
        sign_in(client, cast[role])
        response = client.get(reverse("review_second_reviewer", args=[live.pk]))
        assert response.status_code == 404, role
    live.refresh_from_db()
    assert live.grade("practice", "second") is None


def test_no_second_reviewer_after_moderation_and_no_pairing_with_oneself(client, cast, live):
    from practice_review.reviews import actions

    regrade(Review.objects.filter(pk=live.pk), status="final", moderated_practice_grade="good")
    response = add_second(client, cast, live)
    assert "a second review would not be blind" in page_text(response)
    regrade(Review.objects.filter(pk=live.pk), status="in_progress", moderated_practice_grade=None)
    add_second(client, cast, live)
    live.refresh_from_db()
    with pytest.raises(actions.NotAllowed, match="second reviewer: choose someone else"):
        actions.reassign_review(
            review=live,
            by=cast["qa_lead"],
            reviewer=live.second_reviewer,
            reviewer_type="internal",
            due_date=datetime.date(2027, 1, 1),
        )


def test_the_blind_second_reviewer_does_not_see_the_first_reviewers_recommendations(
    client, cast, live
):
    from practice_review.tracker.models import Recommendation

    Recommendation.objects.create(
        level="child",
        review=live,
        action="Refer to the leaving care team.",
        owner=StaffMember.objects.get(name="RL"),
        created_by=cast["reviewer_independent"],
    )
    Review.objects.filter(pk=live.pk).update(status="submitted")
    add_second(client, cast, live)
    sign_in(client, cast["reviewer_internal"])
    assert "Refer to the leaving care team." not in page_text(client.get(reverse("tracker_list")))


def test_agreement_keeps_the_grades_given_before_either_saw_the_other(client, cast, live):
    from practice_review.reviews import actions

    Review.objects.filter(pk=live.pk).update(status="submitted")
    add_second(client, cast, live)
    sign_in(client, cast["reviewer_internal"])
    client.post(
        reverse("second_grades", args=[live.pk]),
        {
            "practice_grade": "good",
            "outcome_grade": "good",
            "rationale": "Timely visits.",
        },
    )
    live.refresh_from_db()
    assert live.grade("practice", "paired") == "requires_improvement"
    # Reopened, the first reviewer moves to the second reviewer's grade; the pair does not.
    actions.reopen_review(review=live, by=cast["qa_lead"], reason="New information.")
    regrade(Review.objects.filter(pk=live.pk), practice_grade="good", status="submitted")
    agreement = cohort_figures(live.cohort)["agreement"]["practice"]
    assert (agreement["pairs"], agreement["exact_agreement_pct"]) == (1, 0.0)
