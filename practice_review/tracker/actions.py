"""Writes to the tracker. Each takes the person acting (`by=`), checks they may, runs in one
transaction, and keeps the history: status changes are saved with `save_as` (the
recommendation's history) and recorded as a dated update (who, when, from, to, why).

Refusals raise rules.NotAllowed with a message for the person; nothing is written.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from practice_review.accounts.models import User
from practice_review.core.history import save_as
from practice_review.reviews import actions as review_actions
from practice_review.reviews.review_sections import due_date_problem
from practice_review.tracker import queries, rules
from practice_review.tracker.models import (
    ImpactCheck,
    Recommendation,
    RecommendationUpdate,
    ReminderSent,
)

logger = logging.getLogger(__name__)
NotAllowed = rules.NotAllowed
# A theme must be one of the template's the recommendation is about (as the forms say it).
THEME_NOT_ASKED = "Select a theme from the list"


@transaction.atomic
def add_update(*, recommendation, text, by):
    recommendation = _locked(recommendation)
    if not queries.may_update(by, recommendation):
        raise NotAllowed("You cannot update this recommendation")
    if recommendation.status not in rules.ACTIVE_STATUSES:
        raise NotAllowed("This recommendation is closed: updates can no longer be added")
    if not text.strip():
        raise NotAllowed("Enter the update")
    return RecommendationUpdate.objects.create(
        recommendation=recommendation, text=text.strip(), by=by
    )


@transaction.atomic
def change_status(*, recommendation, status, reason="", note="", by, now=None):
    """Move a recommendation on. Completing it sets its impact check's due date."""
    recommendation = _locked(recommendation)
    if not queries.may_update(by, recommendation):
        raise NotAllowed("You cannot change the status of this recommendation")
    rules.check_status_change(recommendation.status, status, reason)
    now = now or timezone.now()
    from_status = recommendation.status
    recommendation.status = status
    recommendation.status_reason = reason.strip() if status in rules.NEEDS_REASON else ""
    save_as(recommendation, by)
    text = "\n\n".join(part for part in (reason.strip(), note.strip()) if part)
    RecommendationUpdate.objects.create(
        recommendation=recommendation, text=text, from_status=from_status, to_status=status, by=by
    )
    if status == rules.COMPLETED:
        save_as(
            ImpactCheck(
                recommendation=recommendation,
                completed_at=now,
                due_on=rules.impact_check_due_on(timezone.localdate(now), impact_check_months()),
            ),
            by,
        )
    return recommendation


@transaction.atomic
def record_impact_check(*, recommendation, made_difference, difference_for, evidence, by):
    recommendation = _locked(recommendation)
    if not queries.may_record_impact(by, recommendation):
        raise NotAllowed("You cannot record the impact check of this recommendation")
    if made_difference not in dict(rules.IMPACT_RESULTS):
        raise NotAllowed("Select whether it made a difference")
    if difference_for not in dict(rules.IMPACT_FOR):
        raise NotAllowed("Select who it made a difference for")
    if not evidence.strip():
        raise NotAllowed("Enter the evidence of impact")
    check = ImpactCheck.objects.select_for_update().get(recommendation=recommendation)
    check.made_difference = made_difference
    check.difference_for = difference_for
    check.evidence = evidence.strip()
    check.recorded_by, check.recorded_at = by, timezone.now()
    return save_as(check, by)


@transaction.atomic
def sign_off_impact_check(*, recommendation, by):
    recommendation = _locked(recommendation)
    if not queries.may_sign_off_impact(by, recommendation):
        raise NotAllowed("This impact check cannot be signed off")
    check = ImpactCheck.objects.select_for_update().get(recommendation=recommendation)
    check.signed_off_by, check.signed_off_at = by, timezone.now()
    return save_as(check, by)


def _locked(recommendation):
    # Re-read under a row lock, so two people changing one recommendation at once cannot both
    # act on the state they first saw.
    return Recommendation.objects.select_for_update().get(pk=recommendation.pk)


# Settings -------------------------------------------------------------------------------------


def reminder_days():
    """How many days before the due date owners are reminded (PRACTICE_REVIEW_REMINDER_DAYS)."""
    return settings.RECOMMENDATION_REMINDER_DAYS


def impact_check_months():
    """PRACTICE_REVIEW_IMPACT_CHECK_MONTHS: when a completed recommendation's impact is checked."""
    return settings.IMPACT_CHECK_MONTHS


# Reminders ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    reference: str
    kind: str
    sent: bool

    def __str__(self):
        what = "overdue" if self.kind == rules.OVERDUE else "due soon"
        if not self.sent:
            return f"{self.reference}: {what}, but the owner has no email address to send to"
        return f"{self.reference}: {what} reminder sent to the owner"


