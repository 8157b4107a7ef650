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

from typing import Protocol

from practice_review.core import vocabulary as v
from practice_review.core.vocabulary import Role


class Review(Protocol):
    """What these rules read of a review (reviews.models.Review); grades are None when not given."""

    status: str
    reviewer_id: int | None
    second_reviewer_id: int | None
    practice_grade: str | None
    outcome_grade: str | None
    second_practice_grade: str | None
    second_outcome_grade: str | None
    paired_practice_grade: str | None
    paired_outcome_grade: str | None


class User(Protocol):
    """What these rules read of a person (accounts.models.User); staff_member_id may be absent."""

    role: str


def second_graded(review: Review) -> bool:
    return bool(review.second_practice_grade and review.second_outcome_grade)


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


def pair_completed(review: Review) -> dict[str, str | None]:
    """The first reviewer's grades to keep as the pair, now both have graded, or {}."""
    if not both_graded(review) or review.paired_practice_grade or review.paired_outcome_grade:
        return {}
    return {
        "paired_practice_grade": review.practice_grade,
        "paired_outcome_grade": review.outcome_grade,
    }
