"""The acknowledgement deadline of an alert: working days, London time (working_days.py)."""

from datetime import UTC, date, datetime

import holidays
import pytest

from practice_review.alerts.working_days import LONDON, acknowledgement_deadline

# England and Wales's bank holidays, any year, as the app's caller gives them: a function of a date.
BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG").__contains__


def london(*args):
    return datetime(*args, tzinfo=LONDON)


def test_one_working_day_on_a_weekday_is_the_same_time_the_next_day():
    # Tuesday 10 November 2026, 09:30.
    assert acknowledgement_deadline(london(2026, 11, 10, 9, 30), 1) == london(2026, 11, 11, 9, 30)


def test_friday_afternoon_is_due_on_monday_afternoon():
    assert acknowledgement_deadline(london(2026, 11, 13, 16, 45), 1) == london(2026, 11, 16, 16, 45)


def test_several_working_days_skip_the_weekend():
    # Thursday + 3 working days: Friday, Monday, Tuesday.
    assert acknowledgement_deadline(london(2026, 11, 12, 11, 0), 3) == london(2026, 11, 17, 11, 0)


@pytest.mark.parametrize("day", [14, 15])  # Saturday, Sunday
def test_raised_at_the_weekend_the_clock_starts_on_monday_and_runs_all_day(day):
    deadline = acknowledgement_deadline(london(2026, 11, day, 13, 0), 1)
    assert deadline == london(2026, 11, 17, 0, 0)  # midnight as Monday ends


def test_christmas_eve_is_due_after_christmas_and_the_substitute_bank_holiday():
    # Thursday 24 December 2026; Friday 25th and Monday 28th are bank holidays.
    deadline = acknowledgement_deadline(london(2026, 12, 24, 10, 0), 1, BANK_HOLIDAYS)
    assert deadline == london(2026, 12, 29, 10, 0)


def test_raised_on_christmas_day_counts_from_the_next_working_day():
    deadline = acknowledgement_deadline(london(2026, 12, 25, 8, 0), 1, BANK_HOLIDAYS)
    assert deadline == london(2026, 12, 30, 0, 0)  # all of Tuesday 29th


def test_a_bank_holiday_on_a_weekday_is_skipped():
    # Thursday 31 December 2026 + 1: Friday 1 January is a bank holiday, so Monday 4th.
    deadline = acknowledgement_deadline(london(2026, 12, 31, 15, 0), 1, BANK_HOLIDAYS)
    assert deadline == london(2027, 1, 4, 15, 0)


def test_easter_thursday_waits_for_the_tuesday():
    # Good Friday 26 March and Easter Monday 29 March 2027.
    deadline = acknowledgement_deadline(london(2027, 3, 25, 12, 0), 1, BANK_HOLIDAYS)
    assert deadline == london(2027, 3, 30, 12, 0)


def test_any_year_has_its_bank_holidays():
    # Thursday 18 April 2030: Good Friday 19 April and Easter Monday 22 April 2030.
    deadline = acknowledgement_deadline(london(2030, 4, 18, 11, 0), 1, BANK_HOLIDAYS)
    assert deadline == london(2030, 4, 23, 11, 0)


def test_bank_holidays_may_be_dates_or_iso_strings():
    raised = london(2026, 12, 24, 10, 0)
    as_dates = [date(2026, 12, 25), date(2026, 12, 28)]
    assert acknowledgement_deadline(raised, 1, as_dates) == london(2026, 12, 29, 10, 0)
    assert acknowledgement_deadline(raised, 1, ["2026-12-25"]) == london(2026, 12, 28, 10, 0)


def test_without_bank_holidays_only_weekends_are_skipped():
    assert acknowledgement_deadline(london(2026, 12, 24, 10, 0), 1) == london(2026, 12, 25, 10, 0)


def test_the_clock_time_is_kept_across_the_change_to_summer_time():
    # Friday 27 March 2026 10:00 GMT; clocks go forward on Sunday 29th.
    raised = london(2026, 3, 27, 10, 0)
    deadline = acknowledgement_deadline(raised, 1)
    assert deadline == london(2026, 3, 30, 10, 0)
    # Python subtracts wall times within one zone, so measure the real interval in UTC.
    assert (deadline.astimezone(UTC) - raised.astimezone(UTC)).total_seconds() == 71 * 3600


def test_a_time_in_another_zone_is_read_as_london_time():
    # 23:30 UTC on Monday 13 July 2026 is 00:30 on Tuesday in London (BST).
    deadline = acknowledgement_deadline(datetime(2026, 7, 13, 23, 30, tzinfo=UTC), 1)
    assert deadline == london(2026, 7, 15, 0, 30)


def test_zero_working_days_is_now_on_a_working_day_and_the_next_start_otherwise():
    assert acknowledgement_deadline(london(2026, 11, 10, 9, 0), 0) == london(2026, 11, 10, 9, 0)
    assert acknowledgement_deadline(london(2026, 11, 14, 9, 0), 0) == london(2026, 11, 16, 0, 0)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        acknowledgement_deadline(datetime(2026, 11, 10, 9, 0), 1)
