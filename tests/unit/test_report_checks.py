"""The checks a draft report must pass: the figure check and the disclosure warnings."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice_review.reports.builder import ReportData, default_narrative, narrative_parts
from practice_review.reports.checks import (
    More,
    Problem,
    disclosure_warnings,
    figure_problems,
    listed,
    with_placeholder,
)
from practice_review.reports.narrative import placeholders

# The seed cohorts' figures as `practice-review report --format json` prints them.
FIGURES = json.loads((Path(__file__).parent / "data" / "seed-figures.json").read_text())
TABLE = placeholders(FIGURES)
WIDER_TABLE = placeholders(FIGURES, wider=True)
PARTS = narrative_parts()


def row(initials, social_worker, supervisor):
    return {
        "initials": initials,
        "gender": "Male",
        "age": "17",
        "ethnicity": "Iraqi (Kurd)",
        "status": "Care leaver / care experienced",
        "social_worker": social_worker,
        "supervisor": supervisor,
    }


DATA = ReportData(
    cohort_rows=[
        row("VB", "RL (student)", "BA"),
        row("AS-S", "Jo Bloggs", "KT"),
        row("A", "", ""),  # one letter: too short to look for
        row("MN", "RL", "VB"),  # a supervisor whose initials are also a child's
    ],
    gap_cases=[("AS-S", "Outstanding", "Requires improvement to be good", "Will not engage.")],
    findings={"journey": {"strengths": ["Timely safeguarding action."], "development": []}},
    put_right={},
)
NO_ROWS = ReportData(cohort_rows=[], gap_cases=[], findings={}, put_right={})


def figure_check(text, part="gradings", figures=FIGURES, table=TABLE):
    return [(p.part, p.text, p.problem) for p in figure_problems({part: text}, figures, table,
                                                                 PARTS)]  # fmt: skip


def warned(text, data=DATA, part="overview"):
    """The typed texts the disclosure check warns about in one part (the table warning aside)."""
    warnings = disclosure_warnings({part: text}, data, PARTS, placeholder_table=WIDER_TABLE)
    return [p.text for p in warnings if p.part]


# -- The figure check --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "quoted", "problem"),
    [
        # 3.3 of the reference report: outcomes 5/3/2, where the figures say 6/2/2.
        ("Outcomes were Outstanding for 5 of the 10 reviews.", "5 of the 10",
         "outcomes outstanding is 6 of 10 (60%), not 5 of 10"),
        # 2.1.1: 6 of 10 called two thirds.
        ("Outcomes were rated as Outstanding in two thirds (6/10).", "two thirds (6/10)",
         "6/10 is not two thirds"),
        # 2.2.5: four young people exactly 21 called "aged over 21".
        ("4 out of 10 (40%) of the young people were aged over 21.", "aged over 21",
         "'over 21' means older than 21; the figures count aged 21 or over, 4 of 10 (40%): "
         "say 'aged 21 or over'"),
        # 2.2.5: 5 care leavers where the cohort table has 6.
        ("care leavers: this time 5 out of 10 (50%)", "5 out of 10",
         "care leavers is 6 of 10 (60%), not 5 of 10"),
    ],
)  # fmt: skip
def test_the_reference_reports_typed_mistakes_are_problems(sentence, quoted, problem):
    assert ("gradings", quoted, problem) in figure_check(sentence)


def test_the_figures_as_they_are_pass():
    assert figure_check(
        "Outcomes were Outstanding for 6 of the 10, Good for 2 of the 10 and Requires "
        "improvement for 2 of the 10. 4 of 10 (40%) were aged 21 or over."
    ) == []  # fmt: skip


def test_a_problem_quotes_the_part_and_what_was_typed():
    [problem] = figure_problems({"closing": "In two thirds (6/10) of reviews."}, FIGURES, TABLE,
                                PARTS)  # fmt: skip
    assert problem == Problem(
        "closing", "two thirds (6/10)", "6/10 is not two thirds", "6. Closing remarks"
    )


def test_problems_follow_the_reports_order_of_parts():
    narrative = {
        "closing": "aged over 21",
        "strengths.journey": "5 of 10",
        "introduction": "{nope}",
        "not a part": "aged over 21",  # only the report's parts are checked
    }
    assert [p.part for p in figure_problems(narrative, FIGURES, TABLE, PARTS)] == [
        "introduction",
        "strengths.journey",
        "closing",
    ]


def test_numbers_produced_by_placeholders_are_not_checked():
    assert figure_check(
        "Outcomes were Outstanding in {outcome.outstanding}, Good in {outcome.good.count} of "
        "{reviews} ({outcome.good.percent}); {age.aged_21_or_over} were aged 21 or over."
    ) == []  # fmt: skip


def test_a_placeholder_is_not_checked_even_where_its_words_would_be():
    named = copy.deepcopy(FIGURES)
    named["cohort"]["name"] = "Care leavers aged over 21, two thirds (6/10) pilot"
    table = placeholders(named)
    assert figure_check("In {cohort.name}.", figures=named, table=table) == []
    assert len(figure_check(named["cohort"]["name"], figures=named, table=table)) == 2


def test_what_the_wider_version_shows_is_checked_only_when_typed():
    wider = placeholders(FIGURES, wider=True)
    assert wider["comparison.gender.female"][0] == "fewer than 3 of 14"
    assert figure_check("Female: {comparison.gender.female}.", table=wider) == []
    assert figure_check("Female: fewer than 3 of 14.", table=wider) == [
        ("gradings", "3 of 14", "3 of 14 is not one of the computed figures")
    ]


def test_unknown_placeholders_are_problems_once_each_in_order():
    assert figure_check("{nope} and {practice.good_or_beter}, {nope} and {reviews}") == [
        ("gradings", "{nope}", "no figure is called nope"),
        ("gradings", "{practice.good_or_beter}", "no figure is called practice.good_or_beter"),
    ]


def test_unknown_placeholders_come_before_the_typed_mistakes_of_their_part():
    assert figure_check("5 of 10 in {nope}") == [
        ("gradings", "{nope}", "no figure is called nope"),
        ("gradings", "5 of 10", "5 of 10 is not one of the computed figures"),
    ]


def test_the_default_narrative_passes_the_figure_check():
    narrative = default_narrative(FIGURES, DATA)
    assert figure_problems(narrative, FIGURES, TABLE, PARTS) == []
    wider = placeholders(FIGURES, wider=True)
    assert figure_problems(narrative, FIGURES, wider, PARTS) == []


def test_an_empty_narrative_has_no_problems():
    assert figure_problems({}, FIGURES, TABLE, PARTS) == []


def test_a_typed_count_over_a_placeholder_base_is_checked():
    assert figure_check("Outcomes were Outstanding for 5 of {reviews} reviews.") != []


def corrected(text, part="gradings"):
    """`text` with every problem that offers a placeholder put right by it, last first."""
    problems = figure_problems({part: text}, FIGURES, TABLE, PARTS)
    for problem in sorted(problems, key=lambda p: p.span or (-1, -1), reverse=True):
        if problem.span:
            text = with_placeholder(text, problem)
    return text


def test_a_wrong_figure_can_be_replaced_by_the_placeholder_that_shows_it():
    text = "Outcomes for the child were good or better in 6 of 10 (60%) reviews."
    assert corrected(text) == (
        "Outcomes for the child were good or better in {outcome.good_or_better} reviews."
    )


def test_the_placeholder_goes_where_the_words_were_typed_after_other_placeholders():
    # "{reviews}" reads as "10" and "{cohort.name}" as blanks of its own length: the words to
    # replace are found in the text as typed, not in the text as the check read it.
    text = ("In {cohort.name}, {reviews} reviews were completed. Seven reviews were by "
            "independent reviewers, and practice was good or better in 6 of 10 (60%).")  # fmt: skip
    assert corrected(text) == (
        "In {cohort.name}, {reviews} reviews were completed. {reviewers.independent.count} "
        "reviews were by independent reviewers, and practice was good or better in "
        "{practice.good_or_better}."
    )


@pytest.mark.parametrize(
    "text, put_right",
    [
        # A share in words before "of" becomes a percentage, so the sentence still reads.
        ("Half of the children were care leavers.",
         "{legal_status.care_leaver.percent} of the children were care leavers."),
        ("Most reviews were by internal reviewers.",
         "{reviewers.internal} reviews were by internal reviewers."),
        ("None of the children were care leavers.",
         "{legal_status.care_leaver.count} of the children were care leavers."),
        ("Outcomes were good or better in 60 per cent of reviews.",
         "Outcomes were good or better in {outcome.good_or_better.percent} of reviews."),
    ],
)  # fmt: skip
def test_the_placeholder_offered_keeps_the_sentence_reading(text, put_right):
    assert corrected(text) == put_right


def test_words_that_take_in_a_placeholder_are_not_offered_one():
    # "6 of {reviews}": the base is the author's live figure already; only they can say which
    # figure they meant, so no placeholder is offered to replace half of what they chose.
    [problem] = figure_problems(
        {"gradings": "Outcomes for the child were good or better in 6 of {reviews}."},
        FIGURES, TABLE, PARTS,
    )  # fmt: skip
    assert problem.placeholder and problem.span is None
    with pytest.raises(ValueError):
        with_placeholder("", problem)


def test_a_problem_with_no_figure_to_show_has_no_place_for_one():
    [problem] = figure_problems({"gradings": "{practice.no_such_thing}"}, FIGURES, TABLE, PARTS)
    assert (problem.placeholder, problem.span) == ("", None)


PIECES = ["{reviews}", "{cohort.name}", "{x}", "{practice.good.count}", " ", "a", "7", " of ",
          "10", "(", ")", "%", "(60%)", "practice", "good or better", "outcomes", "independent",
          "seven", ". "]  # fmt: skip


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_a_placeholder_put_in_replaces_exactly_the_words_quoted(text):
    for problem in figure_problems({"gradings": text}, FIGURES, TABLE, PARTS):
        if problem.span:
            start, end = problem.span
            # The quoted words are the words typed there (as the check read them), with the
            # percentage in brackets that goes with them where there is one.
            typed = " ".join(text[start:end].split())
            assert typed == problem.text or typed.startswith(problem.text + " (")
            assert (
                with_placeholder(text, problem) == text[:start] + problem.placeholder + text[end:]
            )


def test_each_part_lists_its_first_50_problems_then_how_many_more():
    narrative = {"gradings": "1 of 3 (50%). " * 1_000, "closing": "1 of 3 (50%). " * 2}
    found = figure_problems(narrative, FIGURES, TABLE, PARTS)
    assert len(found) == 1_002  # every problem is found, and publishing needs a reason for all
    shown = listed(found)
    assert shown[:50] == found[:50]
    where = "3. Overall gradings and summary of findings"
    assert shown[50] == More("gradings", "", f"and 950 more in {where}", where)
    assert shown[51:] == found[1_000:]  # the closing remarks' two, each listed
    assert shown[50].more and not shown[0].more
    assert listed(found[:50]) == found[:50]  # exactly 50: nothing more to say


# Texts on which a pattern of the checks took time that grew as the square of their length
# (49,000 spaces: 35 seconds), each with the 49,000 spaces a narrative part can hold.
LONG_RUNS = [
    " " * 49_000,
    "5 of" + " " * 49_000 + "10",
    "(" + " " * 49_000,
    "5 /" + " " * 49_000,
    "two" + " " * 49_000 + "x",
    "half of the reviews (5 of" + " " * 49_000 + "x",
    "1 of the" + " " * 49_000 + "x",
    "\n" * 49_000,
]
LINEAR = """
import json, sys
from practice_review.reports.builder import ReportData, narrative_parts
from practice_review.reports.checks import disclosure_warnings, figure_problems
from practice_review.reports.narrative import blocks, placeholders
given = json.loads(sys.stdin.read())
figures = given["figures"]
table, parts = placeholders(figures), narrative_parts()
data = ReportData(cohort_rows=[], gap_cases=[], findings={}, put_right={})
for text in given["texts"]:
    found = figure_problems({"closing": text}, figures, table, parts)
    disclosure_warnings({"closing": text}, data, parts, placeholder_table=table)
    blocks(text, table, [problem.text for problem in found])
