"""Writes to audit templates (docs/adr/0007-audit-templates-as-versioned-data.md): loading a
template file, attributed and kept like every other change.

A version that any cohort or review uses never changes: what its figures mean is fixed. A file
with changes for it is refused, naming the version to give it instead.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from practice_review.core import audit_templates as files
from practice_review.core.history import save_as
from practice_review.reviews.actions import NotAllowed
from practice_review.reviews.models import AuditTemplate
from practice_review.reviews.review_file import column_clashes
from practice_review.reviews.review_sections import names_taken

ADDED, UNCHANGED, REPLACED = "added", "unchanged", "replaced"


@dataclass(frozen=True)
class Loaded:
    template: AuditTemplate
    outcome: str  # ADDED, UNCHANGED (the same file again changes nothing) or REPLACED


@transaction.atomic
def load_template(*, by, definition: files.AuditTemplate) -> Loaded:
    """Store `definition` (already checked by core/audit_templates) as its key and version,
    published: a file is a finished template, shared to be used. A template whose keys the
    review form (review_sections.names_taken) or review files (review_file.column_clashes)
    could not use is refused, as a bad file is."""
    clashes = names_taken(definition) + column_clashes(definition)
    if clashes:
        raise files.TemplateProblems(clashes)
    data = files.to_data(definition)
    stored = (
        AuditTemplate.objects.select_for_update()
        .filter(key=definition.key, version=definition.version)
        .first()
    )
    if stored is not None and stored.definition == data:
        return Loaded(stored, UNCHANGED)
    if stored is not None:
        _refuse_if_in_use(stored)
        stored.name, stored.definition = definition.name, data
        stored.published_at, stored.published_by = timezone.now(), by
        save_as(stored, by)
        return Loaded(stored, REPLACED)
    template = AuditTemplate(
        key=definition.key,
        version=definition.version,
        name=definition.name,
        definition=data,
        created_by=by,
        published_at=timezone.now(),
        published_by=by,
    )
    save_as(template, by)
    return Loaded(template, ADDED)


def _refuse_if_in_use(stored: AuditTemplate) -> None:
    cohorts, reviews = stored.cohorts.count(), stored.reviews.count()
    if not (cohorts or reviews):
        return
    latest = AuditTemplate.objects.filter(key=stored.key).aggregate(n=Max("version"))["n"]
    used = " and ".join(
        f"{n} {noun}{'s' if n != 1 else ''}"
        for n, noun in ((cohorts, "cohort"), (reviews, "review"))
        if n
    )
    raise NotAllowed(
        f"Version {stored.version} of {stored.key} is used by {used}, so it cannot change: "
        f"give the changed template version {latest + 1}"
    )
