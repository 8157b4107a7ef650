"""The audit trail search, for the QA lead and the administrator (issue 6).

Read-only: there is no way here to change or remove an event (models.py refuses anyway).
Looking at the trail is not recorded as a case view (pages.py); downloading it is recorded.
"""

import csv

from django.conf import settings
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from practice_review.audit import queries
from practice_review.audit.events import record
from practice_review.audit.forms import AuditSearchForm
from practice_review.audit.models import AuditEvent
from practice_review.core.permissions import Permission, requires
from practice_review.core.spreadsheets import neutralise_csv_cell


@requires(Permission.VIEW_AUDIT)
def audit_log(request):
    form, events = _searched(request)
    page = Paginator(events, settings.AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    links = queries.record_links(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "rows": [_row(event, links) for event in page.object_list],
            "query": query.urlencode(),
            "pages": _page_links(page, query.urlencode()),
            "filtered": any(form.filters().values()),
        },
    )


@requires(Permission.VIEW_AUDIT)
def audit_log_export(request):
    form, events = _searched(request)
    record(
        AuditEvent.Action.EXPORTED,
        by=request.user,
        target_type="audit trail",
        details={"format": "csv", "filters": request.GET.urlencode()[:500]},
    )
    header, rows = queries.export_table(events)
    name = f"audit-trail-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(_csv_lines(header, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _searched(request):
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, AuditEvent.objects.none()
    return form, queries.search_events(**form.filters())


def _page_links(page, query):
    """The GOV.UK pagination component's items: numbers, with ellipses between far pages."""
    prefix = f"?{query}&page=" if query else "?page="
    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": number, "url": f"{prefix}{number}", "current": number == page.number}
            )
    return {
        "items": items if page.paginator.num_pages > 1 else [],
        "previous": f"{prefix}{page.previous_page_number()}" if page.has_previous() else "",
        "next": f"{prefix}{page.next_page_number()}" if page.has_next() else "",
    }


def _row(event, links):
    return {
        "event": event,
        "record": f"{event.target_type} {event.target_id}".strip(),
        "url": links.get((event.target_type, event.target_id)),
        "changes": queries.changes_summary(event.changes),
        "details": queries.details_summary(event.details),
    }


class _Line:
    def write(self, text):
        return text


def _csv_lines(header, rows):
    # Streamed: the trail grows with every page view, so it is never built in memory at once.
    # Every cell is neutralised as the tracker's export does (no spreadsheet formulas).
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([neutralise_csv_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise_csv_cell(cell) for cell in row])
