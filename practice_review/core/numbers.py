"""Exact percentages and how figures are written. Pure Python, no floats until the very end.

docs/spec/interchange.md#percentages: 100 x count / reviews, computed exactly and rounded half up (1
of 16 is 6.3, 57 of 200 is 28.5); in prose whole percentages, half up ("2 of 3 (67%)").
"""

from decimal import Decimal, localcontext
from fractions import Fraction
from functools import lru_cache


def round_half_up(value: Fraction | int, places: int) -> Fraction:
    """Round a Fraction half away from zero to `places` decimals, exactly."""
    scale = 10**places
    scaled = abs(Fraction(value)) * scale
    rounded = int(scaled + Fraction(1, 2))  # floor of a non-negative number
    result = Fraction(rounded, scale)
    return -result if value < 0 else result


# Cached: the trends ask for the same few thousand (count, total) pairs again and again over
# 2,000 cohorts, and exact arithmetic in Fractions and Decimals is slow (docs/performance.md,
# "Trends"). The answers are immutable floats and tuples, so a cached one is safe to share.
@lru_cache(maxsize=65536)
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


# The 95% normal quantile the trends contract fixes (docs/spec/interchange.md#trends-json).
Z95 = Decimal("1.959964")


@lru_cache(maxsize=65536)
def wilson_interval(count: int, total: int, z: Decimal = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for `count` of `total` as percentages, each end rounded half
    up to one decimal (docs/spec/interchange.md#percentages), or None with nothing counted.

    Wilson rather than the textbook p ± z·sqrt(p(1-p)/n): it stays inside 0 to 100 and is
    honest for small cohorts and for 0 or all of N, where the textbook interval collapses to a
    point. Worked in Decimal (its square root is correctly rounded) so an end that falls on a
    half rounds the same on every machine."""
    if not total:
        return None
    with localcontext() as context:
        context.prec = 50
        n, p, z2 = Decimal(total), Decimal(count) / Decimal(total), z * z
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
        return tuple(  # type: ignore[return-value]
            float(round_half_up(Fraction(max(Decimal(0), min(Decimal(1), end)) * 100), 1))
            for end in (centre - half, centre + half)
        )
