"""The measures a sentence can name, and the words that name them: the figure check's lexicon.

It lives beside the vocabulary because it is the vocabulary as people write it: "care leavers",
"young men", "seen alone". A new figure brings its words with it here, and the figure check
(reports/figure_check.py) can then tie a typed number to it. Pure data and a lookup; no Django.

A measure is a path into a figures block (docs/spec/interchange.md#report-figures) and the
words a problem uses for it. Phrases are lower-case word sequences; the longest phrase starting
at a word wins, so "practice standards" is not the practice grade, "requires improvement" is
not an improvement and "overdue recommendations" is not a standard that was overdue (not met).

Most measures count reviews, so "n of N" and a percentage are out of the reviews. A measure with
a `base` counts something else, out of the count at that path: overdue recommendations out of
the recommendations made.

The legal or practice frameworks are the council's (reference data): the built-in five keep
the words below, and a council's own framework is named by its label and synonyms, given to
`lexicon()` with the council's list. So are an audit template's standards and questions: the
built-in template's standards keep the words below, and another template's items are named by
their labels ("A Graded Care Profile 2 was completed" is that standard met), given to
`lexicon()` with the templates of the counted reviews.
"""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import BUILT_IN_KEY, AuditTemplate, built_in


@dataclass(frozen=True)
class Measure:
    path: tuple[str, ...]  # where the count is in a figures block
    label: str  # how a problem names it: "outcomes good or better"
    # For a standard met or not met, "every" and "most" are shares of the reviews where it
    # applied, not of all reviews.
    applicable: tuple[str, ...] | None = None
    # Where the count is not of reviews: the path of what it is out of, for "n of N", the
    # percentage and every share ("2 of 9 recommendations were overdue").
    base: tuple[str, ...] | None = None


# Kinds of words. A number is tied to a MEASURE directly; an AXIS and a GRADE together make one
# (and a GRADE alone, with the axis from the sentence or the paragraph); a STANDARD and a RESULT
# together make one.
MEASURE, AXIS, GRADE, STANDARD, RESULT, DIRECTION, IGNORE, NOUN = (
    "measure", "axis", "grade", "standard", "result", "direction", "ignore", "noun",
)  # fmt: skip

