"""Small counts kept from view in the version for wider circulation. Pure Python.

A count of 1 or 2 can single out a child, so it reads "fewer than 3" (primary suppression). But
counts that add up to a known total would give it away by subtraction: with 8 outstanding, 0 and
0 shown out of 10, the hidden "good" must be 2. So in each such group one more count, large
enough to leave the hidden ones ambiguous, is withheld and reads "[c]" (secondary suppression:
the symbol official statistics use for a confidential figure, explained under each table that
has one). A total made of a group's counts is shown only when that cannot give a hidden count
away: "good or better" is shown whenever it and the rest of the cohort are each 0 or 3 or more.

This is the usual practice of official statistics, kept simple: it protects each table on its
own, not every combination of tables with the narrative, which is why the disclosure check
also asks the author to read the narrative.
"""

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from practice_review.core.audit_templates import AuditTemplate, GradeAxis, Level, built_in

SMALL_COUNT = 3
# A secondary count must be at least this, or "fewer than 3" beside it could still be solved.
SECONDARY_AT_LEAST = 4


@dataclass(frozen=True)
class Hidden:
    label: str

    def __str__(self) -> str:
        return self.label


FEWER = Hidden(f"fewer than {SMALL_COUNT}")
# Withheld so that a small count cannot be worked out (the GSS symbol for "confidential").
NOT_SHOWN = Hidden("[c]")
WITHHELD_NOTE = (
    '"[c]" marks a count withheld so that a count under 3 cannot be worked out from the total '
    "and the counts shown."
)

# Counts on their own (no group adds them up to a known total). A recommendation is made for one
# child, so 1 or 2 made, or overdue, is hidden like 1 or 2 reviews. The recommendations not
# overdue are shown nowhere, so the overdue count is protected on its own. The grades changed
# at moderation, one count per axis, are counts on their own too.
SINGLE_COUNTS = [("both_outstanding",), ("practice_good_or_better_outcome_not",), ("uasc",),
                 ("moderated",), ("alerts",),
                 ("recommendations", "made"), ("recommendations", "overdue")]  # fmt: skip


def small(count: object) -> bool:
    return isinstance(count, int) and 0 < count < SMALL_COUNT


def hide_small(count: int) -> int | Hidden:
    """A count on its own, as the version for wider circulation shows it."""
    return FEWER if small(count) else count


def masked(
    figures: dict[str, Any],
    templates: Sequence[AuditTemplate] = (),
    comparator_templates: Sequence[AuditTemplate] = (),
) -> dict[str, Any]:
    """A copy of `figures` (the shape of docs/spec/interchange.md#figures-json) with counts kept
    from view replaced by FEWER or NOT_SHOWN; the comparator's block is masked the same way.
    The grade axes are those of `templates` (the counted reviews' versions; the built-in's when
    none are given), and of `comparator_templates` for the comparator's block."""
    result = copy.deepcopy(figures)
    for block, asks in ((result, templates), (result.get("comparison"), comparator_templates)):
        if block:
            _mask_block(block, _axes(block, asks or templates))
    return result


def _axes(block: dict[str, Any], templates: Sequence[AuditTemplate]) -> list[GradeAxis]:
    """The grade axes the block counts, as the first of its template versions grades them."""
    first = templates[0] if templates else built_in()
    return [axis for axis in first.grades if isinstance(block.get(axis.key), dict)]


def _grade_blocks(block: dict[str, Any]) -> list[str]:
    """The keys of the block's grade axes, told by their shape (figures.py `_grades`)."""
    return [key for key, value in block.items()
            if isinstance(value, dict) and "good_or_better_pct" in value]  # fmt: skip


def _mask_block(block: dict[str, Any], axes: list[GradeAxis]) -> None:
    known = {axis.key: axis for axis in axes}
    for key in _grade_blocks(block):
        axis = known.get(key)
        levels = [k for k in block[key] if k not in ("good_or_better", "good_or_better_pct")]
        if axis is None or [level.key for level in axis.levels] != levels:
            # Graded on a scale the templates given do not describe (a comparator's, say): no
            # cut is known, so its grades are one group and good or better is withheld.
            axis = GradeAxis(key, key, "", tuple(Level(k, k) for k in levels), None)
            if block[key]["good_or_better"] is not None:
                block[key]["good_or_better"] = block[key]["good_or_better_pct"] = NOT_SHOWN
        _mask_grades(block[key], axis)
    changed = block.get("grades_changed_at_moderation") or {}
    for key in changed:
        changed[key] = hide_small(changed[key])
    _protect(block["gender"])
    _protect(block["legal_status"])
    _mask_age(block["age"])
    for results in block["practice_standards"].values():
        _protect(results)
    for answers in (block.get("questions") or {}).values():
        _mask_question(answers)
    for path in SINGLE_COUNTS:
        *parents, key = path
        container = block
        for parent in parents:
            container = container.get(parent) or {}
        if key in container:
            container[key] = hide_small(container[key])


