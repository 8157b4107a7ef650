"""The retention purge: removes the personal details and free text of final reviews kept
longer than RETENTION_YEARS, and every historical copy of them, while keeping what the
figures count. ADR 0005 says what is kept and why; docs/data-protection.md how to run it.

All or nothing in one transaction, idempotent (a purged review is marked and never matched
again), and it reports counts only: never a child's details.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from practice_review.audit.events import record
from practice_review.audit.models import AuditEvent
from practice_review.core import personal_data
from practice_review.data_protection import retention
from practice_review.reviews.models import (
    Child,
    Review,
    ThemeFinding,
)
from practice_review.sampling.actions import forget_case_references
from practice_review.sampling.models import CaseloadEntry, CaseloadExtract

CHUNK = 500

# What a purged child row keeps: the row itself (so "distinct children" still counts them), what
# the figures count, and the marker; its initials say it was removed. What each record loses is
# what its app registered as words and as identifying details no figure counts
# (core/personal_data.py): a new field about a child cannot be left behind by accident.
ANONYMISED_INITIALS = "Removed"


def _cleared(record):
    """{field: empty value} for what the purge removes from rows of `record`."""
    fields = {name: record.model._meta.get_field(name) for name in record.cleared_by_purge}
    cleared = {}
    for name, model_field in sorted(fields.items()):
        is_text = model_field.get_internal_type() in ("CharField", "TextField")
        if not model_field.null and not is_text:
            # Neither None nor "" would fit: the app must make the field nullable first.
            raise ValueError(f"{record.model.__name__}.{name} cannot be cleared by the purge")
        cleared[name] = None if model_field.null else ""
    return cleared


def child_cleared():
    return {**_cleared(personal_data.child_record()), "initials": ANONYMISED_INITIALS}


def review_cleared():
    return _cleared(personal_data.review_record())


def text_rows():
    """(counted as, model, how it reaches the review, what it loses) for each record about a
    review that holds words."""
    return [
        (record.name, record.model, record.reaches_review, _cleared(record))
        for record in personal_data.rows_about_reviews()
        if record.cleared_by_purge
    ]


@dataclass
class PurgeResult:
    today: object
    cutoff: object
    dry_run: bool
    review_ids: list = field(default_factory=list)
    child_ids: list = field(default_factory=list)
    entry_ids: list = field(default_factory=list)  # caseload extract entries that expired
    counts: dict = field(default_factory=dict)  # kind of row -> how many lose their details
    history_counts: dict = field(default_factory=dict)  # model -> historical rows deleted
    kept: dict = field(default_factory=dict)  # reason -> expired reviews left as they are

    def summary_lines(self):
        """Counts only: safe to print, log and email."""
        verb = "Would purge" if self.dry_run else "Purged"
        lines = [
            f"Retention: {settings.RETENTION_YEARS} years; reviews dated before "
            f"{self.cutoff:%Y-%m-%d} have expired.",
            f"{verb} {len(self.review_ids)} review(s), delete {len(self.entry_ids)} caseload "
            f"extract entr{'y' if len(self.entry_ids) == 1 else 'ies'} and anonymise "
            f"{len(self.child_ids)} child record(s).",
        ]
        lines += [f"  {kind.replace('_', ' ')}: {n}" for kind, n in self.counts.items()]
        lines.append(f"  historical records deleted: {sum(self.history_counts.values())}")
        for reason, n in self.kept.items():
            lines.append(f"Expired but kept ({reason}): {n}")
        if self.dry_run and self.review_ids:
            lines.append("Review ids: " + ", ".join(str(pk) for pk in self.review_ids))
        return lines


def _plan(today):
    """Which reviews and children go, and how many expired reviews stay and why."""
    years = settings.RETENTION_YEARS
    result = PurgeResult(today=today, cutoff=retention.retention_cutoff(today, years), dry_run=True)
    expired = (
        Review.objects.filter(review_date__lt=result.cutoff, purged_at__isnull=True)
        .values_list("id", "review_date", "status", "child__legal_hold")
        .order_by("id")
    )
    for review_id, review_date, status, legal_hold in expired:
        verdict = retention.purge_verdict(
            review_date=review_date,
            status=status,
            legal_hold=legal_hold,
            purged=False,
            today=today,
            years=years,
        )
        if verdict == retention.PURGE:
            result.review_ids.append(review_id)
        else:
            result.kept[verdict] = result.kept.get(verdict, 0) + 1
    expired_entries = _expired_entries(result.cutoff)
    result.entry_ids = sorted(expired_entries.values_list("id", flat=True))
    # A child is anonymised once none of their reviews keeps their details and no caseload
    # extract still lists them (an open case, or one within the retention period).
    going = set(result.review_ids)
    touched = set(expired_entries.values_list("child", flat=True))
    for ids in _chunks(result.review_ids):
        touched |= set(Review.objects.filter(id__in=ids).values_list("child", flat=True))
    for ids in _chunks(sorted(touched)):
        keeping = {
            child
            for review, child in Review.objects.filter(
                child__in=ids, purged_at__isnull=True
            ).values_list("id", "child")
            if review not in going
        }
        keeping |= set(
            CaseloadEntry.objects.filter(child__in=ids)
            .exclude(pk__in=expired_entries.values("pk"))
            .values_list("child", flat=True)
        )
        candidates = Child.objects.filter(id__in=ids, legal_hold=False, anonymised_at__isnull=True)
        result.child_ids += [
            pk for pk in candidates.values_list("id", flat=True) if pk not in keeping
        ]
    result.child_ids.sort()
    return result


def _expired_entries(cutoff):
    """The caseload extract entries past retention (docs/data-protection.md): of an extract
    imported before the cutoff day that is no longer the current one, for a child not on a legal
    hold. The current extract lists the open cases, so it is kept however old."""
    start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    entries = CaseloadEntry.objects.filter(
        extract__imported_at__lt=start, child__legal_hold=False
    ).order_by()
    current = CaseloadExtract.objects.current()
    return entries.exclude(extract=current) if current is not None else entries


def _chunks(ids):
    """Ids a few hundred at a time: SQLite and PostgreSQL limit the parameters of a statement,
    and a first purge may take tens of thousands of reviews."""
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def finding_topics_history():
    """simple-history's copies of findings' learning topics: their link to the finding's
    historical row does not cascade, so they are cleared explicitly."""
    historical = ThemeFinding.history.model
    return historical._meta.get_field("historicalthemefinding_topics").related_model


def _rows(model, path, review_ids):
    return model.objects.filter(**{f"{path}__in": review_ids})


def _history_targets(review_ids, child_ids):
    """(label, historical rows) for every copy simple-history keeps of the purged rows."""
    findings = _rows(ThemeFinding, "review", review_ids).values("id")
    targets = [
        ("finding_topics", finding_topics_history().objects.filter(history__id__in=findings)),
        ("review", Review.history.filter(id__in=review_ids)),
    ]
    for kind, model, path, _ in text_rows():
        if hasattr(model, "history"):
            row_ids = _rows(model, path, review_ids).values("id")
            targets.append((kind, model.history.filter(id__in=row_ids)))
    targets.append(("child", Child.history.filter(id__in=child_ids)))
    return targets


def _batches(result):
    """(review ids, child ids) batches covering the whole purge."""
    for ids in _chunks(result.review_ids):
        yield ids, []
    for ids in _chunks(result.child_ids):
        yield [], ids


def purge_expired(*, by, today=None, dry_run=False):
    """Purge every expired, unheld, final review; returns a PurgeResult (counts and ids)."""
    today = today or timezone.localdate()
    if dry_run:
        result = _plan(today)
        _count(result)
        return result
    with transaction.atomic():
        result = _plan(today)
        result.dry_run = False
        _count(result)
        _purge(result)
        record(
            AuditEvent.Action.PURGED,
            by=by,
            target_type="retention",
            details={
                "retention_years": settings.RETENTION_YEARS,
                "cutoff": result.cutoff.isoformat(),
                "reviews": len(result.review_ids),
                "children": len(result.child_ids),
                "caseload_entries": len(result.entry_ids),
                "rows": result.counts,
                "historical_records": sum(result.history_counts.values()),
                "kept": result.kept,
                "review_ids": result.review_ids,
            },
        )
    return result


def _count(result):
    result.counts = dict.fromkeys((kind for kind, *_ in text_rows()), 0)
    result.history_counts = {}
    for review_ids, child_ids in _batches(result):
        for kind, model, path, _ in text_rows():
            result.counts[kind] += _rows(model, path, review_ids).count()
        for label, rows in _history_targets(review_ids, child_ids):
            result.history_counts[label] = result.history_counts.get(label, 0) + rows.count()


def _purge(result):
    now = timezone.now()
    # Every draw is read once for all the children anonymised (a draw can list 20,000).
    references = []
    for child_ids in _chunks(result.child_ids):
        references += Child.objects.filter(id__in=child_ids).values_list("case_ref", flat=True)
    forget_case_references(references)
    for entry_ids in _chunks(result.entry_ids):
        CaseloadEntry.objects.filter(id__in=entry_ids).delete()  # no history is kept of them
    for review_ids, child_ids in _batches(result):
        # Historical copies first, while the rows still say which copies are theirs.
        for _, rows in _history_targets(review_ids, child_ids):
            rows.delete()
        # Queryset updates, not save(): a save would write a fresh historical copy, and the
        # tracker's append-only rows refuse save() on purpose (this is the one sanctioned
        # change to them).
        for _, model, path, cleared in text_rows():
            _rows(model, path, review_ids).update(**cleared)
        Review.objects.filter(id__in=review_ids).update(**review_cleared(), purged_at=now)
        _clear_documents(personal_data.review_record(), Review.objects.filter(id__in=review_ids))
        Child.objects.filter(id__in=child_ids).update(**child_cleared(), anonymised_at=now)


def _clear_documents(record, rows):
    """Each JSON document of `record` (a review's answers) kept without its words: row by row,
    as a document is rewritten in Python, with a queryset update per chunk's rows and no save()
    (a save would write a fresh historical copy of the words)."""
    for name, without_words in record.documents.items():
        changed = []
        for row in rows.only("id", name):
            cleared = without_words(getattr(row, name))
            if cleared != getattr(row, name):
                setattr(row, name, cleared)
                changed.append(row)
        if changed:
            record.model.objects.bulk_update(changed, [name], batch_size=CHUNK)
