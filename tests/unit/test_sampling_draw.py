"""The draw's rules (practice_review/sampling/draw.py; docs/sampling.md, "Drawing a cohort"):
allocation by the largest remainder with its ties and minimum one, refusal, exclusion,
reproducibility and covering social workers. No database."""

import datetime
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practice_review.sampling.draw import (
    LastReview,
    OpenCase,
    Rules,
    SampleRefused,
    allocate,
    draw,
    largest_remainder,
    old_extract_warning,
)

AS_OF = datetime.date(2026, 3, 31)


def cases(**per_stratum):
    """{stratum: count} -> children C<stratum><n> under that legal status, one team."""
    return [
        OpenCase(case_ref=f"C-{stratum}-{n:03}", legal_status=stratum, team="North")
        for stratum, count in per_stratum.items()
        for n in range(count)
    ]


def rules(size, seed=7, **more):
    return Rules(size=size, as_of=AS_OF, seed=seed, **more)


def test_whole_parts_first_then_the_largest_remainders():
    # 10 places over 6, 3, 1 of 10: exactly 6, 3, 1. Over 5, 3, 2 of 10 with 7 places: shares
    # 3.5, 2.1, 1.4 -> whole parts 3, 2, 1 and the one left to the largest remainder (0.5).
    assert largest_remainder({"a": 6, "b": 3, "c": 1}, 10) == {"a": 6, "b": 3, "c": 1}
    assert largest_remainder({"a": 5, "b": 3, "c": 2}, 7) == {"a": 4, "b": 2, "c": 1}


def test_equal_remainders_go_to_the_larger_stratum_then_alphabetical_order():
    # 2 places over 2, 1, 1: shares 1, 0.5, 0.5; the place left goes to "b" before "c" (same
    # remainder, same size: alphabetical order).
    assert largest_remainder({"a": 2, "c": 1, "b": 1}, 2) == {"a": 1, "b": 1, "c": 0}
    assert largest_remainder({"zeta": 3, "alpha": 3}, 1) == {"alpha": 1, "zeta": 0}
    assert largest_remainder({"b": 1, "a": 1, "c": 2}, 2) == {"a": 1, "b": 0, "c": 1}


def test_equal_remainders_prefer_more_eligible_children_over_the_alphabet():
    # Shares 1.5 and 0.5: equal remainders, and "big" has more eligible children.
    assert largest_remainder({"big": 3, "small": 1}, 2) == {"big": 2, "small": 0}
    assert largest_remainder({"small": 5, "big": 15}, 2) == {"big": 2, "small": 0}
    assert largest_remainder({"a": 1, "b": 3}, 1) == {"a": 0, "b": 1}


def test_every_non_empty_stratum_gets_a_place_taken_from_the_largest_allocation():
    # 3 places over 20, 1, 1: proportionally 3, 0, 0; with the minimum, 1, 1, 1.
    assert allocate({"a": 20, "b": 1, "c": 1}, 3) == {"a": 1, "b": 1, "c": 1}
    # 4 places over 10, 10, 1: 2, 2, 0 -> the place for "c" comes from "a" (equal
    # allocations and sizes: the first in alphabetical order gives).
    assert allocate({"a": 10, "b": 10, "c": 1}, 4) == {"a": 1, "b": 2, "c": 1}
    # An empty stratum (everyone excluded) gets nothing.
    assert allocate({"a": 10, "b": 0, "c": 1}, 2) == {"a": 1, "b": 0, "c": 1}


def test_no_minimum_when_there_are_fewer_places_than_strata():
    assert allocate({"a": 20, "b": 1, "c": 1}, 2) == {"a": 2, "b": 0, "c": 0}


def test_a_sample_larger_than_the_eligible_children_is_refused_in_one_line():
    with pytest.raises(SampleRefused) as refused:
        draw(cases(cin=3, cp=2), rules(6))
    assert str(refused.value) == "A sample of 6 is more than the 5 eligible children in the extract"
    assert "\n" not in str(refused.value)


