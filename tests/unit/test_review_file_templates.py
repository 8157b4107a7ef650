"""Reading review files on an audit template (docs/review-files.md#columns-follow-the-template):
the standards' and questions' columns are the template's, by key or by label.

Pure parser tests, as tests/unit/test_review_file.py: the template is passed in as the core
AuditTemplate, read from the shipped example. No database.
"""

from pathlib import Path

import pytest

from practice_review.core.audit_templates import built_in, read_yaml
from practice_review.reviews.review_file import parse_review_file
from tests.unit.test_review_file import GOOD_ROW, STANDARDS, dicts_csv

NEGLECT = read_yaml(
    (Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml").read_text()
)
NEGLECT_STANDARDS = [standard.key for standard in NEGLECT.standards]
# A row on the neglect template: the built-in standards' columns give way to its own, and its
# questions are answered.
NEGLECT_ROW = {
    **{key: value for key, value in GOOD_ROW.items() if key not in STANDARDS},
    **{key: "met" for key in NEGLECT_STANDARDS},
    "voice_recorded": "yes",
    "neglect_level": "moderate",
    "months_known": "14",
    "previous_plans": "0",
    "one_thing_to_change": "An earlier Graded Care Profile",
}


def parsed(rows, template=NEGLECT, **kwargs):
    return parse_review_file(dicts_csv(*rows), "neglect.csv", template=template, **kwargs)


def messages(result):
    return [str(problem) for problem in result.problems]


def test_a_file_on_a_template_gives_its_standards_and_typed_answers():
    result = parsed([NEGLECT_ROW])
    assert result.problems == []
    (row,) = result.rows
    assert row.standards == {key: "met" for key in NEGLECT_STANDARDS}
    assert row.questions == {
        "voice_recorded": True,
        "neglect_level": "moderate",
        "months_known": 14,
        "previous_plans": 0,
        "one_thing_to_change": "An earlier Graded Care Profile",
    }
    assert {"voice_recorded", "one_thing_to_change", *NEGLECT_STANDARDS} <= result.columns


def test_labels_are_headers_too_and_choices_are_read_by_label_in_any_case():
    labelled = dict(NEGLECT_ROW)
    labelled["A Graded Care Profile 2 was completed"] = labelled.pop("graded_care_profile")
    labelled["was the child's voice recorded?"] = labelled.pop("voice_recorded")
    labelled["neglect_level"] = "SIGNIFICANT - CHILD PROTECTION"
    result = parsed([labelled])
    assert result.problems == []
    (row,) = result.rows
    assert row.standards["graded_care_profile"] == "met"
    assert row.questions["voice_recorded"] is True
    assert row.questions["neglect_level"] == "significant"


def test_the_templates_standards_and_required_questions_are_required_columns():
    row = {key: value for key, value in NEGLECT_ROW.items()
           if key not in ("plan_is_specific", "voice_recorded", "months_known")}  # fmt: skip
    assert messages(parsed([row])) == [
        "row 1, column plan_is_specific: missing; expected a plan_is_specific column",
        "row 1, column voice_recorded: missing; expected a voice_recorded column",
    ]


def test_the_built_in_standards_are_not_asked_of_a_file_on_another_template():
    # Nor read: a built-in standard's column is an unknown column here, ignored.
    result = parsed([{**NEGLECT_ROW, "seen_alone": "not a result"}])
    assert result.problems == []
    assert "seen_alone" not in result.rows[0].standards


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("voice_recorded", "maybe", "yes or no"),
        ("neglect_level", "severe",
         "one of low, moderate, significant, not_identified (or a choice written out in full)"),
        ("months_known", "-3", "a whole number, 0 or more"),
        ("months_known", "two", "a whole number, 0 or more"),
        ("graded_care_profile", "done", "met, not met or n/a"),
    ],
)  # fmt: skip
def test_a_bad_answer_is_a_problem_naming_the_accepted_values(column, value, expected):
    result = parsed([{**NEGLECT_ROW, column: value}])
    assert result.rows == []
    assert messages(result) == [f"row 2, column {column}: got '{value}'; expected {expected}"]


def test_a_required_question_left_blank_is_a_problem_and_an_optional_one_is_no_answer():
    result = parsed([{**NEGLECT_ROW, "voice_recorded": "", "neglect_level": " "}])
    assert messages(result) == [
        "row 2, column voice_recorded: blank; expected yes or no",
        "row 2, column neglect_level: blank; expected "
        "one of low, moderate, significant, not_identified (or a choice written out in full)",
    ]
    optional = parsed([{**NEGLECT_ROW, "months_known": "", "one_thing_to_change": ""}])
    assert optional.problems == []
    assert optional.rows[0].questions["months_known"] is None
    assert optional.rows[0].questions["one_thing_to_change"] is None


def test_an_answer_in_words_keeps_what_was_written_but_not_control_characters():
    result = parsed([{**NEGLECT_ROW, "one_thing_to_change": "Earlier help\x07"}])
    assert messages(result) == [
        "row 2, column one_thing_to_change: got 'Earlier help\\x07'; "
        "expected text without control characters"
    ]


def test_the_built_in_template_reads_a_file_as_without_one():
    with_template = parsed([GOOD_ROW], template=built_in())
    without = parse_review_file(dicts_csv(GOOD_ROW), "neglect.csv")
    assert with_template == without
    assert with_template.rows[0].questions == {}


def test_a_built_in_standards_label_is_a_header_for_it():
    row = dict(GOOD_ROW)
    row["The child is seen alone where required"] = row.pop("seen_alone")
    result = parse_review_file(dicts_csv(row), "built-in.csv")
    assert result.problems == []
    assert result.rows[0].standards["seen_alone"] == "met"
