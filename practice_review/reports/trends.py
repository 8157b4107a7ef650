"""The trends as people read them: the CSV of every series, the equity lens over a date range
with its small counts protected, and the sentences that point out a group doing worse. Pure
Python over the figures module's trends (reports/figures.py `trends_for`), which counts
everything (docs/spec/domain.md#trends)."""

from dataclasses import dataclass

from practice_review.core import vocabulary as v
from practice_review.core.numbers import n_of_n, whole_percentage, wilson_interval
from practice_review.reports.disclosure import NOT_SHOWN, Hidden, protect_column, small
from practice_review.reports.figures import OUTCOME, PRACTICE, TREND_AXES

AXIS_WORDS = {PRACTICE: "Practice", OUTCOME: "Outcomes"}
# Each axis as the subject of a sentence: "practice" is singular, "outcomes" plural.
AXIS_WAS = {PRACTICE: "Practice was", OUTCOME: "Outcomes were"}

CSV_HEADER = ("cohort", "first_review", "last_review", "series", "group", "measure",
              "count", "out_of", "pct", "ci95_low", "ci95_high")  # fmt: skip


def _cell(value):
    return "" if value is None else value


def csv_rows(trends):
    """One row per figure of every cohort, as `CSV_HEADER` names them: a long table a
    spreadsheet can pivot. `trends` as `trends_json` gives them (small groups already null)."""
    for cohort in trends["cohorts"]:
        lead = (cohort["name"], cohort["first_review"], cohort["last_review"])

        def row(series, group, measure, count, out_of=None, pct=None, ci95=None, lead=lead):
            low, high = ci95 or (None, None)
            return tuple(_cell(cell) for cell in (*lead, series, group, measure, count, out_of,
                                                   pct, low, high))  # fmt: skip

        yield row("all", "", "reviews", cohort["reviews"])
        for axis in TREND_AXES:
            block = cohort[axis]
            if block is None:
                continue
            yield row("all", "", f"{axis}_good_or_better", block["good_or_better"],
                      block["graded"], block["pct"], block["ci95"])  # fmt: skip
            yield row("all", "", f"{axis}_outstanding", block["outstanding"], block["graded"])
        for key, met in cohort["standards_met"].items():
            yield row("standards", key, "met", met["met"], met["applicable"],
                      cohort["standards_met_pct"][key])  # fmt: skip
        yield row("all", "", "alerts", cohort["alerts"])
        made = cohort["recommendations"]
        yield row("all", "", "recommendations_made", made["made"])
        yield row("all", "", "recommendations_completed_on_time", made["completed_on_time"],
                  made["due"], made["completed_on_time_pct"])  # fmt: skip
        for dimension, groups in cohort["by"].items():
            for group, counts in groups.items():
                yield row(dimension, group, "reviews", counts["reviews"])
                for axis in TREND_AXES:
                    yield row(dimension, group, f"{axis}_good_or_better",
                              counts[f"{axis}_good_or_better"], counts["reviews"])  # fmt: skip


def interval_text(ci95):
    """A 95% interval as the page and its sentences write it: "38.2% to 53.4%" (each end to
    one decimal, as the JSON gives it), or "" for none."""
    return f"{ci95[0]:.1f}% to {ci95[1]:.1f}%" if ci95 else ""


@dataclass(frozen=True)
class Share:
    """One figure as the page writes it: "n of N (p%)" with its 95% interval, or a hidden
    count's label (core/numbers.py n_of_n; reports/disclosure.py)."""

    count: int | Hidden
    total: int | Hidden

    @property
    def shown(self):
        return isinstance(self.count, int) and isinstance(self.total, int)

    @property
    def interval(self):
        return wilson_interval(self.count, self.total) if self.shown else None

    def __str__(self):
        if not self.shown:
            return str(self.count if isinstance(self.count, Hidden) else NOT_SHOWN)
        return n_of_n(self.count, self.total)

    @property
    def interval_text(self):
        return interval_text(self.interval)


@dataclass(frozen=True)
class GroupRow:
    key: str
    label: str
    reviews: int | Hidden
    grades: dict  # axis -> Share


@dataclass(frozen=True)
class EquityTable:
    """One dimension over the date range: each group's reviews and good-or-better figures with
    small counts protected, and the sentences pointing out a group below the rest."""

    dimension: str
    label: str
    rows: list
    axes: tuple
    findings: list
    withholds: bool


