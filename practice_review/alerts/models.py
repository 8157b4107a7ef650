"""An alert: an area of significant concern on a review that must reach the responsible manager
at once (docs/spec/domain.md#alerts)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from practice_review.accounts.models import staff_link
from practice_review.alerts import rules


class Alert(models.Model):
    """An area of significant concern that must reach the responsible manager at once."""

    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="alerts")
    concern = models.TextField()
    severity = models.CharField(max_length=10, choices=rules.SEVERITIES)
    must_act = staff_link()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # When acknowledgement is due (working days, excluding bank holidays); each time it passes
    # unacknowledged the alert escalates one step: manager, QA lead, senior leaders.
    acknowledge_by = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self):
        return f"{self.reference} ({self.get_severity_display()})"

    @property
    def reference(self):
        """What emails carry instead of the child's details."""
        return f"ALERT-{self.pk:06d}"
