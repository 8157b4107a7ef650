"""Which values of a changed field an audit event may hold. Pure: no Django.

An event outlives the record it describes: the retention purge removes or anonymises a child's
records and their history, while the trail of who touched them stays (models.py). So an event
may hold only values that say nothing about who a child is or what was written about them:
workflow values (a status, a grade, a standard met or not), yes/no flags, numbers, dates and
the ids of linked records. For everything else, and for the child's own characteristics even
where they are choices, it says only that the field changed.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# Kinds of field whose values are kept (history.py decides a field's kind from its class).
VALUE_KINDS = frozenset({"choice", "boolean", "number", "date", "foreign key"})

# Never a value, whatever the kind or the record: an account's secrets. Who a child is, record
# by record, is told by the apps that own the records (core/personal_data.py, `never` below;
# docs/spec/domain.md#children).
# Words (free text, names, initials, references) are never kept because their kind is "text".
ACCOUNT_SECRETS = frozenset({"password", "new_password_hash"})


def keeps_value(name: str, kind: str, never: frozenset[str] = frozenset()) -> bool:
    """May the before and after values of field `name` (of `kind`) go into the audit trail?
    `never` names the fields of its record that say who a child is."""
    return kind in VALUE_KINDS and name not in never and name not in ACCOUNT_SECRETS


def plain(value: object) -> object:
    """A value as JSON can hold it."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def document_entry(
    values_of: Callable[[Any], Any], before: object, after: object
) -> dict[str, object]:
    """What an event says about a changed JSON document (a review's answers): the parts whose
    kept values (`values_of`, the retention purge's own: no words) changed, before and after;
    only that it changed when what changed was words."""
    kept_before, kept_after = values_of(before or {}), values_of(after or {})
    parts = [part for part in dict.fromkeys([*kept_before, *kept_after])
             if kept_before.get(part) != kept_after.get(part)]  # fmt: skip
    if not parts:
        return {"changed": True}
    return {
        "before": {part: kept_before[part] for part in parts if part in kept_before},
        "after": {part: kept_after[part] for part in parts if part in kept_after},
    }


def change_entry(
    name: str, kind: str, before: object, after: object, never: frozenset[str] = frozenset()
) -> dict[str, object]:
    """What an event says about one changed field."""
    if keeps_value(name, kind, never):
        return {"before": plain(before), "after": plain(after)}
    return {"changed": True}