_GRADE_WORDS = {
    "outstanding": ["outstanding"],
    "good": ["good"],
    "requires_improvement": [
        "requires improvement", "requires improvement to be good", "required improvement",
        "requiring improvement", "require improvement",
    ],
    "inadequate": ["inadequate"],
    "good_or_better": [
        "good or better", "good or above", "good or outstanding", "outstanding or good",
        "at least good", "good and above", "good or higher",
    ],
}  # fmt: skip
_AXIS_WORDS = {
    "practice": ["practice", "social work practice", "the practice"],
    "outcome": ["outcome", "outcomes", "outcomes for children", "outcomes for the child",
                "outcomes for children and young people", "impact"],
}  # fmt: skip
_STANDARD_WORDS = {
    "basic_details": ["basic details"],
    "visits_in_timescale": ["visits", "visit", "visits in timescale", "statutory visits"],
    "seen_alone": ["seen alone", "seen on their own"],
    "recording_up_to_date": ["recording", "recording up to date", "case recording"],
    "supervision_frequency": ["supervision"],
    "management_oversight": ["management oversight", "oversight"],
    "chronology_current": ["chronology", "chronologies", "up-to-date chronology"],
    "legal_documents": ["legal documents", "key legal documents", "legal documentation"],
}
_RESULT_WORDS = {
    "met": ["met", "was met", "were met", "up to date", "in place", "on file", "in timescale",
            "within timescales", "in timescales"],
    "not_met": ["not met", "was not met", "were not met", "out of date", "not up to date",
                "missing", "not in place", "not on file", "overdue"],
    "not_applicable": ["not applicable", "n/a", "did not apply"],
}  # fmt: skip
_MEASURE_WORDS: dict[tuple[str, ...], list[str]] = {
    ("reviewers", "independent"): ["independent", "independent reviewer", "independent reviewers",
                                   "aidhour", "the independent reviewer"],
    ("reviewers", "internal"): ["internal", "internal reviewer", "internal reviewers",
                                "council staff", "internal staff"],
    ("gender", "male"): ["male", "boys", "boy", "young men", "young man", "identified as male"],
    ("gender", "female"): ["female", "girls", "girl", "young women", "young woman",
                           "identified as female"],
    ("age", "under_18"): ["under 18", "under eighteen", "aged under 18", "younger than 18",
                          "aged 17 or under", "aged 17 and under"],
    ("age", "aged_18_or_over"): ["aged 18 or over", "18 or over", "18 and over", "18 or older",
                                 "aged 18 and over", "adults"],
    ("age", "aged_21_or_over"): ["aged 21 or over", "21 or over", "21 and over", "21 or older",
                                 "aged 21 and over"],
    ("legal_status", "early_help"): ["early help"],
    ("legal_status", "child_in_need"): ["child in need", "children in need", "cin"],
    ("legal_status", "child_protection"): ["child protection", "on a child protection plan",
                                           "cp"],
    ("legal_status", "looked_after"): ["looked after", "in care", "child in care",
                                       "children in care", "cla", "lac", "looked-after"],
    ("legal_status", "care_leaver"): ["care leaver", "care leavers", "care experienced",
                                      "care-experienced", "leaving care"],
    ("uasc",): ["uasc", "unaccompanied", "unaccompanied asylum seeking",
                "unaccompanied asylum-seeking", "asylum seeking", "asylum-seeking"],
    ("alerts",): ["alert", "alerts"],
    ("both_outstanding",): ["outstanding on both", "outstanding for both",
                            "outstanding gradings both", "both outstanding",
                            "outstanding in both", "outstanding both"],
    ("practice_good_or_better_outcome_not",): [
        "practice outcome gap", "practice/outcome gap", "gap between practice and outcomes",
        "practice good or better outcomes not", "practice was good but outcomes were not",
        "good practice but outcomes that required improvement",
    ],
    ("moderated",): ["moderated"],
    # Each phrase holds its verb ("were overdue"): "overdue" alone is a standard not met.
    ("recommendations", "overdue"): [
        "overdue recommendations", "overdue recommendation", "recommendations overdue",
        "recommendation overdue", "recommendations were overdue",
        "recommendations are overdue", "recommendation was overdue",
        "recommendation is overdue", "recommendations for children overdue",
        "recommendations for children were overdue", "recommendations for children are overdue",
        "overdue recommendations for children", "recommendations that were overdue",
        "recommendations that are overdue",
    ],
}  # fmt: skip
_NOUN_WORDS = {
    "reviews": ["reviews", "review", "cases", "case files", "files", "audits",
                "practice and impact reviews"],
    "children": ["children", "young people", "children and young people", "child",
                 "young person", "families"],
}  # fmt: skip
_DIRECTION_WORDS = {
    "up": ["improved", "improvement on", "an improvement on", "rose", "risen", "increased",
           "an increase on", "up from", "higher than", "better than", "more than in",
           "improving", "increase from", "a rise"],
    "down": ["fell", "fallen", "declined", "a decline", "decreased", "dropped", "down from",
             "lower than", "worse than", "a fall", "a drop", "deteriorated", "fewer than in"],
    "same": ["the same as", "unchanged", "no change", "remained the same", "stayed the same",
             "remained at", "stayed at"],
}  # fmt: skip
# Words that look like a measure but are not one in the sentences of a report.
_IGNORE_WORDS = [
    "practice standard", "practice standards", "practice week", "practice assurance",
    "practice and impact", "good practice guidance", "areas for improvement",
    "area for improvement", "improvements in practice", "for improvement", "impact review",
    "impact reviews", "practice and impact review", "in care proceedings",
    "independent reviewing officer", "independent reviewing officers", "independent review",
    "independent reviews", "independent child trafficking guardian",
]  # fmt: skip

