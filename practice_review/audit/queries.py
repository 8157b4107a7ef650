"""Reading the audit trail: the search behind /audit/, and links to the records events name."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from practice_review.audit.models import AuditEvent
from practice_review.audit.registry import record_page


def search_events(*, who="", action="", record_kind="", record_id="", date_from=None, date_to=None):
    """Events matching the filters, newest first. Empty filters match everything."""
    events = AuditEvent.objects.all()
    if who:
        events = events.filter(actor_name__iexact=who)
    if action:
        events = events.filter(action=action)
    if record_kind:
        # "summary report 3" finds target_type "summaryreport" as well as a list's spaced name.
        events = events.filter(
            Q(target_type__iexact=record_kind) | Q(target_type__iexact=record_kind.replace(" ", ""))
        )
    if record_id:
        events = events.filter(target_id=record_id)
    if date_from:
        events = events.filter(at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return events.order_by("-at", "-id")


def _start_of(day):
    # Days are the council's days (Europe/London), so "to 31 March" includes that evening.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def record_links(events, user):
    """{(target_type, target_id): url} for the records on this page that still exist and that
    `user` may open: one query per kind of record, however many events the page shows."""
    wanted = {}
    for event in events:
        if event.target_id.isdigit():
            wanted.setdefault(event.target_type, set()).add(int(event.target_id))
    links = {}
    for kind, ids in wanted.items():
        page = record_page(kind)
        if page is None:
            continue
        visible = page.visible_to(user).filter(pk__in=ids)
        for pk in visible.values_list("pk", flat=True).distinct():
            links[(kind, str(pk))] = reverse(page.url_name, args=[pk])
    return links


def export_table(events):
    """Header and rows for the CSV download: the same columns as the page, values in full."""
    header = ["When", "Who", "What", "Record kind", "Record id", "Changes", "Details", "Request"]
    rows = (
        [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.actor_name or "anonymous",
            event.action,
            event.target_type,
            event.target_id,
            changes_summary(event.changes),
            details_summary(event.details),
            event.request_id,
        ]
        for event in events.iterator(chunk_size=2000)
    )
    return header, rows


def changes_summary(changes):
    """'status: in_progress → submitted; answers: changed' (values only where kept)."""
    parts = []
    for field, change in sorted(changes.items()):
        if "before" in change or "after" in change:
            parts.append(f"{field}: {_shown(change.get('before'))} → {_shown(change.get('after'))}")
        else:
            parts.append(f"{field}: changed")
    return "; ".join(parts)


def details_summary(details):
    return "; ".join(f"{key}: {_shown(value)}" for key, value in sorted(details.items()))


def _shown(value):
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):  # the groups a council account brought, for example
        return ", ".join(_shown(item) for item in value)
    return str(value)
