"""A review's answers to its template, as one JSON document on the review
(docs/adr/0007-audit-templates-as-versioned-data.md, stages 2 and 3). Pure Python.

The document is
    {"standards": {key: {"result": "met", "comment": "...", "put_right": false}},
     "questions": {key: true | "choice_key" | 12},   # yes/no, a choice, a number
     "texts": {key: "..."},                          # questions answered in words
     "grades": {axis: {"grade": "good", "rationale": "...",   # the (first) reviewer's own
                       "moderated": "outstanding",            # agreed at moderation
                       "second": "good",                      # a second, blind reviewer's
                       "paired": "good"}}}                    # the first's, when both graded
The review form and the review file name each answer as a field, as they always have: the
standard's key for its result, `<key>_comment` and `<key>_put_right`, a question's key for its
answer, and `<axis>_grade`, `<axis>_rationale`, `moderated_<axis>_grade` and
`second_<axis>_grade` for the grades; this module is the one place that turns one into the
other. Answers in words are kept apart from the rest, or named as words (a comment, a grade's
reasons), so the retention purge can clear them without knowing the template
(`without_words`). A part not given is left out of the document.
"""

from collections.abc import Iterable, Mapping
from typing import Any

RESULT, COMMENT, PUT_RIGHT = "result", "comment", "put_right"
# What a standard not yet checked reads as.
UNANSWERED: dict[str, Any] = {RESULT: None, COMMENT: "", PUT_RIGHT: False}
_SUFFIXES = {"": RESULT, "_comment": COMMENT, "_put_right": PUT_RIGHT}


def standard_fields(keys: Iterable[str]) -> list[str]:
    """The field names of the standards `keys`, in order: result, comment, put right."""
    return [f"{key}{suffix}" for key in keys for suffix in _SUFFIXES]


def standard(answers: Mapping[str, Any], key: str) -> dict[str, Any]:
    """One standard's answer: result (None until checked), comment, put right."""
    given = (answers.get("standards") or {}).get(key) or {}
    return {part: given.get(part, empty) for part, empty in UNANSWERED.items()}


