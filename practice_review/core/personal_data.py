"""Which records hold personal data about a child, and in which fields: told once, by the app
that owns each record, from its AppConfig.ready() (docs/architecture.md#personal-data).

Three readers share this one list, so a new field cannot be known to one and missed by another:
- the audit trail keeps no value of a field about who a child is (audit/history.py);
- the retention purge clears the words and the identifying details no figure counts
  (data_protection/purge.py; ADR 0005);
- the subject access export gathers every registered record of a child (subject_access.py).

tests/integration/test_data_protection.py walks every model: a record that reaches a child's
review must be registered here, and each of its text fields must be classified.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PersonalRecord:
    model: type
    # A plural noun for the record, as the purge counts it and the export names its file.
    name: str
    # How a row reaches its review ("review", "recommendation__review"); "" for the review
    # itself; None for the child's own record.
    reaches_review: str | None
    # Free text about the child, the family or the case: the purge clears it.
    words: frozenset[str]
    # Who the child is (special category data among it): never a value in the audit trail; the
    # purge clears it unless the figures count it.
    identifying: frozenset[str]
    # Identifying fields the figures count (gender, age, legal status...): the purge keeps them.
    counted: frozenset[str]
    # Text fields looked at and found to say nothing about a child (a status key, a theme key).
    not_personal: frozenset[str]
    # What the subject access export's README says the record holds.
    description: str
    # JSON documents that hold words beside what the figures count (a review's answers): the
    # purge keeps each document, as the function given for it returns it without its words.
    documents: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    # How a row reaches the child when it hangs off no review ("child" for a caseload entry:
    # a child is in an extract before any review of theirs); "" for every other record.
    reaches_child: str = ""

    @property
    def cleared_by_purge(self) -> frozenset[str]:
        return self.words | (self.identifying - self.counted)


_records: dict[type, PersonalRecord] = {}


def register(
    model: type,
    *,
    name: str,
    reaches_review: str | None,
    description: str,
    words: Iterable[str] = (),
    identifying: Iterable[str] = (),
    counted: Iterable[str] = (),
    not_personal: Iterable[str] = (),
    documents: Mapping[str, Callable[[Any], Any]] | None = None,
    reaches_child: str = "",
) -> None:
    counted, identifying = frozenset(counted), frozenset(identifying)
    if not counted <= identifying:
        raise ValueError(f"{model.__name__}: a counted field must be an identifying one")
    _records[model] = PersonalRecord(
        model=model,
        name=name,
        reaches_review=reaches_review,
        words=frozenset(words),
        identifying=frozenset(identifying),
        counted=frozenset(counted),
        not_personal=frozenset(not_personal),
        description=description,
        documents=dict(documents or {}),
        reaches_child=reaches_child,
    )


def records() -> list[PersonalRecord]:
    """Every registered record, in the order the apps registered them (the child, the review,
    then what hangs off it)."""
    return list(_records.values())


def record_for(model: type) -> PersonalRecord | None:
    """The registration of `model` (or of the model a historical copy is of), or None."""
    return _records.get(getattr(model, "instance_type", model))


def never_a_value(model: type) -> frozenset[str]:
    """Fields of `model` whose values the audit trail must never hold."""
    record = record_for(model)
    return record.identifying | record.words if record else frozenset()


def document_values(model: type) -> Mapping[str, Callable[[Any], Any]]:
    """{JSON field: what of it may be kept} for `model`'s documents: what the retention purge
    keeps (the figures' answers: results, grades), which is no one's words, so the audit trail
    may hold it too."""
    record = record_for(model)
    return record.documents if record else {}


def child_record() -> PersonalRecord:
    return next(
        record
        for record in _records.values()
        if record.reaches_review is None and not record.reaches_child
    )


def review_record() -> PersonalRecord:
    return next(record for record in _records.values() if record.reaches_review == "")


def rows_about_reviews() -> list[PersonalRecord]:
    """The records that hang off a review (not the child's or the review's own row)."""
    return [record for record in _records.values() if record.reaches_review]
