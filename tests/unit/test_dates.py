"""Adding months to a date (core/dates.py): moderation meetings and impact checks."""

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice_review.core.dates import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 15), 1, datetime.date(2026, 2, 15)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),  # the month's last day
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),  # a leap year
        (datetime.date(2026, 8, 31), 3, datetime.date(2026, 11, 30)),
        (datetime.date(2026, 11, 30), 2, datetime.date(2027, 1, 30)),  # into the next year
        (datetime.date(2026, 3, 31), -1, datetime.date(2026, 2, 28)),  # backwards
        (datetime.date(2026, 5, 20), 0, datetime.date(2026, 5, 20)),
    ],
)
def test_the_same_day_months_later_or_that_months_last_day(day, months, expected):
    assert add_months(day, months) == expected


def by_hand(day, months):
    """What add_months did before it used dateutil, kept as its specification."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@given(
    st.dates(datetime.date(1900, 1, 1), datetime.date(2200, 12, 31)),
    st.integers(min_value=-240, max_value=240),
)
def test_it_is_the_same_as_the_hand_written_arithmetic_it_replaced(day, months):
    assert add_months(day, months) == by_hand(day, months)
