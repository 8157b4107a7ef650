"""Presenters turn records and counts into what templates show, so templates hold no logic."""

from practice_review.core import vocabulary as v
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


class CohortSummary:
    def __init__(self, cohort, counts):
        self.cohort = cohort
        counts = counts or {}
        self.reviews = counts.get("reviews", 0)
        self.practice_good_or_better = n_of_n(
            counts.get("practice_good_or_better", 0), self.reviews
        )
        self.outcome_good_or_better = n_of_n(counts.get("outcome_good_or_better", 0), self.reviews)
        self.practice_outstanding = n_of_n(counts.get("practice_outstanding", 0), self.reviews)
        self.outcome_outstanding = n_of_n(counts.get("outcome_outstanding", 0), self.reviews)

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

    @property
    def review_dates(self):
        cohort = self.figures["cohort"]
        return describe_period(cohort["first_review"], cohort["last_review"])

    def _rows(self, counts, vocabulary):
        return [(label, n_of_n(counts[key], self.total)) for key, label in vocabulary]

    def grade_rows(self):
        practice, outcome = self.figures["practice"], self.figures["outcome"]
        return [
            (label, n_of_n(practice[key], self.total), n_of_n(outcome[key], self.total))
            for key, label in v.GRADES
        ] + [
            (
                "Good or better",
                n_of_n(practice["good_or_better"], self.total),
                n_of_n(outcome["good_or_better"], self.total),
            )
        ]

    def headline_rows(self):
        f = self.figures
        return [
            ("Outstanding on both grades", n_of_n(f["both_outstanding"], self.total)),
            (
                "Practice good or better, outcomes not",
                n_of_n(f["practice_good_or_better_outcome_not"], self.total),
            ),
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
