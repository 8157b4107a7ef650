"""The pure rules of running a review: workflow, completeness, the practice window."""

import datetime
from pathlib import Path

from practice_review.core.audit_templates import built_in, read_yaml
from practice_review.core.vocabulary import PRACTICE_STANDARD_KEYS, THEME_KEYS
from practice_review.reviews import review_sections, workflow
from practice_review.reviews.practice_window import practice_window


def complete_answers(**changes):
    answers = {
        "review_date": datetime.date(2025, 1, 14),
        "age_years": 16,
        "gender": "male",
        "legal_status": "looked_after",
        **{key: "met" for key in PRACTICE_STANDARD_KEYS},
        "findings": {theme: ("A strength", "") for theme in THEME_KEYS},
        "conversations": 1,
        "practice_grade": "outstanding",
        "practice_rationale": "Because.",
        "outcome_grade": "outstanding",
        "outcome_rationale": "Because.",
        "saved_sections": {"child"},
    }
    return {**answers, **changes}


def test_a_complete_review_is_ready_to_submit():
    assert review_sections.ready_to_submit(complete_answers())


def test_submission_names_exactly_what_is_missing():
    answers = complete_answers(
        seen_alone=None, recording_up_to_date="not_met", conversations=0, practice_rationale=""
    )
    missing = review_sections.missing(answers)
    assert missing["standards"] == [
        "Say whether this standard is met: The child is seen alone where required",
        "Say why this standard is not met: Recording is updated on the file in line with "
        "practice standards",
    ]
    assert missing["conversations"] == [
        "Record at least one conversation with the practitioner, manager, child or family"
    ]
    assert missing["grades"] == ["Give the reasons for the grade for social work practice"]
    assert missing["child"] == [] and missing["themes"] == []


def test_a_review_date_not_yet_given_by_the_reviewer_is_missing():
    # A new review holds its due date as a placeholder until the reviewer gives the real one.
    answers = complete_answers(review_date_confirmed=False)
    assert review_sections.missing(answers)["child"] == ["Enter the date of the review"]
    assert not review_sections.ready_to_submit(answers)
    assert review_sections.status("child", answers) == review_sections.IN_PROGRESS
    assert review_sections.ready_to_submit(complete_answers(review_date_confirmed=True))


def test_the_gap_between_good_practice_and_poor_outcomes_needs_a_reason():
    answers = complete_answers(outcome_grade="requires_improvement")
    assert (
        "Say why outcomes are not good when practice is good or better"
        in (review_sections.missing(answers)["grades"])
    )
    answers["practice_outcome_reason"] = "Will not engage despite persistent efforts."
    assert review_sections.ready_to_submit(answers)
    # No reason needed when practice itself is not good.
    answers = complete_answers(practice_grade="requires_improvement",
                               outcome_grade="requires_improvement")  # fmt: skip
    assert review_sections.ready_to_submit(answers)


def test_every_theme_needs_something_recorded():
    findings = {theme: ("", "") for theme in THEME_KEYS}
    findings["journey"] = ("", "An area for development")
    missing = review_sections.missing(complete_answers(findings=findings))["themes"]
    assert len(missing) == 4 and not any("journey of the child" in m for m in missing)


def test_section_status_moves_from_not_started_to_completed():
    empty = {"findings": {}, "saved_sections": set()}
    assert review_sections.status("standards", empty) == review_sections.NOT_STARTED
    assert review_sections.status("standards", {"basic_details": "met"}) == (
        review_sections.IN_PROGRESS
    )
    assert review_sections.status("standards", complete_answers()) == review_sections.COMPLETED
    assert review_sections.status("recommendations", empty) == review_sections.OPTIONAL


def test_only_the_reviewer_submits_and_only_the_qa_lead_signs_off_or_reopens():
    assert workflow.can("submit", "in_progress", "reviewer")
    assert not workflow.can("submit", "assigned", "reviewer")
    assert not workflow.can("submit", "in_progress", "qa_lead")
    assert workflow.can("sign_off", "submitted", "qa_lead")
    assert not workflow.can("sign_off", "submitted", "senior_leader")
    assert workflow.can("reopen", "final", "qa_lead")
    assert not workflow.can("reopen", "in_progress", "qa_lead")
    assert workflow.TRANSITIONS["reopen"].needs_reason


