"""When a review's record has been kept long enough (docs/data-protection.md, ADR 0005). Pure.

The retention period runs from the review date: this is the quality-assurance record of how a
case was worked, not the child's case record (which the case management system keeps).
"""

from datetime import date

from practice_review.core.vocabulary import ReviewStatus

# Why a review is or is not purged: one answer for the command, its dry run and the tests.
PURGE = "purge"
NOT_EXPIRED = "not expired"
ON_LEGAL_HOLD = "on legal hold"
NOT_FINAL = "not final"
ALREADY_PURGED = "already purged"


def retention_cutoff(today: date, years: int) -> date:
    """The earliest review date still kept: `years` before today (29 February -> 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return date(today.year - years, 2, 28)


def is_expired(review_date: date, *, today: date, years: int) -> bool:
    """Kept for more than `years` since the review date."""
    return review_date < retention_cutoff(today, years)


def purge_verdict(
    *,
    review_date: date,
    status: str,
    legal_hold: bool,
    purged: bool,
    today: date,
    years: int,
) -> str:
    """PURGE, or the reason the review stays as it is.

    Only a final review is purged: a review still assigned, in progress or submitted after the
    retention period is a loose end for the QA lead to close (sign off or withdraw), not one
    to anonymise under a reviewer who might still be typing into it. The command reports them.
    """
    if purged:
        return ALREADY_PURGED
    if not is_expired(review_date, today=today, years=years):
        return NOT_EXPIRED
    if legal_hold:
        return ON_LEGAL_HOLD
    if status != ReviewStatus.FINAL:
        return NOT_FINAL
    return PURGE


def kept_until(review_date: date, years: int) -> date:
    """The last day a review is kept before the purge may take it (29 February -> 28th)."""
    try:
        return review_date.replace(year=review_date.year + years)
    except ValueError:
        return date(review_date.year + years, 2, 28)
