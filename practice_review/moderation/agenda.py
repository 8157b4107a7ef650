"""Why a review goes to a moderation meeting. Pure Python.

The agenda is built, not typed: every review submitted and not yet final, and among them the
cases where practice was good or better but outcomes were not, and the dual reviews where the
two reviewers disagreed. Reviews imported as final never appear: they were moderated before
they reached Practice Review.
"""

from datetime import date
from typing import Any

from practice_review.core.dates import add_months
from practice_review.reviews.answers import grade
from practice_review.reviews.dual_review import disagreement
from practice_review.reviews.review_sections import is_gap

SUBMITTED, GAP, DISAGREEMENT = "submitted", "gap", "disagreement"
REASONS = {
    SUBMITTED: "Submitted since the last meeting",
    GAP: "Practice good or better, outcomes not",
    DISAGREEMENT: "The two reviewers disagreed",
}


def reasons_for(review: Any) -> list[str]:
    """Why `review` is on the agenda, in the order the meeting takes them. It reads the review's
    answers document and grade axes (reviews.models.Review's `answers` and `axes`)."""
    reasons = [SUBMITTED]
    grades = {axis.key: grade(review.answers, axis.key) for axis in review.axes}
    if is_gap(grades, review.axes):
        reasons.append(GAP)
    if disagreement(review):
        reasons.append(DISAGREEMENT)
    return reasons


def next_meeting_due(last_held_on: date | None, every_months: int) -> date | None:
    """The date the next meeting is due: `every_months` after the last one."""
    return None if last_held_on is None else add_months(last_held_on, every_months)


def meeting_overdue(next_due: date | None, today: date) -> bool:
    """A meeting is overdue once the day it was due has passed without one."""
    return next_due is not None and next_due < today
