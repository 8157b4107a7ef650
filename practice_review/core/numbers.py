"""Exact percentages and how figures are written. Pure Python, no floats until the very end.

docs/spec/interchange.md#percentages: 100 x count / reviews, computed exactly and rounded half up (1
of 16 is 6.3, 57 of 200 is 28.5); in prose whole percentages, half up ("2 of 3 (67%)").
"""

from fractions import Fraction


def round_half_up(value: Fraction | int, places: int) -> Fraction:
    """Round a Fraction half away from zero to `places` decimals, exactly."""
    scale = 10**places
    scaled = abs(Fraction(value)) * scale
    rounded = int(scaled + Fraction(1, 2))  # floor of a non-negative number
    result = Fraction(rounded, scale)
    return -result if value < 0 else result


def percentage(count: int, total: int, places: int = 1) -> float | None:
    """The percentage as a float for JSON, or None when there is nothing to count."""
    if not total:
        return None
    return float(round_half_up(Fraction(100 * count, total), places))


def whole_percentage(count: int, total: int) -> int | None:
    if not total:
        return None
    return int(round_half_up(Fraction(100 * count, total), 0))


def n_of_n(count: int, total: int) -> str:
    """'8 of 10 (80%)': a figure always shows its count and its base."""
    if not total:
        return f"{count} of {total}"
    return f"{count} of {total} ({whole_percentage(count, total)}%)"
