"""Audit templates as the QA lead's pages show them: templates hold no logic."""

from dataclasses import dataclass
from itertools import groupby

from practice_review.core.audit_templates import BUILT_IN_KEY, ILACS
from practice_review.reviews.template_editing import revision

QUESTION_TYPES = {
    "yes_no": "Yes or no",
    "choice": "A choice from a list",
    "number": "A number",
    "text": "Words",
}


@dataclass(frozen=True)
class KeyRow:
    key: str
    name: str  # the latest version's
    built_in: bool
    versions: list


def template_list_rows(rows):
    """The versions of each template key, newest first, under the latest version's name."""
    listed = []
    for key, versions in groupby(rows, key=lambda row: row.key):
        newest_first = sorted(versions, key=lambda row: -row.version)
        listed.append(KeyRow(key, newest_first[0].name, key == BUILT_IN_KEY, newest_first))
    return listed


class TemplatePresenter:
    """One version: its parts as summary rows, and what the QA lead may do with it."""

    def __init__(self, row):
        self.row = row
        self.template = row.template
        self.draft = not row.is_published
        self.built_in = row.key == BUILT_IN_KEY
        self.revision = revision(row.definition)

    @property
    def grades(self):
        return [
            {
                "axis": axis,
                "scale": "Ofsted ILACS grades" if axis.scale == ILACS else "Levels of its own",
                "good_or_better": next(
                    (level.label for level in axis.levels if level.key == axis.good_or_better),
                    "",
                ),
            }
            for axis in self.template.grades
        ]

    @property
    def lists(self):
        """(part, title, items) for the standards, themes and questions, as their tables
        show them."""
        t = self.template
        standards = [{"key": s.key, "label": s.label, "help": s.help} for s in t.standards]
        themes = [{"key": theme.key, "label": theme.label} for theme in t.themes]
        questions = [
            {"key": q.key, "label": q.label, "choices": q.choices, "required": q.required,
             "type_words": QUESTION_TYPES.get(q.type, q.type)}
            for q in t.questions
        ]  # fmt: skip
        return [
            ("standards", "Standards", standards),
            ("themes", "Themes", themes),
            ("questions", "Questions", questions),
        ]
