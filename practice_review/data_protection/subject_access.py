"""Everything held about one child, as one ZIP for the data protection officer to review and
disclose (a subject access request under UK GDPR article 15; docs/data-protection.md).

A ZIP of JSON files, one per kind of record, with a README.txt in plain English: JSON keeps
every field exactly (dates, empty values, ids that join the files), and the files open in any
text editor or spreadsheet tool. Each record is written as Django's serialiser writes it:
{"model": ..., "pk": ..., "fields": {...}}, every field of the row.
"""

import io
import json
import zipfile

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from practice_review.accounts.models import StaffMember
from practice_review.audit.events import record
from practice_review.audit.models import AuditEvent
from practice_review.core import personal_data
from practice_review.core.vocabulary import COMPLETED_STATES
from practice_review.data_protection.purge import finding_topics_history
from practice_review.reports.models import PublishedReport
from practice_review.reports.summary import Coverage
from practice_review.reviews.models import (
    LearningTopic,
    Review,
)

# What the export holds besides each registered record (and its history), for README.txt.
OTHER_FILES = {
    "history/": "Every earlier version of each record above (one file per kind): what it "
    "said, who changed it and when. history_type is + created, ~ changed, - deleted.",
    "audit_events.json": "The audit trail of who viewed, exported or changed these records.",
    "published_reports.json": "Published summary reports whose coverage took in one of these "
    "reviews when they were published (the full edition lists reviews by initials; figures "
    "count them without naming anyone).",
    "staff.json": "The staff named on these records (reviewers, social workers, managers).",
    "learning_topics.json": "The names of the learning topics findings are tagged with.",
}


def files_described():
    """file name -> what it holds: every record an app registered as personal data about a
    child (core/personal_data.py), then the rest."""
    registered = {f"{r.name}.json": r.description for r in personal_data.records()}
    return {**registered, **OTHER_FILES}


README = """Everything Practice Review holds about one child
================================================

Made on {made_at} by {by}, for the child with case reference {case_ref}.

This is a subject access export (UK GDPR article 15). It contains personal data about the
child and about other people: the staff who worked the case and reviewed it, and family
members quoted in conversations. Before anything is disclosed, the data protection officer
must decide what to redact (the ICO's guidance on third-party information applies).

Each .json file is a list of records. Every record has "model" (what kind of record it is),
"pk" (its id: other files refer to it by this number) and "fields" (every field, as stored).
An empty field means nothing was recorded, or the retention purge removed it.

The files
---------
{files}
Counts
------
{counts}
"""


def _records(queryset):
    return serializers.serialize("python", queryset)


def _dump(rows):
    return json.dumps(rows, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def collect(child):
    """{file name: [records]}: everything held about the child, in plain data."""
    reviews = Review.objects.filter(child=child).order_by("review_date", "id")
    review_ids = list(reviews.values_list("id", flat=True))
    live = {}
    for registered in personal_data.records():
        model = registered.model
        if registered.reaches_child:
            ids = _ids(model, **{registered.reaches_child: child})
        elif registered.reaches_review is None:
            ids = [child.pk]
        elif registered.reaches_review == "":
            ids = review_ids
        else:
            ids = _ids(model, **{f"{registered.reaches_review}__in": review_ids})
        live[registered.name] = (model, ids)
    files = {}
    for name, (model, ids) in live.items():
        files[f"{name}.json"] = _records(model.objects.filter(id__in=ids).order_by("id"))
    for name, (model, ids) in live.items():
        if hasattr(model, "history"):
            files[f"history/{name}.json"] = _records(
                model.history.filter(id__in=ids).order_by("id", "history_date", "history_id")
            )
    files["history/findings_topics.json"] = _records(
        finding_topics_history()
        .objects.filter(history__id__in=live["findings"][1])
        .order_by("m2m_history_id")
    )
    files["audit_events.json"] = _records(_audit_events(live).order_by("at", "id"))
    files["published_reports.json"] = published_reports_including(reviews)
    files["staff.json"] = _records(_staff(live))
    files["learning_topics.json"] = _records(
        LearningTopic.objects.filter(findings__in=live["findings"][1]).distinct().order_by("id")
    )
    return files


def _ids(model, **conditions):
    return list(model.objects.filter(**conditions).values_list("id", flat=True))


def _audit_events(live):
    targets = Q(pk__in=[])
    for model, ids in live.values():
        if ids:
            targets |= Q(target_type=model._meta.model_name, target_id__in=[str(i) for i in ids])
    return AuditEvent.objects.filter(targets)


def _staff(live):
    """The staff any of these records names: every link from a registered record to a member
    of staff (a review's reviewer and workers, an alert's manager, a recommendation's owner)."""
    ids = set()
    for model, row_ids in live.values():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is StaffMember:
                rows = model.objects.filter(id__in=row_ids, **{f"{field.name}__isnull": False})
                ids |= set(rows.values_list(field.name, flat=True))
    return StaffMember.objects.filter(id__in=ids).order_by("id")


def published_reports_including(reviews):
    """[{version, title, published_at, review ids}] for each published version whose report,
    as it stood when published, covered one of these reviews (completed and already recorded
    by then)."""
    found = []
    versions = PublishedReport.objects.select_related("report").order_by("published_at", "id")
    for version in versions:
        coverage = _coverage_when_published(version)
        covered = coverage.of(reviews).filter(
            status__in=COMPLETED_STATES, created_at__lte=version.published_at
        )
        comparator = version.report.comparator_id
        ids = sorted(covered.values_list("id", flat=True))
        compared = sorted(
            reviews.filter(cohort=comparator, created_at__lte=version.published_at)
            .values_list("id", flat=True)
        ) if comparator else []  # fmt: skip
        if ids or compared:
            found.append({
                "published_report": version.pk,
                "report": version.report_id,
                "title": version.title,
                "version": version.number,
                "published_at": version.published_at.isoformat(),
                "reviews_in_the_report": ids,
                "reviews_counted_in_its_comparison_only": compared,
            })  # fmt: skip
    return found


def _coverage_when_published(version):
    report = version.report
    try:
        then = report.history.as_of(version.published_at)
    except report.DoesNotExist:
        then = None
    if then is None:
        return Coverage(tuple(report.cohorts.all()), report.date_from, report.date_to)
    return Coverage(tuple(then.cohorts.all()), then.date_from, then.date_to)


def subject_access_zip(*, by, child):
    """The ZIP's bytes; records one `subject_access` audit event (with counts, no details)."""
    files = collect(child)
    counts = {name: len(rows) for name, rows in files.items()}
    listing = "".join(f"{name}\n    {text}\n" for name, text in files_described().items())
    readme = README.format(
        made_at=timezone.localtime().strftime("%-d %B %Y at %H:%M"),
        by=getattr(by, "username", "") or "the command line",
        case_ref=child.case_ref or f"(none recorded; child id {child.pk})",
        files=listing,
        counts="".join(f"{name}: {n}\n" for name, n in counts.items()),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for name, rows in files.items():
            archive.writestr(name, _dump(rows))
    record(AuditEvent.Action.SUBJECT_ACCESS, by=by, target=child, details={"files": counts})
    return out.getvalue()
