"""The emails of the two-person rule: to the approvers when a change waits, and to the person
whose account it is and the administrator who asked once it is decided.

They say what changed in words, never a password or a code, and link to the service rather
than holding anything more. A mail server that fails is logged by the request's number alone:
its errors can name the addresses it refused, and logs hold no personal data.
"""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from practice_review.accounts import change_rules
from practice_review.core.vocabulary import AccountChangeStatus, Role, label_for

logger = logging.getLogger(__name__)

IF_NOT_EXPECTED = (
    "If you did not expect this, tell your quality assurance lead or your information "
    "governance team at once."
)


def what_changes(change, *, to_the_person=False):
    """The request's changes as lines of plain English."""
    you = to_the_person
    lines = []
    if change.changes_role:
        role = label_for(Role.choices, change.role_to)
        lines.append(f"{'Your' if you else 'The'} role: {role}")
    if change.changes_staff_member:
        lines.append(
            f"{'You are' if you else 'The account is'} the member of staff "
            f"{change.staff_member_to} on reviews"
        )
    if change.changes_email:
        lines.append(f"{'Your' if you else 'The'} email address is changed")
    if change.sets_password:
        lines.append(f"{'Your' if you else 'The'} password is changed")
    if change.reset_two_factor:
        lines.append(
            f"{'Your' if you else 'The'} two-factor sign-in is reset: "
            f"{'you set' if you else 'they set'} up an authenticator app again at the next "
            "sign-in"
        )
    return lines


def _bullets(lines):
    return "\n".join(f"- {line}" for line in lines)


def approvals_link():
    return settings.SITE_URL + reverse("account_approvals")


def waiting_email(change):
    subject = "A change to an account is waiting for your approval"
    days = change_rules.DAYS_TO_DECIDE
    body = (
        f"{change.requested_by} asked for a change to a Practice Review account that needs a "
        f"second person's approval. Approve or decline it within {days} days, after which it "
        f"lapses.\n\n"
        f"Sign in to see it and decide:\n{approvals_link()}\n"
    )
    return subject, body


def decided_email_to_person(change):
    account = change.account
    if _approved(change):
        subject = "A change to your Practice Review account was approved"
        body = (
            f"{change.requested_by} asked for a change to your Practice Review account "
            f"({account.username}) and {change.decided_by} approved it:\n\n"
            f"{_bullets(what_changes(change, to_the_person=True))}\n\n{IF_NOT_EXPECTED}\n"
        )
    else:
        subject = "A change to your Practice Review account was declined"
        body = (
            f"{change.requested_by} asked for a change to your Practice Review account "
            f"({account.username}) and {change.decided_by} declined it, so nothing changed:\n\n"
            f"{_bullets(what_changes(change, to_the_person=True))}\n\n"
            f"Why it was declined: {change.decision_reason}\n\n{IF_NOT_EXPECTED}\n"
        )
    return subject, body


def decided_email_to_requester(change):
    account = change.account
    if _approved(change):
        subject = f"The change you asked for to {account.username}'s account was approved"
        body = (
            f"{change.decided_by} approved the change you asked for to the account "
            f"{account.username}. It is made:\n\n{_bullets(what_changes(change))}\n"
        )
    else:
        subject = f"The change you asked for to {account.username}'s account was declined"
        body = (
            f"{change.decided_by} declined the change you asked for to the account "
            f"{account.username}, so nothing changed:\n\n{_bullets(what_changes(change))}\n\n"
            f"Why it was declined: {change.decision_reason}\n"
        )
    return subject, body


def _approved(change):
    return change.status == AccountChangeStatus.APPROVED


def send_on_commit(change, recipients, subject_and_body):
    """One email per address (nobody sees who else was told), once the decision is committed,
    so nobody is told of a change that was rolled back. A failure does not undo the decision."""
    subject, body = subject_and_body
    addresses = list(dict.fromkeys(address for address in recipients if address))
    if not addresses:
        return
    request_id = change.pk

    def send():
        messages = [EmailMessage(subject, body, None, [address]) for address in addresses]
        try:
            get_connection().send_messages(messages)
        except (OSError, SMTPException) as error:
            # No traceback: an SMTP error can name the addresses it refused.
            logger.error(
                "Could not send the emails about account change request %s (%s)",
                request_id,
                type(error).__name__,
            )

    transaction.on_commit(send)
