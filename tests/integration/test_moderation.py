"""Moderation meetings: the agenda built from the reviews, decisions that keep the reviewer's
grade beside the moderated one, learning points, recommendations raised, who may do what."""

import re
from html import unescape

import pytest
from django.urls import reverse

from practice_review.accounts.models import StaffMember
from practice_review.moderation.models import AgendaReview, Meeting
from practice_review.reports.figures import cohort_figures
from practice_review.reviews.models import Review
from practice_review.reviews.queries import find_cohort
from practice_review.tracker.models import Recommendation
from tests.conftest import PASSWORD, SEPTEMBER, regrade

pytestmark = pytest.mark.django_db


def page_text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def submitted(cast):
    """Three September reviews back to "submitted", as if just sent in by their reviewers: the
    gap case AS-S (outstanding practice, outcomes requiring improvement), a dual review whose
    reviewers disagree, and a plain one."""
    september = Review.objects.filter(cohort=find_cohort(SEPTEMBER))
    gap = september.get(child__initials="AS-S")
    plain = september.filter(answers__grades__practice__grade="outstanding",
                             answers__grades__outcome__grade="outstanding").first()  # fmt: skip
    dual = september.exclude(pk__in=[gap.pk, plain.pk]).first()
    regrade(
        dual,
        second_reviewer=StaffMember.objects.get(name="Head of Safeguarding and QA"),
        second_practice_grade="requires_improvement",
        second_outcome_grade=dual.grade("outcome"),
    )
    regrade(
        Review.objects.filter(pk__in=[gap.pk, plain.pk, dual.pk]),
        status="submitted", moderated_practice_grade=None, moderated_outcome_grade=None,
    )  # fmt: skip
    return {"gap": gap, "dual": dual, "plain": plain}


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def plan(client, reviews=None, held_on="15/1/2027"):
    data = {"held_on": held_on, "attendees": "Head of QA; two reviewers; Service Manager"}
    if reviews is not None:
        data["reviews"] = [review.pk for review in reviews]
    response = client.post(reverse("meeting_create"), data)
    assert response.status_code == 302, page_text(response)[:2000]
    return Meeting.objects.latest("id")


def test_the_agenda_offers_every_submitted_review_and_never_an_imported_final_one(
    client, cast, submitted
):
    signed_in(client, cast["qa_lead"])
    form = page_text(client.get(reverse("meeting_create")))
    assert form.count(", review on ") == 3  # the three submitted, none of the 21 imported finals
    response = client.get(reverse("meeting_create"))
    assert len(re.findall(r'name="reviews"[^>]*checked', response.content.decode())) == 3
    meeting = plan(client, reviews=submitted.values())
    reasons = {item.review_id: item.reasons for item in meeting.agenda.all()}
    assert reasons[submitted["gap"].pk] == ["submitted", "gap"]
    assert reasons[submitted["dual"].pk] == ["submitted", "disagreement"]
    assert reasons[submitted["plain"].pk] == ["submitted"]
    text = page_text(client.get(reverse("meeting_detail", args=[meeting.pk])))
    assert "AS-S: practice outstanding, outcomes requires improvement to be good" in text
    assert "The two reviewers disagreed" in text


def test_the_qa_lead_may_take_a_sample(client, cast, submitted):
    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=[submitted["gap"]])
    assert list(meeting.agenda.values_list("review", flat=True)) == [submitted["gap"].pk]
    # A review on an open meeting's agenda is not offered to another meeting.
    offered = client.get(reverse("meeting_create")).content.decode()
    assert offered.count('name="reviews"') == 2