def test_the_practice_window_is_six_months_or_from_the_cases_start():
    assert practice_window(datetime.date(2025, 1, 14)) == (
        datetime.date(2024, 7, 14),
        datetime.date(2025, 1, 14),
    )
    assert practice_window(datetime.date(2024, 8, 31))[0] == datetime.date(2024, 2, 29)
    assert practice_window(datetime.date(2025, 1, 14), datetime.date(2024, 11, 1))[0] == (
        datetime.date(2024, 11, 1)
    )
    assert practice_window(datetime.date(2025, 1, 14), datetime.date(2020, 1, 1))[0] == (
        datetime.date(2024, 7, 14)
    )


def neglect():
    path = Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml"
    return read_yaml(path.read_text())


def template_answers(questions):
    asks = neglect()
    answers = complete_answers(asks=asks, questions=questions)
    answers.update({standard.key: "met" for standard in asks.standards})
    answers["findings"] = {theme.key: ("A strength", "") for theme in asks.themes}
    return answers


def test_a_template_with_questions_adds_their_section_and_one_without_does_not():
    keys = [section.key for section in review_sections.sections_for(neglect())]
    assert keys[:3] == ["child", "standards", "questions"]
    assert "questions" not in [s.key for s in review_sections.sections_for(built_in())]
    assert "questions" not in review_sections.missing(complete_answers())


def test_each_required_question_unanswered_is_named_and_others_may_be_left():
    answers = template_answers({"voice_recorded": None, "neglect_level": "  "})
    assert review_sections.missing(answers)["questions"] == [
        "Answer the question: Was the child's voice recorded?",
        "Answer the question: At what level was neglect identified at the time of the audit?",
    ]
    assert review_sections.status("questions", answers) == review_sections.NOT_STARTED
    answered = template_answers({"voice_recorded": False, "neglect_level": "low"})
    assert review_sections.missing(answered)["questions"] == []
    assert review_sections.status("questions", answered) == review_sections.COMPLETED
    assert review_sections.ready_to_submit(answered)
    # The standards asked are the template's own, not the built-in's.
    assert review_sections.missing(answered)["standards"] == []


def test_each_theme_of_the_template_needs_strengths_or_development():
    answers = template_answers({"voice_recorded": False, "neglect_level": "low"})
    answers["findings"] = {key: ("A strength", "") for key in THEME_KEYS}  # the built-in's
    missing = review_sections.missing(answers)["themes"]
    assert missing[0] == (
        "Record strengths or areas for development for: Recognition of neglect and its impact "
        "on the child"
    )
    assert len(missing) == 3  # multi_agency and management_oversight are both templates' keys


def test_a_number_question_takes_whole_numbers_from_0_to_100000():
    problem = review_sections.number_problem
    assert [problem(given) for given in ("0", "14", " 1,000 ", 100_000, 3)] == [None] * 5
    assert problem("-1") == "The answer must be 0 or more"
    assert problem("100001") == "The answer must be 100,000 or less"
    for bad in ("fourteen", "2.5", "", True):
        assert problem(bad) == "Enter the answer as a whole number, like 3"
    stored_badly = template_answers({"voice_recorded": True, "neglect_level": "low",
                                     "months_known": -4})  # fmt: skip
    assert review_sections.missing(stored_badly)["questions"] == [
        "Give a whole number of 0 or more for: For how many months has the child been known to "
        "children's social care for neglect?"
    ]


def test_the_built_in_templates_standards_take_no_name_the_review_form_uses():
    """A copy of the built-in template, or a template sharing one of its standards, asks that
    standard: its fields are that standard's own, not a clash (issue 15 stage 4: copying the
    built-in template in the browser was refused for all 8 of its standards)."""
    assert review_sections.names_taken(built_in()) == []
    clashing = read_yaml(
        "key: t\nname: T\nversion: 1\ngrades: [{key: p, label: P, scale: ilacs}]\n"
        "standards: [{key: findings, label: Findings}]\nquestions: [{key: base, label: B, "
        "type: text}]\n"
    )
    assert len(review_sections.names_taken(clashing)) == 2
