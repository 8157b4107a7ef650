"""The report builder, without a database: figures in, a document structure out."""

import copy
import dataclasses
import json
from pathlib import Path

from practice_review.reports.builder import ReportData, build_report, default_narrative
from practice_review.reports.narrative import plain_text

# The seed cohorts' figures as `practice-review report --format json` prints them.
FIGURES = json.loads((Path(__file__).parent / "data" / "seed-figures.json").read_text())
DATA = ReportData(
    cohort_rows=[
        {
            "initials": "VB",
            "gender": "Male",
            "age": "2 months",
            "ethnicity": "British",
            "status": "Child in care (looked after)",
            "social_worker": "RL",
            "supervisor": "BA",
        }
    ],  # fmt: skip
    gap_cases=[("AS-S", "Outstanding", "Requires improvement to be good", "Will not engage.")],
    findings={"journey": {"strengths": ["Timely safeguarding action."], "development": []}},
    put_right={"basic_details": 1},
)


def report():
    return build_report(council="A Council", figures=FIGURES, data=DATA)


def text_of(section):
    parts = [section.title, plain_text(section.narrative), *section.paragraphs, *section.bullets]
    for table in section.tables:
        parts += [table.caption, *table.header, *(str(c) for row in table.rows for c in row)]
    for subsection in section.subsections:
        parts.append(text_of(subsection))
    return "\n".join(parts)


def test_the_report_follows_the_reference_reports_six_sections():
    titles = [f"{s.number}. {s.title}" for s in report().sections]
    assert titles == [
        "1. Introduction and methodology",
        "2. Overview of the cohort",
        "3. Overall gradings and summary of findings",
        "4. Areas of strength in practice",
        "5. Areas for development and recommendations",
        "6. Closing remarks",
    ]
    assert [s.title for s in report().sections[3].subsections][0] == "The journey of the child"


def test_every_figure_is_written_as_n_of_n_from_the_figures():
    intro, overview, gradings = (text_of(s) for s in report().sections[:3])
    assert (
        "Independent reviewers completed 8 of 10 (80%) and internal reviewers 2 of 10 (20%)"
        in intro
    )
    assert "between 17 September 2024 and 11 February 2025" in intro
    assert "Aged 21 or over: 4 of 10 (40%)" in overview  # exactly what is counted
    assert "Care leaver / care experienced\n6 of 10 (60%)" in overview
    assert "Outcomes for the child were good or better in 8 of 10 (80%)" in gradings
    assert "6 of 10 (60%) reviews were outstanding on both grades" in gradings
    assert "12 of 14 (86%)" in gradings  # the comparator's practice good or better


def test_small_cohorts_carry_a_warning_about_chance():
    assert "differences from another cohort may be chance" in text_of(report().sections[0])


def test_gap_cases_are_listed_with_their_reasons_and_findings_by_theme():
    gradings = report().sections[2]
    assert gradings.bullets == [
        "AS-S: practice outstanding, outcomes requires improvement to be good. Will not engage."
    ]
    strengths = report().sections[3].subsections[0]
    assert plain_text(strengths.narrative) == "Timely safeguarding action."
    assert report().sections[4].subsections[0].paragraphs == [
        "No areas for development were recorded under this theme."
    ]


def test_the_gradings_section_carries_three_charts_with_their_data_in_words():
    charts = report().sections[2].charts
    assert [c.title for c in charts] == [
        "Social work practice and outcomes for the child",
        "Good or better: this cohort and the comparator",
        "Practice standards met",
    ]
    assert charts[0].alt == (
        "Bar chart, Social work practice and outcomes for the child, in reviews. "
        "Social work practice: Outstanding 8, Good 2, Requires improvement to be good 0, "
        "Inadequate 0; Outcomes for the child: Outstanding 6, Good 2, Requires improvement to be "
        "good 2, Inadequate 0."
    )
    assert "July 2024 Practice Assurance Fortnight: Social work practice 86%" in charts[1].alt


