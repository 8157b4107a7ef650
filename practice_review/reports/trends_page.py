"""The trends page as people read it (issue 17): a row per cohort, the charts, and the equity
lens, from the trends the figures module counts (reports/figures.py `trends_for`). Pure Python:
it counts nothing, it only writes the counts as "n of N (p%)" and describes the charts."""

from dataclasses import dataclass
from functools import cached_property

from practice_review.core.numbers import n_of_n, whole_percentage
from practice_review.reports.builder import SMALL_COHORT
from practice_review.reports.charts import TrendChart, TrendLine
from practice_review.reports.figures import PRACTICE, TREND_AXES, pooled_trends
from practice_review.reports.presenters import NOT_GRADED, describe_period
from practice_review.reports.trends import AXIS_WORDS, equity_axes, equity_lens, interval_text

NONE_APPLIED = "Did not apply"
NONE_DUE = "None due yet"
NO_REVIEWS = "No reviews"
GRADES_CHART, STANDARDS_CHART = "grades", "standards"


@dataclass(frozen=True)
class Rate:
    """A figure as the tables write it: "n of N (p%)" (or words saying why there is none) and
    its 95% interval, "a% to b%", where there is one."""

    text: str
    interval: str = ""


def _whole(count, total):
    """A point's label as the table writes its percentage: "n of N (86%)" is "86%"."""
    return f"{whole_percentage(count, total)}%"


def _share(share):
    """An equity lens figure (reports/trends.py Share) as a Rate: a group with no reviews says
    so rather than "0 of 0"."""
    if share.shown and not share.total:
        return Rate(NO_REVIEWS)
    return Rate(str(share), share.interval_text)


@dataclass(frozen=True)
class CohortRow:
    number: int  # oldest first, as the small charts number the cohorts
    name: str
    period: str
    reviews: int
    small: bool
    grades: list  # Rate on each of the page's axes, in order
    outstanding: list  # words on each of the page's axes, in order
    standards: list  # Rate per standard, in the page's order
    alerts: int
    recommendations: str


