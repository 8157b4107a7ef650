"""The sampling app's pages: who has been reviewed (coverage)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from practice_review.core import spreadsheets
from practice_review.core.permissions import Permission, requires
from practice_review.sampling import queries
from practice_review.sampling.coverage import CSV_HEADER


@requires(Permission.VIEW_COVERAGE)
def coverage(request):
    extract = queries.current_extract()
    return render(
        request,
        "sampling/coverage.html",
        {
            "extract": extract,
            "coverage": extract and queries.coverage_for(request.user, extract),
        },
    )


@requires(Permission.VIEW_COVERAGE)
def coverage_export(request):
    extract = queries.current_extract()
    rows = queries.coverage_for(request.user, extract).csv_rows() if extract else []
    response = HttpResponse(
        spreadsheets.to_csv(CSV_HEADER, rows), content_type="text/csv; charset=utf-8"
    )
    name = f"coverage-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
