"""The trends as people read them: the CSV of every series, the equity lens over a date range
with its small counts protected, and the sentences that point out a group doing worse. Pure
Python over the figures module's trends (reports/figures.py `trends_for`), which counts
everything (docs/spec/domain.md#trends)."""

from practice_review.core.numbers import wilson_interval
from practice_review.reports.figures import TREND_AXES

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


def interval(count, total):
    """(low, high) percentages, or None: the figures module's Wilson interval, for the page."""
    return wilson_interval(count, total)