# The words a problem uses for each measure, from the vocabulary's labels.
_GRADE_LABEL = dict(v.GRADES) | {
    "good_or_better": "Good or better",
    "requires_improvement": "requires improvement",
}
_AXIS_LABEL = {"practice": "practice", "outcome": "outcomes"}
# The standards' labels are sentences; a problem names each by its short name.
_STANDARD_LABEL = {
    "basic_details": "basic details up to date",
    "visits_in_timescale": "visits in timescale",
    "seen_alone": "child seen alone",
    "recording_up_to_date": "recording up to date",
    "supervision_frequency": "supervision at the expected frequency",
    "management_oversight": "management oversight",
    "chronology_current": "chronology up to date",
    "legal_documents": "legal documents on file",
}
_RESULT_LABEL = {key: label.lower() for key, label in v.STANDARD_RESULTS}
_MEASURE_LABEL = {
    ("reviewers", "independent"): "reviews by independent reviewers",
    ("reviewers", "internal"): "reviews by internal reviewers",
    ("uasc",): "unaccompanied asylum-seeking children",
    ("alerts",): "alerts",
    ("both_outstanding",): "outstanding on both grades",
    ("practice_good_or_better_outcome_not",): "practice good or better, outcomes not",
    ("moderated",): "reviews moderated",
    ("recommendations", "overdue"): "recommendations for children overdue",
    ("age", "under_18"): "under 18",
    ("age", "aged_18_or_over"): "aged 18 or over",
    ("age", "aged_21_or_over"): "aged 21 or over",
    ("legal_status", "early_help"): "early help",
    ("legal_status", "child_in_need"): "children in need",
    ("legal_status", "child_protection"): "child protection",
    ("legal_status", "looked_after"): "children in care (looked after)",
    ("legal_status", "care_leaver"): "care leavers",
} | {("gender", key): label.lower() for key, label in v.GENDERS}


def grade_measure(axis: str, grade: str) -> Measure:
    """A grade on an axis; a template's own axis or level is named by its key's words."""
    axis_words = _AXIS_LABEL.get(axis, axis.replace("_", " "))
    grade_words = _GRADE_LABEL.get(grade, grade.replace("_", " "))
    return Measure((axis, grade), f"{axis_words} {grade_words.lower()}")


def standard_measure(standard: str, result: str) -> Measure:
    applicable = None
    if result in ("met", "not_met"):
        applicable = ("practice_standards", standard)
    return Measure(
        ("practice_standards", standard, result),
        f"{_STANDARD_LABEL.get(standard, standard)} ({_RESULT_LABEL[result]})",
        applicable,
    )


# {measure's path: the path of the count it is out of}, for measures that do not count reviews.
_MEASURE_BASE: dict[tuple[str, ...], tuple[str, ...]] = {
    ("recommendations", "overdue"): ("recommendations", "made")
}


def named_measure(path: tuple[str, ...]) -> Measure:
    label = _MEASURE_LABEL.get(path, " ".join(path[-1:]).replace("_", " "))
    return Measure(path, label, base=_MEASURE_BASE.get(path))


REVIEWS = Measure(("cohort", "reviews"), "completed reviews")
CHILDREN = Measure(("distinct_children",), "children reviewed")


Table = dict[str, list[tuple[tuple[str, ...], str, object]]]


