"""Percentages (docs/spec/interchange.md#percentages): exact, rounded half up, never binary
floats."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practice_review.core.numbers import n_of_n, percentage, round_half_up, whole_percentage


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (1, 16, 6.3),  # 6.25 -> 6.3 (the spec's example)
        (57, 200, 28.5),  # exactly 28.5 (the spec's example)
        (1, 40, 2.5),  # exactly 2.5, nothing to round
        (1, 80, 1.3),  # 1.25 -> 1.3; Python's round(1.25, 1) would give 1.2
        (1, 160, 0.6),  # 0.625 -> 0.6
        (3, 2000, 0.2),  # 0.15 -> 0.2; as a float 0.15 is 0.1499999..., which would give 0.1
        (29, 2000, 1.5),  # 1.45 -> 1.5; the float 1.45 is 1.4499999...
        (1, 3, 33.3),
        (2, 3, 66.7),
        (0, 7, 0.0),
        (10, 10, 100.0),
    ],
)
def test_percentage_is_exact_and_rounded_half_up_to_one_place(count, total, expected):
    assert percentage(count, total) == expected


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (2, 3, 67),  # 66.67 (the spec's prose example)
        (1, 3, 33),
        (1, 8, 13),  # 12.5 -> 13; Python's round(12.5) would give 12
        (3, 8, 38),  # 37.5 -> 38
        (5, 8, 63),  # 62.5 -> 63
        (1, 200, 1),  # 0.5 -> 1; round(0.5) would give 0
        (8, 10, 80),
        (0, 4, 0),
    ],
)
def test_whole_percentage_rounds_half_up(count, total, expected):
    assert whole_percentage(count, total) == expected


@pytest.mark.parametrize(
    ("count", "total", "text"),
    [
        (8, 10, "8 of 10 (80%)"),
        (2, 3, "2 of 3 (67%)"),
        (1, 8, "1 of 8 (13%)"),
        (0, 5, "0 of 5 (0%)"),
    ],
)
def test_n_of_n_shows_count_base_and_whole_percentage(count, total, text):
    assert n_of_n(count, total) == text


def test_nothing_to_count_gives_none():
    assert percentage(0, 0) is None
    assert whole_percentage(0, 0) is None


def test_n_of_n_with_no_base_has_no_percentage():
    assert n_of_n(0, 0) == "0 of 0"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(5, 2), 0, Fraction(3)),
        (Fraction(-5, 2), 0, Fraction(-3)),  # half away from zero
        (Fraction(1, 3), 3, Fraction(333, 1000)),
        (Fraction(-1, 3), 3, Fraction(-333, 1000)),
        (Fraction(8125, 10000), 3, Fraction(813, 1000)),
        (Decimal("2.675"), 2, Fraction(268, 100)),  # exact, unlike round(2.675, 2) == 2.67
        (7, 1, Fraction(7)),
    ],
)
def test_round_half_up_is_exact(value, places, expected):
    result = round_half_up(value, places)
    assert isinstance(result, Fraction)
    assert result == expected


@settings(deadline=None)
@given(data=st.data(), total=st.integers(1, 10**6))
def test_percentages_match_integer_half_up_arithmetic(data, total):
    count = data.draw(st.integers(0, total))
    # half up of x is floor(x + 1/2); with x = 1000 * count / total in tenths of a percent:
    tenths = (2000 * count + total) // (2 * total)
    assert percentage(count, total) == tenths / 10
    assert whole_percentage(count, total) == (200 * count + total) // (2 * total)
    assert n_of_n(count, total) == f"{count} of {total} ({whole_percentage(count, total)}%)"
