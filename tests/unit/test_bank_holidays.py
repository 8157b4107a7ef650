"""Bank holidays (core/bank_holidays.py): England and Wales's for any year, plus extra days."""

from datetime import date, timedelta

from practice_review.core.bank_holidays import is_bank_holiday

# The list the settings kept by hand until 2027, which the library must agree with.
LISTED_BY_HAND = [
    "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
    "2025-12-25", "2025-12-26", "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04",
    "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26",
    "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28",
]  # fmt: skip


def test_the_library_has_the_bank_holidays_we_listed_by_hand(settings):
    # Weekdays only: the list named the day off, not Christmas on a Saturday.
    settings.EXTRA_BANK_HOLIDAYS = []
    days = (date(2025, 1, 1) + timedelta(days=n) for n in range(3 * 365))
    found = [day for day in days if day.weekday() < 5 and is_bank_holiday(day)]
    assert found == [date.fromisoformat(day) for day in LISTED_BY_HAND]


def test_a_bank_holiday_in_2030(settings):
    settings.EXTRA_BANK_HOLIDAYS = []
    assert is_bank_holiday(date(2030, 4, 19))  # Good Friday
    assert is_bank_holiday(date(2030, 8, 26))  # the late summer bank holiday
    assert not is_bank_holiday(date(2030, 8, 27))


def test_extra_days_are_added_to_the_library(settings):
    settings.EXTRA_BANK_HOLIDAYS = [date(2031, 6, 9)]
    assert is_bank_holiday(date(2031, 6, 9))
    assert is_bank_holiday(date(2031, 12, 25))
