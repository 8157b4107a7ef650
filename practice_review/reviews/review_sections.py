"""The review form's sections and what each still needs before submission. Pure Python.

`missing(answers)` names exactly what is left, in words a reviewer would use, so the task list
and the submit page say the same thing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import AuditTemplate, GradeAxis, Question, built_in
from practice_review.reviews.answers import GRADE, RATIONALE, grade_field, standard_fields

# A review's answers so far, as reviews/queries.py's review_answers gathers them: field values,
# "findings" {theme: (strengths, development)}, how many conversations and recommendations there
# are, the earliest date a recommendation should be done by, and the "saved_sections"; "asks",
# the review's template (the built-in's standards when absent), and "questions", the answers to
# its questions {key: answer}, in a dict of their own so a question's key never meets a field's.
Answers = dict[str, Any]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    required: bool = True


SECTIONS = [
    Section("child", "The child at the review"),
    Section("standards", "Practice standards"),
    Section("questions", "Questions"),
    Section("themes", "Strengths and areas for development"),
    Section("conversations", "Conversations"),
    Section("grades", "Grades"),
    Section("recommendations", "Recommendations for the child", required=False),
]
SECTION_KEYS = [section.key for section in SECTIONS]


def sections_for(asks: AuditTemplate | None) -> list[Section]:
    """The sections of the form of a review on the template `asks`, in order: the questions
    only when the template has any."""
    return [s for s in SECTIONS if s.key != "questions" or (asks is not None and asks.questions)]


# The review's own fields that each section of the form saves.
SECTION_FIELDS = {
    "child": [
        "review_date",
        "review_date_confirmed",
        "case_start_date",
        "age_years",
        "age_as_written",
        "legal_status",
        "gender",
        "ethnicity",
        "religion",
        "first_language",
        "interpreter_needed",
        "uasc",
    ],
    # The built-in template's; a review's own come from its template (queries.section_values).
    "standards": standard_fields(v.PRACTICE_STANDARD_KEYS),
    # Beside each of the template's grade axes' grade and reasons (reviews/answers.py).
    "grades": ["practice_outcome_reason"],
}
# The names of the grades' fields on the built-in template (a review's own axes come from its
# template): review_answers() gathers them beside the rest.
BUILT_IN_GRADE_FIELDS = [grade_field(axis.key, part) for axis in built_in().grades
                         for part in (GRADE, RATIONALE)]  # fmt: skip

BY_KEY = {section.key: section for section in SECTIONS}

NOT_STARTED, IN_PROGRESS, COMPLETED, OPTIONAL = (
    "Not started",
    "In progress",
    "Completed",
    "Optional",
)


def _child(a: Answers) -> list[str]:
    needs: list[str] = []
    # Until the reviewer gives it, a new review's date is its due date, a placeholder.
    if not a.get("review_date") or a.get("review_date_confirmed") is False:
        needs.append("Enter the date of the review")
    if a.get("age_years") is None:
        needs.append("Enter the child's age at the review")
    if not a.get("gender"):
        needs.append("Select the child's gender")
    if not a.get("legal_status"):
        needs.append("Select the legal or practice framework")
    return needs


def _asked(a: Answers) -> list[tuple[str, str]]:
    """(key, label) of the standards the review's template asks (the built-in's by default)."""
    asks = a.get("asks")
    if asks is None:
        return list(v.PRACTICE_STANDARDS)
    return [(standard.key, standard.label) for standard in asks.standards]


def _questions_asked(a: Answers) -> tuple[Question, ...]:
    asks = a.get("asks")
    return asks.questions if asks is not None else ()


def _standards(a: Answers) -> list[str]:
    needs: list[str] = []
    for key, label in _asked(a):
        result = a.get(key)
        if not result:
            needs.append(f"Say whether this standard is met: {label}")
        elif result == "not_met" and not a.get(f"{key}_comment", "").strip():
            needs.append(f"Say why this standard is not met: {label}")
    return needs


# The largest count a number question takes: far beyond any count of months or plans, and well
# inside the integers every database's JSON functions read exactly.
MOST = 100_000


def number_problem(answer: Any) -> str | None:
    """Why `answer` (as typed, or as stored) is not a count a number question takes, or None."""
    if isinstance(answer, bool):
        return "Enter the answer as a whole number, like 3"
    if not isinstance(answer, int):
        try:
            answer = int(str(answer).strip().replace(",", ""))
        except ValueError:
            return "Enter the answer as a whole number, like 3"
    if answer < 0:
        return "The answer must be 0 or more"
    if answer > MOST:
        return f"The answer must be {MOST:,} or less"
    return None


def _unanswered(answer: Any) -> bool:
    return answer is None or (isinstance(answer, str) and not answer.strip())


def _questions(a: Answers) -> list[str]:
    needs: list[str] = []
    given = a.get("questions", {})
    for question in _questions_asked(a):
        answer = given.get(question.key)
        if _unanswered(answer):
            if question.required:
                needs.append(f"Answer the question: {question.label}")
        elif question.type == "number" and number_problem(answer):
            needs.append(f"Give a whole number of 0 or more for: {question.label}")
    return needs


def _themes(a: Answers) -> list[str]:
    findings = a.get("findings", {})
    asks = a.get("asks")
    themes = list(v.THEMES) if asks is None else [(t.key, t.label) for t in asks.themes]
    return [
        f"Record strengths or areas for development for: {title}"
        for key, title in themes
        if not any(text.strip() for text in findings.get(key, ("", "")))
    ]


def _conversations(a: Answers) -> list[str]:
    if a.get("conversations", 0):
        return []
    return ["Record at least one conversation with the practitioner, manager, child or family"]


def _axes(a: Answers) -> tuple[GradeAxis, ...]:
    asks = a.get("asks")
    return (asks or built_in()).grades


# A gap case (docs/spec/domain.md#gap-cases): practice good or better, outcomes not.
GAP_AXES = ("practice", "outcome")


def gap_axes(axes: Iterable[GradeAxis]) -> tuple[GradeAxis, GradeAxis] | None:
    """The practice and outcome axes of a template that has gap cases: it grades both, each
    with a good-or-better cut (without one, "good or better" means nothing). None otherwise."""
    by_key = {axis.key: axis for axis in axes}
    practice, outcome = (by_key.get(key) for key in GAP_AXES)
    if practice is None or outcome is None:
        return None
    if not (practice.good_or_better_keys and outcome.good_or_better_keys):
        return None
    return practice, outcome


def is_gap(grades: dict[str, str | None], axes: Iterable[GradeAxis]) -> bool:
    """Whether `grades` ({axis: grade}) are a gap case on a template with these grade `axes`:
    practice good or better and the outcome graded and not (gap_axes says which templates have
    gap cases)."""
    both = gap_axes(axes)
    if both is None:
        return False
    practice, outcome = (grades.get(key) for key in GAP_AXES)
    return (
        practice in both[0].good_or_better_keys
        and bool(outcome)
        and outcome not in both[1].good_or_better_keys
    )


def _grades(a: Answers) -> list[str]:
    needs: list[str] = []
    axes = _axes(a)
    for axis in axes:
        if not a.get(grade_field(axis.key)):
            needs.append(f"Select the grade for {axis.label.lower()}")
        if not (a.get(grade_field(axis.key, RATIONALE)) or "").strip():
            needs.append(f"Give the reasons for the grade for {axis.label.lower()}")
    given = {axis.key: a.get(grade_field(axis.key)) for axis in axes}
    if is_gap(given, axes) and not a.get("practice_outcome_reason", "").strip():
        needs.append("Say why outcomes are not good when practice is good or better")
    return needs


def review_date_problem(review_date: date | None, today: date) -> str | None:
    """Why the reviewer cannot give this as the date they reviewed the file, or None."""
    if review_date and review_date > today:
        return "The review date must be today or in the past"
    return None


def due_date_problem(due_date: date, review_date: date | None) -> str | None:
    """Why a child's recommendation cannot be due then, or None: it cannot fall due before the
    review that made it. `review_date` is None while the review's date is not yet given."""
    if review_date and due_date < review_date:
        return f"The due date must be on or after the review date, {review_date:%-d %B %Y}"
    return None


