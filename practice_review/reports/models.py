"""Summary reports: a draft the QA lead writes, and the versions they publish.

A draft holds what the report covers (cohorts and/or a date range, and a comparator) and the
author's narrative; its figures are computed afresh each time it is shown. Publishing freezes
a version: its figures, narrative and the finished documents (both editions) are stored as
they were, so later changes to the reviews never change what was published.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from practice_review.reviews.models import Cohort

AUDIENCES = [("internal", "Full report"), ("wider", "For wider circulation")]
FORMATS = [("html", "Web page (HTML)"), ("docx", "Word (DOCX)"), ("pdf", "PDF")]


class SummaryReport(models.Model):
    title = models.CharField(max_length=200)
    cohorts = models.ManyToManyField(Cohort, blank=True, related_name="+")
    date_from = models.DateField("reviews from", null=True, blank=True)
    date_to = models.DateField("reviews to", null=True, blank=True)
    comparator = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    narrative = models.JSONField(default=dict, blank=True)  # {part: Markdown}
    # Saving the narrative compares this, so two authors cannot overwrite each other unseen.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[cohorts])

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("report_detail", args=[self.pk])


class PublishedReport(models.Model):
    """One published version of a summary report, kept exactly as it was published."""

    report = models.ForeignKey(SummaryReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    figures = models.JSONField()  # docs/spec/interchange.md#figures-json, comparator included
    narrative = models.JSONField()  # {part: Markdown} as the author left it
    documents = models.JSONField()  # {audience: the built report as plain data}
    # Figure-check problems the author chose to publish with, and why.
    overridden_problems = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_number_per_version")
        ]

    def __str__(self):
        return f"{self.title}, version {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A published report is never changed; publish a new version.")
        super().save(*args, **kwargs)


class PublishedFile(models.Model):
    """A published version as a file, made from its frozen document and then kept byte for
    byte, so every later download is the same file."""

    version = models.ForeignKey(PublishedReport, on_delete=models.PROTECT, related_name="files")
    audience = models.CharField(max_length=10, choices=AUDIENCES)
    format = models.CharField(max_length=10, choices=FORMATS)
    content = models.BinaryField()
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "audience", "format"], name="one_file_per_edition_and_format"
            )
        ]

    def __str__(self):
        return f"{self.version} ({self.get_audience_display()}, {self.format})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A published file is never changed.")
        super().save(*args, **kwargs)


class CohortTrendCounts(models.Model):
    """A cohort's counts for the trends (reports/figures.py `trend_counts`), stored so the
    trends over thousands of cohorts read one small row a cohort instead of every review
    (docs/adr/0008-stored-trend-counts.md). Computed afresh, in the writing transaction, by
    every write to the cohort's reviews (reviews/signals.py); only cohorts with a completed
    review have a row. Not personal data: counts only."""

    cohort = models.OneToOneField(
        Cohort, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    # Its first completed review: the trends' date range filters on it.
    first_review = models.DateField(db_index=True)
    # The ids of the template versions its completed reviews answer: the trends list the
    # standards of every version counted, read from here rather than from every review.
    templates = models.JSONField(default=list)
    counts = models.JSONField()

    def __str__(self):
        return f"Trend counts of cohort {self.cohort_id}"
