"""What the audit trail knows of other apps' records, told by those apps.

The audit trail sits low in the app graph (docs/architecture.md): every app writes events, so
it may import none of them. Where the audit search page links an event to the record it names,
each app registers its kind of record here from its AppConfig.ready(): how to find the records
a person may open (the app's own scoping query) and the URL name of a record's page.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordPage:
    visible_to: Callable  # user -> queryset of the records of this kind that user may open
    url_name: str  # reversed with the record's id


_record_pages: dict[str, RecordPage] = {}


def register_record_page(kind: str, *, visible_to: Callable, url_name: str) -> None:
    """`kind` is the model's name as events carry it (AuditEvent.target_type)."""
    _record_pages[kind] = RecordPage(visible_to=visible_to, url_name=url_name)


def record_page(kind: str) -> RecordPage | None:
    """The registered page for a kind of record, or None when it has no page of its own."""
    return _record_pages.get(kind)