print("checked")
"""


def test_long_runs_of_spaces_are_checked_in_linear_time():
    """No pattern of the checks backtracks over a run of spaces: these take milliseconds. In a
    process of its own, so that if one ever takes the square of its length again (minutes),
    the test fails after 20 seconds instead of hanging."""
    given = json.dumps({"figures": FIGURES, "texts": LONG_RUNS})
    checked = subprocess.run(
        [sys.executable, "-c", LINEAR], input=given, text=True, capture_output=True,
        timeout=20, cwd=Path(__file__).parents[2], check=True,
    )  # fmt: skip
    assert checked.stdout == "checked\n"


# -- The disclosure warnings -------------------------------------------------------------------


def test_the_table_of_the_reviews_earns_a_warning_when_it_has_rows():
    [warning] = disclosure_warnings({}, DATA, PARTS)
    assert (warning.part, warning.text, warning.where) == ("", "The table of the reviews", "")
    assert "initials" in warning.problem


def test_no_rows_no_table_warning():
    assert disclosure_warnings({}, NO_ROWS, PARTS) == []
    assert disclosure_warnings({"overview": "A plain sentence."}, NO_ROWS, PARTS) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("AS-S moved to supported housing.", ["AS-S"]),
        ("AS-S's placement was stable.", ["AS-S"]),
        ("Reviews of VB and AS-S.", ["AS-S", "VB"]),
        ("(VB)", ["VB"]),
        ("**VB** was seen alone.", ["VB"]),
        ("VB.", ["VB"]),
        # Whole words only, and as typed.
        ("We ASK every young person.", []),
        ("as agreed, as before", []),
        ("AS was not a child in this cohort", []),
        ("AS-SB or XAS-S", []),
        ("VBX and XVB", []),
        ("vb in lower case", []),
        ("A review.", []),  # one-letter initials are not looked for
    ],
)
def test_a_childs_initials_are_found_as_whole_words_only(text, found):
    children = [p.text for p in disclosure_warnings({"overview": text}, DATA, PARTS)
                if p.problem.startswith("a child's initials")]  # fmt: skip
    assert children == found


def test_a_childs_initials_are_warned_about_in_the_part_they_are_in():
    warnings = disclosure_warnings({"closing": "AS-S"}, DATA, PARTS)
    assert warnings[1:] == [
        Problem(
            "closing",
            "AS-S",
            "a child's initials: both editions show the narrative",
            "6. Closing remarks",
        )
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("RL supervised the case.", ["RL"]),  # recorded as "RL (student)"
        ("Jo Bloggs and BA met weekly.", ["BA", "Jo Bloggs"]),
        ("KT's oversight", ["KT"]),
        ("BAT and RLS and jo bloggs", []),
        ("A note.", []),  # blank and one-letter names are not looked for
    ],
)
def test_staff_names_are_found(text, found):
    staff = [p.text for p in disclosure_warnings({"overview": text}, DATA, PARTS)
             if p.problem.startswith("a member of staff")]  # fmt: skip
    assert staff == found


def test_initials_that_are_a_child_and_a_member_of_staff_are_warned_about_once_as_a_child():
    assert [(p.text, p.problem[:20]) for p in disclosure_warnings({"overview": "VB"}, DATA, PARTS)
            if p.part] == [("VB", "a child's initials: ")]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Female: 1 of 10.", ["1 of 10"]),
        ("compared with 2/14 in July", ["2/14"]),
        ("2 out of the 14 were female", ["2 out of the 14"]),
        ("1 Out Of 10 and 2 of 10", ["1 Out Of 10", "2 of 10"]),
        # Not a count under 3.
        ("12 of 14 and 3 of 10 and 0 of 10 and 21/14", []),
        # Placeholders are hidden in the wider version, so they are never warned about.
        ("{standards.basic_details.not_met} and {practice.good.count} of {reviews}", []),
        ("{comparison.gender.female}", []),
    ],
)
def test_typed_counts_under_3_are_warned_about_and_placeholders_are_not(text, found):
    assert warned(text, NO_ROWS) == found


def test_a_small_count_warning_says_to_use_a_placeholder():
    [warning] = disclosure_warnings({"gradings": "1 of 10"}, NO_ROWS, PARTS)
    assert warning.part == "gradings" and "placeholder" in warning.problem


def test_warnings_follow_the_reports_order_of_parts():
    narrative = {"closing": "1 of 10", "introduction": "AS-S", "overview": "Jo Bloggs"}
    assert [(p.part, p.text) for p in disclosure_warnings(narrative, DATA, PARTS)] == [
        ("", "The table of the reviews"),
        ("introduction", "AS-S"),
        ("overview", "Jo Bloggs"),
        ("closing", "1 of 10"),
    ]


def test_findings_still_as_the_reviewers_wrote_them_earn_a_warning():
    narrative = {
        "strengths.journey": "- Timely safeguarding action.",
        "development.journey": "",  # nothing to summarise
        "introduction": "As prefilled.",  # not the reviewers' words
    }
    unedited = ["strengths.journey", "development.journey", "introduction"]
    warnings = disclosure_warnings(narrative, NO_ROWS, PARTS, unedited)
    assert [(p.part, p.text, p.where) for p in warnings] == [
        ("strengths.journey", "The reviewers' own words", "4.1. The journey of the child")
    ]
    assert disclosure_warnings(narrative, NO_ROWS, PARTS) == []


def test_initials_in_underscore_emphasis_are_found():
    assert set(warned("_AS-S_ and __VB__ and _Jo Bloggs_")) == {"AS-S", "VB", "Jo Bloggs"}


def test_a_typed_small_count_over_a_placeholder_base_is_warned_about():
    assert [text for text in warned("Female: 1 of {reviews}.", NO_ROWS) if text.startswith("1")]


def test_disclosure_warnings_are_listed_like_problems():
    warnings = disclosure_warnings({"closing": "1 of 3. " * 60}, NO_ROWS, PARTS)
    assert len(warnings) == 60
    assert [w.problem for w in listed(warnings)[50:]] == ["and 10 more in 6. Closing remarks"]


def test_a_date_is_not_a_small_count():
    assert warned("The review on 1/2/2025 found practice outstanding.", NO_ROWS) == []


def test_a_member_of_staff_recorded_with_name_and_initials_is_found_by_either():
    """The table shows "Rachel Lewis (RL)" when the council recorded both; a narrative names
    her as one or the other, never as the table does."""
    data = ReportData(
        cohort_rows=[row("VB", "Rachel Lewis (RL) (student)", "Bethany Ahmed (BA)")],
        gap_cases=[], findings={}, put_right={},
        staff_names={"Rachel Lewis", "RL", "Bethany Ahmed", "BA"},
    )  # fmt: skip
    text = "RL and Bethany Ahmed met weekly, and so did Rachel Lewis."
    staff = [p.text for p in disclosure_warnings({"overview": text}, data, PARTS)
             if p.problem.startswith("a member of staff")]  # fmt: skip
    assert sorted(staff) == ["Bethany Ahmed", "RL", "Rachel Lewis"]
