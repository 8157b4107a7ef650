"""What a moderation meeting needs to see, read from the database."""

from django.db.models import Count, Min
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from practice_review.alerts.models import Alert
from practice_review.core.permissions import Permission, has_permission
from practice_review.core.vocabulary import ReviewStatus
from practice_review.moderation.models import AgendaReview, Meeting
from practice_review.moderation.recurring import findings
from practice_review.reviews.answers import lookup
from practice_review.reviews.models import AuditTemplate, Cohort, Review, ThemeFinding
from practice_review.tracker.models import ImpactCheck, Recommendation
from practice_review.tracker.rules import ACTIVE_STATUSES


def reviews_awaiting_moderation():
    """Submitted reviews not yet made final nor on an open meeting's agenda, oldest first."""
    on_open_agenda = AgendaReview.objects.filter(meeting__closed_at__isnull=True).values("review")
    return (
        Review.objects.filter(status=ReviewStatus.SUBMITTED)
        .exclude(pk__in=on_open_agenda)
        .select_related("child", "cohort", "reviewer", "second_reviewer", "template")
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
        Recommendation.objects.filter(status__in=ACTIVE_STATUSES, due_date__lt=today)
        .select_related("owner", "review__child", "cohort")
        .order_by("due_date", "id")
    )


def impact_checks_due(today=None):
    """Completed recommendations whose impact check is due and not yet recorded."""
    today = today or timezone.localdate()
    return (
        ImpactCheck.objects.filter(due_on__lte=today, recorded_at__isnull=True)
        .select_related("recommendation__owner")
        .order_by("due_on", "id")
    )


def meetings_visible_to(user):
    """Moderation meetings are about the whole programme: the roles that may view moderation
    see every meeting, nobody else sees any (docs/spec/domain.md#who-sees-what)."""
    if has_permission(user, Permission.VIEW_MODERATION):
        return Meeting.objects.all()
    return Meeting.objects.none()


def get_meeting_for_user(user, meeting_id):
    return get_object_or_404(meetings_visible_to(user), pk=meeting_id)


def meetings_with_counts(user):
    return meetings_visible_to(user).prefetch_related("agenda").order_by("-held_on", "-id")


def recurring_findings(reviews):
    """(cohort names in order, findings) over `reviews` (the reader's scope)."""
    completed = reviews.completed()
    cohorts = list(
        Cohort.objects.filter(reviews__in=completed)
        .annotate(starts=Coalesce("period_start", Min("reviews__review_date")))
        .distinct()
        .order_by("starts", "name")
    )
    names = [cohort.name for cohort in cohorts]
    # The standards the reviews' templates ask (a key two versions share counts as one).
    asked = AuditTemplate.objects.filter(pk__in=completed.values("template_id"))
    labels = {}
    for template in asked.order_by("key", "version"):
        for standard in template.template.standards:
            labels.setdefault(standard.key, standard.label.split(" (")[0])
    standards = {}
    for key in labels:
        not_met = completed.filter(**{lookup(key): "not_met"})
        rows = not_met.values("cohort__name").annotate(n=Count("id"))
        for row in rows.order_by():
            standards[(row["cohort__name"], key)] = row["n"]
    tagged = (
        ThemeFinding.objects.filter(review__in=completed, topics__isnull=False)
        .values("review__cohort__name", "topics__name")
        .annotate(n=Count("review", distinct=True))
        .order_by()
    )
    topics = {(row["review__cohort__name"], row["topics__name"]): row["n"] for row in tagged}
    return names, findings(names, standards, topics, labels)
