"""Alerts: an area of significant concern that must reach the responsible manager at once
(domain.md, issue 3).

A reviewer (or the QA lead) raises an alert on a review. It is emailed at once to the allocated
worker's manager (the review's supervisor) and the QA lead, and must be acknowledged within
ALERT_ACKNOWLEDGE_WORKING_DAYS working days (working_days.py). Each time that clock runs out
unacknowledged, `escalate_overdue_alerts` (run by a scheduler through the `escalate-alerts`
command) moves it one step along domain.md's chain, manager → QA lead → senior leaders, with a
new deadline, and emails the people at the new step. At the top, senior leaders are reminded
each time the clock runs out, until someone acknowledges.

Emails carry the alert's reference, its severity, the deadline and a link: never the child's
details and never the concern, which is case content (people read it after signing in).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from practice_review.accounts.models import User
from practice_review.accounts.permissions import Permission, has_permission
from practice_review.core.bank_holidays import is_bank_holiday
from practice_review.core.history import save_as
from practice_review.reviews.models import Alert
from practice_review.reviews.queries import reviews_visible_to
from practice_review.reviews.working_days import acknowledgement_deadline

# Escalation levels: who must act at each step of domain.md's chain.
MANAGER, QA_LEAD, SENIOR_LEADERS = 0, 1, 2
TOP_LEVEL = SENIOR_LEADERS
LEVEL_NAMES = {MANAGER: "the manager", QA_LEAD: "the QA lead", SENIOR_LEADERS: "senior leaders"}
SEVERITY_ORDER = {key: rank for rank, (key, _label) in enumerate(Alert.SEVERITIES)}


class AlertNotAllowed(Exception):
    """The alert cannot be changed that way in its current state (or by this person)."""


def deadline_from(moment):
    return acknowledgement_deadline(
        moment, settings.ALERT_ACKNOWLEDGE_WORKING_DAYS, is_bank_holiday
    )


# Queries ------------------------------------------------------------------------------------


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
    if user.role == "manager":
        return alerts.filter(review__supervisor=user.staff_member_id)
    if user.role == "reviewer":
        return alerts.filter(review__in=reviews_visible_to(user))
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
    if user.role == "senior_leader":
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


# Who may do what ----------------------------------------------------------------------------


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
    if user.role == "senior_leader" and alert.escalation_level < SENIOR_LEADERS:
        return False
    return alerts_visible_to(user).filter(pk=alert.pk).exists()


# Actions ------------------------------------------------------------------------------------


@transaction.atomic
def raise_alert(*, review, concern, severity, must_act, by):
    if not may_raise_alert(by, review):
        raise AlertNotAllowed("You cannot raise an alert on this review")
    if severity not in SEVERITY_ORDER:
        raise ValueError(f"unknown severity {severity!r}")
    if not concern.strip():
        raise ValueError("an alert needs a concern")
    now = timezone.now()
    alert = Alert(
        review=review,
        concern=concern.strip(),
        severity=severity,
        must_act=must_act,
        raised_by=by,
        acknowledge_by=deadline_from(now),
    )
    save_as(alert, by)
    recipients = managers_of(review) + people_with_role("qa_lead")
    _email_on_commit(alert, recipients, _raised_email(alert))
    return alert


@transaction.atomic
def acknowledge_alert(*, alert, by):
    alert = _locked(alert)
    if not may_act_on_alert(by, alert):
        raise AlertNotAllowed("You cannot acknowledge this alert")
    if alert.closed_at:
        raise AlertNotAllowed("This alert is already closed")
    if alert.acknowledged_at:
        raise AlertNotAllowed(f"This alert was already acknowledged by {alert.acknowledged_by}")
    alert.acknowledged_by = by
    alert.acknowledged_at = timezone.now()
    save_as(alert, by)
    return alert


@transaction.atomic
def close_alert(*, alert, action_taken, by):
    """Record what was done and close the alert. Closing it acknowledges it if nobody had."""
    alert = _locked(alert)
    if not may_act_on_alert(by, alert):
        raise AlertNotAllowed("You cannot close this alert")
    if alert.closed_at:
        raise AlertNotAllowed(f"This alert was already closed by {alert.closed_by}")
    if not action_taken.strip():
        raise ValueError("closing an alert needs the action taken")
    now = timezone.now()
    if not alert.acknowledged_at:
        alert.acknowledged_by, alert.acknowledged_at = by, now
    alert.action_taken = action_taken.strip()
    alert.closed_by, alert.closed_at = by, now
    save_as(alert, by)
    return alert


@dataclass(frozen=True)
class Escalation:
    reference: str
    from_level: int
    to_level: int
    emails: int
    acknowledge_by: datetime

    def __str__(self):
        local = timezone.localtime(self.acknowledge_by)
        step = (
            f"reminded {LEVEL_NAMES[self.to_level]}"
            if self.from_level == self.to_level
            else f"escalated from {LEVEL_NAMES[self.from_level]} to {LEVEL_NAMES[self.to_level]}"
        )
        return (
            f"{self.reference} {step} ({self.emails} email{'' if self.emails == 1 else 's'}); "
            f"now due by {local:%Y-%m-%d %H:%M}"
        )


@transaction.atomic
def escalate_overdue_alerts(*, now=None):
    """Move each overdue alert one step up the chain with a new deadline counted from now, and
    email the people at the new step. Running it again before that deadline does nothing."""
    now = now or timezone.now()
    done = []
    for alert in overdue_alerts(Alert.objects.select_for_update(), now).order_by("id"):
        from_level = alert.escalation_level
        alert.escalation_level = min(from_level + 1, TOP_LEVEL)
        alert.escalated_at = now
        alert.acknowledge_by = deadline_from(now)
        alert.save(update_fields=["escalation_level", "escalated_at", "acknowledge_by"])
        recipients = people_at_level(alert.escalation_level, alert.review)
        _email_on_commit(alert, recipients, _escalated_email(alert, from_level))
        done.append(
            Escalation(
                alert.reference,
                from_level,
                alert.escalation_level,
                len(recipients),
                alert.acknowledge_by,
            )
        )
    return done


def _locked(alert):
    # Re-read under a row lock (PostgreSQL; SQLite's IMMEDIATE transactions already queue
    # writers), so two people acknowledging at once cannot both succeed.
    return Alert.objects.select_for_update().get(pk=alert.pk)


# Recipients and emails ------------------------------------------------------------------------


def people_with_role(role):
    return list(User.objects.filter(is_active=True, role=role).exclude(email=""))


def managers_of(review):
    """The allocated worker's manager: the users who are the review's supervisor."""
    if review.supervisor_id is None:
        return []
    managers = User.objects.filter(
        is_active=True, role="manager", staff_member=review.supervisor_id
    )
    return list(managers.exclude(email=""))


def people_at_level(level, review):
    if level == MANAGER:
        return managers_of(review)
    if level == QA_LEAD:
        return people_with_role("qa_lead")
    return people_with_role("senior_leader")


def alert_link(alert):
    return settings.SITE_URL + reverse("alert_detail", args=[alert.pk])


def _deadline_text(alert):
    return f"{timezone.localtime(alert.acknowledge_by):%-d %B %Y at %H:%M}"


def _raised_email(alert):
    subject = f"{alert.reference}: {alert.severity} severity alert raised"
    body = (
        f"An alert has been raised on a practice review and must be acknowledged by "
        f"{_deadline_text(alert)}.\n\n"
        f"Reference: {alert.reference}\n"
        f"Severity: {alert.get_severity_display()}\n\n"
        f"Sign in to read it, acknowledge it and record what was done:\n{alert_link(alert)}\n"
    )
    return subject, body


def _escalated_email(alert, from_level):
    to_whom = LEVEL_NAMES[alert.escalation_level]
    subject = f"{alert.reference}: {alert.severity} severity alert escalated to {to_whom}"
    body = (
        f"An alert on a practice review was not acknowledged in time by "
        f"{LEVEL_NAMES[from_level]} and has been escalated to {to_whom}. "
        f"It must now be acknowledged by {_deadline_text(alert)}.\n\n"
        f"Reference: {alert.reference}\n"
        f"Severity: {alert.get_severity_display()}\n\n"
        f"Sign in to read it, acknowledge it and record what was done:\n{alert_link(alert)}\n"
    )
    return subject, body


def _email_on_commit(alert, recipients, subject_and_body):
    """One email per person (nobody sees who else was told), sent once the write is committed
    so nobody is told of an alert that was rolled back. robust: a mail server failure is logged
    and does not undo the alert, which still shows on home pages and keeps escalating."""
    subject, body = subject_and_body
    addresses = list(dict.fromkeys(user.email for user in recipients))
    if not addresses:
        return

    def send():
        messages = [EmailMessage(subject, body, None, [address]) for address in addresses]
        get_connection().send_messages(messages)

    transaction.on_commit(send, robust=True)


# Display ------------------------------------------------------------------------------------


class AlertSummary:
    """An alert as pages show it: its status as a GOV.UK tag, overdue or not, how far up."""

    def __init__(self, alert, now=None):
        self.alert = alert
        now = now or timezone.now()
        self.overdue = bool(
            not alert.closed_at
            and not alert.acknowledged_at
            and alert.acknowledge_by
            and alert.acknowledge_by <= now
        )

    def __getattr__(self, name):
        return getattr(self.alert, name)

    @property
    def url(self):
        return reverse("alert_detail", args=[self.alert.pk])

    @property
    def status(self):
        if self.alert.closed_at:
            return "Closed"
        if self.alert.acknowledged_at:
            return "Acknowledged"
        if self.overdue:
            return "Overdue"
        return "Awaiting acknowledgement"

    @property
    def status_tag(self):
        return {
            "Closed": "govuk-tag--grey",
            "Acknowledged": "",  # the default tag, blue
            "Overdue": "govuk-tag--red",
            "Awaiting acknowledgement": "govuk-tag--yellow",
        }[self.status]

    @property
    def severity_tag(self):
        return {"high": "govuk-tag--red", "medium": "govuk-tag--orange"}.get(
            self.alert.severity, "govuk-tag--grey"
        )

    @property
    def severity_label(self):
        return self.alert.severity.capitalize()

    @property
    def escalated_to(self):
        """'the QA lead' or 'senior leaders' once escalated; '' while with the manager."""
        return LEVEL_NAMES[self.alert.escalation_level] if self.alert.escalation_level else ""

    def urgency(self):
        """Sort key: open before closed, overdue first, then most severe, then soonest due."""
        return (
            bool(self.alert.closed_at),
            not self.overdue,
            SEVERITY_ORDER.get(self.alert.severity, len(SEVERITY_ORDER)),
            self.alert.acknowledge_by or self.alert.raised_at,
            self.alert.pk,
        )


def summarise(alerts, now=None):
    now = now or timezone.now()
    return sorted((AlertSummary(alert, now) for alert in alerts), key=AlertSummary.urgency)
