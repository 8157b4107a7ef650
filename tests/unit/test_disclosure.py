"""The version for wider circulation: small counts hidden so that none can be worked out."""

import itertools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from practice_review.reports.disclosure import FEWER, NOT_SHOWN, Hidden, masked

FIGURES = json.loads((Path(__file__).parent / "data" / "seed-figures.json").read_text())
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
STATUSES = ["early_help", "child_in_need", "child_protection", "looked_after", "care_leaver"]


def test_the_seed_cohort_hides_good_practice_and_the_count_that_would_give_it_away():
    practice = masked(FIGURES)["practice"]
    assert [practice[key] for key in GRADES] == [NOT_SHOWN, FEWER, 0, 0]
    assert practice["good_or_better"] == 10  # 10 - 0 - 0: public anyway, and safe


def test_outcomes_with_two_small_counts_on_either_side_hide_the_total_too():
    outcome = masked(FIGURES)["outcome"]  # 6 outstanding, 2 good, 2 RI, 0 inadequate
    assert [outcome[key] for key in GRADES] == [NOT_SHOWN, FEWER, FEWER, 0]
    assert outcome["good_or_better"] is NOT_SHOWN and outcome["good_or_better_pct"] is NOT_SHOWN


def test_the_legal_framework_hides_the_largest_count_beside_two_small_ones():
    status = masked(FIGURES)["legal_status"]  # 2, 0, 0, 2, 6
    assert [status[key] for key in STATUSES] == [FEWER, 0, 0, FEWER, NOT_SHOWN]


def test_counts_of_3_or_more_and_zeros_are_shown_and_the_original_is_untouched():
    before = json.dumps(FIGURES, sort_keys=True)
    shown = masked(FIGURES)
    assert json.dumps(FIGURES, sort_keys=True) == before
    assert shown["gender"]["male"] is NOT_SHOWN and shown["gender"]["female"] is FEWER
    assert shown["uasc"] == 7 and shown["both_outstanding"] == 6
    assert shown["cohort"] == FIGURES["cohort"] and shown["comparison"]["cohort"]["reviews"] == 14


def _solutions(shown, total, good_or_better=None):
    """Every way the hidden counts could be filled in, as a reader who knows the rules sees it:
    "fewer than 3" is 1 or 2, "not shown" any count, and the group adds up to `total`."""
    hidden = [key for key, value in shown.items() if isinstance(value, Hidden)]
    known = sum(value for value in shown.values() if not isinstance(value, Hidden))
    domains = [(1, 2) if shown[key] is FEWER else range(total + 1) for key in hidden]
    for values in itertools.product(*domains):
        if known + sum(values) != total:
            continue
        filled = {**shown, **dict(zip(hidden, values, strict=True))}
        if good_or_better is not None and filled["outstanding"] + filled["good"] != good_or_better:
            continue
        yield filled


def _assert_no_small_count_can_be_worked_out(actual, shown, total, good_or_better=None):
    small = [key for key, value in actual.items() if 0 < value < 3]
    if sum(1 for value in actual.values() if value) < 2:
        return  # the whole cohort in one category: no one is singled out from the others
    solutions = list(_solutions(shown, total, good_or_better))
    assert actual in solutions
    for key in small:
        assert isinstance(shown[key], Hidden), key
        assert len({solution[key] for solution in solutions}) > 1, (key, actual, shown)


@settings(deadline=None)
@given(st.lists(st.integers(0, 9), min_size=5, max_size=5))
def test_no_small_legal_framework_count_can_be_worked_out(values):
    actual = dict(zip(STATUSES, values, strict=True))
    figures = json.loads(json.dumps(FIGURES))
    figures["legal_status"] = dict(actual)
    shown = masked(figures)["legal_status"]
    _assert_no_small_count_can_be_worked_out(actual, shown, sum(values))


@settings(deadline=None)
@given(st.lists(st.integers(0, 9), min_size=4, max_size=4))
def test_no_small_grade_count_can_be_worked_out_even_with_good_or_better(values):
    actual = dict(zip(GRADES, values, strict=True))
    figures = json.loads(json.dumps(FIGURES))
    figures["practice"] = {**actual, "good_or_better": values[0] + values[1],
                           "good_or_better_pct": None}  # fmt: skip
    shown_all = masked(figures)["practice"]
    shown = {key: shown_all[key] for key in GRADES}
    total_shown = shown_all["good_or_better"]
    good_or_better = None if isinstance(total_shown, Hidden) else total_shown
    _assert_no_small_count_can_be_worked_out(actual, shown, sum(values), good_or_better)
