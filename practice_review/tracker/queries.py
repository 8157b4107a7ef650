"""Reads for the tracker, always through the person's scope.

The QA lead and senior leaders see every recommendation; everyone else sees those on reviews
they can see (`reviews_visible_to`, the one scoped way to case data) and those they own. Out of
scope is a 404. A child-level recommendation is tracked once its review is submitted or final:
before that it is still the reviewer's draft and may be removed.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from practice_review.core.permissions import Permission, has_permission
from practice_review.core.vocabulary import COMPLETED_STATES
from practice_review.reviews.models import AuditTemplate
from practice_review.reviews.queries import reviews_blind_to, reviews_visible_to
from practice_review.tracker import rules
from practice_review.tracker.models import ImpactCheck, Recommendation

# Child-level recommendations join the tracker when their review is submitted, and stay once
# anything has been tracked (a reopened review must not hide their updates or impact check).
TRACKED = (
    Q(level="service")
    | Q(review__status__in=COMPLETED_STATES)
    | Q(updates__isnull=False)
    | Q(impact_check__isnull=False)
    | Q(reminders__isnull=False)
)


def may_use_tracker(user):
    return any(
        has_permission(user, permission)
        for permission in (
            Permission.VIEW_CASES,
            Permission.MANAGE_RECOMMENDATIONS,
            Permission.VIEW_ALL_RECOMMENDATIONS,
        )
    )


def recommendations_visible_to(user):
    recommendations = Recommendation.objects.filter(TRACKED).distinct()
    if has_permission(user, Permission.VIEW_ALL_RECOMMENDATIONS):
        return recommendations
    if not may_use_tracker(user):
        return recommendations.none()
    scope = Q(review__in=reviews_visible_to(user))
    if user.staff_member_id is not None:
        scope |= Q(owner=user.staff_member_id)
    # Not those of dual reviews a second reviewer is grading blind, even one they own: the first
    # reviewer's recommendations are part of the write-up (reviews/dual_review.py).
    return recommendations.filter(scope).exclude(review__in=reviews_blind_to(user)).distinct()


def with_details(recommendations):
    return recommendations.select_related(
        "owner__team", "review__child", "review__cohort", "cohort", "impact_check"
    ).order_by("due_date", "id")


def get_recommendation_for_user(user, recommendation_id):
    return get_object_or_404(
        with_details(recommendations_visible_to(user)).select_related("created_by"),
        pk=recommendation_id,
    )


def filter_recommendations(recommendations, filters, today=None):
    """`filters` is a filter form's cleaned data; empty values do not filter."""
    today = today or timezone.localdate()
    if filters.get("owner"):
        recommendations = recommendations.filter(owner=filters["owner"])
    if filters.get("team"):
        recommendations = recommendations.filter(owner__team=filters["team"])
    if filters.get("theme"):
        recommendations = recommendations.filter(theme=filters["theme"])
    if filters.get("status"):
        recommendations = recommendations.filter(status__in=filters["status"])
    if filters.get("cohort"):
        cohort = filters["cohort"]
        recommendations = recommendations.filter(Q(cohort=cohort) | Q(review__cohort=cohort))
    attention = set(filters.get("attention") or ())
    if attention:
        wanted = Q(pk__in=[])
        if "overdue" in attention:
            wanted |= Q(status__in=rules.ACTIVE_STATUSES, due_date__lt=today)
        if "impact_due" in attention:
            wanted |= Q(impact_check__recorded_at__isnull=True, impact_check__due_on__lte=today)
        recommendations = recommendations.filter(wanted)
    return recommendations


def user_is_owner(user, recommendation):
    return user.staff_member_id is not None and recommendation.owner_id == user.staff_member_id


def impact_check_of(recommendation):
    try:
        return recommendation.impact_check
    except ImpactCheck.DoesNotExist:
        return None


def may_update(user, recommendation):
    return rules.may_update(
        role=user.role,
        is_owner=user_is_owner(user, recommendation),
        level=recommendation.level,
        manages_all=has_permission(user, Permission.MANAGE_RECOMMENDATIONS),
    )


def may_record_impact(user, recommendation):
    check = impact_check_of(recommendation)
    return check is not None and rules.may_record_impact(
        role=user.role,
        is_owner=user_is_owner(user, recommendation),
        status=recommendation.status,
        recorded=check.recorded,
    )


