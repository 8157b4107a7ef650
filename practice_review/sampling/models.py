"""The caseload extract and how a cohort was drawn from it (docs/sampling.md).

The case management system's extract of open cases says which children, with which worker,
team and framework, a cohort can be drawn from. Each upload is kept whole, dated, and the latest
is the current one: an entry never changes, so an extract needs no history of its own beyond
its rows. A cohort drawn from an extract keeps how it was drawn (the rules, the seed, the date it
was drawn as of, and what came out), so the draw can be explained and repeated.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from practice_review.accounts.models import Team, staff_link
from practice_review.reviews.models import Child, Cohort


class CaseloadExtractQuerySet(models.QuerySet):
    def current(self):
        """The latest extract, the one a cohort is drawn from; None before the first."""
        return self.order_by("-imported_at", "-id").first()


class CaseloadExtract(models.Model):
    """One upload of the extract: a file of open cases, one row per child."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CaseloadExtractQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return f"Caseload extract {self.file_name}, {self.imported_at:%-d %B %Y}"


class CaseloadEntry(models.Model):
    """One open case in an extract, as the extract gave it: never changed once imported."""

    extract = models.ForeignKey(CaseloadExtract, on_delete=models.CASCADE, related_name="entries")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="caseload_entries")
    # A Framework's key (reviews.Framework), read as review files read it.
    legal_status = models.CharField("legal or practice framework", max_length=30)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    social_worker = staff_link()
    supervisor = staff_link()
    open_date = models.DateField("date the case opened", null=True, blank=True)
    # The child's age on the day of the extract, when the extract gives an age, not a birth date.
    age_years = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["extract", "id"]
        constraints = [
            models.UniqueConstraint(fields=["extract", "child"], name="a_child_once_an_extract")
        ]

    def __str__(self):
        return f"{self.child} in {self.extract}"


class CohortDraw(models.Model):
    """How a cohort was drawn: the rules, the seed and the day it was drawn as of, the extract
    it was drawn from, and the draw itself (the JSON `practice-review sample` prints)."""

    cohort = models.OneToOneField(Cohort, on_delete=models.PROTECT, related_name="draw")
    extract = models.ForeignKey(CaseloadExtract, on_delete=models.PROTECT, related_name="draws")
    seed = models.BigIntegerField()
    as_of = models.DateField()
    # {"size": N, "strata": "legal_status"|"team"|"none", "exclude_reviewed_within": MONTHS,
    #  "cover": "social_worker"|""}
    rules = models.JSONField()
    result = models.JSONField()  # {"strata": ..., "sample": [...], "excluded": [...]}
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"How {self.cohort} was drawn"

    def rules_for_form(self):
        """The rules as the drawing page's form takes them, to draw this cohort again."""
        rules = self.rules
        return {
            "size": rules["size"],
            "strata": rules["strata"],
            "exclude_reviewed_within": rules["exclude_reviewed_within"],
            "cover": rules["cover"] == "social_worker",
            "as_of": self.as_of,
        }
