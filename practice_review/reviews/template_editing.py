"""Changes to a draft audit template's definition, as plain data. Pure Python.

The browser's template editor changes a draft one item at a time; each change here works on
the definition in the file's form (core/audit_templates.py `to_data`), and template_actions.py
checks the result with `from_data` before anything is saved, so a change can never store a
template the file format would refuse.
"""

import hashlib
import json
import re
from typing import Any

from practice_review.core.audit_templates import MAX_KEY_LENGTH

# The lists of a template a person edits item by item, and what one of their items is called.
PARTS = {
    "grades": "grade",
    "standards": "standard",
    "themes": "theme",
    "questions": "question",
}

Definition = dict[str, Any]
Item = dict[str, Any]

_NOT_KEY = re.compile(r"[^a-z0-9]+")


def suggest_key(label: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A key made from `label` ("Was the child's voice recorded?" -> was_the_child_s_voice
    _recorded), different from those `taken`: people read labels, files use keys, and most
    people never need to choose one."""
    words = _NOT_KEY.sub("_", label.casefold()).strip("_") or "item"
    if not words[0].isalpha():
        words = f"item_{words}"
    base = words[:MAX_KEY_LENGTH].rstrip("_")
    key, number = base, 2
    while key in taken:
        ending = f"_{number}"
        key = base[: MAX_KEY_LENGTH - len(ending)].rstrip("_") + ending
        number += 1
    return key


def revision(definition: Definition) -> str:
    """A short fingerprint of a definition. A page that changes a draft sends the revision it
    was shown, so a change made meanwhile (another tab, another person) is not overwritten and
    "item 3" still means the item the person saw."""
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def items_of(definition: Definition, part: str) -> list[Item]:
    """The items of one part (to_data leaves an empty list out)."""
    return list(definition.get(part) or [])


def keys_of(definition: Definition, part: str, leaving_out: int | None = None) -> set[str]:
    return {
        str(item.get("key"))
        for position, item in enumerate(items_of(definition, part))
        if position != leaving_out
    }


def put_item(definition: Definition, part: str, position: int | None, item: Item) -> Definition:
    """The definition with `item` at `position` of `part` (replacing what was there), or added
    at the end when `position` is None."""
    items = items_of(definition, part)
    if position is None:
        items.append(item)
    else:
        items[position] = item
    return {**definition, part: items}


def remove_item(definition: Definition, part: str, position: int) -> Definition:
    items = items_of(definition, part)
    del items[position]
    return {**definition, part: items}


def move_item(definition: Definition, part: str, position: int, up: bool) -> Definition:
    """The definition with one item swapped with the one before it (`up`) or after it; the
    first item cannot go up nor the last down, and stays where it is."""
    items = items_of(definition, part)
    other = position - 1 if up else position + 1
    if 0 <= other < len(items):
        items[position], items[other] = items[other], items[position]
    return {**definition, part: items}