def _mask_question(answers: dict[str, Any]) -> None:
    """A question's counts: the answers yes and no, or each choice, are a group like a
    standard's results. A sum of numbers given by 1 or 2 reviews would tell what they said, so
    it is withheld with them."""
    if "answered" not in answers:
        _protect(answers)
        return
    if small(answers["answered"]) and "total" in answers:
        answers["total"] = NOT_SHOWN
    answers["answered"] = hide_small(answers["answered"])


def _mask_grades(grades: dict[str, Any], axis: GradeAxis) -> None:
    """An axis's grades (the four ILACS grades, or a scale's own levels), and "good or better"
    made of the best of them. When good or better and the rest are each 0 or 3 or more, both
    are safe to show (and so is the percentage): each side is then protected on its own,
    against its own total. Otherwise good or better is withheld and the grades are protected as
    one group against the cohort's total; so are they on an axis with no cut."""
    levels = [level.key for level in axis.levels]
    good = list(axis.good_or_better_keys)
    not_good = [key for key in levels if key not in good]
    hidden: dict[str, Hidden] = {}
    if not good:
        groups = [levels]
    elif small(sum(grades[key] for key in good)) or small(sum(grades[key] for key in not_good)):
        grades["good_or_better"] = NOT_SHOWN
        grades["good_or_better_pct"] = NOT_SHOWN
        groups = [levels]
    else:
        groups = [good, not_good]
    for keys in groups:
        if not _protect_cells(grades, keys, hidden):
            _hide_the_rest(grades, keys, hidden)
    for key, label in hidden.items():
        grades[key] = label


def _mask_age(age: dict[str, Any]) -> None:
    """Under 18 and 18 or over make the cohort; 21 or over is part of 18 or over, so when the
    difference (aged 18 to 20) is 1 or 2 and both are shown, 21 or over is withheld too."""
    _protect(age, keys=["under_18", "aged_18_or_over"])
    older, oldest = age["aged_18_or_over"], age["aged_21_or_over"]
    if isinstance(older, int) and isinstance(oldest, int) and small(older - oldest):
        age["aged_21_or_over"] = NOT_SHOWN
    else:
        age["aged_21_or_over"] = hide_small(oldest)


def _protect(counts: dict[str, Any], keys: list[str] | None = None) -> None:
    keys = list(counts) if keys is None else keys
    hidden: dict[str, Hidden] = {}
    if not _protect_cells(counts, keys, hidden):
        _hide_the_rest(counts, keys, hidden)
    for key, label in hidden.items():
        counts[key] = label


def protect_column(counts: dict[str, int], forced: Sequence[str] = ()) -> dict[str, Any]:
    """A copy of `counts` (one table column whose total is known elsewhere) as the wider edition
    shows it: each count of 1 or 2 as FEWER, the `forced` ones (withheld for another reason,
    such as their row's total being hidden) as NOT_SHOWN, and, unless a hidden count of 4 or
    more is among them already, one more of 4 or more withheld beside them: hidden counts whose
    sum is known are then never solved (two of "fewer than 3" adding to 2 are both 1; a lone
    hidden count is the total less the rest)."""
    hidden: dict[str, Hidden] = {key: NOT_SHOWN for key in forced}
    hidden |= {key: FEWER for key in counts if key not in hidden and small(counts[key])}
    safe = len(hidden) > 1 and any(counts[key] >= SECONDARY_AT_LEAST for key in hidden)
    if hidden and not safe:
        candidates = sorted((counts[key], key) for key in counts
                            if key not in hidden and counts[key] >= SECONDARY_AT_LEAST)  # fmt: skip
        if candidates:
            hidden[candidates[0][1]] = NOT_SHOWN
        else:
            _hide_the_rest(counts, list(counts), hidden)
    return {key: hidden.get(key, count) for key, count in counts.items()}


def _protect_cells(counts: dict[str, Any], keys: list[str], hidden: dict[str, Hidden]) -> bool:
    """Hide the small counts among `keys` and, if any, one more to keep them ambiguous.
    False when no count is large enough to be that one more."""
    for key in keys:
        if small(counts[key]):
            hidden[key] = FEWER
    in_group = [key for key in keys if key in hidden]
    if not in_group or any(hidden[key] is NOT_SHOWN for key in in_group):
        return True
    candidates = sorted((counts[key], key) for key in keys
                        if key not in hidden and counts[key] >= SECONDARY_AT_LEAST)  # fmt: skip
    if not candidates:
        return False
    hidden[candidates[0][1]] = NOT_SHOWN
    return True


def _hide_the_rest(counts: dict[str, Any], keys: list[str], hidden: dict[str, Hidden]) -> None:
    """No count is large enough to hide beside the small ones: every count but the zeros is
    withheld ("[c]"), the small ones too, so that none of them is bounded and none solved."""
    for key in keys:
        if key in hidden or counts[key]:
            hidden[key] = NOT_SHOWN