def _labels(dimension, frameworks):
    """{group key: words} for a dimension; an ethnicity is its words as recorded."""
    labels = {v.NOT_RECORDED: "Not recorded"}
    if dimension == "legal_status":
        labels |= {framework.key: framework.label for framework in frameworks}
    elif dimension == "gender":
        labels |= dict(v.GENDERS)
    elif dimension == "age_band":
        labels |= {key: words for key, words, *_ in v.TREND_AGE_BANDS}
    elif dimension == "uasc":
        labels |= dict(v.UASC_GROUPS)
    return labels


def range_totals(trends, dimension):
    """{group: {"reviews": n, "<axis>_good_or_better": n}} summed over every cohort of the
    range, nothing withheld (`trends` as `trends_for` gives them). Groups in the order the
    cohorts list them, but ethnicities, which each cohort lists as it found them, in
    alphabetical order with not recorded last."""
    totals = {}
    for cohort in trends["cohorts"]:
        for group, counts in cohort["by"][dimension].items():
            into = totals.setdefault(group, dict.fromkeys(counts, 0))
            for key, count in counts.items():
                into[key] += count or 0  # None: an axis the cohort's versions do not grade
    if dimension == "ethnicity":
        order = sorted(totals, key=lambda group: (group == v.NOT_RECORDED, group.casefold()))
        totals = {group: totals[group] for group in order}
    return totals


def equity_axes(trends):
    """The trend axes the equity lens compares groups on: those every review in range is
    graded on. A group's good or better is counted of its reviews, so a review whose template
    does not grade an axis would count as not good or better there."""
    cohorts = trends["cohorts"]

    def every_review_graded(axis):
        return all(c[axis] and c[axis]["graded"] == c["reviews"] for c in cohorts)

    return tuple(axis for axis in TREND_AXES if cohorts and every_review_graded(axis))


def equity_lens(trends, frameworks):
    """One EquityTable per dimension (core/vocabulary.py EQUITY_DIMENSIONS) over the whole
    range of `trends` (as `trends_for` gives them), with the wider edition's protection:
    reviews of 1 or 2 hidden, and company for hidden counts (protect_column); a group's good or
    better hidden with its reviews, or when it or the rest of the group's reviews are 1 or 2."""
    axes = equity_axes(trends)
    tables = []
    for dimension, dimension_label in v.EQUITY_DIMENSIONS:
        totals = range_totals(trends, dimension)
        labels = _labels(dimension, frameworks)
        reviews = protect_column({group: counts["reviews"] for group, counts in totals.items()})
        shown = {}
        for axis in axes:
            name = f"{axis}_good_or_better"
            forced = [group for group, counts in totals.items()
                      if not isinstance(reviews[group], int)
                      or small(counts["reviews"] - counts[name])]  # fmt: skip
            shown[axis] = protect_column(
                {group: counts[name] for group, counts in totals.items()}, forced
            )
        rows = [
            GroupRow(group, labels.get(group, group), reviews[group],
                     {axis: Share(shown[axis][group], reviews[group]) for axis in axes})
            for group in totals
        ]  # fmt: skip
        tables.append(EquityTable(
            dimension, dimension_label, rows, axes,
            findings=[sentence for axis in axes
                      for sentence in _below_the_rest(rows, totals, axis, dimension_label)],
            withholds=any(isinstance(row.reviews, Hidden) or any(
                not share.shown for share in row.grades.values()) for row in rows),
        ))  # fmt: skip
    return tables


def _below_the_rest(rows, totals, axis, dimension_label):
    """Sentences naming each group whose good-or-better rate on `axis` is below that of every
    other review in the range with 95% intervals that do not overlap. Only a group whose
    figures are shown is named: the sentence must not give away what the table withholds."""
    name = f"{axis}_good_or_better"
    all_reviews = sum(counts["reviews"] for counts in totals.values())
    all_good = sum(counts[name] for counts in totals.values())
    sentences = []
    for row in rows:
        share = row.grades[axis]
        rest = Share(all_good - totals[row.key][name], all_reviews - totals[row.key]["reviews"])
        if not share.shown or not share.total or not rest.total:
            continue
        if share.interval[1] < rest.interval[0]:
            sentences.append(
                f"{AXIS_WAS[axis]} good or better in {share} reviews in the group "
                f"\u201c{row.label}\u201d ({dimension_label.lower()}; 95% interval "
                f"{share.interval_text}), below the other reviews in these cohorts: "
                f"{rest.count} of {rest.total} ({whole_percentage(rest.count, rest.total)}%; "
                f"95% interval {rest.interval_text}). The intervals do not overlap, so the "
                "difference is unlikely to be chance alone."
            )
    return sentences
