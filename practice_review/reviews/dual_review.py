"""Dual review: a second reviewer grades the same case blind. Pure rules.

Neither reviewer sees the other's grades until both have graded: the first reviewer by
submitting the review, the second by recording their grades. (Reviews imported with both
reviewers' grades were graded before Practice Review saw them.) Until then the second reviewer
sees the child's details and their own work, never the first reviewer's write-up, which would
lead them to the same grades and bias the agreement measured (docs/spec/domain.md#dual-review).
The QA lead and senior leaders see both at any time, even on a review they are second reviewer
of; practitioners and managers see reviews only once submitted, and the second grades once both
are in.
"""

from datetime import datetime
from typing import Any, Protocol

from practice_review.core import vocabulary as v
from practice_review.core.vocabulary import Role
from practice_review.reviews.answers import GRADE, PAIRED, SECOND


class Review(Protocol):
    """What these rules read of a review (reviews.models.Review): its grades are in its answers
    document (reviews/answers.py), one per axis of its template."""

    status: str
    reviewer_id: int | None
    second_reviewer_id: int | None
    second_graded_at: datetime | None
    answers: dict[str, Any]


class User(Protocol):
    """What these rules read of a person (accounts.models.User); staff_member_id may be absent."""

    role: str


def second_graded(review: Review) -> bool:
    """The second reviewer's grades are in: recorded in the app, or imported with the file
    (reviews.queries says the same for many reviews at once)."""
    return review.second_graded_at is not None


def both_graded(review: Review) -> bool:
    return review.status in v.COMPLETED_STATES and second_graded(review)


# Who sees both reviewers' work at any time: they oversee the programme and moderate its grades.
SEE_BOTH_AT_ANY_TIME = (Role.QA_LEAD, Role.SENIOR_LEADER)


def write_up_hidden_from(user: User, review: Review) -> bool:
    """The second reviewer may not see the first reviewer's write-up before both have graded.

    The write-up is everything the first reviewer wrote or judged (grades and reasons, standards,
    strengths and areas for development, conversations, recommendations, their alerts) and what
    answers it (reflections, the reasons in the timeline, the review as a document). Every page,
    list, figure and export asks this, or reviews.queries.reviews_blind_to, which says the same
    for many reviews at once.
    """
    if user.role in SEE_BOTH_AT_ANY_TIME:
        return False
    staff = getattr(user, "staff_member_id", None)
    return (
        staff is not None
        and staff == review.second_reviewer_id
        and staff != review.reviewer_id
        and not both_graded(review)
    )


def second_grades_hidden_from(user: User, review: Review) -> bool:
    """Nobody below the QA lead and senior leaders sees the second grades until both are in."""
    if user.role in SEE_BOTH_AT_ANY_TIME:
        return False
    if getattr(user, "staff_member_id", None) == review.second_reviewer_id:
        return False  # their own grades
    return not both_graded(review)


def pair_completed(review: Review) -> dict[str, dict[str, str | None]]:
    """The first reviewer's grades to keep as the pair ({axis: {PAIRED: grade}}, for
    answers.with_grades), now both have graded, or {} (not both, or already kept)."""
    grades = review.answers.get("grades") or {}
    if not both_graded(review) or any(part.get(PAIRED) for part in grades.values()):
        return {}
    return {axis: {PAIRED: part.get(GRADE)} for axis, part in grades.items() if part.get(GRADE)}


def disagreement(review: Review) -> list[str]:
    """The axes on which a dual review's two reviewers' grades differ, in the document's order."""
    return [
        axis for axis, part in (review.answers.get("grades") or {}).items()
        if part.get(GRADE) and part.get(SECOND) and part[GRADE] != part[SECOND]
    ]  # fmt: skip
