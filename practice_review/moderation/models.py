"""Moderation meetings: every two months the reviewers and senior managers confirm or change
the grades of recent reviews, agree learning points and raise service-level recommendations.

The reviewer's own grades stay on the review (practice_grade, outcome_grade); the meeting's
decision goes to moderated_practice_grade and moderated_outcome_grade, which the figures count.
Each decision is also kept here, with the grades as they were and the reason, so the meeting's
record never changes when a review is later reopened and moderated again.
"""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import MAX_KEY_LENGTH
from practice_review.reviews.models import AuditTemplate, Review
from practice_review.tracker.models import Recommendation


def _grade(**options):
    return models.CharField(max_length=30, choices=[(k, label) for k, label in v.GRADES], **options)


class Meeting(models.Model):
    held_on = models.DateField("date of the meeting")
    attendees = models.TextField(help_text="Who attended, and their roles")
    notes = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"Moderation meeting, {self.held_on:%-d %B %Y}"

    @cached_property
    def themes(self):
        """The themes of the templates of the reviews on the agenda (the built-in's when there
        are none): what its learning points and recommendations may be about."""
        on_agenda = Review.objects.filter(pk__in=self.agenda.values("review_id"))
        return AuditTemplate.objects.themes_of_reviews(on_agenda)

    @cached_property
    def theme_labels(self):
        return {theme.key: theme.label for theme in self.themes}


class AgendaReview(models.Model):
    """A review taken to a meeting, and what the meeting decided about it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="+")
    # Why it is on the agenda: "submitted", "gap", "disagreement" (several can apply).
    reasons = models.JSONField(default=list)
    original_practice_grade = _grade(blank=True)
    original_outcome_grade = _grade(blank=True)
    practice_grade = _grade(blank=True)  # as the meeting agreed it
    outcome_grade = _grade(blank=True)
    reason = models.TextField(blank=True)  # why a grade changed
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "review"], name="a_review_once_a_meeting")
        ]

    def __str__(self):
        return f"{self.review} at {self.meeting}"

    @property
    def decided(self):
        return self.decided_at is not None

    @property
    def changed(self):
        return self.decided and (
            self.practice_grade != self.original_practice_grade
            or self.outcome_grade != self.original_outcome_grade
        )


class LearningPoint(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="learning_points")
    # A theme key of the meeting's reviews' templates (the built-in's for a meeting without
    # reviews): no fixed list, as templates have their own themes.
    theme = models.CharField(max_length=MAX_KEY_LENGTH, blank=True)
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"Learning point {self.pk} ({self.meeting})"

    @property
    def theme_label(self):
        return self.meeting.theme_labels.get(self.theme, self.theme) if self.theme else ""


class MeetingRecommendation(models.Model):
    """A service-level recommendation the meeting raised (tracked in the tracker)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="raised")
    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.PROTECT, related_name="raised_at_meeting"
    )

    def __str__(self):
        return f"{self.recommendation} ({self.meeting})"
