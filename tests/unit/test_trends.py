"""The trends' pure parts: Wilson intervals, protecting a column, the equity lens and its
sentences (docs/spec/domain.md#trends)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice_review.core.numbers import wilson_interval
from practice_review.core.vocabulary import BUILT_IN_FRAMEWORKS
from practice_review.reports.disclosure import FEWER, NOT_SHOWN, protect_column
from practice_review.reports.trends import Share, equity_lens

# Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of
# seven methods", Statistics in Medicine 17:857-872, Table I, method 3 (the Wilson score
# interval without continuity correction), as proportions to four places.
NEWCOMBE_TABLE_I = [
    ((81, 263), (0.2553, 0.3662)),
    ((15, 148), (0.0624, 0.1605)),
    ((0, 20), (0.0, 0.1611)),
    ((1, 29), (0.0061, 0.1718)),
]


@pytest.mark.parametrize(("counts", "published"), NEWCOMBE_TABLE_I)
def test_wilson_intervals_match_the_published_worked_examples(counts, published):
    low, high = wilson_interval(*counts)
    assert abs(low - published[0] * 100) <= 0.055  # ours rounded to 0.1, theirs to 0.01
    assert abs(high - published[1] * 100) <= 0.055  # ours rounded to 0.1, theirs to 0.01


def test_wilson_by_hand_for_eight_of_ten():
    # n = 10, p = 0.8, z = 1.959964, z^2 = 3.841459: denominator 1 + 0.384146 = 1.384146;
    # centre (0.8 + 0.192073) / 1.384146 = 0.716741; half = 1.959964 / 1.384146 *
    # sqrt(0.016 + 0.009604) = 1.416010 * 0.160011 = 0.226578: 0.490163 to 0.943319.
    assert wilson_interval(8, 10) == (49.0, 94.3)


def test_wilson_with_nothing_counted_is_none_and_all_or_nothing_reaches_the_bounds():
    assert wilson_interval(0, 0) is None
    assert wilson_interval(0, 5)[0] == 0.0
    assert wilson_interval(5, 5)[1] == 100.0


@given(st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))  # fmt: skip
def test_the_interval_holds_the_rate_and_stays_within_0_and_100(counts):
    count, total = counts
    low, high = wilson_interval(count, total)
    rate = 100 * count / total
    assert 0 <= low <= rate + 0.05 and rate - 0.05 <= high <= 100


def test_a_lone_small_count_gets_a_second_withheld_beside_it():
    assert protect_column({"a": 2, "b": 10, "c": 5, "d": 0}) == {
        "a": FEWER, "b": 10, "c": NOT_SHOWN, "d": 0}  # fmt: skip
    # Two small counts do not hide each other: adding to 2 (or 4) with the total known, both
    # would be 1 (or 2). One of 4 or more is withheld beside them.
    assert protect_column({"a": 1, "b": 1, "c": 9, "d": 5}) == {
        "a": FEWER, "b": FEWER, "c": 9, "d": NOT_SHOWN}  # fmt: skip
    # Nor does a small count beside a withheld 0: "fewer than 3" and 0 adding to 1.
    assert protect_column({"a": 1, "b": 0, "c": 9}, forced=["b"]) == {
        "a": FEWER, "b": NOT_SHOWN, "c": NOT_SHOWN}  # fmt: skip
    # A withheld count of 4 or more beside a small one is company enough.
    assert protect_column({"a": 2, "b": 6, "c": 9}, forced=["b"]) == {
        "a": FEWER, "b": NOT_SHOWN, "c": 9}  # fmt: skip
    # A count withheld for another reason needs company too.
    assert protect_column({"a": 7, "b": 6, "c": 9}, forced=["c"]) == {
        "a": 7, "b": NOT_SHOWN, "c": NOT_SHOWN}  # fmt: skip
    # With no count of 4 or more to withhold beside it, every count but the zeros is.
    assert protect_column({"a": 1, "b": 3, "c": 0}) == {"a": NOT_SHOWN, "b": NOT_SHOWN, "c": 0}
    assert protect_column({"a": 3, "b": 0}) == {"a": 3, "b": 0}


def trends_with(groups_by_dimension):
    """A one-cohort trends dict whose groups are `groups_by_dimension` ({dimension: {group:
    (reviews, practice good or better, outcome good or better)}}); other dimensions empty."""
    by = {dimension: {} for dimension in ("legal_status", "gender", "age_band", "ethnicity",
                                          "uasc")}  # fmt: skip
    for dimension, groups in groups_by_dimension.items():
        by[dimension] = {
            group: {"reviews": n, "practice_good_or_better": p, "outcome_good_or_better": o}
            for group, (n, p, o) in groups.items()
        }
    # Every review graded on both axes: the lens compares groups on both.
    total = sum(n for n, _, _ in next(iter(groups_by_dimension.values())).values())
    block = {"good_or_better": 1, "graded": total}
    return {"cohorts": [{"name": "One", "reviews": total, "practice": block, "outcome": block,
                         "by": by}]}  # fmt: skip


def table(tables, dimension):
    return next(t for t in tables if t.dimension == dimension)


def test_a_group_below_the_rest_with_intervals_apart_is_named_in_words():
    trends = trends_with({"age_band": {"16_to_17": (20, 16, 4), "10_to_15": (60, 48, 54),
                                       "5_to_9": (40, 32, 36)}})  # fmt: skip
    lens = table(equity_lens(trends, BUILT_IN_FRAMEWORKS), "age_band")
    # Outcomes: 4 of 20 (Wilson 8.1 to 41.6) against 90 of 100 (82.6 to 94.5): apart.
    # Practice: 16 of 20 against 80 of 100: the same rate, nothing to say.
    assert lens.findings == [
        "Outcomes were good or better in 4 of 20 (20%) reviews in the group \u201c16 to 17\u201d "
        "(age at the review; 95% interval 8.1% to 41.6%), below the other reviews in these "
        "cohorts: 90 of 100 (90%; 95% interval 82.6% to 94.5%). The intervals do not overlap, "
        "so the difference is unlikely to be chance alone."
    ]
    assert [row.label for row in lens.rows] == ["16 to 17", "10 to 15", "5 to 9"]


def test_a_lower_rate_whose_interval_overlaps_is_not_pointed_out():
    trends = trends_with({"gender": {"male": (10, 5, 5), "female": (12, 9, 9)}})
    assert table(equity_lens(trends, BUILT_IN_FRAMEWORKS), "gender").findings == []


def test_small_groups_are_withheld_and_never_named():
    # Two reviews of one group, none good or better, against 50 of 50: the intervals are apart,
    # but saying so would give away what the table withholds.
    trends = trends_with({"ethnicity": {"Roma": (2, 0, 0), "British": (50, 50, 50),
                                        "Irish": (9, 9, 9)}})  # fmt: skip
    lens = table(equity_lens(trends, BUILT_IN_FRAMEWORKS), "ethnicity")
    rows = {row.key: row for row in lens.rows}
    assert rows["Roma"].reviews is FEWER
    assert rows["Irish"].reviews is NOT_SHOWN  # beside the lone small count
    assert str(rows["Roma"].grades["outcome"]) == str(NOT_SHOWN)
    assert lens.findings == [] and lens.withholds
    assert str(rows["British"].grades["practice"]) == "50 of 50 (100%)"


def test_good_or_better_is_withheld_when_the_rest_of_its_group_is_one_or_two():
    # 8 of 9 good or better would tell that 1 was not.
    trends = trends_with({"uasc": {"yes": (9, 8, 8), "no": (30, 20, 20)}})
    rows = {row.key: row for row in table(equity_lens(trends, BUILT_IN_FRAMEWORKS), "uasc").rows}
    assert rows["yes"].reviews == 9
    assert not rows["yes"].grades["practice"].shown
    assert not rows["no"].grades["practice"].shown  # its company, as the total is known
    assert rows["yes"].label == "Unaccompanied asylum-seeking"


def test_a_share_reads_n_of_n_with_its_interval():
    share = Share(8, 10)
    assert str(share) == "8 of 10 (80%)"
    assert share.interval_text == "49.0% to 94.3%"
    assert str(Share(FEWER, 10)) == "fewer than 3"