def test_charts_draw_as_svg_with_text_and_as_png():
    from practice_review.reports.charts import render_png, render_svg

    chart = report().sections[2].charts[0]
    svg = render_svg(chart)
    assert svg.lstrip().startswith("<?xml") and "Outstanding" in svg  # text kept as text
    assert render_png(chart)[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_empty_cohort_says_so_instead_of_printing_zero_figures():
    empty = json.loads(json.dumps(FIGURES))
    empty["cohort"].update(reviews=0, first_review=None, last_review=None)
    intro = build_report(council="A Council", figures=empty, data=DATA).sections[0]
    assert plain_text(intro.narrative) == (
        "No reviews have been completed in this cohort yet, so it has no figures."
    )
    assert len(build_report(council="A Council", figures=empty, data=DATA).sections) == 1


def test_dollar_signs_in_names_are_drawn_as_text():
    from practice_review.reports.charts import Chart, render_png

    chart = Chart("t", ["x", "y"], [(r"Cohort $\frac{$", [1, 2]), ("Budget $1 to $2", [3, 4])])
    assert render_png(chart)[:4] == b"\x89PNG"


def _large_data(reviews=60, findings=30):
    rows = [dict(DATA.cohort_rows[0], initials=f"C{i}", ethnicity="British" if i % 3 else
                 "Eritrean") for i in range(reviews)]  # fmt: skip
    return ReportData(
        cohort_rows=rows,
        gap_cases=[],
        findings={
            "journey": {"strengths": [f"Finding {i}." for i in range(findings)], "development": []}
        },  # fmt: skip
        put_right={},
        topics={"journey": [("Chronology", 12), ("Recording", 7)]},
    )


def test_a_large_cohort_gets_summary_tables_and_summarised_findings():
    figures = json.loads(json.dumps(FIGURES))
    figures["cohort"]["reviews"] = 60
    built = build_report(council="A Council", figures=figures, data=_large_data())
    captions = [table.caption for table in built.sections[1].tables]
    assert captions == ["The reviews by ethnicity as recorded",
                        "Legal or practice framework at the review"]  # fmt: skip
    assert built.sections[1].tables[0].rows == [
        ["British", "40 of 60 (67%)"],
        ["Eritrean", "20 of 60 (33%)"],
    ]
    strengths = plain_text(built.sections[3].subsections[0].narrative)
    assert "Chronology: 12 findings" in strengths
    assert "The latest 12 of 30 findings under this theme" in strengths
    assert "Finding 29." in strengths and "Finding 17." not in strengths


def test_the_wider_edition_leaves_out_the_table_and_initials_and_hides_small_counts():
    wider = build_report(council="A Council", figures=FIGURES, data=DATA, audience="wider")
    assert wider.edition == "For wider circulation"
    overview = text_of(wider.sections[1])
    assert "Initials" not in overview and "VB" not in overview and "RL" not in overview
    assert "Child in care (looked after)\nfewer than 3 of 10" in overview
    gradings = wider.sections[2]
    assert gradings.bullets == [] and "AS-S" not in text_of(gradings)
    assert "Requires improvement to be good\n0 of 10 (0%)\nfewer than 3 of 10" in text_of(gradings)
    # Each chart has a count kept from view, so none is drawn; a sentence says so instead.
    assert gradings.charts == []
    assert "are left out of this version: some of their counts are under 3" in text_of(gradings)


def test_a_built_report_survives_its_round_trip_through_json():
    from practice_review.reports.builder import report_from_dict, report_to_dict

    built = build_report(council="A Council", figures=FIGURES, data=DATA,
                         narrative={"closing": "**Bold** {practice.good_or_better}."})  # fmt: skip
    data = json.loads(json.dumps(report_to_dict(built)))
    assert report_from_dict(data) == built


def test_key_messages_come_first_as_3_to_6_bullets_whose_figures_are_placeholders():
    from practice_review.reports.builder import default_narrative
    from practice_review.reports.narrative import PLACEHOLDER

    text = default_narrative(FIGURES, DATA)["key_messages"]
    lines = text.splitlines()
    assert 3 <= len(lines) <= 6 and all(line.startswith("- ") for line in lines)
    # Every figure is a placeholder: no digit is typed outside the braces.
    assert not any(character.isdigit() for character in PLACEHOLDER.sub("", text))
    assert (
        "{practice.good_or_better}" in lines[0]
        and "{comparison.outcome.good_or_better}" in lines[0]
    )
    assert "{alerts}" in text
    built = report()
    assert built.key_messages.heading == "Key messages"
    shown = plain_text(built.key_messages.narrative)
    assert "Social work practice was good or better in 10 of 10 (100%) reviews" in shown
    assert "in July 2024 Practice Assurance Fortnight." in shown
    assert "The practice standard least often met: " in shown
    assert "not met in 2 of 10 (20%)." in shown  # recording up to date, the most often not met


def test_a_key_message_says_how_many_recommendations_for_children_are_overdue():
    text = default_narrative(FIGURES, DATA)["key_messages"]
    assert "- Recommendations for children overdue: {recommendations.overdue}." in text
    shown = plain_text(report().key_messages.narrative)
    assert "Recommendations for children overdue: 2 of 9 (22%)." in shown
    # None made: nothing is overdue and nothing needs saying.
    none_made = copy.deepcopy(FIGURES)
    none_made["recommendations"] = {"made": 0, "overdue": 0}
    assert "recommendations" not in default_narrative(none_made, DATA)["key_messages"]
    # Figures from before recommendations were counted.
    del none_made["recommendations"]
    assert "recommendations" not in default_narrative(none_made, DATA)["key_messages"]


def test_key_messages_stay_at_6_bullets_with_every_message_there_is_to_give():
    busy = copy.deepcopy(FIGURES)  # two standards least often met, a gap, the comparator
    busy["practice_standards"]["basic_details"]["not_met"] = 2
    lines = default_narrative(busy, DATA)["key_messages"].splitlines()
    assert len(lines) == 6
    assert lines[-1] == "- Recommendations for children overdue: {recommendations.overdue}."


def test_key_messages_are_edited_like_the_rest_of_the_narrative():
    narrative = {"key_messages": "- Outcomes: {outcome.good_or_better}."}
    built = build_report(council="A Council", figures=FIGURES, data=DATA, narrative=narrative)
    assert plain_text(built.key_messages.narrative) == "Outcomes: 8 of 10 (80%)."


def test_a_drawn_cohort_says_in_the_method_how_it_was_drawn():
    how = "5 children drawn at random from the caseload extract. The seed was 42."
    intro = build_report(
        council="A Council", figures=FIGURES, data=dataclasses.replace(DATA, how_drawn=how)
    ).sections[0]
    assert how in intro.paragraphs
    assert not any("drawn at random" in text for text in report().sections[0].paragraphs)
