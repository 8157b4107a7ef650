"""Recommendations and what the tracker adds to them: dated updates, the impact check and the
reminders sent (docs/spec/domain.md#recommendations). A recommendation's own status and reason
stay on it, with its history.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from practice_review.accounts.models import staff_link
from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import MAX_KEY_LENGTH
from practice_review.reviews.models import AuditTemplate
from practice_review.tracker import rules


class AppendOnly(models.Model):
    """Rows that are written once and never changed or removed through the app."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"a {self._meta.verbose_name} cannot be changed once recorded")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"a {self._meta.verbose_name} cannot be removed")


class Recommendation(models.Model):
    """A SMART recommendation: child-level (from a review) or service-level."""

    LEVELS = [("child", "Child-level"), ("service", "Service-level")]

    level = models.CharField(max_length=10, choices=LEVELS)
    review = models.ForeignKey(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    cohort = models.ForeignKey(
        "reviews.Cohort",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    # A theme key of the review's template (child-level), else of its cohort's (service-level),
    # else of the built-in's: no fixed list, as templates have their own themes.
    theme = models.CharField(max_length=MAX_KEY_LENGTH, blank=True)
    action = models.TextField()
    owner = staff_link()
    due_date = models.DateField(null=True, blank=True)
    success_measure = models.TextField("how success will be seen", blank=True)
    status = models.CharField(
        max_length=20,
        choices=v.RecommendationStatus.choices,
        default=v.RecommendationStatus.OPEN,
    )
    status_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="service") | models.Q(review__isnull=False),
                name="child_recommendation_has_review",
            )
        ]

    def __str__(self):
        return f"{self.get_level_display()} recommendation {self.pk}"

    @property
    def theme_label(self):
        """The theme in the words of the template it was chosen from, or "" when none was."""
        return self.theme_label_from(AuditTemplate.objects.theme_words())

    def theme_label_from(self, words):
        """theme_label with AuditTemplate.objects.theme_words() given, for many at once."""
        if not self.theme:
            return ""
        if self.review_id:
            template_id = self.review.template_id
        else:
            template_id = self.cohort.template_id if self.cohort_id else None
        own = words.get(template_id, {})
        # Raised at a meeting, on no one template: in the words of the template that has it.
        return own.get(self.theme) or words[None].get(self.theme, self.theme)


class RecommendationUpdate(AppendOnly):
    """A dated note on progress; a status change is recorded as one too, with from and to."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="updates"
    )
    text = models.TextField(blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "recommendation update"

    def __str__(self):
        return f"Update to {rules.reference(self.recommendation_id)} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def is_status_change(self):
        return bool(self.to_status)

    @property
    def from_label(self):
        return rules.status_label(self.from_status)

    @property
    def to_label(self):
        return rules.status_label(self.to_status)


class ImpactCheck(models.Model):
    """Whether a completed recommendation made a difference: due some months after completion,
    recorded by a manager or the QA lead, then signed off by the QA lead."""

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.PROTECT, related_name="impact_check"
    )
    completed_at = models.DateTimeField(help_text="When the recommendation was completed.")
    due_on = models.DateField()
    made_difference = models.CharField(max_length=10, choices=rules.IMPACT_RESULTS, blank=True)
    difference_for = models.CharField(
        "for whom", max_length=10, choices=rules.IMPACT_FOR, blank=True
    )
    evidence = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"Impact check of {rules.reference(self.recommendation_id)}"

    @property
    def recorded(self):
        return self.recorded_at is not None

    @property
    def signed_off(self):
        return self.signed_off_at is not None


class ReminderSent(AppendOnly):
    """A reminder emailed to a recommendation's owner: at most one a day for each."""

    KINDS = [(rules.DUE_SOON, "Due soon"), (rules.OVERDUE, "Overdue")]

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=KINDS)
    sent_on = models.DateField()
    due_date = models.DateField(help_text="The due date the reminder was about.")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = "reminder sent"
        verbose_name_plural = "reminders sent"
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {rules.reference(self.recommendation_id)}"
