"""The report's narrative: Markdown with live figures by placeholder, as blocks of text runs."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from practice_review.reports.narrative import (
    WITHHELD,
    Block,
    Run,
    blocks,
    fill,
    for_checking,
    placeholders,
    plain_text,
    unknown_placeholders,
)

# The seed cohorts' figures as `practice-review report --format json` prints them.
FIGURES = json.loads((Path(__file__).parent / "data" / "seed-figures.json").read_text())
TABLE = placeholders(FIGURES)
WIDER = placeholders(FIGURES, wider=True)


def text_of(markdown, table=TABLE, marks=()):
    return plain_text(blocks(markdown, table, marks))


def runs_of(markdown, table=TABLE, marks=()):
    [block] = blocks(markdown, table, marks)
    [runs] = block.items
    return runs


# -- The placeholder table ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("practice.good_or_better", "10 of 10 (100%)"),
        ("practice.good_or_better.count", "10"),
        ("practice.good_or_better.percent", "100%"),
        ("outcome.good_or_better", "8 of 10 (80%)"),
        ("outcome.requires_improvement.percent", "20%"),
        ("practice.inadequate", "0 of 10 (0%)"),
        ("comparison.practice.good_or_better", "12 of 14 (86%)"),
        ("comparison.outcome.good_or_better.count", "13"),
        ("comparison.outcome.good_or_better.percent", "93%"),
        ("reviews", "10"),
        ("comparison.reviews", "14"),
        ("cohort.name", "September 2024 to February 2025"),
        ("comparison.cohort.name", "July 2024 Practice Assurance Fortnight"),
        ("cohort.first_review", "17 September 2024"),
        ("cohort.last_review", "11 February 2025"),
        ("comparison.cohort.first_review", "1 July 2024"),
        ("comparison.cohort.last_review", "12 July 2024"),
        ("alerts", "0"),
        ("changed_at_moderation.outcome", "0"),
        ("reviewers.independent", "8 of 10 (80%)"),
        ("both_outstanding", "6 of 10 (60%)"),
        ("comparison.both_outstanding", "5 of 14 (36%)"),
        ("practice_good_or_better_outcome_not", "2 of 10 (20%)"),
        ("uasc", "7 of 10 (70%)"),
        ("comparison.uasc.count", "13"),
        ("moderated.percent", "0%"),
        ("gender.male", "8 of 10 (80%)"),
        ("age.aged_21_or_over", "4 of 10 (40%)"),
        ("legal_status.care_leaver", "6 of 10 (60%)"),
        ("standards.basic_details.not_met", "1 of 10 (10%)"),
        ("standards.seen_alone.not_applicable.percent", "70%"),
        ("comparison.standards.legal_documents.met", "4 of 14 (29%)"),
        # Recommendations for children: overdue is a share of those made, not of the reviews.
        ("recommendations.made", "9"),
        ("recommendations.overdue", "2 of 9 (22%)"),
        ("recommendations.overdue.count", "2"),
        ("recommendations.overdue.percent", "22%"),
        ("comparison.recommendations.made", "12"),
        ("comparison.recommendations.overdue", "4 of 12 (33%)"),
    ],
)
def test_each_placeholder_shows_its_figure(name, shown):
    assert TABLE[name][0] == shown
    assert fill(f"{{{name}}}", TABLE) == shown


def test_every_count_has_its_three_forms_and_every_placeholder_a_description():
    counts = [name.removesuffix(".count") for name in TABLE if name.endswith(".count")]
    assert "practice.good_or_better" in counts and "comparison.gender.female" in counts
    for name in counts:
        assert name in TABLE and f"{name}.percent" in TABLE
    assert all(description for _shown, description in TABLE.values())


def test_without_a_comparator_there_are_no_comparison_placeholders():
    alone = copy.deepcopy(FIGURES)
    alone["comparison"] = None
    table = placeholders(alone)
    assert not [name for name in table if name.startswith("comparison.")]
    assert set(table) == {name for name in TABLE if not name.startswith("comparison.")}


def test_a_cohort_with_no_reviews_has_no_percentages_or_dates():
    empty = copy.deepcopy(FIGURES)
    empty["cohort"].update(reviews=0, first_review=None, last_review=None)
    table = placeholders(empty)
    assert table["practice.inadequate.percent"][0] == "no reviews"
    assert table["cohort.first_review"][0] == "—"


def test_with_no_recommendations_made_none_is_overdue_and_there_is_no_percentage():
    none_made = copy.deepcopy(FIGURES)
    none_made["recommendations"] = {"made": 0, "overdue": 0}
    table = placeholders(none_made)
    assert table["recommendations.made"][0] == "0"
    assert table["recommendations.overdue"][0] == "0 of 0"
    assert table["recommendations.overdue.percent"][0] == "no recommendations"


def test_figures_published_before_recommendations_were_counted_offer_no_such_placeholder():
    older = copy.deepcopy(FIGURES)
    del older["recommendations"], older["comparison"]["recommendations"]
    table = placeholders(older)
    assert not [name for name in table if "recommendations" in name]
    assert table["practice.good_or_better"] == TABLE["practice.good_or_better"]


# -- The version for wider circulation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "internal", "wider"),
    [
        # A count of 1 and of 2 is hidden, over the cohort and over the comparator.
        ("standards.basic_details.not_met", "1 of 10 (10%)", "fewer than 3 of 10"),
        ("standards.basic_details.not_met.count", "1", "fewer than 3"),
        ("standards.basic_details.not_met.percent", "10%", "under 30%"),
        ("practice.good", "2 of 10 (20%)", "fewer than 3 of 10"),
        ("practice.good.count", "2", "fewer than 3"),
        ("practice.good.percent", "20%", "under 30%"),
        ("comparison.gender.female", "1 of 14 (7%)", "fewer than 3 of 14"),
        ("comparison.gender.female.percent", "7%", "under 21%"),
        # 0 and 3 are shown as they are.
        ("practice.inadequate", "0 of 10 (0%)", "0 of 10 (0%)"),
        ("practice.inadequate.count", "0", "0"),
        ("practice.inadequate.percent", "0%", "0%"),
        ("standards.seen_alone.met", "3 of 10 (30%)", "3 of 10 (30%)"),
        ("standards.seen_alone.met.count", "3", "3"),
        # Overdue recommendations are a share of those made: 2 of 9 is a small count.
        ("recommendations.overdue", "2 of 9 (22%)", "fewer than 3 of 9"),
        ("recommendations.overdue.count", "2", "fewer than 3"),
        ("recommendations.overdue.percent", "22%", "under 33%"),
        ("recommendations.made", "9", "9"),
        ("comparison.recommendations.overdue", "4 of 12 (33%)", "4 of 12 (33%)"),
        # Figures that are not counts of reviews are never hidden.
        ("alerts", "0", "0"),
        ("reviews", "10", "10"),
    ],
)
def test_the_wider_version_hides_counts_of_1_and_2_only(name, internal, wider):
    assert TABLE[name][0] == internal
    assert WIDER[name][0] == wider


def test_the_wider_table_hides_every_count_of_1_or_2_and_says_how():
    assert set(WIDER) == set(TABLE)
    counts = {name.removesuffix(".count"): int(TABLE[name][0]) for name in TABLE
              if name.endswith(".count")}  # fmt: skip
    for name, count in counts.items():
        if name.startswith(("reviewers.", "comparison.reviewers.")):
            continue  # which kind of reviewer did a review says nothing about a child
        shown = WIDER[f"{name}.count"][0]
        if count in (1, 2):
            assert shown == "fewer than 3", name
        else:  # shown as it is, or kept from view so that a small one cannot be worked out
            assert shown in (str(count), WITHHELD), name


def test_a_sentence_naming_a_withheld_count_is_left_out_not_holed():
    # Outcomes good or better (8 of 10) is withheld: the 2 that are not could be worked out.
    text = ("Practice was good or better in {practice.good_or_better}. Outcomes were good or "
            "better in {outcome.good_or_better.percent}! Female: {gender.female}.")  # fmt: skip
    assert text_of(text, WIDER) == (
        "Practice was good or better in 10 of 10 (100%). Female: fewer than 3 of 10."
    )
    assert text_of("Outcomes: {outcome.good_or_better}.", WIDER) == ""
    assert blocks("- Outcomes: {outcome.good_or_better}.\n- Kept.", WIDER)[0].items == [
        [Run("Kept.")]
    ]
    assert "80%" in text_of(text, TABLE)


def test_one_or_two_recommendations_made_hide_the_overdue_count_with_them():
    few = copy.deepcopy(FIGURES)
    few["recommendations"] = {"made": 2, "overdue": 0}
    wider = placeholders(few, wider=True)
    assert wider["recommendations.made"][0] == "fewer than 3"
    # "0 of fewer than 3" would be no figure at all: the sentence is left out instead.
    assert wider["recommendations.overdue"][0] == WITHHELD
    assert wider["recommendations.overdue.percent"][0] == WITHHELD
    assert text_of("Made: {recommendations.made}. Overdue: {recommendations.overdue}.", wider) == (
        "Made: fewer than 3."
    )


def test_a_reworded_count_opening_a_sentence_takes_a_capital():
    text = "{gender.female} were female. Good in {practice.good}."
    assert text_of(text, WIDER) == "Fewer than 3 of 10 were female. Good in fewer than 3 of 10."


def test_the_wider_table_reaches_the_blocks():
    assert text_of("Good in {practice.good}.", WIDER) == "Good in fewer than 3 of 10."
    assert text_of("Good in {practice.good}.", TABLE) == "Good in 2 of 10 (20%)."


# -- Filling, unknown names and blanking -------------------------------------------------------


def test_fill_replaces_known_names_and_leaves_unknown_ones_as_typed():
    assert fill("{reviews} reviews; {nope}; {Reviews}; {practice.good.cout}", TABLE) == (
        "10 reviews; {nope}; {Reviews}; {practice.good.cout}"
    )


@pytest.mark.parametrize(
    ("typed", "filled"),
    [
        ("{ reviews }", "{ reviews }"),  # not a placeholder: spaces
        ("{}", "{}"),
        ("{reviews", "{reviews"),
        ("{{reviews}}", "{10}"),  # the inner name only: no template engine
        ("{reviews.__class__}", "{reviews.__class__}"),
        ("{0}", "{0}"),
        ("{reviews!r}", "{reviews!r}"),
        ("%(reviews)s {{ reviews }}", "%(reviews)s {{ reviews }}"),
    ],
)
def test_fill_is_a_dictionary_lookup_not_a_template_engine(typed, filled):
    assert fill(typed, TABLE) == filled


def test_unknown_placeholders_are_named_once_each_in_order():
    text = "{b} {reviews} {a} {b}\n{practice.good} {a} {c.d_e}"
    assert unknown_placeholders(text, TABLE) == ["b", "a", "c.d_e"]
    assert unknown_placeholders("{reviews} and {cohort.name}", TABLE) == []
    assert unknown_placeholders("no braces", TABLE) == []


def test_for_checking_reads_bare_numbers_as_shown_and_blanks_other_placeholders():
    text = "Good in {practice.good} and {nope}; {practice.good.count} of {reviews} ({x}), 5 of 10."
    assert for_checking(text, TABLE) == (
        "Good in "
        + " " * len("{practice.good}")
        + " and "
        + " " * len("{nope}")
        + "; 2 of 10 ("
        + " " * len("{x}")
        + "), 5 of 10."
    )
    assert for_checking("{practice.good.percent} and {cohort.name}", TABLE) == (
        "20% and " + " " * len("{cohort.name}")
    )
    assert for_checking("{ not one }", TABLE) == "{ not one }"
    # The wider edition's table hides a count under 3, so the check sees no number there.
    assert for_checking("{practice.good.count}", WIDER).strip() == ""


# -- Markdown to blocks ------------------------------------------------------------------------


def test_paragraphs_and_headings():
    markdown = "# The cohort\n\nFirst paragraph\ncontinues here.\n\n## In {cohort.name}\n\nLast."
    assert [(block.kind, plain_text([block])) for block in blocks(markdown, TABLE)] == [
        ("heading", "The cohort"),
        ("paragraph", "First paragraph continues here."),
        ("heading", "In September 2024 to February 2025"),
        ("paragraph", "Last."),
    ]


def test_bullet_and_numbered_lists():
    markdown = "- one\n- two {reviews}\n\nBetween.\n\n1. first\n2. second"
    result = blocks(markdown, TABLE)
    assert [block.kind for block in result] == ["bullets", "paragraph", "numbers"]
    assert [[plain_text([Block("x", [item])]) for item in block.items] for block in result] == [
        ["one", "two 10"],
        ["Between."],
        ["first", "second"],
    ]


def test_nested_lists_are_flattened_with_each_parent_before_its_children():
    markdown = "- A\n  - B\n    - C\n  - D\n- E\n  1. F\n- G"
    [block] = blocks(markdown, TABLE)
    assert block.kind == "bullets"
    assert plain_text([block]).split("\n") == ["A", "B", "C", "D", "E", "F", "G"]


def test_a_nested_list_in_a_numbered_list_keeps_the_outer_kind():
    [block] = blocks("1. first\n   - inner\n2. second", TABLE)
    assert block.kind == "numbers"
    assert plain_text([block]).split("\n") == ["first", "inner", "second"]


def test_an_item_of_two_paragraphs_is_one_item_and_empty_items_are_dropped():
    [block] = blocks("- one\n\n  more\n-\n- two", TABLE)
    assert plain_text([block]).split("\n") == ["one more", "two"]


def test_nothing_gives_no_blocks():
    assert blocks("", TABLE) == []
    assert blocks(None, TABLE) == []
    assert blocks("   \n\n  ", TABLE) == []


def test_without_a_table_placeholders_stay_as_typed():
    assert plain_text(blocks("In {reviews} reviews")) == "In {reviews} reviews"


def test_links_become_their_text_and_address():
    assert text_of("See [the guidance](https://example.org/guide).") == (
        "See the guidance (https://example.org/guide)."
    )
    assert text_of("<https://example.org>") == "https://example.org (https://example.org)"
    assert runs_of("**[bold link](https://e.org)** after") == [
        Run("bold link (https://e.org)", bold=True),
        Run(" after"),
    ]


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ("[x](JavaScript:alert(1))", "[x](JavaScript:alert(1))"),
        ("[x](<javascript:alert(1)>)", "[x](<javascript:alert(1)>)"),
        ("<javascript:alert(1)>", "<javascript:alert(1)>"),
        ("[x](java&#x73;cript:alert(1))", "[x](javascript:alert(1))"),
        ("[x][1]\n\n[1]: javascript:alert(1)", "[x][1]\n[1]: javascript:alert(1)"),
        ("[x](vbscript:msgbox(1))", "[x](vbscript:msgbox(1))"),
        ("[x](data:text/html,hi)", "[x](data:text/html,hi)"),
    ],
)
def test_script_addresses_are_never_made_links(markdown, shown):
    text = text_of(markdown)
    assert text == shown  # left as the author typed it, not "x (javascript:...)"
    assert "x (" not in text


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "Before <script>alert('x')</script> after",
        "<b>not bold</b>",
        'An <img src="x" onerror="alert(1)"> image',
        "<div>\nblock html\n</div>",
        "<!-- a comment -->",
    ],
)
def test_raw_html_stays_literal_text(markdown):
    result = blocks(markdown, TABLE)
    assert plain_text(result) == markdown.replace("\n", " ")
    assert not any(run.bold or run.italic for block in result for item in block.items
                   for run in item)  # fmt: skip


def test_character_references_become_text_not_markup():
    # The run holds the character, which each renderer escapes; it is never markup.
    assert runs_of("&lt;script&gt; &amp;") == [Run("<script> &")]


def test_images_keep_only_their_description():
    assert text_of("![A chart of the grades](https://example.org/x.png) below") == (
        "A chart of the grades below"
    )
    assert text_of("![]( https://example.org/x.png )") == ""
    assert text_of("[![logo](a.png)](https://e.org)") == "logo (https://e.org)"


def test_bold_and_italic_runs():
    assert runs_of("Practice was **good**, *improving* and ***both***; __also__ _this_.") == [
        Run("Practice was "),
        Run("good", bold=True),
        Run(", "),
        Run("improving", italic=True),
        Run(" and "),
        Run("both", bold=True, italic=True),
        Run("; "),
        Run("also", bold=True),
        Run(" "),
        Run("this", italic=True),
        Run("."),
    ]


def test_a_sentence_in_one_style_is_one_run():
    assert runs_of("One sentence,\nover two lines, in {reviews} reviews.") == [
        Run("One sentence, over two lines, in 10 reviews.")
    ]


@pytest.mark.parametrize(
    ("markdown", "run"),
    [
        ("**{practice_good_or_better_outcome_not}**", Run("2 of 10 (20%)", bold=True)),
        ("__{practice_good_or_better_outcome_not}__", Run("2 of 10 (20%)", bold=True)),
        ("*{practice_good_or_better_outcome_not}*", Run("2 of 10 (20%)", italic=True)),
        ("_{practice_good_or_better_outcome_not}_", Run("2 of 10 (20%)", italic=True)),
        ("{practice_good_or_better_outcome_not}", Run("2 of 10 (20%)")),
        ("_{comparison.practice_good_or_better_outcome_not}_", Run("0 of 14 (0%)", italic=True)),
        ("**{standards.basic_details.not_met.percent}**", Run("10%", bold=True)),
        ("_{age.aged_18_or_over.count}_", Run("6", italic=True)),
    ],
)
def test_placeholders_with_underscores_survive_emphasis(markdown, run):
    assert runs_of(markdown) == [run]


def test_underscored_placeholders_mid_sentence():
    markdown = "In {practice_good_or_better_outcome_not} reviews, and {age.under_18} were young."
    assert text_of(markdown) == "In 2 of 10 (20%) reviews, and 4 of 10 (40%) were young."


def test_code_is_kept_as_plain_text():
    assert text_of("Type `{reviews}` here") == "Type 10 here"
    assert [b.kind for b in blocks("```\nline one\nline two\n```", TABLE)] == ["paragraph"]
    assert text_of("```\nline one\nline two\n```") == "line one\nline two"


# -- Marks: the figure check's problems highlighted --------------------------------------------


def test_a_mark_is_split_into_its_own_run():
    assert runs_of("Outstanding for 5 of 10 reviews.", marks=["5 of 10"]) == [
        Run("Outstanding for "),
        Run("5 of 10", marked=True),
        Run(" reviews."),
    ]


def test_a_mark_that_appears_twice_is_marked_twice():
    assert runs_of("a 5 of 10 b 5 of 10", marks=["5 of 10"]) == [
        Run("a "),
        Run("5 of 10", marked=True),
        Run(" b "),
        Run("5 of 10", marked=True),
    ]


def test_marks_keep_the_style_of_their_run_and_several_marks_are_all_marked():
    assert runs_of("**in two thirds (6/10)** and aged over 21", marks=[
        "two thirds (6/10)", "aged over 21"]) == [
        Run("in ", bold=True),
        Run("two thirds (6/10)", bold=True, marked=True),
        Run(" and "),
        Run("aged over 21", marked=True),
    ]  # fmt: skip


def test_an_unknown_placeholder_is_marked_as_typed():
    assert runs_of("See {nope}.", marks=["{nope}"]) == [
        Run("See "),
        Run("{nope}", marked=True),
        Run("."),
    ]


def test_blank_and_absent_marks_change_nothing():
    assert runs_of("a b", marks=["", "  ", "zzz"]) == [Run("a b")]


def test_marks_reach_list_items():
    [block] = blocks("- 5 of 10 here\n- fine", TABLE, ["5 of 10"])
    assert block.items[0] == [Run("5 of 10", marked=True), Run(" here")]
    assert block.items[1] == [Run("fine")]


def test_a_mark_typed_across_a_line_break_is_still_marked():
    runs = runs_of("Outstanding for 5 of\n10 reviews.", marks=["5 of\n10"])
    assert any(run.marked for run in runs)


def test_a_thousand_marks_are_all_marked_without_recursion():
    # Marking once recursed for each place a mark was found: a part with 1,000 problems (as
    # many marks, all the same text) raised RecursionError, and the draft page was a 500.
    runs = runs_of("1 of 3 (50%). " * 1_000, marks=["1 of 3 (50%)"] * 1_000)
    assert [run.text for run in runs if run.marked] == ["1 of 3 (50%)"] * 1_000
    assert "".join(run.text for run in runs) == ("1 of 3 (50%). " * 1_000).strip()


# -- Properties ---------------------------------------------------------------------------------

MARKDOWN_PIECES = st.sampled_from([
    "<script>", "</script>", "<scr", "ipt>", "*", "**", "_", "__", "`", "[", "]", "(", ")", "](",
    "![", "javascript:", "http://e.org", "&lt;", "&#60;", "\\", "\n", "\n\n", "- ", "1. ", "  ",
    "    ", "# ", "> ", "---", "```", "{reviews}", "{practice_good_or_better_outcome_not}",
    "{nope}", "{", "}", "5 of 10", "<", ">",
])  # fmt: skip
MARKDOWNISH = st.lists(st.one_of(st.text(max_size=8), MARKDOWN_PIECES), max_size=25).map("".join)


@settings(deadline=None)
@given(st.text())
@example("<script>alert(1)</script>")
@example("<scr\nipt>")
def test_any_text_gives_blocks_and_invents_no_script_tag(text):
    result = blocks(text, TABLE)
    assert all(block.kind in ("paragraph", "heading", "bullets", "numbers") for block in result)
    out = plain_text(result)
    # Markdown can join the pieces of a word ("<scr*ipt*", "<scr&#105;pt"), so the literal
    # check holds for text without inline markup, character references or escapes.
    if not set(text) & set("*_`&\\[]!"):
        assert "<script" not in out or "<script" in text
    assert "<" not in out or "<" in text or "&" in text


@settings(deadline=None)
@given(MARKDOWNISH, st.lists(st.text(max_size=6), max_size=3))
def test_markdown_like_text_never_raises_and_only_copies_angle_brackets(text, marks):
    result = blocks(text, TABLE, marks)
    out = plain_text(result)
    # "<" reaches the text only if typed, or spelt as a character reference such as "&lt;".
    assert "<" not in out or "<" in text or "&" in text


@settings(deadline=None)
@given(st.text())
@example("{reviews} {nope} {a.b_c}")
def test_for_checking_leaves_no_placeholder_behind(text):
    checked = for_checking(text, TABLE)
    assert not any(f"{{{name}}}" in checked for name in TABLE)


@settings(deadline=None)
@given(MARKDOWNISH)
def test_for_checking_leaves_no_placeholder_behind_in_markdown(text):
    checked = for_checking(text, TABLE)
    assert not any(f"{{{name}}}" in checked for name in TABLE)
