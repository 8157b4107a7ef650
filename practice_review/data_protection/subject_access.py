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
from practice_review.alerts.models import Alert
from practice_review.audit.events import record
from practice_review.audit.models import AuditEvent
from practice_review.core.vocabulary import COMPLETED_STATES
from practice_review.data_protection.purge import finding_topics_history
from practice_review.moderation.models import AgendaReview
from practice_review.reports.models import PublishedReport
from practice_review.reports.summary import Coverage
from practice_review.reviews.models import (
    Conversation,
    LearningTopic,
    Review,
    ReviewEvent,
    ReviewResponse,
    ThemeFinding,
)
from practice_review.tracker.models import (
    ImpactCheck,
    Recommendation,
    RecommendationUpdate,
    ReminderSent,
)

# file name -> what it holds, for README.txt (and the order of the files in it).
FILES = {
    "child.json": "The child's record: case reference, initials, gender, date of birth, "
    "ethnicity, religion, first language, interpreter, UASC, and any legal hold.",
    "reviews.json": "Every review of the child's case file: the child's details as they were "
    "at the review, the 8 practice standards (result, comment, put right during the review), "
    "the grades and the reasons for them, moderation and second-reviewer grades, who reviewed "
    "and when. Staff are given as ids: see staff.json.",
    "findings.json": "Strengths and areas for development under each of the 5 themes, for "
    "each review; learning topics are ids, see learning_topics.json.",
    "conversations.json": "Conversations the reviewer held with the practitioner, manager, "
    "child or family, in the person's own words.",
    "review_events.json": "Each change of a review's status (assigned, submitted, final, "
    "reopened), who made it, when and why.",
    "responses.json": "Responses and reflections written by the practitioner or manager.",
    "alerts.json": "Alerts raised about a significant concern, and what was done.",
    "recommendations.json": "Recommendations made for the child, with their status.",
    "recommendation_updates.json": "Dated progress notes on those recommendations.",
    "impact_checks.json": "Whether each completed recommendation made a difference.",
    "reminders_sent.json": "Reminders emailed to a recommendation's owner (dates only).",
    "moderation_decisions.json": "What moderation meetings decided about the reviews' grades.",
    "history/": "Every earlier version of each record above (one file per kind): what it "
    "said, who changed it and when. history_type is + created, ~ changed, - deleted.",
    "audit_events.json": "The audit trail of who viewed, exported or changed these records.",
    "published_reports.json": "Published summary reports whose coverage took in one of these "
    "reviews when they were published (the full edition lists reviews by initials; figures "
    "count them without naming anyone).",
    "staff.json": "The staff named on these records (reviewers, social workers, managers).",
    "learning_topics.json": "The names of the learning topics findings are tagged with.",
}

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
    recommendations = Recommendation.objects.filter(review__in=review_ids).order_by("id")
    recommendation_ids = list(recommendations.values_list("id", flat=True))
    findings = ThemeFinding.objects.filter(review__in=review_ids).order_by("review", "theme")
    live = {
        "child": (type(child), [child.pk]),
        "reviews": (Review, review_ids),
        "findings": (ThemeFinding, list(findings.values_list("id", flat=True))),
        "conversations": (Conversation, _ids(Conversation, review__in=review_ids)),
        "review_events": (ReviewEvent, _ids(ReviewEvent, review__in=review_ids)),
        "responses": (ReviewResponse, _ids(ReviewResponse, review__in=review_ids)),
        "alerts": (Alert, _ids(Alert, review__in=review_ids)),
        "recommendations": (Recommendation, recommendation_ids),
        "recommendation_updates": (
            RecommendationUpdate,
            _ids(RecommendationUpdate, recommendation__in=recommendation_ids),
        ),
        "impact_checks": (ImpactCheck, _ids(ImpactCheck, recommendation__in=recommendation_ids)),
        "reminders_sent": (ReminderSent, _ids(ReminderSent, recommendation__in=recommendation_ids)),
        "moderation_decisions": (AgendaReview, _ids(AgendaReview, review__in=review_ids)),
    }
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
    files["staff.json"] = _records(_staff(reviews, live))
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


def _staff(reviews, live):
    links = ("reviewer", "social_worker", "supervisor", "independent_reviewing_officer",
             "second_reviewer")  # fmt: skip
    ids = set()
    for link in links:
        ids |= set(reviews.exclude(**{f"{link}__isnull": True}).values_list(link, flat=True))
    ids |= set(
        Alert.objects.filter(id__in=live["alerts"][1], must_act__isnull=False).values_list(
            "must_act", flat=True
        )
    )
    ids |= set(
        Recommendation.objects.filter(
            id__in=live["recommendations"][1], owner__isnull=False
        ).values_list("owner", flat=True)
    )
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
    listing = "".join(f"{name}\n    {text}\n" for name, text in FILES.items())
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