def _lexicon(extra: Iterable[tuple[str, str, object]] = ()) -> Table:
    """{first word: [(words, kind, key)]}, longest phrase first; `extra` (phrase, kind, key)
    come after the built-in words, which win a tie."""
    entries: list[tuple[str, str, object]] = []
    for grade, phrases in _GRADE_WORDS.items():
        entries += [(phrase, GRADE, grade) for phrase in phrases]
    for axis, phrases in _AXIS_WORDS.items():
        entries += [(phrase, AXIS, axis) for phrase in phrases]
    for standard, phrases in _STANDARD_WORDS.items():
        entries += [(phrase, STANDARD, standard) for phrase in phrases]
    for result, phrases in _RESULT_WORDS.items():
        entries += [(phrase, RESULT, result) for phrase in phrases]
    for path, phrases in _MEASURE_WORDS.items():
        entries += [(phrase, MEASURE, path) for phrase in phrases]
    for noun, phrases in _NOUN_WORDS.items():
        entries += [(phrase, NOUN, noun) for phrase in phrases]
    for direction, phrases in _DIRECTION_WORDS.items():
        entries += [(phrase, DIRECTION, direction) for phrase in phrases]
    entries += [(phrase, IGNORE, None) for phrase in _IGNORE_WORDS]
    entries += extra
    table: Table = {}
    for phrase, kind, key in entries:
        words = tuple(words_of(phrase))
        table.setdefault(words[0], []).append((words, kind, key))
    for entries_for_word in table.values():
        entries_for_word.sort(key=lambda entry: -len(entry[0]))  # stable: a tie keeps its order
    return table


def words_of(phrase: str) -> list[str]:
    """A phrase as the lexicon compares it: lower case, split on spaces, slashes and hyphens."""
    return phrase.lower().replace("/", " / ").replace("-", " ").split()


LEXICON = _lexicon()
LONGEST_PHRASE = max(len(words) for phrases in LEXICON.values() for words, _, _ in phrases)


@dataclass(frozen=True)
class Lexicon:
    """The words the figure check knows, with the council's frameworks among them."""

    table: Table
    labels: dict[tuple[str, ...], str] = field(default_factory=dict)

    def named_measure(self, path: tuple[str, ...]) -> Measure:
        if path[0] == "practice_standards":
            # A template's standard named by its label: "every" and "most" are shares of the
            # reviews where it applied, as for the built-in standards' words.
            measure = standard_measure(path[1], path[2])
            return Measure(path, self.labels.get(path, measure.label), measure.applicable)
        measure = named_measure(path)
        if path in self.labels:
            return Measure(path, self.labels[path], base=measure.base)
        return measure


def short_label(label: str) -> str:
    """A standard's or question's label as a sentence names it: without what it adds in
    brackets or its question mark ("Health needs are followed up (dental, ...)")."""
    return label.split(" (")[0].rstrip(" ?")


