"""Moderation meetings: every two months the reviewers and senior managers confirm or change
the grades of recent reviews, agree learning points and raise service-level recommendations.

The reviewer's own grades stay on the review; the meeting's decision on each grade axis goes
beside them as the moderated grade, which the figures count (reviews/answers.py). Each decision
is also kept here, with the grades as they were and the reason, so the meeting's record never
changes when a review is later reopened and moderated again.
"""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from practice_review.core.audit_templates import MAX_KEY_LENGTH
from practice_review.reviews.models import AuditTemplate, Review
from practice_review.tracker.models import Recommendation


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
    # {axis: grade}: the reviewer's grades when the meeting decided, and the grades it agreed.
    original_grades = models.JSONField(default=dict, blank=True)
    agreed_grades = models.JSONField(default=dict, blank=True)
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
        return self.decided and self.agreed_grades != self.original_grades

    @property
    def grades_shown(self):
        """[(axis label, the reviewer's grade, the agreed grade or None)] in the words of the
        review's template: the decision once made, else the review's grades as they are now."""
        review = self.review
        if not self.decided:
            return [(row.label, row.grade_label or "none", None) for row in review.grade_rows]
        return [
            (row.label,
             review.level_label(row.key, self.original_grades.get(row.key)) or "none",
             review.level_label(row.key, self.agreed_grades.get(row.key)) or "none")
            for row in review.grade_rows
        ]  # fmt: skip


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
