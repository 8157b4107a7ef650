"""Why a review goes to moderation, and when the next meeting is due. No database."""

import datetime
from types import SimpleNamespace

import pytest

from practice_review.core.audit_templates import GradeAxis, Level, built_in
from practice_review.moderation.agenda import disagreement, next_meeting_due, reasons_for
from practice_review.reviews.answers import with_grades


def review(practice="good", outcome="good", second_practice=None, second_outcome=None, axes=None):
    given = {"practice": {"grade": practice, "second": second_practice},
             "outcome": {"grade": outcome, "second": second_outcome}}  # fmt: skip
    grades = with_grades({}, given).get("grades", {})
    return SimpleNamespace(answers={"grades": grades}, axes=axes or built_in().grades)


def test_every_review_is_there_because_it_was_submitted():
    assert reasons_for(review()) == ["submitted"]


@pytest.mark.parametrize(
    ("practice", "outcome", "gap"),
    [
        ("outstanding", "requires_improvement", True),
        ("good", "inadequate", True),
        ("good", "outstanding", False),
        ("requires_improvement", "inadequate", False),
        ("outstanding", "", False),  # not graded yet: nothing to compare
    ],
)
def test_a_practice_and_outcome_gap_is_picked_out(practice, outcome, gap):
    assert ("gap" in reasons_for(review(practice, outcome))) is gap


def test_a_template_without_both_practice_and_outcome_has_no_gap_cases():
    own = (GradeAxis("practice", "Practice", "custom",
                     (Level("strong", "Strong"), Level("weak", "Weak")), "strong"),)  # fmt: skip
    assert reasons_for(review("strong", "", axes=own)) == ["submitted"]


def test_a_gap_follows_each_axis_own_good_or_better_cut():
    levels = (Level("secure", "Secure"), Level("emerging", "Emerging"), Level("unsafe", "Unsafe"))
    own = (GradeAxis("practice", "Practice", "custom", levels, "secure"),
           GradeAxis("outcome", "Outcomes", "custom", levels, "emerging"))  # fmt: skip
    assert reasons_for(review("secure", "unsafe", axes=own)) == ["submitted", "gap"]
    assert reasons_for(review("secure", "emerging", axes=own)) == ["submitted"]  # emerging: good
    assert reasons_for(review("emerging", "unsafe", axes=own)) == ["submitted"]


def test_a_dual_review_disagreement_names_the_axes():
    both = review("good", "good", "outstanding", "requires_improvement")
    assert disagreement(both) == ["practice", "outcome"]
    assert reasons_for(both) == ["submitted", "disagreement"]
    assert disagreement(review("good", "good", "good", None)) == []
    assert disagreement(review("good", "good")) == []


@pytest.mark.parametrize(
    ("last", "months", "due"),
    [
        (datetime.date(2026, 1, 15), 2, datetime.date(2026, 3, 15)),
        (datetime.date(2025, 12, 31), 2, datetime.date(2026, 2, 28)),
        (datetime.date(2027, 12, 31), 2, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (None, 2, None),
    ],
)
def test_the_next_meeting_is_due_months_after_the_last(last, months, due):
    assert next_meeting_due(last, months) == due


def test_a_finding_seen_in_two_cohorts_is_recurring_and_comes_first():
    from practice_review.moderation.recurring import findings

    found = findings(
        ["July", "September"],
        {("July", "basic_details"): 2, ("September", "basic_details"): 1,
         ("September", "recording"): 2},
        {("July", "Chronology"): 1},
        {"basic_details": "Basic details", "recording": "Recording"},
    )  # fmt: skip
    assert [(f.label, f.counts, f.recurring) for f in found] == [
        ("Not met: Basic details", (2, 1), True),
        ("Not met: Recording", (0, 2), False),
        ("Learning topic: Chronology", (1, 0), False),
    ]
    assert findings(["July"], {}, {}, {}) == []


def test_a_meeting_is_overdue_once_its_due_day_has_passed():
    from datetime import date

    from practice_review.moderation.agenda import meeting_overdue

    assert not meeting_overdue(None, date(2026, 12, 6))  # no meeting yet: nothing is due
    assert not meeting_overdue(date(2026, 12, 6), date(2026, 12, 6))
    assert meeting_overdue(date(2026, 12, 5), date(2026, 12, 6))
