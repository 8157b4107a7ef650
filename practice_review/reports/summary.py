"""What a summary report covers, and the report built from the reviews it covers."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Max, Min
from django.db.models.functions import Coalesce

from practice_review.core.text import long_date
from practice_review.reports.builder import INTERNAL, WIDER, DocumentControl, build_report
from practice_review.reports.figures import figures_for
from practice_review.reports.report_data import report_data
from practice_review.reviews.models import Cohort, Review


@dataclass(frozen=True)
class Coverage:
    """The reviews a report covers: some cohorts, a date range of review dates, or both."""

    cohorts: tuple = ()
    date_from: object = None
    date_to: object = None

    @property
    def name(self):
        names = [cohort.name for cohort in self.cohorts]
        if not names and not (self.date_from or self.date_to):
            return "All reviews"
        joined = (
            " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + f" and {names[-1]}"
        )
        if not (self.date_from or self.date_to):
            return joined
        if self.date_from and self.date_to:
            dates = f"from {long_date(self.date_from)} to {long_date(self.date_to)}"
        elif self.date_from:
            dates = f"from {long_date(self.date_from)}"
        else:
            dates = f"up to {long_date(self.date_to)}"
        return f"{joined}: reviews {dates}" if names else f"Reviews {dates}"

    def of(self, reviews):
        if self.cohorts:
            reviews = reviews.filter(cohort__in=[cohort.pk for cohort in self.cohorts])
        if self.date_from:
            reviews = reviews.filter(review_date__gte=self.date_from)
        if self.date_to:
            reviews = reviews.filter(review_date__lte=self.date_to)
        return reviews


def previous_cohort(coverage):
    """The comparator by default: the latest cohort that ended before this coverage starts,
    so that the two never share a review.

    A cohort runs over its period or, with no period recorded (imported cohorts), from its
    first review to its last.
    """
    cohorts = Cohort.objects.annotate(
        starts=Coalesce("period_start", Min("reviews__review_date")),
        ends=Coalesce("period_end", Max("reviews__review_date")),
    ).exclude(ends=None)
    starts = [c.starts for c in cohorts.filter(pk__in=[c.pk for c in coverage.cohorts])]
    if coverage.date_from:
        starts.append(coverage.date_from)
    starts = [start for start in starts if start]
    if not starts:
        return None
    return cohorts.filter(ends__lt=min(starts)).order_by("-ends", "-pk").first()


def recommendations_period(coverage, first_review, last_review):
    """(first day, day the next cohort starts) in which service-level recommendations belong
    to this report: from its first review on, through the moderation and follow-up after its
    last, until the next cohort begins (open-ended while there is none)."""
    if first_review is None:
        return None, None
    later = (
        Cohort.objects.annotate(starts=Coalesce("period_start", Min("reviews__review_date")))
        .exclude(pk__in=[cohort.pk for cohort in coverage.cohorts])
        .filter(starts__gt=last_review)
        .order_by("starts")
        .values_list("starts", flat=True)
    )
    return first_review, later.first()


def report_inputs(coverage, comparator=None, reviews=None):
    """(figures, data) for the builder, over `reviews` (the reader's scope; all when None)."""
    reviews = Review.objects.all() if reviews is None else reviews
    covered = coverage.of(reviews)
    compare = comparator and (comparator.name, reviews.filter(cohort=comparator))
    figures = figures_for(coverage.name, covered, compare=compare)
    first, last = (figures["cohort"][key] for key in ("first_review", "last_review"))
    period = recommendations_period(coverage, first and date.fromisoformat(first),
                                    last and date.fromisoformat(last))  # fmt: skip
    return figures, report_data(covered, raised=period, comparison=figures["comparison"])


def protective_marking(audience=INTERNAL):
    """The marking at the top of each page: the wider edition has its own (OFFICIAL)."""
    return settings.PROTECTIVE_MARKING_WIDER if audience == WIDER else settings.PROTECTIVE_MARKING


def summary_report(cohort, compare=None, reviews=None, audience=INTERNAL):
    """A cohort's summary report with the default narrative (the `report` command's): a draft,
    since only a report published in the app has a version and an approver."""
    figures, data = report_inputs(Coverage(cohorts=(cohort,)), compare, reviews)
    control = DocumentControl(
        title=f"Summary report: {cohort.name}", version="Draft", author=settings.COUNCIL_NAME
    )
    return build_report(
        council=settings.COUNCIL_NAME,
        figures=figures,
        data=data,
        audience=audience,
        control=control,
        marking=protective_marking(audience),
    )
