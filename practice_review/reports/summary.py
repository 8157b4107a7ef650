from django.conf import settings

from practice_review.reports.builder import build_report
from practice_review.reports.figures import cohort_figures
from practice_review.reports.report_data import report_data
from practice_review.reviews.models import Review


def summary_report(cohort, compare=None, reviews=None):
    """The summary report of a cohort over `reviews` (the reader's scope; all when None)."""
    reviews = Review.objects.all() if reviews is None else reviews
    figures = cohort_figures(cohort, reviews=reviews, compare=compare)
    return build_report(
        council=settings.COUNCIL_NAME, figures=figures, data=report_data(cohort, reviews)
    )
