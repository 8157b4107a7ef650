"""Writes to audit templates (docs/adr/0007-audit-templates-as-versioned-data.md): loading a
template file, and making, changing, publishing and deleting drafts in the browser, attributed
and kept like every other change.

A version that any cohort or review uses never changes: what its figures mean is fixed. A file
with changes for it is refused, naming the version to give it instead.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from practice_review.core import audit_templates as files
from practice_review.core.history import delete_as, save_as
from practice_review.reviews import template_editing as editing
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


# --- Managing templates in the browser (docs/audit-templates.md#managing-templates-in-the-browser)
#
# A draft is a version with no published_at: the QA lead changes it item by item, then
# publishes it. Every change builds the whole new definition, checks it as a file is checked
# (core/audit_templates from_data, and the review form's and review files' clashes) and saves
# it attributed, so a draft is always a template the format accepts, and a change with a
# problem changes nothing.


def _checked(data: dict) -> files.AuditTemplate:
    definition = files.from_data(data)
    clashes = names_taken(definition) + column_clashes(definition)
    if clashes:
        raise files.TemplateProblems(clashes)
    return definition


def _refuse_key_in_use(key: str, leaving_out: AuditTemplate | None = None) -> None:
    others = AuditTemplate.objects.filter(key=key)
    if leaving_out is not None:
        others = others.exclude(pk=leaving_out.pk)
    other = others.order_by("version").first()
    if other is not None:
        raise files.TemplateProblems(
            [f'key "{key}" is already used by the template {other.name}: choose another']
        )


def _new_draft(*, by, data: dict) -> AuditTemplate:
    definition = _checked(data)
    template = AuditTemplate(
        key=definition.key,
        version=definition.version,
        name=definition.name,
        definition=files.to_data(definition),
        created_by=by,
    )
    save_as(template, by)
    return template


@transaction.atomic
def create_template(*, by, key: str, name: str, description: str = "") -> AuditTemplate:
    """A new template, version 1, as a draft. It starts with the built-in template's two ILACS
    grades (a template needs at least one grade axis) and no standards, themes or questions."""
    _refuse_key_in_use(key)
    grades = files.to_data(files.built_in())["grades"]
    data = {"key": key, "name": name, "version": 1, "description": description, "grades": grades}
    return _new_draft(by=by, data=data)


@transaction.atomic
def copy_template(*, by, source: AuditTemplate, key: str, name: str) -> AuditTemplate:
    """A new template, version 1, as a draft: everything `source` asks, under a key and name
    of its own."""
    _refuse_key_in_use(key)
    data = {**source.definition, "key": key, "name": name, "version": 1}
    return _new_draft(by=by, data=data)


@transaction.atomic
def new_version(*, by, source: AuditTemplate) -> AuditTemplate:
    """The next version of `source`'s template (the latest + 1), as a draft copy of `source`.
    One draft of a template at a time, so that two people do not make version 3 twice."""
    versions = AuditTemplate.objects.select_for_update().filter(key=source.key)
    draft = versions.filter(published_at__isnull=True).first()
    if draft is not None:
        raise NotAllowed(
            f"Version {draft.version} of {draft.name} is already a draft: change that one, "
            "or delete it first"
        )
    latest = versions.aggregate(n=Max("version"))["n"]
    return _new_draft(by=by, data={**source.definition, "version": latest + 1})


STALE = (
    "This template was changed after you opened the page, so nothing was changed: check it "
    "and make your change again"
)


def _draft_to_change(template: AuditTemplate, based_on: str | None = None) -> AuditTemplate:
    """The draft, locked; `based_on`, the revision the person was shown, if the page sent it."""
    row = AuditTemplate.objects.select_for_update().get(pk=template.pk)
    if row.is_published:
        raise NotAllowed(
            f"Version {row.version} of {row.name} is published, so it cannot change: make a new "
            "version from it"
        )
    if based_on is not None and based_on != editing.revision(row.definition):
        raise NotAllowed(STALE)
    return row


def _save_change(row: AuditTemplate, data: dict, by) -> AuditTemplate:
    definition = _checked(data)
    row.key, row.name = definition.key, definition.name
    row.definition = files.to_data(definition)
    save_as(row, by)
    return row


@transaction.atomic
def change_details(
    *,
    by,
    template: AuditTemplate,
    key: str,
    name: str,
    description: str = "",
    based_on: str | None = None,
) -> AuditTemplate:
    """A draft's key, name and description. The key of a new template's first version may
    change; a later version keeps its template's key (copy it as a new template instead)."""
    row = _draft_to_change(template, based_on)
    if key != row.key:
        if row.version != 1:
            raise files.TemplateProblems(
                [
                    f"key cannot change: version {row.version} is a new version of {row.key}. "
                    "Copy it as a new template to give it another key"
                ]
            )
        _refuse_key_in_use(key, leaving_out=row)
    data = {**row.definition, "key": key, "name": name, "description": description}
    return _save_change(row, data, by)


@transaction.atomic
def save_item(
    *,
    by,
    template: AuditTemplate,
    part: str,
    position: int | None,
    item: dict,
    based_on: str | None = None,
) -> AuditTemplate:
    """Put `item` (plain data in the file's form) at `position` of a draft's `part` (grades,
    standards, themes or questions; counted from 0), or add it at the end (position None)."""
    row = _draft_to_change(template, based_on)
    _refuse_missing_item(row, part, position)
    return _save_change(row, editing.put_item(row.definition, part, position, item), by)


@transaction.atomic
def remove_item(
    *, by, template: AuditTemplate, part: str, position: int, based_on: str | None = None
) -> AuditTemplate:
    row = _draft_to_change(template, based_on)
    _refuse_missing_item(row, part, position)
    return _save_change(row, editing.remove_item(row.definition, part, position), by)


@transaction.atomic
def move_item(
    *,
    by,
    template: AuditTemplate,
    part: str,
    position: int,
    up: bool,
    based_on: str | None = None,
) -> AuditTemplate:
    """Swap an item with the one before it (`up`) or after it: the order the form asks them."""
    row = _draft_to_change(template, based_on)
    _refuse_missing_item(row, part, position)
    return _save_change(row, editing.move_item(row.definition, part, position, up), by)


def _refuse_missing_item(row: AuditTemplate, part: str, position: int | None) -> None:
    if part not in editing.PARTS:
        raise NotAllowed(f"A template has no {part}")
    if position is not None and not 0 <= position < len(editing.items_of(row.definition, part)):
        raise NotAllowed(f"This template has no {editing.PARTS[part]} {position + 1}")


@transaction.atomic
def publish(*, by, template: AuditTemplate, based_on: str | None = None) -> AuditTemplate:
    """Publish a draft: checked again as a whole, then fixed for good. From now on cohorts may
    use it, and it never changes: what is published is what the person saw (`based_on`)."""
    row = _draft_to_change(template, based_on)
    _checked(row.definition)
    row.published_at, row.published_by = timezone.now(), by
    save_as(row, by)
    return row


@transaction.atomic
def delete_draft(*, by, template: AuditTemplate) -> None:
    """Delete a draft nothing uses. A published version is never deleted: figures name it."""
    row = _draft_to_change(template)
    if row.cohorts.exists() or row.reviews.exists():
        raise NotAllowed(f"Version {row.version} of {row.name} is used, so it cannot be deleted")
    delete_as(row, by)