def test_changing_a_grade_needs_a_reason_and_keeps_the_reviewers_grade(client, cast, submitted):
    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=submitted.values())
    item = meeting.agenda.get(review=submitted["gap"])
    url = reverse("meeting_decide", args=[meeting.pk, item.pk])
    before = cohort_figures(find_cohort(SEPTEMBER))
    response = client.post(url, {"practice_grade": "good", "outcome_grade": "requires_improvement"})
    assert response.status_code == 200
    assert "Give the reason for changing the grade" in page_text(response)
    review = Review.objects.get(pk=submitted["gap"].pk)
    assert (review.status, review.grade("practice", "moderated")) == ("submitted", None)

    response = client.post(
        url,
        {
            "practice_grade": "good",
            "outcome_grade": "requires_improvement",
            "reason": "No evidence of impact.",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "final"
    assert (review.grade("practice"), review.grade("practice", "moderated")) == (
        "outstanding",
        "good",
    )
    assert review.events.last().reason.startswith("Moderated at the Moderation meeting")
    after = cohort_figures(find_cohort(SEPTEMBER))
    assert after["practice"]["outstanding"] == before["practice"]["outstanding"] - 1
    assert after["grades_changed_at_moderation"]["practice"] == 1
    detail = page_text(client.get(reverse("review_detail", args=[review.pk])))
    assert "Outstanding Moderated: Good" in detail  # the original beside the moderated grade


def test_confirming_grades_makes_the_review_final_and_counts_it_moderated(client, cast, submitted):
    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=submitted.values())
    review = submitted["plain"]
    item = meeting.agenda.get(review=review)
    client.post(
        reverse("meeting_decide", args=[meeting.pk, item.pk]),
        {"practice_grade": review.grade("practice"), "outcome_grade": review.grade("outcome")},
    )
    item.refresh_from_db()
    assert item.decided and not item.changed
    review.refresh_from_db()
    assert review.status == "final" and review.grade("practice", "moderated") == review.grade(
        "practice"
    )
    figures = cohort_figures(find_cohort(SEPTEMBER))
    assert figures["moderated"] == 1 and figures["grades_changed_at_moderation"]["practice"] == 0


def test_learning_points_and_recommendations_belong_to_the_meeting(client, cast, submitted):
    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=[])
    client.post(
        reverse("meeting_learning", args=[meeting.pk]),
        {"learning-text": "Chronologies are not kept up to date.", "learning-theme": "journey"},
    )
    owner = StaffMember.objects.get(name="BA")
    response = client.post(
        reverse("meeting_recommendation", args=[meeting.pk]),
        {
            "recommendation-action": "Team managers check chronologies in supervision.",
            "recommendation-theme": "management_oversight",
            "recommendation-owner": owner.pk,
            "recommendation-due_date": "31/3/2027",
            "recommendation-success_measure": "Audit shows 90%.",
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get(level="service")
    assert recommendation.raised_at_meeting.meeting == meeting
    assert recommendation.owner == owner and recommendation.created_by == cast["qa_lead"]
    text = page_text(client.get(reverse("meeting_detail", args=[meeting.pk])))
    assert "The journey of the child: Chronologies are not kept up to date." in text
    assert "Team managers check chronologies in supervision." in text
    response = client.post(
        reverse("meeting_recommendation", args=[meeting.pk]), {"recommendation-action": ""}
    )
    assert response.status_code == 400
    assert "Enter what should be done" in page_text(response)
    assert Recommendation.objects.filter(level="service").count() == 1


def test_a_closed_meeting_keeps_its_record(client, cast, submitted):
    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=submitted.values())
    item = meeting.agenda.first()
    client.post(reverse("meeting_close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.closed_at
    response = client.post(
        reverse("meeting_decide", args=[meeting.pk, item.pk]),
        {"practice_grade": "good", "outcome_grade": "good", "reason": "x"},
    )
    assert response.status_code == 404
    assert not AgendaReview.objects.get(pk=item.pk).decided
    client.post(reverse("meeting_learning", args=[meeting.pk]), {"learning-text": "Late."})
    assert not meeting.learning_points.exists()


ROLES = ["qa_lead", "senior_leader", "reviewer_independent", "practitioner", "manager", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_qa_lead_runs_meetings_and_senior_leaders_read_them(client, cast, submitted, role):
    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=submitted.values())
    item = meeting.agenda.first()
    client.logout()
    client.force_login(cast[role])
    readers, writers = {"qa_lead", "senior_leader"}, {"qa_lead"}
    for method, url, allowed in [
        ("get", reverse("meeting_list"), readers),
        ("get", reverse("meeting_detail", args=[meeting.pk]), readers),
        ("get", reverse("meeting_create"), writers),
        ("post", reverse("meeting_create"), writers),
        ("get", reverse("meeting_decide", args=[meeting.pk, item.pk]), writers),
        ("post", reverse("meeting_decide", args=[meeting.pk, item.pk]), writers),
        ("post", reverse("meeting_learning", args=[meeting.pk]), writers),
        ("post", reverse("meeting_recommendation", args=[meeting.pk]), writers),
        ("post", reverse("meeting_close", args=[meeting.pk]), writers),  # last: it closes
    ]:
        status = getattr(client, method)(url, {}).status_code
        assert (status != 404) == (role in allowed), (method, url, status)
    assert (Meeting.objects.get(pk=meeting.pk).closed_at is None) == (role not in writers)


def test_recurring_findings_are_flagged_and_become_a_recommendation_in_one_step(client, cast):
    signed_in(client, cast["qa_lead"])
    response = client.get(reverse("recurring_findings"))
    text = page_text(response)
    assert "Not met: Basic details are up to date on the system" in text
    row = re.search(r"Not met: Basic details.*?</tr>", response.content.decode(), re.S)[0]
    assert "Recurring" in row  # not met in July 2024 and again in September
    link = re.search(r'href="(/moderation/recurring/raise/\?finding=[^"]+)"', row)[1]
    form = client.get(unescape(link))
    assert "Address the recurring finding" in page_text(form)
    owner = StaffMember.objects.get(name="BA")
    response = client.post(
        unescape(link),
        {
            "action": "Record religion at the first visit.",
            "theme": "identity",
            "owner": owner.pk,
            "due_date": "30/4/2027",
            "success_measure": "No review finds it missing.",
        },
    )
    assert response.status_code == 302
    assert (
        Recommendation.objects.get(level="service").action == "Record religion at the first visit."
    )
    client.logout()
    client.force_login(cast["practitioner"])
    assert client.get(reverse("recurring_findings")).status_code == 404
    assert client.get(unescape(link)).status_code == 404


def test_the_agenda_lists_overdue_recommendations_and_impact_checks_due(client, cast):
    import datetime

    from django.utils import timezone

    from practice_review.tracker.models import ImpactCheck

    owner = StaffMember.objects.get(name="BA")
    overdue = Recommendation.objects.create(
        level="service",
        action="Refresh the supervision policy.",
        owner=owner,
        due_date=datetime.date(2025, 1, 31),
        created_by=cast["qa_lead"],
    )
    done = Recommendation.objects.create(
        level="service",
        action="Train managers in chronologies.",
        owner=owner,
        due_date=datetime.date(2025, 1, 31),
        status="completed",
        created_by=cast["qa_lead"],
    )
    ImpactCheck.objects.create(
        recommendation=done, completed_at=timezone.now(), due_on=datetime.date(2025, 5, 1)
    )
    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=[])
    text = page_text(client.get(reverse("meeting_detail", args=[meeting.pk])))
    overdue_part = text[text.index("5. Overdue recommendations") : text.index("6. Impact checks")]
    impact_part = text[text.index("6. Impact checks due") : text.index("7. Learning points")]
    assert overdue.action in overdue_part and done.action not in overdue_part
    assert done.action in impact_part and "impact check due 1 May 2025" in impact_part


def test_a_reopened_review_counts_its_own_grades_until_moderated_again(client, cast, submitted):
    from practice_review.reviews import actions as review_actions

    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=[submitted["plain"]])
    item = meeting.agenda.get()
    client.post(
        reverse("meeting_decide", args=[meeting.pk, item.pk]),
        {
            "practice_grade": "inadequate",
            "outcome_grade": "inadequate",
            "reason": "Drift in planning.",
        },
    )
    review = Review.objects.get(pk=submitted["plain"].pk)
    review_actions.reopen_review(review=review, by=cast["qa_lead"], reason="New information.")
    review.refresh_from_db()
    assert (review.grade("practice", "moderated"), review.moderation_reason) == (None, "")
    item.refresh_from_db()
    assert item.agreed_grades["practice"] == "inadequate"  # the meeting's record stays as it was
    assert cohort_figures(find_cohort(SEPTEMBER))["grades_changed_at_moderation"]["practice"] == 0


def test_a_dual_review_is_moderated_only_once_both_reviewers_have_graded(client, cast, submitted):
    regrade(
        Review.objects.filter(pk=submitted["plain"].pk),
        second_reviewer=StaffMember.objects.get(name="Head of Safeguarding and QA"),
        second_practice_grade=None,
        second_outcome_grade=None,
    )
    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=[submitted["plain"]])
    item = meeting.agenda.get()
    response = client.post(
        reverse("meeting_decide", args=[meeting.pk, item.pk]),
        {"practice_grade": "good", "outcome_grade": "good", "reason": "x"},
    )
    assert "The second reviewer has not graded this review yet" in page_text(response)
    assert Review.objects.get(pk=submitted["plain"].pk).status == "submitted"