def test_children_reviewed_within_the_months_are_excluded_with_the_date():
    reviewed = OpenCase("C2", "cin", "North", last_review=LastReview(datetime.date(2025, 3, 31)))
    old = OpenCase("C3", "cin", "North", last_review=LastReview(datetime.date(2025, 3, 30)))
    due = OpenCase("C4", "cin", "North", last_review=LastReview(datetime.date(2026, 4, 9), True))
    never = OpenCase("C1", "cin", "North")
    result = draw([due, reviewed, old, never], rules(2))
    # 31 March 2025 is 12 months before 31 March 2026: on the cutoff, so excluded.
    assert result["excluded"] == [
        {"case_ref": "C2", "reason": "reviewed on 31 March 2025"},
        {"case_ref": "C4", "reason": "in a cohort, review due on 9 April 2026"},
    ]
    assert sorted(row["case_ref"] for row in result["sample"]) == ["C1", "C3"]
    assert result["strata"] == {"cin": {"population": 4, "eligible": 2, "allocated": 2}}


def test_no_months_turns_the_exclusion_off():
    reviewed = OpenCase("C2", "cin", "North", last_review=LastReview(datetime.date(2026, 3, 1)))
    result = draw([reviewed], rules(1, exclude_reviewed_within=0))
    assert result["excluded"] == []
    assert result["sample"][0]["reason"] == "reviewed on 1 March 2026; drawn at random"


def test_the_same_seed_draws_the_same_sample_and_another_seed_another():
    children = cases(cin=40, cp=30, lac=30)
    first = draw(children, rules(10, seed=2026))
    again = draw(list(reversed(children)), rules(10, seed=2026))
    other = draw(children, rules(10, seed=2027))
    assert json.dumps(first) == json.dumps(again)
    assert first["sample"] != other["sample"]
    assert other["seed"] == 2027


def test_the_draw_is_random_random_seeded_through_strata_in_key_order():
    """The method as docs/sampling.md states it, so anyone can repeat a draw by hand."""
    children = cases(cp=5, cin=5)
    result = draw(children, rules(4, seed=99))
    rng = random.Random(99)
    expected = [c.case_ref for c in rng.sample(cases(cin=5), 2)]
    expected += [c.case_ref for c in rng.sample(cases(cp=5), 2)]
    assert [row["case_ref"] for row in result["sample"]] == expected


def test_the_json_has_its_keys_in_order_and_strata_alphabetical():
    result = draw(cases(lac=3, cin=3, cp=3), rules(3, seed=1))
    assert list(result) == ["seed", "as_of", "size", "strata", "sample", "excluded"]
    assert list(result["strata"]) == ["cin", "cp", "lac"]
    assert result["as_of"] == "2026-03-31"
    assert [row["stratum"] for row in result["sample"]] == ["cin", "cp", "lac"]
    assert list(result["sample"][0]) == ["case_ref", "stratum", "reason"]


def test_strata_by_team_or_none():
    children = [OpenCase("C1", "cin", "North"), OpenCase("C2", "cp", "no team")]
    assert list(draw(children, rules(2, strata="team"))["strata"]) == ["North", "no team"]
    assert list(draw(children, rules(2, strata="none"))["strata"]) == ["all children"]


def test_cover_draws_children_of_workers_not_reviewed_first():
    children = [
        OpenCase(f"C{n:02}", "cin", "North", social_worker="seen" if n < 18 else "unseen")
        for n in range(20)
    ]
    workers = {"seen": datetime.date(2026, 1, 5), "unseen": datetime.date(2024, 1, 5)}
    for seed in range(20):
        result = draw(children, rules(3, seed=seed, cover="social_worker"), workers)
        drawn = [row["case_ref"] for row in result["sample"]]
        assert set(drawn[:2]) == {"C18", "C19"}
        assert "social worker has had no review" in result["sample"][0]["reason"]
        assert result["sample"][2]["reason"] == "no review on record; drawn at random"
    without = {
        tuple(row["case_ref"] for row in draw(children, rules(3, seed=seed), workers)["sample"])
        for seed in range(20)
    }
    assert any(not {"C18", "C19"} <= set(drawn) for drawn in without)


