"""Writes for summary reports: create, change what a report covers, write its narrative,
publish it, and make a published version's files. Each takes `by` and runs in one transaction;
drafts keep their history (django-simple-history), published versions never change."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from practice_review.core.history import save_as
from practice_review.reports.builder import INTERNAL, WIDER, report_from_dict, report_to_dict
from practice_review.reports.checks import problems_digest
from practice_review.reports.drafts import Draft
from practice_review.reports.models import PublishedFile, PublishedReport, SummaryReport
from practice_review.reports.renderers import RENDERERS


class StaleNarrative(Exception):
    """Someone else saved the narrative since this author opened it."""


@dataclass
class Unchecked(Exception):
    """The figure check found problems and no reason was given to publish with them."""

    problems: list


def create_report(*, by, title, cohorts, date_from=None, date_to=None, comparator=None):
    with transaction.atomic():
        report = save_as(
            SummaryReport(
                title=title,
                date_from=date_from,
                date_to=date_to,
                comparator=comparator,
                created_by=by,
            ),
            by,
        )
        report.cohorts.set(cohorts)
    return report


def change_coverage(*, by, report, title, cohorts, date_from=None, date_to=None, comparator=None):
    with transaction.atomic():
        report = SummaryReport.objects.select_for_update().get(pk=report.pk)
        report.title, report.date_from, report.date_to = title, date_from, date_to
        report.comparator = comparator
        report.version += 1
        save_as(report, by)
        report.cohorts.set(cohorts)
    return report


def save_narrative(*, by, report, part, text, version):
    """Keep the author's Markdown for one part; `version` is the draft they started from."""
    with transaction.atomic():
        report = SummaryReport.objects.select_for_update().get(pk=report.pk)
        if report.version != version:
            raise StaleNarrative
        report.narrative = report.narrative | {part: text.replace("\r\n", "\n")}
        report.version += 1
        save_as(report, by)
    return report


def restore_default(*, by, report, part, version):
    """Drop the author's text for one part, so it follows the reviews again."""
    with transaction.atomic():
        report = SummaryReport.objects.select_for_update().get(pk=report.pk)
        if report.version != version:
            raise StaleNarrative
        report.narrative = {key: text for key, text in report.narrative.items() if key != part}
        report.version += 1
        save_as(report, by)
    return report


def publish(*, by, report, reviews, version, seen_problems="", override_reason=""):
    """Freeze the draft as the next version: figures, narrative and both editions.

    `version` is the draft the author looked at and `seen_problems` the figure-check problems
    they saw (checks.problems_digest): an override covers only those, and a draft that changed
    since is refused, so nobody publishes words or problems they have not read.
    """
    # Built before taking the write lock: the figures and two editions take a moment, and
    # every other writer would queue behind the lock meanwhile.
    draft = Draft(SummaryReport.objects.get(pk=report.pk), reviews)
    if draft.report.version != version:
        raise StaleNarrative
    override_reason = override_reason.strip()
    if draft.problems and (not override_reason or problems_digest(draft.problems) != seen_problems):
        raise Unchecked(draft.problems)
    # The documents say which version they are and when it was published (the document
    # control table), so the number is taken now; if someone else publishes meanwhile, this
    # one is refused like any other change since the author looked.
    number, at = _next_number(draft.report), timezone.now()
    control = draft.control(number, at, by)
    documents = {
        audience: report_to_dict(draft.document(audience, control=control))
        for audience in (INTERNAL, WIDER)
    }
    with transaction.atomic():
        report = SummaryReport.objects.select_for_update().get(pk=report.pk)
        if report.version != version or _next_number(report) != number:
            raise StaleNarrative
        return PublishedReport.objects.create(
            report=report,
            number=number,
            published_at=at,
            published_by=by,
            title=report.title,
            figures=draft.figures,
            narrative=draft.narrative,
            documents=documents,
            overridden_problems=[
                {"part": p.part, "text": p.text, "problem": p.problem} for p in draft.problems
            ],
            override_reason=override_reason if draft.problems else "",
        )


def _next_number(report):
    return (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1


def published_file(version, audience, format):
    """The version's file, made from its frozen document the first time it is asked for and
    kept, so it is the same file every time after."""
    existing = PublishedFile.objects.filter(version=version, audience=audience, format=format)
    if found := existing.first():
        return found
    document = report_from_dict(version.documents[audience])
    content = RENDERERS[format]().render(document)
    try:
        with transaction.atomic():
            return PublishedFile.objects.create(
                version=version, audience=audience, format=format, content=content
            )
    except IntegrityError:  # made at the same moment by another request: keep theirs
        return existing.get()
