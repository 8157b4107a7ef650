"""Emails about reviews. They carry a link and a reference, never a child's details."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from practice_review.accounts.models import User

logger = logging.getLogger(__name__)


def review_reference(review):
    return f"REVIEW-{review.pk:06d}"


def people_for_staff(*staff_members, role=None):
    users = User.objects.filter(
        is_active=True, staff_member__in=[s for s in staff_members if s is not None]
    )
    if role:
        users = users.filter(role=role)
    return [user for user in users if user.email]


def notify_review_submitted(review):
    """The practitioner and their manager can now read the review and respond."""
    recipients = people_for_staff(review.social_worker, review.supervisor)
    if not recipients:
        return
    link = settings.SITE_URL + reverse("review_detail", args=[review.pk])
    try:
        _send(review, link, recipients)
    except OSError:
        # The review is submitted whatever the mail server does; the people concerned also
        # see it on their home page. Log the reference only, never who or what.
        logger.exception("Could not send the submission email for %s", review_reference(review))


def _send(review, link, recipients):
    send_mail(
        subject=f"A practice review is ready for you to read ({review_reference(review)})",
        message=(
            f"A practice and impact review of a case you work on has been submitted.\n\n"
            f"Read it and record your reflection and response: {link}\n\n"
            f"Reference: {review_reference(review)}\n"
        ),
        from_email=None,
        recipient_list=[user.email for user in recipients],
    )
