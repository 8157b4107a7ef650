"""Merging two saves of one section of the review form: what each person changed is kept, and
only an answer both changed differently is put to the person saving (reviews/section_merge.py).
"""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from practice_review.reviews.section_merge import comparable, merge

BASE = {"practice_grade": "good", "practice_rationale": "Loaded.", "outcome_grade": None}


def test_an_answer_only_the_other_person_changed_keeps_their_change():
    theirs = {**BASE, "practice_rationale": "Theirs."}
    merged = merge(BASE, theirs, dict(BASE))
    assert merged.values == theirs
    assert (merged.clashes, merged.kept) == ([], ["practice_rationale"])


def test_an_answer_only_you_changed_keeps_yours():
    yours = {**BASE, "outcome_grade": "inadequate"}
    merged = merge(BASE, dict(BASE), yours)
    assert merged.values == yours and merged.clashes == [] and merged.kept == []


def test_each_keeps_their_own_change_to_different_answers():
    theirs = {**BASE, "practice_rationale": "Theirs."}
    yours = {**BASE, "outcome_grade": "inadequate"}
    merged = merge(BASE, theirs, yours)
    assert merged.values == {**BASE, "practice_rationale": "Theirs.", "outcome_grade": "inadequate"}
    assert merged.clashes == []


def test_the_same_change_made_by_both_is_no_clash():
    both = {**BASE, "practice_grade": "outstanding"}
    merged = merge(BASE, dict(both), dict(both))
    assert merged.values == both and merged.clashes == [] and merged.kept == []


def test_an_answer_both_changed_differently_clashes_and_holds_yours():
    theirs = {**BASE, "practice_grade": "outstanding", "practice_rationale": "Theirs."}
    yours = {**BASE, "practice_grade": "inadequate"}
    merged = merge(BASE, theirs, yours)
    assert merged.clashes == ["practice_grade"]
    assert merged.values == {
        **BASE,
        "practice_grade": "inadequate",
        "practice_rationale": "Theirs.",
    }


def test_without_what_the_page_was_loaded_with_every_difference_clashes():
    """A page whose loaded answers cannot be trusted (missing or tampered with) merges nothing
    silently: the person sees every answer that differs and chooses."""
    theirs = {**BASE, "practice_rationale": "Theirs.", "topics": [1]}
    yours = {**BASE, "topics": [2]}
    merged = merge({}, theirs, yours)
    assert merged.clashes == ["practice_rationale", "topics"]
    assert merged.values == yours


def test_ticked_boxes_merge_item_by_item():
    """Learning topics: a topic either person ticked is kept, one either unticked is gone."""
    base = {"topics_identity": [1, 2]}
    theirs = {"topics_identity": [1, 2, 3]}  # ticked 3
    yours = {"topics_identity": [2, 4]}  # unticked 1, ticked 4
    merged = merge(base, theirs, yours)
    assert merged.values == {"topics_identity": [2, 3, 4]}
    assert merged.clashes == [] and merged.kept == ["topics_identity"]


def test_dates_compare_with_the_text_they_were_loaded_as():
    """The loaded answers travel as JSON, where a date is its ISO text."""
    base = {"review_date": "2026-03-14", "ethnicity": ""}
    theirs = {"review_date": datetime.date(2026, 3, 14), "ethnicity": "Eritrean"}
    yours = {"review_date": datetime.date(2026, 3, 14), "ethnicity": ""}
    merged = merge(base, theirs, yours)
    assert merged.values == theirs and merged.clashes == []
    assert comparable((3, 1, 2)) == [1, 2, 3]


def test_only_the_answers_sent_are_merged():
    """An answer the page did not send (the review date before it is given) is not written."""
    theirs = {**BASE, "review_date": datetime.date(2026, 3, 1)}
    merged = merge({**BASE, "review_date": None}, theirs, {"practice_grade": "outstanding"})
    assert merged.values == {"practice_grade": "outstanding"}


# -- Properties ------------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(0, 3), st.sampled_from(["", "a", "b"]))
topic_lists = st.lists(st.integers(1, 6), unique=True, max_size=5).map(sorted)
NAMES = ["one", "two", "three", "topics"]


@st.composite
def three_versions(draw):
    """(base, theirs, yours): each person's answers start from the base and change some."""
    base, theirs, yours = {}, {}, {}
    for name in NAMES:
        values = topic_lists if name == "topics" else scalars
        base[name] = draw(values)
        theirs[name] = draw(st.one_of(st.just(base[name]), values))
        yours[name] = draw(st.one_of(st.just(base[name]), values))
    return base, theirs, yours


@given(three_versions())
def test_an_answer_only_one_side_changed_always_ends_with_that_sides_value(versions):
    base, theirs, yours = versions
    merged = merge(base, theirs, yours)
    for name in NAMES:
        if comparable(yours[name]) == comparable(base[name]):
            assert comparable(merged.values[name]) == comparable(theirs[name])
        elif comparable(theirs[name]) == comparable(base[name]):
            assert comparable(merged.values[name]) == comparable(yours[name])


@given(three_versions())
def test_only_answers_both_changed_differently_clash_and_they_hold_yours(versions):
    base, theirs, yours = versions
    merged = merge(base, theirs, yours)
    for name in NAMES:
        both_changed_differently = (
            name != "topics"
            and comparable(yours[name]) != comparable(base[name])
            and comparable(theirs[name]) != comparable(base[name])
            and comparable(yours[name]) != comparable(theirs[name])
        )
        assert (name in merged.clashes) == both_changed_differently
        if both_changed_differently:
            assert merged.values[name] == yours[name]


@given(three_versions())
def test_a_topic_ticked_by_either_is_kept_and_one_unticked_by_either_is_gone(versions):
    base, theirs, yours = versions
    topics = set(merge(base, theirs, yours).values["topics"])
    before = set(base["topics"])
    ticked = (set(theirs["topics"]) - before) | (set(yours["topics"]) - before)
    unticked = (before - set(theirs["topics"])) | (before - set(yours["topics"]))
    assert ticked <= topics and not (unticked & topics)


@given(three_versions())
def test_kept_names_exactly_the_answers_that_differ_from_yours(versions):
    base, theirs, yours = versions
    merged = merge(base, theirs, yours)
    assert merged.kept == [
        name for name in NAMES if comparable(merged.values[name]) != comparable(yours[name])
    ]


# The questions section (reviews/review_forms.py QuestionsSectionForm): yes or no as true or
# false, a choice's key, a number, text; None when not answered.
QUESTIONS = {"voice_recorded": None, "neglect_level": "low", "months_known": None, "notes": None}


def test_questions_merge_answer_by_answer_and_no_or_nought_is_an_answer_not_a_blank():
    theirs = {**QUESTIONS, "voice_recorded": False, "months_known": 0}
    yours = {**QUESTIONS, "neglect_level": "significant", "notes": "Seen at school."}
    merged = merge(QUESTIONS, theirs, yours)
    assert merged.values == {"voice_recorded": False, "neglect_level": "significant",
                             "months_known": 0, "notes": "Seen at school."}  # fmt: skip
    assert merged.clashes == [] and merged.kept == ["voice_recorded", "months_known"]


def test_questions_both_answered_differently_clash_even_yes_against_one():
    base = {**QUESTIONS, "voice_recorded": True, "months_known": 1}
    theirs = {**base, "voice_recorded": False, "months_known": 2}
    yours = {**base, "voice_recorded": None, "months_known": 3}
    merged = merge(base, theirs, yours)
    assert merged.clashes == ["voice_recorded", "months_known"]
    assert merged.values == yours
