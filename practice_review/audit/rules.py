"""Which values of a changed field an audit event may hold. Pure: no Django.

An event outlives the record it describes: the retention purge removes or anonymises a child's
records and their history, while the trail of who touched them stays (models.py). So an event
may hold only values that say nothing about who a child is or what was written about them:
workflow values (a status, a grade, a standard met or not), yes/no flags, numbers, dates and
the ids of linked records. For everything else, and for the child's own characteristics even
where they are choices, it says only that the field changed.
"""

from datetime import date, datetime
from decimal import Decimal

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


def change_entry(
    name: str, kind: str, before: object, after: object, never: frozenset[str] = frozenset()
) -> dict[str, object]:
    """What an event says about one changed field."""
    if keeps_value(name, kind, never):
        return {"before": plain(before), "after": plain(after)}
    return {"changed": True}