def axis_levels(labels: dict[tuple[str, ...], str]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """[(axis key, axis words, [(level key, level words)])] from item_labels(), in order: the
    built-in template's two when the labels name none."""
    axes = [(path[1], label) for path, label in labels.items()
            if path[0] == "grades" and len(path) == 2]  # fmt: skip
    if not axes:
        return [(axis.key, axis.label, [(lv.key, lv.label) for lv in axis.levels])
                for axis in built_in().grades]  # fmt: skip
    return [
        (key, label, [(path[2], words) for path, words in labels.items()
                      if path[:2] == ("grades", key) and len(path) == 3])
        for key, label in axes
    ]  # fmt: skip


def item_labels(templates: Iterable[AuditTemplate]) -> dict[tuple[str, ...], str]:
    """{path: label} for the grade axes, standards and questions of `templates` (the first to
    name a key wins): ("grades", axis key), ("grades", axis key, level key), ("standards",
    key), ("questions", key) and ("questions", key, choice key). The built-in template's
    standards are named as the vocabulary names them."""
    labels: dict[tuple[str, ...], str] = {
        ("standards", key): label for key, label in v.PRACTICE_STANDARDS
    }
    for template in templates:
        for axis in template.grades:
            labels.setdefault(("grades", axis.key), axis.label)
            for level in axis.levels:
                labels.setdefault(("grades", axis.key, level.key), level.label)
        for standard in template.standards:
            labels.setdefault(("standards", standard.key), standard.label)
        for question in template.questions:
            labels.setdefault(("questions", question.key), question.label)
            for choice, label in question.choices:
                labels.setdefault(("questions", question.key, choice), label)
    return labels


_PHRASE_WORDS = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?")
_ARTICLES = ("a", "an", "the")


def _label_phrases(label: str) -> list[str]:
    """The phrases a label gives, as the figure check reads a sentence (claims.py's words):
    the short label, and without its article ("Graded Care Profile 2 was completed")."""
    words = _PHRASE_WORDS.findall(short_label(label).lower())
    phrases = [words]
    if len(words) > 2 and words[0] in _ARTICLES:
        phrases.append(words[1:])
    # One word is too common to stand for a measure ("Low"), and a phrase that is only numbers
    # would read as a figure.
    return [" ".join(p) for p in phrases if len(p) >= 2 and not all(w[0].isdigit() for w in p)]


def _template_entries(
    templates: Iterable[AuditTemplate],
) -> list[tuple[str, str, tuple[str, ...]]]:
    """(phrase, MEASURE, path) for the standards and questions of the templates other than the
    built-in (whose standards have their words above): a standard's label is the standard met;
    a yes or no question's, answered yes; a choice's label, that choice; a number's or words'
    question, answered."""
    entries: list[tuple[str, str, tuple[str, ...]]] = []
    for template in templates:
        if template.key == BUILT_IN_KEY:
            continue
        for standard in template.standards:
            path = ("practice_standards", standard.key, "met")
            entries += [(phrase, MEASURE, path) for phrase in _label_phrases(standard.label)]
        for question in template.questions:
            named = {"yes_no": "yes", "number": "answered", "text": "answered"}.get(question.type)
            if named:
                path = ("questions", question.key, named)
                entries += [(phrase, MEASURE, path) for phrase in _label_phrases(question.label)]
            for choice, label in question.choices:
                path = ("questions", question.key, choice)
                entries += [(phrase, MEASURE, path) for phrase in _label_phrases(label)]
    return entries


def _grade_entries(templates: Iterable[AuditTemplate]) -> list[tuple[str, str, str]]:
    """(phrase, AXIS, axis key) and (phrase, GRADE, level key) for the grade axes and levels
    of the templates that the built-in words above do not already name: an axis by its label,
    a level of a scale of a template's own by its words."""
    entries: list[tuple[str, str, str]] = []
    for template in templates:
        for axis in template.grades:
            if axis.key not in _AXIS_WORDS:
                entries += [(phrase, AXIS, axis.key) for phrase in _label_phrases(axis.label)]
            for level in axis.levels:
                if level.key not in _GRADE_WORDS and words_of(level.label):
                    entries.append((level.label.lower(), GRADE, level.key))
    return entries


@functools.lru_cache(maxsize=8)  # the council's list and the templates in use change rarely
def lexicon(
    frameworks: tuple[v.FrameworkTerms, ...] = v.BUILT_IN_FRAMEWORKS,
    templates: tuple[AuditTemplate, ...] = (),
) -> Lexicon:
    """The lexicon for a council's frameworks and the counted reviews' templates: a framework
    that is not one of the built-in five is named by its label and synonyms (active or not: a
    past cohort still counts it); a template's standards and questions by their labels."""
    own = [framework for framework in frameworks if framework.key not in v.BUILT_IN_KEYS]
    extra = [
        (phrase, MEASURE, ("legal_status", framework.key))
        for framework in own
        for phrase in (framework.label, *framework.synonyms)
        if words_of(phrase)
    ]
    items = _template_entries(templates)
    grades = _grade_entries(templates)
    table = _lexicon([*extra, *items, *grades]) if extra or items or grades else LEXICON
    labels: dict[tuple[str, ...], str] = {
        ("legal_status", framework.key): framework.label.lower() for framework in own
    }
    named = item_labels(templates)
    for _phrase, _kind, path in items:
        where = "standards" if path[0] == "practice_standards" else "questions"
        label = short_label(named.get((where, *path[1:-1])) or str(path[1]))
        labels[path] = f"{label} ({path[-1].replace('_', ' ')})"
    return Lexicon(table, labels)
