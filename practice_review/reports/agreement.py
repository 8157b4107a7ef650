"""Agreement between two reviewers' grades: pure functions over (first, second) grade pairs.

interchange.md: quadratic-weighted Cohen's kappa and Gwet's AC1 (unweighted, four categories,
marginals averaged over both raters), rounded half up to 3 places; None where undefined.
Computed with Fractions so the same pairs always give the same digits.
"""

from fractions import Fraction

from practice_review.reports.numbers import round_half_up
from practice_review.reviews.vocabulary import GRADE_KEYS


def _proportions(pairs):
    """{(i, j): proportion} over category indices, and the count of pairs."""
    total = sum(pairs.values())
    index = {key: position for position, key in enumerate(GRADE_KEYS)}
    cells = {}
    for (first, second), count in pairs.items():
        cell = (index[first], index[second])
        cells[cell] = cells.get(cell, 0) + Fraction(count, total)
    return cells, total


def exact_agreement(pairs):
    total = sum(pairs.values())
    if not total:
        return None
    agreed = sum(count for (first, second), count in pairs.items() if first == second)
    return Fraction(100 * agreed, total)


def quadratic_weighted_kappa(pairs):
    """Cohen's kappa with weights 1 - (i - j)^2 / (k - 1)^2; None when chance agreement is 1."""
    if not sum(pairs.values()):
        return None
    cells, _ = _proportions(pairs)
    k = len(GRADE_KEYS)
    first = [sum(p for (i, _), p in cells.items() if i == c) for c in range(k)]
    second = [sum(p for (_, j), p in cells.items() if j == c) for c in range(k)]

    def weight(i, j):
        return 1 - Fraction((i - j) ** 2, (k - 1) ** 2)

    observed = sum(weight(i, j) * p for (i, j), p in cells.items())
    expected = sum(weight(i, j) * first[i] * second[j] for i in range(k) for j in range(k))
    if expected == 1:
        return None  # every grade in one category: kappa is 0/0
    return (observed - expected) / (1 - expected)


def gwet_ac1(pairs):
    """Gwet's AC1: (pa - pe) / (1 - pe), pe = sum(pi_k (1 - pi_k)) / (q - 1)."""
    if not sum(pairs.values()):
        return None
    cells, _ = _proportions(pairs)
    q = len(GRADE_KEYS)
    observed = sum(p for (i, j), p in cells.items() if i == j)
    pi = [
        Fraction(
            sum(p for (i, _), p in cells.items() if i == c)
            + sum(p for (_, j), p in cells.items() if j == c),
            2,
        )
        for c in range(q)
    ]
    expected = sum(share * (1 - share) for share in pi) / (q - 1)
    return (observed - expected) / (1 - expected)


def agreement_figures(pairs):
    """The JSON `agreement` entry for one axis, from {(first grade, second grade): count}."""

    def rounded(value, places):
        return None if value is None else float(round_half_up(value, places))

    return {
        "pairs": sum(pairs.values()),
        "exact_agreement_pct": rounded(exact_agreement(pairs), 1),
        "weighted_kappa": rounded(quadratic_weighted_kappa(pairs), 3),
        "gwet_ac1": rounded(gwet_ac1(pairs), 3),
    }