def send_reminders(*, today=None, days_before=None):
    """Email each owner whose recommendation is due within `days_before` days or overdue, at
    most once a day for each recommendation (ReminderSent). Safe to run as often as wanted."""
    today = today or timezone.localdate()
    days_before = reminder_days() if days_before is None else days_before
    candidates = (
        Recommendation.objects.filter(queries.TRACKED)
        .distinct()
        .filter(
            status__in=rules.ACTIVE_STATUSES,
            owner__isnull=False,
            due_date__lte=today + timedelta(days=days_before),
        )
        .order_by("due_date", "id")
    )
    done = []
    failed = 0
    for recommendation in candidates:
        try:
            reminder = _remind(recommendation, today, days_before)
        except OSError as error:  # smtplib's errors too: one refused address stops nobody else
            failed += 1
            logger.warning(
                "Reminder for %s not sent (%s)",
                rules.reference(recommendation.pk),
                type(error).__name__,
            )
            continue
        if reminder:
            done.append(reminder)
    # Counts only: references and names stay out of the logs.
    logger.info(
        "Recommendation reminders: %d sent, %d owners without an email address, %d failed",
        sum(reminder.sent for reminder in done),
        sum(not reminder.sent for reminder in done),
        failed,
    )
    return done


@transaction.atomic
def _remind(recommendation, today, days_before):
    recommendation = _locked(recommendation)
    sent = ReminderSent.objects.filter(recommendation=recommendation)
    kind = rules.reminder_due(
        status=recommendation.status,
        due_date=recommendation.due_date,
        today=today,
        days_before=days_before,
        due_soon_sent=sent.filter(kind=rules.DUE_SOON, due_date=recommendation.due_date).exists(),
        sent_today=sent.filter(sent_on=today).exists(),
    )
    if kind is None:
        return None
    reference = rules.reference(recommendation.pk)
    addresses = list(
        User.objects.filter(is_active=True, staff_member=recommendation.owner_id)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not addresses:
        return Reminder(reference, kind, sent=False)
    subject, body = _reminder_email(recommendation, kind)
    # Sent before the record is kept: if the mail server fails, the transaction is rolled back
    # and the next run tries again.
    get_connection().send_messages(
        [EmailMessage(subject, body, None, [address]) for address in addresses]
    )
    ReminderSent.objects.create(
        recommendation=recommendation, kind=kind, sent_on=today, due_date=recommendation.due_date
    )
    return Reminder(reference, kind, sent=True)


def recommendation_link(recommendation):
    return settings.SITE_URL + reverse("tracker_detail", args=[recommendation.pk])


def _reminder_email(recommendation, kind):
    """A reference, the due date and a link: never the action or anything about the child."""
    reference = rules.reference(recommendation.pk)
    due = f"{recommendation.due_date:%-d %B %Y}"
    if kind == rules.OVERDUE:
        subject = f"{reference}: a recommendation you own is overdue"
        opening = f"A recommendation you own was due on {due} and is not yet completed."
    else:
        subject = f"{reference}: a recommendation you own is due on {due}"
        opening = f"A recommendation you own is due on {due}."
    body = (
        f"{opening}\n\n"
        f"Reference: {reference}\n\n"
        f"Sign in to read it, add an update or change its status:\n"
        f"{recommendation_link(recommendation)}\n"
    )
    return subject, body


@transaction.atomic
def add_child_recommendation(*, review, by, action, owner, due_date, success_measure, theme=""):
    """A recommendation for the child, made in the review form before it is submitted; it is
    tracked once the review is submitted."""
    review_actions.ensure_editable(review)
    problem = due_date_problem(due_date, review.given_review_date)
    if problem:
        raise NotAllowed(problem)
    if theme and theme not in {asked.key for asked in review.themes}:
        raise NotAllowed(THEME_NOT_ASKED)
    recommendation = Recommendation(
        level="child",
        review=review,
        cohort=review.cohort,
        theme=theme,
        action=action,
        owner=owner,
        due_date=due_date,
        success_measure=success_measure,
        created_by=by,
    )
    save_as(recommendation, by)
    review_actions.mark_started(review, by)
    return recommendation


@transaction.atomic
def remove_child_recommendation(*, review, recommendation, by):
    """Remove a recommendation added by mistake, before the review is submitted; one the tracker
    already holds records for keeps them, so it is closed in the tracker instead."""
    review_actions.ensure_editable(review)
    if _tracked(recommendation):
        raise NotAllowed(
            "This recommendation is already being tracked: change its status in the tracker "
            "(for example, superseded) instead of removing it"
        )
    review_actions.remove_item(review=review, item=recommendation, by=by)


def _tracked(recommendation):
    """A recommendation with tracker records (updates, an impact check, reminders sent) keeps
    them: removing it would lose that history."""
    return (
        recommendation.updates.exists()
        or recommendation.reminders.exists()
        or hasattr(recommendation, "impact_check")
    )
