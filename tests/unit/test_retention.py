"""The retention rule (docs/spec/quality.md#retention, "retention purge with a legal hold": only
expired, unheld data is removed). Pure: no database."""

from datetime import date

import pytest

from practice_review.data_protection import retention
from practice_review.data_protection.retention import (
    ALREADY_PURGED,
    NOT_EXPIRED,
    NOT_FINAL,
    ON_LEGAL_HOLD,
    PURGE,
    is_expired,
    kept_until,
    purge_verdict,
    retention_cutoff,
)


def verdict(**overrides):
    facts = {
        "review_date": date(2024, 9, 17),
        "status": "final",
        "legal_hold": False,
        "purged": False,
        "today": date(2031, 1, 1),
        "years": 6,
    }
    return purge_verdict(**facts | overrides)


def test_a_review_expires_the_day_after_it_has_been_kept_the_full_period():
    """docs/spec/quality.md#retention: retention purge -> expired means kept MORE than the retention
    period."""
    review_date = date(2025, 3, 1)
    assert not is_expired(review_date, today=date(2031, 3, 1), years=6)
    assert is_expired(review_date, today=date(2031, 3, 2), years=6)
    assert kept_until(review_date, 6) == date(2031, 3, 1)


def test_29_february_counts_as_28_february_in_a_year_without_one():
    assert retention_cutoff(date(2032, 2, 29), 6) == date(2026, 2, 28)
    assert kept_until(date(2024, 2, 29), 6) == date(2030, 2, 28)
    assert not is_expired(date(2024, 2, 29), today=date(2030, 2, 28), years=6)
    assert is_expired(date(2024, 2, 29), today=date(2030, 3, 1), years=6)


def test_an_expired_final_unheld_review_is_purged():
    """docs/spec/quality.md#retention: retention purge with a legal hold -> expired, unheld, final:
    purged."""
    assert verdict() == PURGE


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"review_date": date(2025, 1, 1)}, NOT_EXPIRED),
        ({"legal_hold": True}, ON_LEGAL_HOLD),
        ({"status": "submitted"}, NOT_FINAL),
        ({"status": "in_progress"}, NOT_FINAL),
        ({"status": "assigned"}, NOT_FINAL),
        ({"purged": True}, ALREADY_PURGED),
        ({"years": 7}, NOT_EXPIRED),
    ],
)
def test_a_review_is_kept_for_a_stated_reason(overrides, reason):
    """docs/spec/quality.md#retention: retention purge with a legal hold -> held, unexpired,
    unfinished stay."""
    assert verdict(**overrides) == reason


def test_a_legal_hold_outranks_status_so_the_report_says_why_it_is_kept():
    assert verdict(legal_hold=True, status="in_progress") == ON_LEGAL_HOLD
    assert retention.PURGE not in {
        verdict(legal_hold=True, status=s) for s in ("final", "assigned")
    }