def test_covering_with_no_months_to_look_back_changes_nothing():
    """With 0 months no worker counts as uncovered, so a child with no social worker is drawn
    as any other (not left behind those with one)."""
    children = [OpenCase(f"C{n:02}", "cin", "North", social_worker="w" if n else "")
                for n in range(4)]  # fmt: skip
    for seed in range(20):
        covered = draw(children, rules(2, seed=seed, cover="social_worker",
                                       exclude_reviewed_within=0))  # fmt: skip
        plain = draw(children, rules(2, seed=seed, exclude_reviewed_within=0))
        assert covered["sample"] == plain["sample"]


def test_unknown_strata_are_refused():
    with pytest.raises(SampleRefused, match="Strata must be one of"):
        draw(cases(cin=2), rules(1, strata="gender"))


counts_strategy = st.dictionaries(
    st.sampled_from(["cin", "cp", "lac", "care_leaver", "early_help", "no team"]),
    st.integers(min_value=0, max_value=300),
    min_size=1,
)


@settings(max_examples=1000, deadline=None)
@given(counts=counts_strategy, data=st.data())
def test_allocation_sums_to_the_size_and_never_exceeds_a_stratum(counts, data):
    total = sum(counts.values())
    size = data.draw(st.integers(min_value=0, max_value=total))
    places = allocate(counts, size)
    assert sum(places.values()) == size
    assert all(0 <= places[key] <= counts[key] for key in counts)
    non_empty = [key for key in counts if counts[key]]
    if size >= len(non_empty):
        assert all(places[key] >= 1 for key in non_empty)


@settings(max_examples=1000, deadline=None)
@given(counts=counts_strategy, data=st.data())
def test_the_largest_remainder_is_proportional_within_one(counts, data):
    total = sum(counts.values())
    size = data.draw(st.integers(min_value=0, max_value=total))
    places = largest_remainder(counts, size)
    assert sum(places.values()) == size
    for key, count in counts.items():
        assert abs(places[key] - size * count / (total or 1)) < 1


def test_the_example_in_the_guide_draws_what_it_says():
    """docs/sampling.md, "An example": the children, the shares and the draw as printed there."""
    children = [OpenCase(f"C10{n}", "child_in_need", "North") for n in range(2, 8)]
    children += [OpenCase(f"C20{n}", "child_protection", "South") for n in (1, 3, 4)]
    children += [
        OpenCase("C301", "looked_after", "North"),
        OpenCase("C302", "looked_after", "South"),
    ]
    children.append(
        OpenCase(
            "C101", "child_in_need", "North", last_review=LastReview(datetime.date(2025, 9, 3))
        )
    )
    children.append(
        OpenCase(
            "C202", "child_protection", "South", last_review=LastReview(datetime.date(2024, 11, 12))
        )
    )
    result = draw(children, rules(5, seed=20260331))
    assert result["strata"] == {
        "child_in_need": {"population": 7, "eligible": 6, "allocated": 2},
        "child_protection": {"population": 4, "eligible": 4, "allocated": 2},
        "looked_after": {"population": 2, "eligible": 2, "allocated": 1},
    }
    assert [row["case_ref"] for row in result["sample"]] == ["C107", "C105", "C201", "C204", "C302"]
    assert result["excluded"] == [{"case_ref": "C101", "reason": "reviewed on 3 September 2025"}]


def test_an_extract_more_than_31_days_older_than_the_draw_is_warned_of():
    day = datetime.date
    assert old_extract_warning(day(2026, 1, 2), day(2026, 4, 2)) == (
        "The current caseload extract was imported on 2 January 2026, 3 months before the date "
        "drawn as of: import a newer one first if cases have changed"
    )
    assert "1 month before" in old_extract_warning(day(2026, 1, 31), day(2026, 3, 4))
    assert old_extract_warning(day(2026, 1, 2), day(2026, 2, 2)) == ""  # 31 days: fine
    assert old_extract_warning(day(2026, 4, 2), day(2026, 1, 2)) == ""  # drawn as of earlier
