"""Dual review's pure rules: who sees the first reviewer's write-up, and whose grades, when."""

import datetime
from types import SimpleNamespace

import pytest

from practice_review.core.vocabulary import ReviewStatus, Role
from practice_review.reviews import dual_review

FIRST, SECOND, SOMEONE_ELSE = 1, 2, 3


def review(status=ReviewStatus.SUBMITTED, second_graded=False, **changes):
    second = {"second": "good"} if second_graded else {}
    fields = {
        "status": status,
        "reviewer_id": FIRST,
        "second_reviewer_id": SECOND,
        "second_graded_at": datetime.datetime(2025, 3, 1, 12, 0) if second_graded else None,
        "answers": {"grades": {"practice": {"grade": "good", **second},
                               "outcome": {"grade": "requires_improvement", **second}}},
    }  # fmt: skip
    return SimpleNamespace(**{**fields, **changes})


def person(role=Role.REVIEWER, staff=SECOND):
    return SimpleNamespace(role=role, staff_member_id=staff)


@pytest.mark.parametrize("status", list(ReviewStatus))
def test_the_second_reviewer_does_not_see_the_write_up_until_both_have_graded(status):
    assert dual_review.write_up_hidden_from(person(), review(status))
    both = status in (ReviewStatus.SUBMITTED, ReviewStatus.FINAL)
    # Once they have recorded their grades, they wait for the first reviewer to submit.
    assert dual_review.write_up_hidden_from(person(), review(status, second_graded=True)) != both


def test_the_first_reviewer_and_others_in_scope_are_not_affected():
    for user in (person(staff=FIRST), person(staff=SOMEONE_ELSE), person(staff=None),
                 SimpleNamespace(role=Role.PRACTITIONER)):  # fmt: skip
        assert not dual_review.write_up_hidden_from(user, review())


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.SENIOR_LEADER])
def test_a_qa_lead_or_senior_leader_who_is_the_second_reviewer_sees_everything(role):
    # The same people who see both reviewers' grades at any time (second_grades_hidden_from).
    assert not dual_review.write_up_hidden_from(person(role=role), review())
    assert not dual_review.second_grades_hidden_from(person(role=role, staff=FIRST), review())


def test_no_write_up_is_hidden_on_a_review_without_a_second_reviewer():
    assert not dual_review.write_up_hidden_from(person(staff=None), review(second_reviewer_id=None))
    assert not dual_review.write_up_hidden_from(person(), review(second_reviewer_id=None))


def test_the_second_grades_are_hidden_from_the_first_reviewer_until_both_have_graded():
    first = person(staff=FIRST)
    assert dual_review.second_grades_hidden_from(first, review(ReviewStatus.IN_PROGRESS, True))
    assert not dual_review.second_grades_hidden_from(first, review(second_graded=True))
    assert not dual_review.second_grades_hidden_from(person(), review(second_graded=True))


def test_the_pair_keeps_the_first_reviewers_grade_on_every_axis_once_both_have_graded():
    assert dual_review.pair_completed(review(second_graded=True)) == {
        "practice": {"paired": "good"},
        "outcome": {"paired": "requires_improvement"},
    }
    assert dual_review.pair_completed(review()) == {}  # the second has not graded
    kept = review(second_graded=True)
    kept.answers["grades"]["practice"]["paired"] = "outstanding"
    assert dual_review.pair_completed(kept) == {}  # kept already: never overwritten


def test_a_disagreement_names_each_axis_the_two_grade_differently():
    assert dual_review.disagreement(review(second_graded=True)) == ["outcome"]
    assert dual_review.disagreement(review()) == []
