"""The alert's emails: its reference, how serious, the deadline and a link, never the child's
details and never the concern, which is case content read after signing in."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from practice_review.alerts.rules import LEVEL_NAMES


def alert_link(alert):
    return settings.SITE_URL + reverse("alert_detail", args=[alert.pk])


def _deadline_text(alert):
    return f"{timezone.localtime(alert.acknowledge_by):%-d %B %Y at %H:%M}"


def raised_email(alert):
    subject = f"{alert.reference}: {alert.severity} severity alert raised"
    body = (
        f"An alert has been raised on a practice review and must be acknowledged by "
        f"{_deadline_text(alert)}.\n\n"
        f"Reference: {alert.reference}\n"
        f"Severity: {alert.get_severity_display()}\n\n"
        f"Sign in to read it, acknowledge it and record what was done:\n{alert_link(alert)}\n"
    )
    return subject, body


def escalated_email(alert, from_level):
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


def email_on_commit(alert, recipients, subject_and_body):
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
