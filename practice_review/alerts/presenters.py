"""Alerts as pages show them, so templates hold no rules."""

from django.urls import reverse
from django.utils import timezone

from practice_review.alerts.rules import LEVEL_NAMES, SEVERITY_ORDER


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
