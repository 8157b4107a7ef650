"""The trends page's presenter and charts, without a database: trends in (shaped as
reports/figures.py `trends_from_counts` gives them), rows, charts and words out."""

import copy

from practice_review.core.numbers import percentage, wilson_interval
from practice_review.reports.charts import render_png, render_svg
from practice_review.reports.trends_page import NONE_APPLIED, NONE_DUE, NOT_GRADED, TrendsPage

LABELS = {("standards", "seen_alone"): "The child is seen alone where required"}


def axis(good, graded, outstanding=0):
    return {"good_or_better": good, "pct": percentage(good, graded),
            "ci95": list(wilson_interval(good, graded)), "graded": graded,
            "outstanding": outstanding}  # fmt: skip


def cohort(name, reviews, practice, outcome, seen_alone=(0, 0), unused=(0, 0), due=0, on_time=0):
    standards = {"seen_alone": seen_alone, "never_applied": unused}
    return {
        "name": name, "first_review": "2025-01-06", "last_review": "2025-01-31",
        "reviews": reviews, "practice": practice, "outcome": outcome,
        "standards_met_pct": {key: percentage(*pair) for key, pair in standards.items()},
        "standards_met": {key: {"met": met, "applicable": applicable}
                          for key, (met, applicable) in standards.items()},
        "alerts": 1,
        "recommendations": {"made": due, "due": due, "completed_on_time": on_time,
                            "completed_on_time_pct": percentage(on_time, due)},
        "by": {dimension: {} for dimension in ("legal_status", "gender", "age_band", "ethnicity",
                                               "uasc")},
    }  # fmt: skip


TRENDS = {
    "schema": "practice-review/trends/1",
    "from": "2025-01-01",
    "to": "2025-12-31",
    "cohorts": [
        cohort("January", 12, axis(9, 12, 3), None, seen_alone=(4, 5)),
        cohort("February", 25, axis(20, 25, 5), axis(15, 25), seen_alone=(5, 5), due=4,
               on_time=3),
    ],
}  # fmt: skip


def page(trends=TRENDS):
    return TrendsPage(trends, LABELS, frameworks=())


def test_each_cohort_is_a_row_in_the_tables_words_with_its_interval():
    january, february = page().rows
    assert (january.number, january.name, january.reviews) == (1, "January", 12)
    assert january.period == "6 January 2025 to 31 January 2025"
    assert january.grades[0].text == "9 of 12 (75%)"
    assert january.grades[0].interval == "46.8% to 91.1%"  # Wilson for 9 of 12, by hand
    assert january.outstanding[0] == "3 of 12 (25%)"
    assert february.grades[1].text == "15 of 25 (60%)"
    assert february.recommendations == "3 of 4 (75%)"
    assert january.recommendations == NONE_DUE


def test_a_cohort_not_graded_on_an_axis_says_so():
    january = page().rows[0]
    assert [axis for axis, _ in page().axes] == ["practice", "outcome"]
    assert january.grades[1].text == NOT_GRADED and january.grades[1].interval == ""
    assert january.outstanding[1] == NOT_GRADED
    alt = page().grades_chart.alt
    assert "January not counted" in alt


def test_an_axis_no_cohort_is_graded_on_has_no_column_or_panel():
    trends = copy.deepcopy(TRENDS)
    for each in trends["cohorts"]:
        each["outcome"] = None
    assert page(trends).axes == [("practice", "Practice")]
    assert [line.name for line in page(trends).grades_chart.lines] == ["Practice good or better"]
    for each in trends["cohorts"]:
        each["practice"] = None
    assert page(trends).axes == [] and page(trends).grades_chart is None


def test_a_cohort_under_20_reviews_is_small_and_its_point_is_marked():
    assert [row.small for row in page().rows] == [True, False]
    assert page().any_small
    chart = page().grades_chart
    assert chart.small == (True, False)
    assert "Cohorts with fewer than 20 reviews: January." in chart.alt


def test_standards_are_counted_where_they_applied_and_one_that_never_did_is_left_out():
    assert page().standards == [("seen_alone", "The child is seen alone where required")]
    assert [row.standards[0].text for row in page().rows] == ["4 of 5 (80%)", "5 of 5 (100%)"]
    trends = copy.deepcopy(TRENDS)
    trends["cohorts"][0]["standards_met"]["seen_alone"] = {"met": 0, "applicable": 0}
    assert page(trends).rows[0].standards[0].text == NONE_APPLIED


def test_one_cohort_is_not_a_trend_and_draws_no_chart():
    trends = {**TRENDS, "cohorts": TRENDS["cohorts"][:1]}
    assert not page(trends).is_a_trend
    assert page(trends).grades_chart is None and page(trends).standards_chart is None
    assert page(trends).chart("grades") is None
    empty = {**TRENDS, "cohorts": []}
    assert page(empty).rows == [] and page(empty).equity == [] and page(empty).standards == []


def test_the_charts_say_in_words_what_they_draw_as_the_table_writes_it():
    alt = page().grades_chart.alt
    assert alt.startswith("Line chart, Practice and outcomes good or better, in per cent")
    assert "Practice good or better: January 75% (95% interval 46.8% to 91.1%)" in alt
    assert "February 80% (95% interval 60.9% to 91.1%)" in alt
    standards = page().standards_chart
    assert standards.numbered and standards.columns == 3
    assert "The child is seen alone where required: 1. January 80%, 2. February 100%" in (
        standards.alt
    )


def test_the_charts_draw_as_png_and_as_svg_with_their_text_kept_as_text():
    assert render_png(page().grades_chart).startswith(b"\x89PNG\r\n\x1a\n")
    svg = render_svg(page().standards_chart)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "The child is seen alone" in svg
    assert "Fewer than 20 reviews" in render_svg(page().grades_chart)


def test_a_chart_copied_into_slides_says_which_reviews_it_counts():
    counted = "Cohorts whose first review is from 1 January 2025 to 31 December 2025"
    chart = TrendsPage(TRENDS, LABELS, frameworks=(), counted=counted).grades_chart
    assert chart.counted == counted
    svg = render_svg(chart)
    assert "Practice and outcomes good or better. Cohorts whose first review is from" in svg
