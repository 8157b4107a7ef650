"""Presenters turn records and counts into what templates show, so templates hold no logic."""

from functools import cached_property

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import built_in
from practice_review.core.measures import item_labels
from practice_review.core.numbers import n_of_n
from practice_review.core.text import long_date


def describe_period(start, end):
    """'17 September 2024 to 11 February 2025', or one date, or '' when there is none."""
    if not start:
        return ""
    if not end or end == start:
        return long_date(start)
    return f"{long_date(start)} to {long_date(end)}"


NOT_GRADED = "Not graded on it"
NO_CUT = "No good-or-better cut"
NOT_ON_ITS_SCALE = "Not on its scale"


class CohortSummary:
    def __init__(self, cohort, counts):
        self.cohort = cohort
        counts = counts or {}
        self.reviews = counts.get("reviews", 0)
        # The home page's columns are the built-in template's: a cohort whose template has no
        # such axis, no good-or-better cut on it, or no "outstanding" says so instead.
        axes = {axis.key: axis for axis in cohort.template.template.grades}
        for name, key, needs in (("practice_good_or_better", "practice", "cut"),
                                 ("outcome_good_or_better", "outcome", "cut"),
                                 ("practice_outstanding", "practice", "outstanding")):  # fmt: skip
            axis = axes.get(key)
            if axis is None:
                shown = NOT_GRADED
            elif needs == "cut" and not axis.good_or_better_keys:
                shown = NO_CUT
            elif needs == "outstanding" and axis.levels[0].key != "outstanding":
                shown = NOT_ON_ITS_SCALE
            else:
                shown = n_of_n(counts.get(name) or 0, self.reviews)
            setattr(self, name, shown)

    @property
    def period(self):
        return describe_period(self.cohort.period_start, self.cohort.period_end)


class FiguresPresenter:
    """The cohort page's tables, from the figures module's JSON object."""

    def __init__(self, figures, frameworks=v.BUILT_IN_FRAMEWORKS, templates=()):
        self.figures = figures
        self.total = figures["cohort"]["reviews"]
        self.frameworks = frameworks  # the council's (reviews/queries.py), to name them
        # The template versions counted (core/audit_templates.py), to name their standards.
        self.labels = item_labels(templates)
        # The grade axes the figures count, in the first version's words (built-in's if none).
        first = templates[0] if templates else built_in()
        self.axes = [axis for axis in first.grades if axis.key in figures]

    @property
    def review_dates(self):
        cohort = self.figures["cohort"]
        return describe_period(cohort["first_review"], cohort["last_review"])

    def _rows(self, counts, vocabulary):
        return [(label, n_of_n(counts[key], self.total)) for key, label in vocabulary]

    @cached_property
    def grade_tables(self):
        """The grades as tables: axes graded on the same scale side by side, a row for each
        level then good or better. [{"axes": [axis words], "rows": [(level words, [n of N])]}]."""
        tables = []
        for axis in self.axes:
            cells = self.figures[axis.key]
            levels = [(level.key, level.label) for level in axis.levels]
            if tables and tables[-1]["levels"] == levels:
                table = tables[-1]
            else:
                table = {"levels": levels, "axes": [], "columns": []}
                tables.append(table)
            table["axes"].append(axis.label)
            table["columns"].append(cells)
        for table in tables:
            table["rows"] = [
                (label, [n_of_n(cells[key], self.total) for cells in table["columns"]])
                for key, label in table["levels"]
            ] + [
                ("Good or better", [
                    n_of_n(cells["good_or_better"], self.total)
                    if cells["good_or_better"] is not None else "No cut"
                    for cells in table["columns"]
                ])
            ]  # fmt: skip
        return tables

    def headline_rows(self):
        f = self.figures
        across = []  # on a template that grades practice and outcome (figures.py)
        if f["both_outstanding"] is not None:
            across.append(("Outstanding on both grades", n_of_n(f["both_outstanding"], self.total)))
        if f["practice_good_or_better_outcome_not"] is not None:
            gap = n_of_n(f["practice_good_or_better_outcome_not"], self.total)
            across.append(("Practice good or better, outcomes not", gap))
        return across + [
            ("Reviews by independent reviewers", n_of_n(f["reviewers"]["independent"], self.total)),
            ("Reviews by internal reviewers", n_of_n(f["reviewers"]["internal"], self.total)),
            ("Alerts raised", str(f["alerts"])),
        ]

    def gender_rows(self):
        return self._rows(self.figures["gender"], v.GENDERS)

    def age_rows(self):
        age = self.figures["age"]
        return [
            ("Under 18", n_of_n(age["under_18"], self.total)),
            ("Aged 18 or over", n_of_n(age["aged_18_or_over"], self.total)),
            ("Aged 21 or over", n_of_n(age["aged_21_or_over"], self.total)),
        ]

    def legal_status_rows(self):
        return [
            (v.framework_label(key, self.frameworks), n_of_n(count, self.total))
            for key, count in self.figures["legal_status"].items()
        ]

    def standard_rows(self):
        standards = self.figures["practice_standards"]
        return [
            (
                label,
                n_of_n(standards[key]["met"], self.total),
                n_of_n(standards[key]["not_met"], self.total),
                n_of_n(standards[key]["not_applicable"], self.total),
            )
            for key, label in [
                (key, self.labels.get(("standards", key), key)) for key in standards
            ]  # fmt: skip
        ]
