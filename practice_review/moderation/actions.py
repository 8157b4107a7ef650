"""Writes for moderation meetings. Each takes `by`, runs in one transaction and keeps history."""

from django.db import transaction
from django.utils import timezone

from practice_review.core.audit_templates import built_in
from practice_review.core.history import save_as
from practice_review.core.permissions import Permission, has_permission
from practice_review.core.vocabulary import ReviewStatus
from practice_review.moderation.agenda import reasons_for
from practice_review.moderation.models import (
    AgendaReview,
    LearningPoint,
    Meeting,
    MeetingRecommendation,
)
from practice_review.reviews import dual_review, workflow
from practice_review.reviews.actions import NotAllowed
from practice_review.reviews.answers import MODERATED, with_grades
from practice_review.reviews.models import Review, ReviewEvent
from practice_review.tracker.models import Recommendation


@transaction.atomic
def plan_meeting(*, by, held_on, attendees, reviews):
    """A meeting and its agenda: `reviews` is the sample the QA lead chose (all by default)."""
    meeting = save_as(Meeting(held_on=held_on, attendees=attendees.strip(), created_by=by), by)
    on_open_agenda = AgendaReview.objects.filter(meeting__closed_at__isnull=True)
    for review in reviews:
        if review.status != ReviewStatus.SUBMITTED:
            raise NotAllowed(f"{review} is not waiting for moderation")
        if on_open_agenda.filter(review=review).exists():
            raise NotAllowed(f"{review} is already on an open meeting's agenda")
        save_as(AgendaReview(meeting=meeting, review=review, reasons=reasons_for(review)), by)
    return meeting


@transaction.atomic
def moderate(*, by, item, grades, reason=""):
    """The meeting's decision on one review: each grade ({axis: grade}, every axis of the
    review's template) confirmed or changed (with a reason).

    The reviewer's grades stay as they were; the moderated grades are the ones counted, and the
    review becomes final. Deciding again (the meeting changes its mind) replaces the decision.
    """
    item = AgendaReview.objects.select_for_update().get(pk=item.pk)
    _open(_locked(item.meeting))
    review = Review.objects.select_for_update().get(pk=item.review_id)
    if not has_permission(by, Permission.MODERATE):
        raise NotAllowed("Only the QA lead records the meeting's decisions")
    if not workflow.can("moderate", review.status, by.role):
        raise NotAllowed("Only a submitted or final review can be moderated")
    if review.second_reviewer_id and not dual_review.second_graded(review):
        raise NotAllowed(
            "The second reviewer has not graded this review yet: moderate it once "
            "they have, so both reviewers' grades are before the meeting"
        )
    for axis in review.axes:
        if grades.get(axis.key) not in {level.key for level in axis.levels}:
            raise NotAllowed(f"Select {axis.label.lower()}")
    agreed = {axis: grades[axis] for axis in review.axis_keys}
    original = {axis: review.grade(axis) for axis in review.axis_keys if review.grade(axis)}
    reason = reason.strip()
    changed = agreed != original
    if changed and not reason:
        raise NotAllowed("Give the reason for changing the grade")
    item.original_grades, item.agreed_grades, item.reason = original, agreed, reason
    item.decided_by, item.decided_at = by, timezone.now()
    save_as(item, by)
    what = "changed" if changed else "confirmed"
    note = f"Moderated at the {item.meeting}: grades {what}" + (f". {reason}" if reason else "")
    ReviewEvent.objects.create(
        review=review, from_status=review.status, to_status=ReviewStatus.FINAL, by=by, reason=note
    )
    review.answers = with_grades(
        review.answers, {axis: {MODERATED: grade} for axis, grade in agreed.items()}
    )
    review.moderation_reason = reason
    review.status = ReviewStatus.FINAL
    review.version += 1
    save_as(review, by)
    return item


@transaction.atomic
def add_learning_point(*, by, meeting, text, theme=""):
    meeting = _open(_locked(meeting))
    _check_theme(theme, meeting.themes)
    return save_as(LearningPoint(meeting=meeting, text=text.strip(), theme=theme, by=by), by)


@transaction.atomic
def raise_recommendation(*, by, meeting, **fields):
    """A service-level recommendation the meeting agreed, tracked like every other one."""
    meeting = _open(_locked(meeting))
    recommendation = raise_for_finding(by=by, themes=meeting.themes, **fields)
    MeetingRecommendation.objects.create(meeting=meeting, recommendation=recommendation)
    return recommendation


@transaction.atomic
def raise_for_finding(*, by, action, theme, owner, due_date, success_measure, themes=None):
    """A service-level recommendation (for a recurring finding, or raised at a meeting).
    `themes` are those it may be about: the meeting's (Meeting.themes), else the built-in's."""
    _check_theme(theme, built_in().themes if themes is None else themes)
    recommendation = Recommendation(
        level="service",
        theme=theme,
        action=action.strip(),
        owner=owner,
        due_date=due_date,
        success_measure=success_measure.strip(),
        created_by=by,
    )
    return save_as(recommendation, by)


@transaction.atomic
def close_meeting(*, by, meeting):
    meeting = _open(_locked(meeting))
    meeting.closed_at = timezone.now()
    return save_as(meeting, by)


def _check_theme(theme, themes):
    if theme and theme not in {asked.key for asked in themes}:
        raise NotAllowed("Select a theme from the list")


def _locked(meeting):
    """The meeting as it is now, locked: closing it and writing to it cannot interleave."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _open(meeting):
    if meeting.closed_at:
        raise NotAllowed("The meeting is closed: its record is kept as it was")
    return meeting
