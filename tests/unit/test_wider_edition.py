"""The version for wider circulation reads as a finished document: no holes in sentences, no
cell that only says "not shown", no chart drawn without its bars. Pure: no database."""

import json
from pathlib import Path

from practice_review.reports.builder import ReportData, build_report
from practice_review.reports.disclosure import NOT_SHOWN, WITHHELD_NOTE
from practice_review.reports.narrative import plain_text

FIGURES = json.loads((Path(__file__).parent / "data" / "seed-figures.json").read_text())
DATA = ReportData(cohort_rows=[], gap_cases=[], findings={}, put_right={"basic_details": 1})


def everything(section):
    """Every word a reader sees in a section: narrative, paragraphs, tables, chart labels."""
    parts = [section.title, plain_text(section.narrative), *section.paragraphs, *section.bullets]
    for table in section.tables:
        parts += [table.caption, *table.header, *(str(c) for row in table.rows for c in row)]
    for chart in section.charts:
        parts += [chart.title, chart.alt, *map(str, chart.categories)]
        parts += [str(value) for _, values in chart.series for value in values]
    return "\n".join(parts + [everything(sub) for sub in section.subsections])


def wider(figures=FIGURES):
    report = build_report(council="A Council", figures=figures, data=DATA, audience="wider")
    return "\n".join(everything(section) for section in report.sections), report


def test_the_wider_edition_never_says_not_shown_and_rewords_small_counts():
    text, _ = wider()
    assert "not shown" not in text.lower()
    assert "[" + "not" not in text
    # The default narrative: small counts reworded, a withheld count's sentence left out.
    assert "Fewer than 3 of 10 related to those identified as female" in text
    assert "identified as male" not in text  # withheld: it would give the small one away
    assert "Social work practice was good or better in 10 of 10 (100%) reviews." in text
    assert "Outcomes for the child were good or better" not in text  # withheld: 2 are not


def test_a_withheld_cell_reads_c_and_the_tables_say_what_it_means():
    text, report = wider()
    gradings = report.sections[2]
    cells = [cell for table in gradings.tables for row in table.rows for cell in row[1:]]
    assert str(NOT_SHOWN) == "[c]" and "[c]" in cells
    assert f"In the tables below, {WITHHELD_NOTE}" in gradings.paragraphs
    assert all(cell.strip() not in ("", "not shown") for cell in cells)


def test_a_chart_with_a_withheld_value_is_left_out_with_a_sentence_saying_so():
    _, report = wider()
    gradings = report.sections[2]
    assert gradings.charts == []
    titles = [
        "Social work practice and outcomes for the child",
        "Good or better: this cohort and the comparator",
        "Practice standards met",
    ]
    for title in titles:
        assert any(f"\u201c{title}\u201d" in paragraph and "left out of this version" in paragraph
                   for paragraph in gradings.paragraphs), title  # fmt: skip


def test_a_chart_with_every_count_shown_is_drawn_in_the_wider_edition():
    figures = json.loads(json.dumps(FIGURES))
    figures["practice"].update(outstanding=4, good=3, requires_improvement=3, inadequate=0,
                               good_or_better=7, good_or_better_pct=70.0)  # fmt: skip
    figures["outcome"].update(outstanding=3, good=4, requires_improvement=3, inadequate=0,
                              good_or_better=7, good_or_better_pct=70.0)  # fmt: skip
    _, report = wider(figures)
    titles = [chart.title for chart in report.sections[2].charts]
    assert "Social work practice and outcomes for the child" in titles


def test_a_chart_of_nothing_but_zeros_is_not_drawn_as_empty_axes():
    figures = json.loads(json.dumps(FIGURES))
    figures["comparison"]["practice"].update(good_or_better=0, good_or_better_pct=0.0)
    figures["comparison"]["outcome"].update(good_or_better=0, good_or_better_pct=0.0)
    # The chart's percentages are worked out from the counts (one rounding everywhere).
    figures["practice"].update(good_or_better=0, good_or_better_pct=0.0)
    figures["outcome"].update(good_or_better=0, good_or_better_pct=0.0)
    report = build_report(council="A Council", figures=figures, data=DATA)
    gradings = report.sections[2]
    title = "Good or better: this cohort and the comparator"
    assert title not in [chart.title for chart in gradings.charts]
    assert f"The chart \u201c{title}\u201d is not drawn: every value in it is 0." in (
        gradings.paragraphs
    )
