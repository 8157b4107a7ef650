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


def test_recommendations_made_and_overdue_hide_1_or_2_like_other_single_counts():
    few = {**FIGURES, "recommendations": {"made": 1, "overdue": 1}}
    shown = masked(few)
    assert shown["recommendations"] == {"made": FEWER, "overdue": FEWER}
    assert masked(FIGURES)["recommendations"] == {"made": 9, "overdue": FEWER}  # 2 of 9
    assert masked(FIGURES)["comparison"]["recommendations"] == {"made": 12, "overdue": 4}
    none_made = {**FIGURES, "recommendations": {"made": 0, "overdue": 0}}
    assert masked(none_made)["recommendations"] == {"made": 0, "overdue": 0}


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


def test_good_or_better_is_shown_when_it_and_the_rest_are_each_3_or_more():
    figures = json.loads(json.dumps(FIGURES))
    grades = dict(zip(GRADES, [3, 2, 5, 0], strict=True))
    figures["practice"] = {**grades, "good_or_better": 5, "good_or_better_pct": 50.0}
    practice = masked(figures)["practice"]
    assert practice["good_or_better"] == 5 and practice["good_or_better_pct"] == 50.0
    # 3 + 2 = 5 shown: both are withheld, so neither can be worked out from the other.
    assert [practice[key] for key in GRADES] == [NOT_SHOWN, NOT_SHOWN, 5, 0]


def test_21_or_over_is_withheld_when_it_would_give_away_a_small_18_to_20():
    age = masked(FIGURES)["age"]  # 4 under 18, 6 aged 18 or over, of whom 4 aged 21 or over
    assert age == {"under_18": 4, "aged_18_or_over": 6, "aged_21_or_over": NOT_SHOWN}


@settings(deadline=None)
@given(st.lists(st.integers(0, 9), min_size=4, max_size=4))
def test_good_or_better_is_shown_exactly_when_neither_it_nor_the_rest_is_1_or_2(values):
    figures = json.loads(json.dumps(FIGURES))
    good_or_better, the_rest = values[0] + values[1], values[2] + values[3]
    figures["practice"] = {**dict(zip(GRADES, values, strict=True)),
                           "good_or_better": good_or_better, "good_or_better_pct": 1.0}  # fmt: skip
    shown = masked(figures)["practice"]["good_or_better"]
    safe = good_or_better not in (1, 2) and the_rest not in (1, 2)
    assert (shown == good_or_better) is safe


@settings(deadline=None)
@given(st.lists(st.integers(0, 9), min_size=3, max_size=3))
def test_no_small_practice_standard_count_can_be_worked_out(values):
    results = ["met", "not_met", "not_applicable"]
    actual = dict(zip(results, values, strict=True))
    figures = json.loads(json.dumps(FIGURES))
    figures["practice_standards"]["seen_alone"] = dict(actual)
    shown = masked(figures)["practice_standards"]["seen_alone"]
    _assert_no_small_count_can_be_worked_out(actual, shown, sum(values))


@settings(deadline=None)
@given(st.integers(0, 9), st.integers(0, 9), st.integers(0, 9))
def test_no_small_age_band_can_be_worked_out(under_18, aged_18_to_20, aged_21_or_over):
    figures = json.loads(json.dumps(FIGURES))
    figures["age"] = {"under_18": under_18, "aged_18_or_over": aged_18_to_20 + aged_21_or_over,
                      "aged_21_or_over": aged_21_or_over}  # fmt: skip
    shown = masked(figures)["age"]
    older, oldest = shown["aged_18_or_over"], shown["aged_21_or_over"]
    if isinstance(older, int) and isinstance(oldest, int):
        assert aged_18_to_20 not in (1, 2)  # the band shown by subtraction is never small
