"""When an alert must be acknowledged: a number of working days after it was raised (issue 3).

Pure Python, no Django, so the rule is tested without a database.

The rule. The clock runs only on working days (not Saturdays, Sundays or bank holidays) and
stops at midnight on any other day. A working day is one whole day of the clock, in London time.
So:

- raised on a working day, a deadline of N working days is the same clock time on the Nth
  working day after it (Friday 15:00 + 1 is Monday 15:00; Thursday 24 December 2026 10:00 + 1 is
  Tuesday 29 December 10:00, as the 25th and the 28th are bank holidays);
- raised on a weekend or a bank holiday, the clock starts at the start of the next working day,
  and the deadline is the end of the Nth working day counted from it, which is midnight as that
  day ends (Saturday + 1 is midnight at the end of Monday, written 00:00 on Tuesday).

Both are the same rule: N whole days of running clock. Times are London clock times, so a
deadline keeps its clock time across a change to or from British Summer Time.

Which days are bank holidays is the caller's to say (core/bank_holidays.py has England and
Wales's for any year): a function of a date, or a collection of dates.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Which days are bank holidays: a function of a date, or a collection of dates or ISO strings.
BankHolidays = Callable[[date], bool] | Iterable[date | str]


def as_dates(bank_holidays: Iterable[date | str]) -> set[date]:
    """Bank holidays given as dates or ISO strings ("2026-12-25"), as a set of dates."""
    return {day if isinstance(day, date) else date.fromisoformat(day) for day in bank_holidays}


def bank_holiday_test(bank_holidays: BankHolidays) -> Callable[[date], bool]:
    """`bank_holidays` as a function of a date: a function (date -> bool) as it is, or a
    collection of dates or ISO strings."""
    if callable(bank_holidays):
        return bank_holidays
    return as_dates(bank_holidays).__contains__


def is_working_day(day: date, is_bank_holiday: Callable[[date], bool]) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date, is_bank_holiday: Callable[[date], bool]) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day, is_bank_holiday):
        day += timedelta(days=1)
    return day


def acknowledgement_deadline(
    raised_at: datetime, working_days: int, bank_holidays: BankHolidays = ()
) -> datetime:
    """The moment an alert raised at `raised_at` must be acknowledged by (aware, London time).
    `bank_holidays`: a function of a date (any year), or a collection of dates or ISO strings."""
    if raised_at.tzinfo is None or raised_at.utcoffset() is None:
        raise ValueError("raised_at must be an aware datetime")
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    holidays = bank_holiday_test(bank_holidays)
    local = raised_at.astimezone(LONDON)
    day = local.date()
    if is_working_day(day, holidays):
        for _ in range(working_days):
            day = next_working_day(day, holidays)
        return datetime.combine(day, local.time(), tzinfo=LONDON)
    if working_days == 0:
        return datetime.combine(next_working_day(day, holidays), time(0), tzinfo=LONDON)
    for _ in range(working_days):
        day = next_working_day(day, holidays)
    # Midnight as the Nth working day ends.
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)