def _recommendations(a: Answers) -> list[str]:
    # A recommendation made before the reviewer gave the review date could not be checked then
    # (tracker/actions.py checks each one as it is made); it is checked again here.
    earliest, review_date = a.get("earliest_recommendation_due"), a.get("review_date")
    if not (earliest and review_date and a.get("review_date_confirmed")):
        return []
    if due_date_problem(earliest, review_date):
        return [
            f"Change the date a recommendation should be done by: {earliest:%-d %B %Y} is before "
            f"the review date, {review_date:%-d %B %Y}"
        ]
    return []


CHECKS: dict[str, Callable[[Answers], list[str]]] = {
    "child": _child,
    "standards": _standards,
    "questions": _questions,
    "themes": _themes,
    "conversations": _conversations,
    "grades": _grades,
    "recommendations": _recommendations,
}

# What counts as "started" for each section, to tell Not started from In progress.
STARTED: dict[str, Callable[[Answers], bool]] = {
    "child": lambda a: "child" in a.get("saved_sections", ()),
    "standards": lambda a: any(a.get(key) for key, _ in _asked(a)),
    "questions": lambda a: any(not _unanswered(given) for given in a.get("questions", {}).values()),
    "themes": lambda a: any(any(t.strip() for t in f) for f in a.get("findings", {}).values()),
    "conversations": lambda a: bool(a.get("conversations", 0)),
    "grades": lambda a: any(a.get(grade_field(axis.key)) for axis in _axes(a)),
    "recommendations": lambda a: bool(a.get("recommendations", 0)),
}