class TrendsPage:
    """Every cohort of the trends, oldest first, with the charts and the equity lens.

    `trends` as `trends_for` gives them (nothing withheld: the equity lens protects its own
    small counts); `labels` names standards ({("standards", key): words}, core/measures.py
    item_labels); `frameworks` names legal statuses (reviews/queries.py frameworks); `counted`
    says which reviews are counted, above the charts."""

    def __init__(self, trends, labels, frameworks, counted=""):
        # Too many cohorts to draw or read one by one are pooled by the month (or quarter, or
        # year) of their first review; the equity lens sums every cohort either way.
        self.every_cohort = trends
        self.trends, self.pooled_by = pooled_trends(trends, [f.key for f in frameworks])
        self.cohorts_in_range = len(trends["cohorts"])
        self.counted = counted  # which reviews, in words (reports/forms.py TrendFilters)
        self.labels = labels
        self.frameworks = frameworks
        self.small_below = SMALL_COHORT

    @property
    def cohorts(self):
        return self.trends["cohorts"]

    @cached_property
    def axes(self):
        """[(axis, words)] for each grade some cohort in range is graded on."""
        return [(axis, AXIS_WORDS[axis]) for axis in TREND_AXES
                if any(cohort[axis] for cohort in self.cohorts)]  # fmt: skip

    @cached_property
    def standards(self):
        """[(key, words)] for each practice standard that applied in some cohort in range."""
        keys = self.cohorts[0]["standards_met"] if self.cohorts else {}
        return [(key, self.labels.get(("standards", key), key)) for key in keys
                if any(c["standards_met"][key]["applicable"] for c in self.cohorts)]  # fmt: skip

    @cached_property
    def rows(self):
        return [self._row(number, cohort) for number, cohort in enumerate(self.cohorts, 1)]

    def _row(self, number, cohort):
        grades, outstanding = [], []
        for axis, _ in self.axes:
            block = cohort[axis]
            if block is None:
                grades.append(Rate(NOT_GRADED))
                outstanding.append(NOT_GRADED)
                continue
            grades.append(Rate(n_of_n(block["good_or_better"], block["graded"]),
                               interval_text(block["ci95"])))  # fmt: skip
            outstanding.append(n_of_n(block["outstanding"], block["graded"]))
        standards = []
        for key, _ in self.standards:
            met = cohort["standards_met"][key]
            standards.append(Rate(n_of_n(met["met"], met["applicable"])
                                  if met["applicable"] else NONE_APPLIED))  # fmt: skip
        made = cohort["recommendations"]
        return CohortRow(
            number=number,
            name=cohort["name"],
            period=describe_period(cohort["first_review"], cohort["last_review"]),
            reviews=cohort["reviews"],
            small=cohort["reviews"] < SMALL_COHORT,
            grades=grades,
            outstanding=outstanding,
            standards=standards,
            alerts=cohort["alerts"],
            recommendations=(
                n_of_n(made["completed_on_time"], made["due"]) if made["due"] else NONE_DUE
            ),  # fmt: skip
        )

    @cached_property
    def standard_rows(self):
        """[(a standard's words, [Rate in each cohort, oldest first])]: a row reads as the
        standard's panel of the chart does, left to right in time."""
        return [(words, [row.standards[place] for row in self.rows])
                for place, (_, words) in enumerate(self.standards)]  # fmt: skip

    @property
    def any_small(self):
        return any(row.small for row in self.rows)

    @property
    def is_a_trend(self):
        """Two cohorts at least: one is a point, not a direction."""
        return len(self.cohorts) >= 2

    def _chart(self, title, lines, **layout):
        return TrendChart(
            title=title,
            categories=tuple(cohort["name"] for cohort in self.cohorts),
            lines=tuple(lines),
            small=tuple(row.small for row in self.rows),
            small_below=self.small_below,
            counted=self.counted,
            **layout,
        )

    @cached_property
    def grades_chart(self):
        if not (self.is_a_trend and self.axes):
            return None
        lines = []
        for axis, words in self.axes:
            blocks = [cohort[axis] for cohort in self.cohorts]
            lines.append(TrendLine(
                f"{words} good or better",
                values=tuple(block and block["pct"] for block in blocks),
                intervals=tuple(block and tuple(block["ci95"]) for block in blocks),
                labels=tuple(block and _whole(block["good_or_better"], block["graded"])
                             for block in blocks),
            ))  # fmt: skip
        title = " and ".join(words for _, words in self.axes).capitalize() + " good or better"
        return self._chart(title, lines)

    @cached_property
    def standards_chart(self):
        if not (self.is_a_trend and self.standards):
            return None
        lines = []
        for key, words in self.standards:
            met = [cohort["standards_met"][key] for cohort in self.cohorts]
            lines.append(TrendLine(
                words,
                values=tuple(cohort["standards_met_pct"][key] for cohort in self.cohorts),
                labels=tuple(_whole(m["met"], m["applicable"]) if m["applicable"] else None
                             for m in met),
            ))  # fmt: skip
        return self._chart("Practice standards met", lines, columns=3, numbered=True)

    def chart(self, name):
        """The chart a PNG download names, or None when the page draws none."""
        return {GRADES_CHART: self.grades_chart, STANDARDS_CHART: self.standards_chart}.get(name)

    @property
    def equity_left_out(self):
        """A sentence for each axis the page shows but the equity lens does not compare (some
        review in range is not graded on it)."""
        compared = equity_axes(self.every_cohort)
        return [
            f"{words} {'is' if axis == PRACTICE else 'are'} not compared between groups: some "
            f"of these reviews were done on a template that does not grade {words.lower()} good "
            "or better, and they would count as not good or better."
            for axis, words in self.axes
            if axis not in compared
        ]

    @cached_property
    def equity(self):
        """Each dimension's EquityTable (reports/trends.py), with its axes' words and each
        row's shares in the order of its axes: [(table, [words], [(row, [Share])])]."""
        if not self.cohorts:
            return []
        return [
            (table, [AXIS_WORDS[axis] for axis in table.axes],
             [(row, [_share(row.grades[axis]) for axis in table.axes]) for row in table.rows])
            for table in equity_lens(self.every_cohort, self.frameworks)
        ]  # fmt: skip