def may_sign_off_impact(user, recommendation):
    check = impact_check_of(recommendation)
    return check is not None and rules.may_sign_off_impact(
        manages_all=has_permission(user, Permission.MANAGE_RECOMMENDATIONS),
        recorded=check.recorded,
        signed_off=check.signed_off,
        recorded_it=check.recorded_by_id == user.pk,
    )


class RecommendationRow:
    """A recommendation as the list, the page and the export show it: no logic in templates."""

    def __init__(self, recommendation, today, theme_words=None):
        self.recommendation = recommendation
        self.theme_words = theme_words
        self.impact = impact_check_of(recommendation)
        self.overdue = rules.is_overdue(recommendation.status, recommendation.due_date, today)
        self.impact_due = bool(
            self.impact
            and rules.is_impact_check_due(self.impact.due_on, self.impact.recorded, today)
        )

    def __getattr__(self, name):
        return getattr(self.recommendation, name)

    @property
    def reference(self):
        return rules.reference(self.recommendation.pk)

    @property
    def url(self):
        return reverse("tracker_detail", args=[self.recommendation.pk])

    @property
    def status_label(self):
        return rules.status_label(self.recommendation.status)

    @property
    def status_tag(self):
        return {
            rules.OPEN: "",  # the default tag, blue
            rules.IN_PROGRESS: "govuk-tag--turquoise",
            rules.COMPLETED: "govuk-tag--green",
        }.get(self.recommendation.status, "govuk-tag--grey")

    @property
    def level_label(self):
        return self.recommendation.get_level_display()

    @property
    def theme_label(self):
        if self.theme_words is None:
            return self.recommendation.theme_label
        return self.recommendation.theme_label_from(self.theme_words)

    @property
    def owner_name(self):
        return str(self.recommendation.owner) if self.recommendation.owner else ""

    @property
    def team_name(self):
        owner = self.recommendation.owner
        return owner.team.name if owner and owner.team else ""

    @property
    def cohort_name(self):
        cohort = self.recommendation.cohort or (
            self.recommendation.review.cohort if self.recommendation.review else None
        )
        return cohort.name if cohort else ""

    @property
    def child_initials(self):
        review = self.recommendation.review
        return review.child.initials if review else ""

    @property
    def impact_status(self):
        """Where the impact check is: '' before completion."""
        if self.impact is None:
            return ""
        if self.impact.signed_off:
            return "Signed off"
        if self.impact.recorded:
            return "Awaiting sign-off"
        return "Due" if self.impact_due else "Not yet due"


def rows_for(recommendations, today=None):
    today = today or timezone.localdate()
    words = AuditTemplate.objects.theme_words()  # one query, however many recommendations
    return [RecommendationRow(recommendation, today, words) for recommendation in recommendations]


EXPORT_COLUMNS = [
    ("Reference", lambda row: row.reference),
    ("Level", lambda row: row.level_label),
    ("Action", lambda row: row.action),
    ("How success will be seen", lambda row: row.success_measure),
    ("Owner", lambda row: row.owner_name),
    ("Team", lambda row: row.team_name),
    ("Due date", lambda row: row.due_date),
    ("Status", lambda row: row.status_label),
    ("Reason", lambda row: row.status_reason),
    ("Overdue", lambda row: row.overdue),
    ("Theme", lambda row: row.theme_label),
    ("Cohort", lambda row: row.cohort_name),
    ("Child (initials)", lambda row: row.child_initials),
    ("Impact check due", lambda row: row.impact.due_on if row.impact else ""),
    ("Impact check", lambda row: row.impact_status),
    (
        "Made a difference",
        lambda row: row.impact.get_made_difference_display() if row.impact else "",
    ),
    ("For whom", lambda row: row.impact.get_difference_for_display() if row.impact else ""),
    ("Evidence of impact", lambda row: row.impact.evidence if row.impact else ""),
]


def export_table(rows):
    """(header, rows of values) for core/spreadsheets.py: what the list shows, and the impact
    check."""
    header = [name for name, _value in EXPORT_COLUMNS]
    return header, [[value(row) for _name, value in EXPORT_COLUMNS] for row in rows]
