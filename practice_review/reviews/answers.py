"""A review's answers to its template's practice standards, as one JSON document on the review
(docs/adr/0007-audit-templates-as-versioned-data.md, stage 2). Pure Python.

The document is {"standards": {key: {"result": "met", "comment": "...", "put_right": false}}}.
The review form and the review file name each answer as a field, as they always have: the
standard's key for its result, `<key>_comment` and `<key>_put_right`; this module is the one
place that turns one into the other.
"""

from collections.abc import Iterable, Mapping
from typing import Any

RESULT, COMMENT, PUT_RIGHT = "result", "comment", "put_right"
# What a standard not yet checked reads as.
UNANSWERED: dict[str, Any] = {RESULT: None, COMMENT: "", PUT_RIGHT: False}
_SUFFIXES = {"": RESULT, "_comment": COMMENT, "_put_right": PUT_RIGHT}


def standard_fields(keys: Iterable[str]) -> list[str]:
    """The field names of the standards `keys`, in order: result, comment, put right."""
    return [f"{key}{suffix}" for key in keys for suffix in _SUFFIXES]


def standard(answers: Mapping[str, Any], key: str) -> dict[str, Any]:
    """One standard's answer: result (None until checked), comment, put right."""
    given = (answers.get("standards") or {}).get(key) or {}
    return {part: given.get(part, empty) for part, empty in UNANSWERED.items()}


def standard_values(answers: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """{field name: value} for the standards `keys`."""
    values = {}
    for key in keys:
        given = standard(answers, key)
        values.update({f"{key}{suffix}": given[part] for suffix, part in _SUFFIXES.items()})
    return values


def with_standard_values(
    answers: Mapping[str, Any], keys: Iterable[str], values: Mapping[str, Any]
) -> dict[str, Any]:
    """A copy of `answers` with the fields in `values` that name a part of one of the standards
    `keys` set; other names in `values` are left for the caller."""
    standards = {key: dict(part) for key, part in (answers.get("standards") or {}).items()}
    for key in keys:
        for suffix, part in _SUFFIXES.items():
            name = f"{key}{suffix}"
            if name in values:
                standards[key] = {**standard({"standards": standards}, key), part: values[name]}
    return {**answers, "standards": standards}


def lookup(key: str, part: str = RESULT) -> str:
    """The ORM lookup of one part of a standard's answer, for filters and conditional counts:
    `Q(**{lookup("seen_alone"): "met"})`."""
    return f"answers__standards__{key}__{part}"


def without_words(answers: Mapping[str, Any]) -> dict[str, Any]:
    """`answers` as the retention purge leaves them: each standard's result and whether it was
    put right stay (the figures count them), its comment goes."""
    standards = {
        key: {**part, COMMENT: ""} if part.get(COMMENT) else dict(part)
        for key, part in (answers.get("standards") or {}).items()
    }
    return {**answers, "standards": standards} if "standards" in answers else dict(answers)