# ---------------------------------------------------------------- small things a user noticed


def test_a_meeting_with_one_review_says_review_not_reviews(client, cast, submitted):
    signed_in(client, cast["qa_lead"])
    response = client.post(
        reverse("meeting_create"),
        {"held_on": "15/1/2027", "attendees": "The panel", "reviews": [submitted["gap"].pk]},
        follow=True,
    )
    assert "Meeting planned with 1 review." in page_text(response)


def test_a_recommendation_without_a_due_date_says_what_to_enter(client, cast, submitted):
    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=[])
    response = client.post(
        reverse("meeting_recommendation", args=[meeting.pk]),
        {"recommendation-action": "Check chronologies.", "recommendation-success_measure": "90%"},
    )
    text = page_text(response)
    assert "Enter the due by" not in text
    assert "Enter the date it should be done by" in text


def test_a_meeting_due_months_ago_is_marked_overdue(client, cast):
    from datetime import date

    from practice_review.core.history import save_as

    save_as(Meeting(held_on=date(2025, 1, 10), attendees="The panel", created_by=cast["qa_lead"]),
            cast["qa_lead"])  # fmt: skip
    text = page_text(signed_in(client, cast["senior_leader"]).get(reverse("meeting_list")))
    assert "Next meeting due 10 March 2025 Overdue" in text


def test_closing_a_meeting_asks_first_and_closes_only_when_confirmed(client, cast, submitted):
    signed_in(client, cast["qa_lead"])
    meeting = plan(client, reviews=[submitted["gap"]])
    asked = client.get(reverse("meeting_close", args=[meeting.pk]))
    assert asked.status_code == 200
    text = page_text(asked)
    assert "Are you sure you want to close this meeting?" in text
    assert "1 review not decided stays submitted" in text
    meeting.refresh_from_db()
    assert meeting.closed_at is None  # asking changes nothing
    client.post(reverse("meeting_close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.closed_at is not None
