"""The figure check catches the reference report's own inconsistencies
(docs/spec/domain.md#figure-check)."""

import json
from pathlib import Path

import pytest

from practice_review.reports.figure_check import check_figures

# September 2024 to February 2025, compared with July 2024, as the figures module gives them.
FIGURES = json.loads((Path(__file__).parent / "data" / "seed-figures.json").read_text())


def problems(text):
    return [(m.text, m.problem) for m in check_figures(text, FIGURES)]


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        # 2.1.1: 6 of 10 is not two thirds.
        ("outcomes ... rated as Outstanding in two thirds (6/10)", "6/10 is not two thirds"),
        # 2.2.5: the cohort table has 6 care leavers, not 5.
        ("care leavers – this time 5 out of 10 (50%) compared to 9 out of 14 (64%)",
         "care leavers is 6 of 10 (60%), not 5 of 10"),
        # 2.2.5: four young people were exactly 21: the figures count "aged 21 or over".
        ("4 out of 10 (40%) of the young people were aged over 21",
         "'over 21' means older than 21; the figures count aged 21 or over, 4 of 10 (40%): "
         "say 'aged 21 or over'"),
        # 3.3: the outcome grades were 6 outstanding and 2 good, not 5 and 3.
        ("Outcomes were Outstanding for 5 of the 10, Good for 3 of the 10",
         "outcomes outstanding is 6 of 10 (60%), not 5 of 10"),
        ("Outcomes were Outstanding for 5 of the 10, Good for 3 of the 10",
         "outcomes good is 2 of 10 (20%), not 3 of 10"),
        # Without the axis, both are named.
        ("Outstanding for 5 of the 10",
         "practice outstanding is 8 of 10 (80%) and outcomes outstanding is 6 of 10 (60%), "
         "not 5 of 10"),
        # A percentage that does not match its fraction.
        ("Good (2 of 10 (25%))", "2 of 10 is 20%, not 25%"),
        # A base that is neither cohort's size.
        ("3 of 12 reviews", "12 is not the number of reviews (10 or 14)"),
        # A bare percentage that no computed figure gives.
        ("compared to 57% in the July cohort", "no computed figure is 57%"),
    ],
)  # fmt: skip
def test_each_inconsistency_is_caught(sentence, problem):
    assert problem in [found for _, found in problems(sentence)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Social Work Practice was judged to be Good (20%) or Outstanding (80%) in all 10 reviews.",
        "good for 20% (2/10); while 20% (2/10) were graded as Requires Improvement",
        "8 out of 10 reviews related to children identified as male. This compares to 13 out of "
        "14 reviews in the July 2024 Cohort.",
        "86% of the reviews rated social work practice as Good or above in July 2024 compared to "
        "100% in this cohort.",
        "80% were rated Good or above compared to 93% in the July 2024 cohort.",
        "6 of the 10 reviews had findings that had Outstanding gradings both for social work "
        "practice and outcomes. This compares to 5 of the 14 reviews in the July cohort.",
        "4 of 10 (40%) aged 21 or over, against 36% in July.",
        "The review on 17/09/2024 found practice outstanding.",  # a date is not a fraction
    ],
)
def test_figures_that_agree_pass(sentence):
    assert problems(sentence) == []


def test_mismatches_say_where_they_are():
    text = "All good. Outstanding in two thirds (6/10) of reviews."
    [mismatch] = check_figures(text, FIGURES)
    assert text[mismatch.start : mismatch.end].strip() == "two thirds (6/10)"


@pytest.mark.parametrize("sentence", ["Support is available 24/7.", "visits every 2/3 weeks"])
def test_fractions_that_are_not_about_reviews_are_left_alone(sentence):
    assert problems(sentence) == []


def test_percentages_with_more_decimals_are_checked():
    assert problems("good or better in 57.14% of reviews") == [
        ("57.14%", "practice good or better is 10 of 10 (100%) and outcomes good or better is "
                   "8 of 10 (80%), not 57.14%")
    ]  # fmt: skip
    assert problems("in 57.14% of reviews") == [("57.14%", "no computed figure is 57.14%")]


# The same September cohort with no comparator: no count over 10 is exactly half (5 is not one).
COHORT_ONLY = {**FIGURES, "comparison": None}


def problems_without_comparator(text):
    return [(m.text, m.problem) for m in check_figures(text, COHORT_ONLY)]


@pytest.mark.parametrize(
    ("sentence", "flagged", "word"),
    [
        ("three quarters of practice standards were met", "three quarters", "three quarters"),
        ("one third of the reviews", "one third", "one third"),
        ("Two thirds of the reviews", "Two thirds", "two thirds"),
        # A hedge with no exact figure behind it gets the same message as the bare word.
        ("nearly two thirds of the young people", "nearly two thirds", "two thirds"),
        ("approximately a quarter of reviews", "approximately a quarter", "a quarter"),
        ("just under three quarters of the standards", "just under three quarters",
         "three quarters"),
    ],
)  # fmt: skip
def test_fraction_words_that_no_figure_gives_are_caught(sentence, flagged, word):
    assert problems(sentence) == [
        (flagged, f"no computed figure is exactly {word}: write the figure as 'n of N' instead")
    ]


