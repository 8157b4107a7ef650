"""The trends page (issue 17): every cohort in a date range with its uncertainty, the charts,
and the equity lens, for QA leads and senior leaders; its CSV of every series and its charts as
PNG for slides. The figures module counts everything (reports/figures.py `trends_for`); the
page's words and charts come from reports/trends_page.py."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from practice_review.core.measures import item_labels
from practice_review.core.permissions import Permission, requires
from practice_review.core.spreadsheets import to_csv
from practice_review.reports.charts import render_png
from practice_review.reports.disclosure import WITHHELD_NOTE
from practice_review.reports.figures import trends_for, trends_json
from practice_review.reports.forms import TrendsFilterForm
from practice_review.reports.trends import CSV_HEADER, csv_rows
from practice_review.reports.trends_page import GRADES_CHART, STANDARDS_CHART, TrendsPage
from practice_review.reviews.models import AuditTemplate
from practice_review.reviews.queries import frameworks, reviews_visible_to

TEMPLATE = "reports/trends.html"
NOTHING_TO_DRAW = (
    "There is no chart to draw: these filters give fewer than two cohorts with these figures. "
    "Change the filters on the Trends page."
)


def _filtered(request):
    """(the filter form, the reviews the person may see with the filters applied, or None
    when a filter is wrong: then nothing is counted)."""
    reviews = reviews_visible_to(request.user)
    form = TrendsFilterForm(request.GET, reviews=reviews, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    return form, form.filters().apply(reviews)


def _trends(form, reviews):
    filters = form.filters()
    trends = trends_for(reviews, filters.first, filters.last)
    labels = item_labels(AuditTemplate.objects.of_reviews(reviews.completed()))
    return trends, TrendsPage(trends, labels, frameworks(), counted=filters.words)


def _refused(request, form):
    return render(request, TEMPLATE, {"form": form}, status=400)


@requires(Permission.VIEW_REPORTS)
def trends(request):
    form, reviews = _filtered(request)
    if reviews is None:
        return _refused(request, form)
    _, page = _trends(form, reviews)
    return render(request, TEMPLATE, {
        "form": form, "filters": form.filters(), "page": page, "withheld_note": WITHHELD_NOTE,
        "charts": {"grades": GRADES_CHART, "standards": STANDARDS_CHART},
    })  # fmt: skip


@requires(Permission.VIEW_REPORTS)
def trends_csv(request):
    """Every series of the page's cohorts, as the command line's CSV (small groups' counts of
    1 or 2 left blank, docs/spec/interchange.md#trends-json), formula-like cells neutralised."""
    form, reviews = _filtered(request)
    if reviews is None:
        return _refused(request, form)
    trends, _ = _trends(form, reviews)
    response = HttpResponse(to_csv(CSV_HEADER, csv_rows(trends_json(trends))),
                            content_type="text/csv; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = content_disposition_header(
        True, f"trends-{form.filters().file_dates}.csv"
    )
    return response


@requires(Permission.VIEW_REPORTS)
def trends_chart(request, chart):
    """One of the page's charts as a PNG for slides, over the same filters."""
    if chart not in (GRADES_CHART, STANDARDS_CHART):
        raise Http404
    form, reviews = _filtered(request)
    if reviews is None:
        return _refused(request, form)
    _, page = _trends(form, reviews)
    drawn = page.chart(chart)
    if drawn is None:
        # The page offers no such download; a link kept from a wider range says why.
        return HttpResponse(NOTHING_TO_DRAW, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(render_png(drawn), content_type="image/png")
    response["Content-Disposition"] = content_disposition_header(
        True, f"trends-{chart}-{form.filters().file_dates}.png"
    )
    return response
