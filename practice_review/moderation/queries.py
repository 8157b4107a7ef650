"""What a moderation meeting needs to see, read from the database."""

from django.utils import timezone

from practice_review.moderation.models import Meeting
from practice_review.reviews import workflow
from practice_review.reviews.models import Alert, Recommendation, Review

OPEN_RECOMMENDATIONS = ["open", "in_progress"]


def reviews_awaiting_moderation():
    """Submitted reviews not yet made final, oldest submission first."""
    return (
        Review.objects.filter(status=workflow.SUBMITTED)
        .select_related("child", "cohort", "reviewer", "second_reviewer")
        .order_by("review_date", "id")
    )


def previous_meeting(before=None):
    meetings = Meeting.objects.all()
    if before is not None:
        meetings = meetings.filter(held_on__lt=before)
    return meetings.order_by("-held_on", "-id").first()


def open_alerts():
    """Alerts not yet closed, the most escalated first."""
    return (
        Alert.objects.filter(closed_at__isnull=True)
        .select_related("review__child", "must_act")
        .order_by("-escalation_level", "raised_at")
    )


def overdue_recommendations(today=None):
    today = today or timezone.localdate()
    return (
        Recommendation.objects.filter(status__in=OPEN_RECOMMENDATIONS, due_date__lt=today)
        .select_related("owner", "review__child", "cohort")
        .order_by("due_date", "id")
    )


def meetings_with_counts():
    return Meeting.objects.prefetch_related("agenda").order_by("-held_on", "-id")