# Names a template's items cannot take: the form's own hidden fields (reviews/review_forms.py
# SectionForm), and the other names review_answers() gathers beside each standard's fields.
FORM_NAMES = {"version", "base"}
# Not the built-in standards' own fields: a template's standard with one of their keys (a copy
# of the built-in template) names that standard's answers, which is no clash.
ANSWER_NAMES = {
    *(name for section, fields in SECTION_FIELDS.items() if section != "standards"
      for name in fields),
    *BUILT_IN_GRADE_FIELDS,
    "findings", "conversations", "recommendations", "earliest_recommendation_due",
    "saved_sections", "asks", "questions",
}  # fmt: skip


def names_taken(asks: AuditTemplate) -> list[str]:
    """Why the review form cannot ask `asks`: each standard or question whose key gives a name
    the form already uses for something else. Empty when it can."""
    problems = []
    own_grades = {
        grade_field(axis.key, part) for axis in asks.grades for part in (GRADE, RATIONALE)
    }
    for standard in asks.standards:
        if set(standard_fields([standard.key])) & (FORM_NAMES | ANSWER_NAMES | own_grades):
            problems.append(f"The standard key {standard.key} is a name the review form uses "
                            "itself: choose another")  # fmt: skip
    for question in asks.questions:
        if question.key in FORM_NAMES:
            problems.append(f"The question key {question.key} is a name the review form uses "
                            "itself: choose another")  # fmt: skip
    return problems


def sections(answers: Answers) -> list[Section]:
    """The sections of the form of the review whose answers these are."""
    return sections_for(answers.get("asks"))


def missing(answers: Answers) -> dict[str, list[str]]:
    """{section key: [what is still needed]} for the review's sections, in form order."""
    return {section.key: CHECKS[section.key](answers) for section in sections(answers)}


def status(section_key: str, answers: Answers) -> str:
    needs = CHECKS[section_key](answers)
    started = STARTED[section_key](answers)
    if not BY_KEY[section_key].required and not needs:
        return COMPLETED if started else OPTIONAL
    if started and not needs:
        return COMPLETED
    return IN_PROGRESS if started else NOT_STARTED


def ready_to_submit(answers: Answers) -> bool:
    return not any(missing(answers).values())