@pytest.mark.parametrize(
    ("sentence", "flagged", "problem"),
    [
        # 2.2.5 of the reference report calls 6 of 10 "two thirds".
        ("two thirds of the young people were care leavers", "two thirds",
         "care leavers is 6 of 10 (60%), not two thirds"),
        ("a quarter of reviews found recording out of date", "a quarter",
         "recording up to date (not met) is 2 of 10 (20%), not a quarter"),
        ("graded good in two\nthirds of reviews", "two\nthirds",
         "practice good is 2 of 10 (20%) and outcomes good is 2 of 10 (20%), not two thirds"),
        ("half of the young people were care leavers", "half",
         "care leavers is 6 of 10 (60%), not half"),
        ("half the reviews were graded Good", "half",
         "practice good is 2 of 10 (20%) and outcomes good is 2 of 10 (20%), not half"),
    ],
)  # fmt: skip
def test_fraction_words_are_checked_against_the_measure_they_name(sentence, flagged, problem):
    assert problems(sentence) == [(flagged, problem)]


@pytest.mark.parametrize(
    "sentence",
    [
        "half of the young people",
        "half the reviews",
        "about half of the reviews",  # a hedge is flagged even so, but with its own message
    ],
)
def test_half_is_caught_when_no_figure_is_exactly_half(sentence):
    [(_, problem)] = problems_without_comparator(sentence)
    assert problem == "no computed figure is exactly half: write the figure as 'n of N' instead"


@pytest.mark.parametrize(
    "sentence",
    [
        # 7 of the 14 July reviews had outcomes graded Good: exactly half.
        "half of the reviews in July had outcomes graded Good",
        "a fifth of the reviews were by internal reviewers",  # 2 of 10
        "four fifths of the reviews were by independent reviewers",  # 8 of 10
        "all of the reviews were graded Good or better",
        "none of the reviews were graded Inadequate",
        # The word agrees with the n/N written beside it.
        "a fifth of the reviews (2/10) were by internal reviewers",
        "four fifths of them (8 of 10) were male",
    ],
)
def test_fraction_words_that_a_figure_gives_pass(sentence):
    assert problems(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The social worker spoke on behalf of the young person.",
        "Visits paused over half-term and the review resumed after.",
        "a half-day of the review was spent with the family",
        "the visit took half an hour",
        "in the first half of the year, and the second half of the review period",
        "halfway through the review",
        "a half-term of the school year",
    ],
)
def test_half_that_is_not_a_figure_is_left_alone(sentence):
    assert problems_without_comparator(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "flagged", "problem"),
    [
        # Some figure is exactly half (7 of 14), but "about" says this one is not quite.
        ("about half of the reviews", "about half",
         "'about half' is an approximation: write the figure as 'n of N' instead"),
        ("just over a fifth of the reviews", "just over a fifth",
         "'just over a fifth' is an approximation: write the figure as 'n of N' instead"),
        ("Around four fifths of the children", "Around four fifths",
         "'Around four fifths' is an approximation: write the figure as 'n of N' instead"),
    ],
)  # fmt: skip
def test_hedged_fraction_words_are_caught_even_when_a_figure_is_exact(sentence, flagged, problem):
    assert problems(sentence) == [(flagged, problem)]


@pytest.mark.parametrize(
    ("sentence", "flagged", "problem"),
    [
        # The author says which figure they mean, so the word is checked against that figure.
        ("two thirds of the reviews (6/10) were Outstanding", "two thirds",
         "6/10 is not two thirds"),
        ("half of the reviews (6 of 10) were Outstanding", "half", "6/10 is not half"),
    ],
)  # fmt: skip
def test_fraction_words_are_checked_against_the_figure_beside_them(sentence, flagged, problem):
    assert problems(sentence) == [(flagged, problem)]


def test_a_fraction_word_the_slash_check_covers_is_reported_once():
    assert problems("two thirds (6/10) of the reviews") == [
        ("two thirds (6/10)", "6/10 is not two thirds")
    ]


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        ("compared to 57 per cent in the July cohort", "no computed figure is 57%"),
        ("compared to 57 percent in the July cohort", "no computed figure is 57%"),
        ("in 6.5 per cent of reviews", "no computed figure is 6.5%"),
        ("Good (2 of 10 (25 per cent))", "2 of 10 is 20%, not 25%"),
        ("Good (2 out of 10 (25 percent))", "2 of 10 is 20%, not 25%"),
        ("graded Good in 25 per cent (2/10)", "2/10 is not 25%"),
        ("graded Good in 25 percent (2/10)", "2/10 is not 25%"),
    ],
)
def test_percentages_spelled_out_are_checked(sentence, problem):
    assert problem in [found for _, found in problems(sentence)]


@pytest.mark.parametrize(
    "sentence",
    [
        "80 per cent were rated Good or above compared to 93 per cent in July.",
        "80 percent were rated Good or above compared to 93 percent in July.",
        "one child in July, 7.1 per cent of the cohort",  # 1 of 14
        "8 of 10 (80 per cent) were male",
        "good for 20 per cent (2/10) of reviews",
        "a rise of 12 percentage points",  # not a percentage of the reviews
        "in the 90th percentile nationally",
    ],
)
def test_percentages_spelled_out_that_agree_pass(sentence):
    assert problems(sentence) == []


def test_spelled_out_percentages_say_where_they_are():
    [mismatch] = check_figures("up from 57 per cent last time", FIGURES)
    assert mismatch.text == "57 per cent"
