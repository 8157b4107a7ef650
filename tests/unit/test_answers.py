"""A review's answers as one document (reviews/answers.py; ADR 0007)."""

from hypothesis import given
from hypothesis import strategies as st

from practice_review.reviews.answers import (
    grade,
    grade_field,
    grade_values,
    question_values,
    standard,
    standard_fields,
    standard_values,
    with_grade_values,
    with_grades,
    with_question_values,
    with_standard_values,
    without_words,
)

QUESTIONS = [("voice_recorded", "yes_no"), ("level", "choice"), ("visits", "number"),
             ("what_changed", "text")]  # fmt: skip


def test_a_standard_not_yet_checked_reads_as_unanswered():
    assert standard({}, "seen_alone") == {"result": None, "comment": "", "put_right": False}


def test_the_fields_of_the_standards_are_result_comment_and_put_right_in_order():
    assert standard_fields(["a", "b"]) == ["a", "a_comment", "a_put_right",
                                           "b", "b_comment", "b_put_right"]  # fmt: skip


def test_setting_some_fields_keeps_the_rest_of_the_standard_and_the_document():
    answers = {"standards": {"a": {"result": "not_met", "comment": "Why", "put_right": False}},
               "questions": {"visits": 3}}  # fmt: skip
    changed = with_standard_values(answers, ["a", "b"], {"a_put_right": True, "b": "met"})
    assert changed == {
        "standards": {"a": {"result": "not_met", "comment": "Why", "put_right": True},
                      "b": {"result": "met", "comment": "", "put_right": False}},
        "questions": {"visits": 3},
    }  # fmt: skip
    assert answers["standards"]["a"]["put_right"] is False  # a copy, not a change in place


def test_a_name_of_no_standard_asked_is_left_alone():
    assert with_standard_values({}, ["a"], {"status": "final"}) == {"standards": {}}


def test_questions_in_words_are_kept_apart_and_a_blank_answer_takes_one_away():
    values = {"voice_recorded": True, "level": "low", "visits": 0, "what_changed": "More visits"}
    answers = with_question_values({}, QUESTIONS, values)
    assert answers == {"questions": {"voice_recorded": True, "level": "low", "visits": 0},
                       "texts": {"what_changed": "More visits"}}  # fmt: skip
    assert question_values(answers, QUESTIONS) == values
    cleared = with_question_values(answers, QUESTIONS, {"level": None, "what_changed": ""})
    assert question_values(cleared, QUESTIONS) == {**values, "level": None, "what_changed": None}


def test_the_purge_keeps_what_the_figures_count_and_clears_the_words():
    answers = {
        "standards": {"a": {"result": "not_met", "comment": "About the child", "put_right": True}},
        "questions": {"voice_recorded": False},
        "texts": {"what_changed": "About the family"},
    }
    assert without_words(answers) == {
        "standards": {"a": {"result": "not_met", "comment": "", "put_right": True}},
        "questions": {"voice_recorded": False},
    }


def test_grades_are_named_as_review_files_name_them():
    assert [grade_field("practice", part) for part in ("grade", "rationale", "moderated",
            "second")] == ["practice_grade", "practice_rationale", "moderated_practice_grade",
                           "second_practice_grade"]  # fmt: skip


def test_a_grade_not_given_reads_as_none_and_its_reasons_as_blank():
    assert grade({}, "practice") is None
    assert grade({}, "practice", "rationale") == ""
    assert grade_values({}, ["outcome"]) == {"outcome_grade": None, "outcome_rationale": ""}


def test_setting_grades_keeps_the_other_parts_and_axes_and_blank_takes_one_away():
    answers = {"standards": {"a": {"result": "met"}},
               "grades": {"practice": {"grade": "good", "rationale": "Why."},
                          "outcome": {"grade": "inadequate"}}}  # fmt: skip
    changed = with_grade_values(
        answers, ["practice", "outcome"],
        {"moderated_practice_grade": "outstanding", "outcome_grade": None, "other": 1},
    )  # fmt: skip
    assert changed == {"standards": {"a": {"result": "met"}},
                       "grades": {"practice": {"grade": "good", "rationale": "Why.",
                                               "moderated": "outstanding"}}}  # fmt: skip
    assert answers["grades"]["outcome"] == {"grade": "inadequate"}  # a copy: the original stays
    assert with_grades({"grades": {"practice": {"grade": "good"}}},
                       {"practice": {"grade": ""}}) == {}  # fmt: skip


def test_the_purge_keeps_the_grades_and_clears_their_reasons():
    answers = {"grades": {"practice": {"grade": "good", "rationale": "About the child",
                                       "second": "good"}}}  # fmt: skip
    assert without_words(answers) == {"grades": {"practice": {"grade": "good", "second": "good"}}}


words = st.text(max_size=20)
documents = st.fixed_dictionaries({
    "standards": st.dictionaries(
        st.sampled_from(["a", "b", "c"]),
        st.fixed_dictionaries({"result": st.sampled_from([None, "met", "not_met"]),
                               "comment": words, "put_right": st.booleans()}),
    ),
    "texts": st.dictionaries(st.sampled_from(["x", "y"]), words),
})  # fmt: skip


@given(documents)
def test_no_word_survives_the_purge_and_every_result_does(answers):
    cleared = without_words(answers)
    assert "texts" not in cleared
    assert all(part["comment"] == "" for part in cleared["standards"].values())
    assert standard_values(cleared, "abc") == {
        **standard_values(answers, "abc"),
        "a_comment": "",
        "b_comment": "",
        "c_comment": "",
    }
