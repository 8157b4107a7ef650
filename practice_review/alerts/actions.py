"""Alerts: an area of significant concern that must reach the responsible manager at once
(docs/spec/domain.md#alerts).

A reviewer (or the QA lead) raises an alert on a review. It is emailed at once to the allocated
worker's manager (the review's supervisor) and the QA lead, and must be acknowledged within
ALERT_ACKNOWLEDGE_WORKING_DAYS working days (working_days.py). Each time that clock runs out
unacknowledged, `escalate_overdue_alerts` (run by a scheduler through the `escalate-alerts`
command) moves it one step along the chain (docs/spec/domain.md#escalation), manager → QA lead →
senior leaders, with a new deadline, and emails the people at the new step. At the top, senior
leaders are reminded each time the clock runs out, until someone acknowledges.

Emails carry the alert's reference, its severity, the deadline and a link: never the child's
details and never the concern, which is case content (people read it after signing in).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from practice_review.alerts.email import email_on_commit, escalated_email, raised_email
from practice_review.alerts.models import Alert
from practice_review.alerts.queries import (
    managers_of,
    may_act_on_alert,
    may_raise_alert,
    overdue_alerts,
    people_at_level,
    people_with_role,
)
from practice_review.alerts.rules import LEVEL_NAMES, SEVERITY_ORDER, AlertNotAllowed, next_level
from practice_review.alerts.working_days import acknowledgement_deadline
from practice_review.core.bank_holidays import is_bank_holiday
from practice_review.core.history import save_as
from practice_review.core.vocabulary import Role


def deadline_from(moment):
    return acknowledgement_deadline(
        moment, settings.ALERT_ACKNOWLEDGE_WORKING_DAYS, is_bank_holiday
    )


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
    recipients = managers_of(review) + people_with_role(Role.QA_LEAD)
    email_on_commit(alert, recipients, raised_email(alert))
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
        alert.escalation_level = next_level(from_level)
        alert.escalated_at = now
        alert.acknowledge_by = deadline_from(now)
        alert.save(update_fields=["escalation_level", "escalated_at", "acknowledge_by"])
        recipients = people_at_level(alert.escalation_level, alert.review)
        email_on_commit(alert, recipients, escalated_email(alert, from_level))
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
