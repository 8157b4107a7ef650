"""Agreement between two reviewers' grades: pure functions over (first, second) grade pairs.

docs/spec/interchange.md#agreement: quadratic-weighted Cohen's kappa and Gwet's AC1 (unweighted,
marginals averaged over both raters), rounded half up to 3 places; None where undefined. The
categories are the levels of the axis's scale, best first: the four ILACS grades unless a
template's own scale says otherwise. Computed with Fractions so the same pairs always give the
same digits.

The agreement page (issue 5) reads the same figures through `agreement_summary`, and compares
each reviewer's own grades with the grades agreed at moderation (`agreement_with_moderation`).
"""

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, cast

from practice_review.core.numbers import n_of_n, round_half_up
from practice_review.core.vocabulary import GRADE_KEYS

# {(first reviewer's grade, second reviewer's grade): how many reviews}
Pairs = dict[tuple[str, str], int]


def _proportions(
    pairs: Pairs, levels: Sequence[str]
) -> tuple[dict[tuple[int, int], Fraction], int]:
    """{(i, j): proportion} over category indices, and the count of pairs."""
    total = sum(pairs.values())
    index = {key: position for position, key in enumerate(levels)}
    cells: dict[tuple[int, int], Fraction] = {}
    for (first, second), count in pairs.items():
        cell = (index[first], index[second])
        cells[cell] = cells.get(cell, 0) + Fraction(count, total)
    return cells, total


def exact_agreement(pairs: Pairs) -> Fraction | None:
    total = sum(pairs.values())
    if not total:
        return None
    agreed = sum(count for (first, second), count in pairs.items() if first == second)
    return Fraction(100 * agreed, total)


def quadratic_weighted_kappa(pairs: Pairs, levels: Sequence[str] = GRADE_KEYS) -> Fraction | None:
    """Cohen's kappa with weights 1 - (i - j)^2 / (k - 1)^2 over the k `levels`; None when
    chance agreement is 1."""
    if not sum(pairs.values()):
        return None
    cells, _ = _proportions(pairs, levels)
    k = len(levels)
    first = [sum(p for (i, _), p in cells.items() if i == c) for c in range(k)]
    second = [sum(p for (_, j), p in cells.items() if j == c) for c in range(k)]

    def weight(i: int, j: int) -> Fraction:
        return 1 - Fraction((i - j) ** 2, (k - 1) ** 2)

    observed = sum(weight(i, j) * p for (i, j), p in cells.items())
    expected = sum(weight(i, j) * first[i] * second[j] for i in range(k) for j in range(k))
    if expected == 1:
        return None  # every grade in one category: kappa is 0/0
    # sum() is typed as maybe the int 0 (its start), but over Fractions it gives a Fraction.
    return cast(Fraction, (observed - expected) / (1 - expected))


def gwet_ac1(
    pairs: Pairs, categories: int | None = None, levels: Sequence[str] = GRADE_KEYS
) -> Fraction | None:
    """Gwet's AC1: (pa - pe) / (1 - pe), pe = sum(pi_k (1 - pi_k)) / (q - 1).

    q is `categories`, how many grades the reviewers could choose from: by default the number
    of `levels`, the four of the ILACS scale unless given. Chance agreement depends on it, so a
    published two-category example (yes/no) is reproduced with categories=2 over the first two
    grades.
    """
    if not sum(pairs.values()):
        return None
    cells, _ = _proportions(pairs, levels)
    observed = sum(p for (i, j), p in cells.items() if i == j)
    pi = [
        Fraction(
            sum(p for (i, _), p in cells.items() if i == c)
            + sum(p for (_, j), p in cells.items() if j == c),
            2,
        )
        for c in range(len(levels))
    ]
    q = categories or len(levels)
    expected = sum(share * (1 - share) for share in pi) / (q - 1)
    return cast(Fraction, (observed - expected) / (1 - expected))  # as in the kappa above


