"""Reads of alerts, always through the user's scope (docs/spec/domain.md#who-sees-what), who
may raise or act on one, and who is told."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from practice_review.accounts.models import User
from practice_review.alerts.models import Alert
from practice_review.alerts.presenters import summarise
from practice_review.alerts.rules import MANAGER, QA_LEAD, SENIOR_LEADERS
from practice_review.core.permissions import Permission, has_permission
from practice_review.core.vocabulary import Role
from practice_review.reviews.queries import reviews_blind_to, reviews_visible_to


def alerts_visible_to(user):
    """The alerts this person may see. A manager sees the alerts on the reviews they supervise
    whatever the review's state: an alert must reach them long before the review is submitted."""
    alerts = Alert.objects.select_related(
        "review__child", "review__cohort", "review__supervisor", "must_act"
    )
    if not has_permission(user, Permission.VIEW_ALERTS):
        return alerts.none()
    if has_permission(user, Permission.VIEW_ALL_CASES):
        return alerts
    if user.staff_member_id is None:
        return alerts.none()
    if user.role == Role.MANAGER:
        return alerts.filter(review__supervisor=user.staff_member_id)
    if user.role == Role.REVIEWER:
        # A second reviewer grading blind sees the alerts they raised, not the first reviewer's
        # (the concern is part of the write-up: reviews/dual_review.py).
        others_on_blind_reviews = Q(review__in=reviews_blind_to(user)) & ~Q(raised_by=user)
        return alerts.filter(review__in=reviews_visible_to(user)).exclude(others_on_blind_reviews)
    return alerts.none()


def get_alert_for_user(user, alert_id):
    return get_object_or_404(alerts_visible_to(user), pk=alert_id)


def open_alerts(alerts):
    return alerts.filter(closed_at__isnull=True)


def overdue_alerts(alerts, now=None):
    """Open, unacknowledged, and past the time they had to be acknowledged by."""
    return open_alerts(alerts).filter(
        acknowledged_at__isnull=True, acknowledge_by__lte=now or timezone.now()
    )


def alerts_to_act_on(user):
    """The open alerts this person must act on now: the manager from the start, the QA lead
    every open alert (they are told of each at once and own it from the first escalation),
    senior leaders once an alert reaches them."""
    alerts = open_alerts(alerts_visible_to(user))
    if not has_permission(user, Permission.ACT_ON_ALERTS):
        return alerts.none()
    if user.role == Role.SENIOR_LEADER:
        return alerts.filter(escalation_level__gte=SENIOR_LEADERS)
    return alerts


def home_alerts(user, now=None):
    """What the home page shows: open alerts this person must act on, overdue first."""
    rows = summarise(alerts_to_act_on(user), now)
    return {
        "acts_on_alerts": has_permission(user, Permission.ACT_ON_ALERTS),
        "alerts": rows,
        "open": len(rows),
        "overdue": sum(row.overdue for row in rows),
    }


def may_raise_alert(user, review):
    """The reviewer assigned to the review (its scope for a reviewer) and the QA lead."""
    return (
        has_permission(user, Permission.RAISE_ALERTS)
        and reviews_visible_to(user).filter(pk=review.pk).exists()
    )


def may_act_on_alert(user, alert):
    """Acknowledge and close: whoever must act on it now (alerts_to_act_on), in any state."""
    if not has_permission(user, Permission.ACT_ON_ALERTS):
        return False
    if user.role == Role.SENIOR_LEADER and alert.escalation_level < SENIOR_LEADERS:
        return False
    return alerts_visible_to(user).filter(pk=alert.pk).exists()


def people_with_role(role):
    return list(User.objects.filter(is_active=True, role=role).exclude(email=""))


def managers_of(review):
    """The allocated worker's manager: the users who are the review's supervisor."""
    if review.supervisor_id is None:
        return []
    managers = User.objects.filter(
        is_active=True, role=Role.MANAGER, staff_member=review.supervisor_id
    )
    return list(managers.exclude(email=""))


def people_at_level(level, review):
    if level == MANAGER:
        return managers_of(review)
    if level == QA_LEAD:
        return people_with_role(Role.QA_LEAD)
    return people_with_role(Role.SENIOR_LEADER)
