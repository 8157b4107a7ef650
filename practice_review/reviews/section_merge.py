"""Two saves of one section of the review form, merged answer by answer. Pure Python.

Two tabs (or two devices) open on one section: one saves, then the other saves from the page
as it was loaded. Comparing each answer with what that page was loaded with (the base) tells
who changed it:

- only the other person: their answer stays (the page's copy is merely out of date);
- only the person saving: theirs is saved;
- both, to the same answer: nothing to decide;
- both, differently: a clash. Only clashes are put to the person, with both answers; until
  they choose, the merged answers hold theirs.

Ticked boxes (a list of learning topics) merge item by item: a box either person ticked stays
ticked, one either unticked stays unticked, so lists never clash.

Without a base for an answer (a page whose loaded copy is missing or was tampered with),
nothing is known about who changed what: every answer that differs from the saved one clashes.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_UNKNOWN = object()


@dataclass(frozen=True)
class Merged:
    # The answers to save: one for every answer the person sent, and no other.
    values: dict[str, Any]
    # Answers both changed differently, in the order sent: the person decides.
    clashes: list[str] = field(default_factory=list)
    # Answers that end up other than the person sent (the other person's changes kept).
    kept: list[str] = field(default_factory=list)


def comparable(value: Any) -> Any:
    """An answer as it compares: a date as its ISO text (the base travels as JSON), a list as
    its sorted items (the order boxes are ticked in means nothing)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(comparable(item) for item in value)
    return value


def _is_list(*values: Any) -> bool:
    return all(isinstance(value, list | tuple | set | frozenset) for value in values)


def _merge_one(base: Any, theirs: Any, yours: Any) -> tuple[Any, bool]:
    """(the merged answer, whether it clashes)."""
    if comparable(theirs) == comparable(yours):
        return yours, False
    if base is _UNKNOWN:
        return yours, True
    if _is_list(base, theirs, yours):
        before = set(comparable(base))
        added = (set(comparable(theirs)) - before) | (set(comparable(yours)) - before)
        removed = (before - set(comparable(theirs))) | (before - set(comparable(yours)))
        return sorted((before - removed) | added), False
    if comparable(yours) == comparable(base):
        return theirs, False
    if comparable(theirs) == comparable(base):
        return yours, False
    return yours, True


def merge(base: Mapping[str, Any], theirs: Mapping[str, Any], yours: Mapping[str, Any]) -> Merged:
    """Merge `yours` (the answers sent) with `theirs` (saved since the page was loaded),
    knowing `base` (what the page was loaded with)."""
    values: dict[str, Any] = {}
    clashes: list[str] = []
    for name, your_value in yours.items():
        values[name], clash = _merge_one(
            base.get(name, _UNKNOWN), theirs.get(name, your_value), your_value
        )
        if clash:
            clashes.append(name)
    kept = [name for name in yours if comparable(values[name]) != comparable(yours[name])]
    return Merged(values=values, clashes=clashes, kept=kept)