def agreement_figures(pairs: Pairs, levels: Sequence[str] = GRADE_KEYS) -> dict[str, Any]:
    """The JSON `agreement` entry for one axis, from {(first grade, second grade): count} on a
    scale of `levels`, best first."""
    return {
        "pairs": sum(pairs.values()),
        "exact_agreement_pct": _rounded(exact_agreement(pairs), 1),
        "weighted_kappa": _rounded(quadratic_weighted_kappa(pairs, levels), 3),
        "gwet_ac1": _rounded(gwet_ac1(pairs, levels=levels), 3),
    }


def _rounded(value: Fraction | None, places: int) -> float | None:
    return None if value is None else float(round_half_up(value, places))


# With fewer pairs than this the page leads with exact agreement and puts kappa and AC1 under a
# caution (issue 5): with a dozen pairs one case moving a grade swings kappa by 0.1 or more.
FEW_PAIRS = 20


def _agreed(pairs: Pairs) -> int:
    return sum(count for (first, second), count in pairs.items() if first == second)


def _three_places(value: float | None) -> str | None:
    # The JSON already holds the value rounded half up to 3 places; the page shows the same
    # digits, padded ("0.600"), so it can be read against the JSON figure for figure.
    return None if value is None else f"{value:.3f}"


def agreement_summary(pairs: Pairs, levels: Sequence[str] = GRADE_KEYS) -> dict[str, Any]:
    """Everything the agreement page shows for one grade axis, from
    {(first reviewer's grade, second reviewer's grade): count} on a scale of `levels`.

    The figures are `agreement_figures` itself, so the page and the JSON cannot drift apart;
    the rest is how the page words them.
    """
    figures = agreement_figures(pairs, levels)
    total, agreed = figures["pairs"], _agreed(pairs)
    return {
        **figures,
        "agreed": agreed,
        "exact_agreement": n_of_n(agreed, total),
        "weighted_kappa_text": _three_places(figures["weighted_kappa"]),
        "gwet_ac1_text": _three_places(figures["gwet_ac1"]),
        # Kappa is 0/0 when every grade, from both reviewers, is the same one: say so rather
        # than show a number (docs/spec/interchange.md#agreement: null where undefined).
        "kappa_undefined": bool(total) and figures["weighted_kappa"] is None,
        "few_pairs": total < FEW_PAIRS,
    }


def _kept_at_moderation(pairs: Pairs) -> dict[str, Any]:
    """One reviewer's grades on one axis against the grades agreed at moderation."""
    total, kept = sum(pairs.values()), _agreed(pairs)
    return {
        "pairs": total,
        "kept": kept,
        "changed": total - kept,
        "exact_agreement_pct": _rounded(exact_agreement(pairs), 1),
        "exact_agreement": n_of_n(kept, total),
    }


def agreement_with_moderation(
    pairs_by_reviewer: dict[str, dict[str, Pairs]], axes: Iterable[str] = ("practice", "outcome")
) -> dict[str, Any]:
    """Each reviewer's own grades against the grades moderation agreed, axis by axis.

    `pairs_by_reviewer` is {reviewer: {axis: {(reviewer's grade, moderated grade): count}}} over
    the moderated reviews only, for the grade `axes`: a review not taken to moderation says
    nothing about whether its grades would have stood. Rows come in reviewer order, then a row
    for all reviewers together, whose "changed" is the figures' grades_changed_at_moderation.
    """
    rows: list[dict[str, Any]] = []
    together: dict[str, Pairs] = {axis: {} for axis in axes}
    for reviewer in sorted(pairs_by_reviewer, key=str.casefold):
        row: dict[str, Any] = {"reviewer": reviewer}
        for axis in together:
            pairs = pairs_by_reviewer[reviewer].get(axis, {})
            row[axis] = _kept_at_moderation(pairs)
            for cell, count in pairs.items():
                together[axis][cell] = together[axis].get(cell, 0) + count
        rows.append(row)
    return {
        "reviewers": rows,
        "all_reviewers": {axis: _kept_at_moderation(together[axis]) for axis in together},
    }
