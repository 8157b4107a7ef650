"""The practice window: the 6 months before the review date, or from the case's start if that
is later (docs/spec/domain.md#practice-window). Pure Python."""

import datetime


def six_months_before(day: datetime.date) -> datetime.date:
    month = day.month - 6
    year = day.year - (1 if month <= 0 else 0)
    month = month + 12 if month <= 0 else month
    # 31 August minus six months is the last day of February.
    for last_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def practice_window(
    review_date: datetime.date, case_start_date: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of the practice a reviewer looks at."""
    start = six_months_before(review_date)
    if case_start_date and case_start_date > start:
        start = case_start_date
    return start, review_date