def standard_values(answers: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """{field name: value} for the standards `keys`."""
    values = {}
    for key in keys:
        given = standard(answers, key)
        values.update({f"{key}{suffix}": given[part] for suffix, part in _SUFFIXES.items()})
    return values


def with_standard_values(
    answers: Mapping[str, Any], keys: Iterable[str], values: Mapping[str, Any]
) -> dict[str, Any]:
    """A copy of `answers` with the fields in `values` that name a part of one of the standards
    `keys` set; other names in `values` are left for the caller."""
    standards = {key: dict(part) for key, part in (answers.get("standards") or {}).items()}
    for key in keys:
        for suffix, part in _SUFFIXES.items():
            name = f"{key}{suffix}"
            if name in values:
                standards[key] = {**standard({"standards": standards}, key), part: values[name]}
    return {**answers, "standards": standards}


TEXT = "text"  # the question type answered in words (core/audit_templates.py QUESTION_TYPES)


def _home(kind: str) -> str:
    return "texts" if kind == TEXT else "questions"


def question_values(
    answers: Mapping[str, Any], questions: Iterable[tuple[str, str]]
) -> dict[str, Any]:
    """{question key: answer or None} for `questions`, (key, type) pairs."""
    return {key: (answers.get(_home(kind)) or {}).get(key) for key, kind in questions}


def with_question_values(
    answers: Mapping[str, Any], questions: Iterable[tuple[str, str]], values: Mapping[str, Any]
) -> dict[str, Any]:
    """A copy of `answers` with the answers in `values` to `questions`, (key, type) pairs; an
    answer of None or "" takes the question's answer away."""
    result = {**answers}
    for key, kind in questions:
        if key not in values:
            continue
        home = dict(result.get(_home(kind)) or {})
        if values[key] is None or values[key] == "":
            home.pop(key, None)
        else:
            home[key] = values[key]
        result[_home(kind)] = home
    return result


def question_lookup(key: str) -> str:
    """The ORM lookup of a question's answer (not one answered in words)."""
    return f"answers__questions__{key}"


def lookup(key: str, part: str = RESULT) -> str:
    """The ORM lookup of one part of a standard's answer, for filters and conditional counts:
    `Q(**{lookup("seen_alone"): "met"})`."""
    return "answers__" + "__".join(steps(key, part))


def steps(key: str, part: str = RESULT) -> tuple[str, ...]:
    """Where one part of a standard's answer is in the document, step by step (for a JSON
    path: reports/figures.py reads a result with one JSON function, for speed)."""
    return ("standards", key, part)


def question_steps(key: str) -> tuple[str, ...]:
    """Where a question's answer (not one answered in words) is in the document."""
    return ("questions", key)


GRADE, RATIONALE, MODERATED, SECOND, PAIRED = "grade", "rationale", "moderated", "second", "paired"
# The parts of an axis's grade a field names, by the field's name for an axis.
_GRADE_NAMES = {
    GRADE: "{axis}_grade",
    RATIONALE: "{axis}_rationale",
    MODERATED: "moderated_{axis}_grade",
    SECOND: "second_{axis}_grade",
    PAIRED: "paired_{axis}_grade",
}
GRADE_PARTS = tuple(_GRADE_NAMES)


def grade_field(axis: str, part: str = GRADE) -> str:
    """The field (and review-file column) that gives one part of an axis's grade:
    `practice_grade`, `practice_rationale`, `moderated_practice_grade`, `second_practice_grade`."""
    return _GRADE_NAMES[part].format(axis=axis)


def grade(answers: Mapping[str, Any], axis: str, part: str = GRADE) -> Any:
    """One part of an axis's grade: a level's key, or None; a rationale, or ""."""
    given = ((answers.get("grades") or {}).get(axis) or {}).get(part)
    if part == RATIONALE:
        return given or ""
    return given or None


def with_grades(answers: Mapping[str, Any], given: Mapping[str, Mapping[str, Any]]) -> dict:
    """A copy of `answers` with the parts of the grades `given` ({axis: {part: value}}) set;
    a value of None or "" takes that part away."""
    grades = {axis: dict(parts) for axis, parts in (answers.get("grades") or {}).items()}
    for axis, parts in given.items():
        kept = grades.get(axis, {})
        for part, value in parts.items():
            if value is None or value == "":
                kept.pop(part, None)
            else:
                kept[part] = value
        if kept:
            grades[axis] = kept
        else:
            grades.pop(axis, None)
    result = {**answers, "grades": grades}
    if not grades:
        del result["grades"]
    return result


def grade_values(
    answers: Mapping[str, Any], axes: Iterable[str], parts: Iterable[str] = (GRADE, RATIONALE)
) -> dict[str, Any]:
    """{field name: value} for `parts` of the grades of `axes`."""
    parts = tuple(parts)
    return {grade_field(axis, part): grade(answers, axis, part) for axis in axes for part in parts}


def with_grade_values(
    answers: Mapping[str, Any], axes: Iterable[str], values: Mapping[str, Any]
) -> dict[str, Any]:
    """A copy of `answers` with the fields in `values` that name a part of the grade of one of
    `axes` set; other names in `values` are left for the caller."""
    given: dict[str, dict[str, Any]] = {}
    for axis in axes:
        for part in GRADE_PARTS:
            name = grade_field(axis, part)
            if name in values:
                given.setdefault(axis, {})[part] = values[name]
    return with_grades(answers, given)


def grade_steps(axis: str, part: str = GRADE) -> tuple[str, ...]:
    """Where one part of an axis's grade is in the document (for a JSON path)."""
    return ("grades", axis, part)


def grade_lookup(axis: str, part: str = GRADE) -> str:
    """The ORM lookup of one part of an axis's grade: `Q(**{grade_lookup("practice"): "good"})`."""
    return "answers__" + "__".join(grade_steps(axis, part))


def without_words(answers: Mapping[str, Any]) -> dict[str, Any]:
    """`answers` as the retention purge leaves them: each standard's result and whether it was
    put right, the grades, and the answers the figures count, stay; comments, the reasons for
    grades and answers in words go."""
    result = {key: value for key, value in answers.items() if key != "texts"}
    if "standards" in answers:
        result["standards"] = {
            key: {**part, COMMENT: ""} if part.get(COMMENT) else dict(part)
            for key, part in (answers.get("standards") or {}).items()
        }
    if "grades" in answers:
        result["grades"] = {
            axis: {part: value for part, value in parts.items() if part != RATIONALE}
            for axis, parts in (answers.get("grades") or {}).items()
        }
    return result
