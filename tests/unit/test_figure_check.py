"""The figure check catches the reference report's own inconsistencies (domain.md)."""

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
         "5 of 10 is not one of the computed figures"),
        # 2.2.5: four young people were exactly 21: the figures count "aged 21 or over".
        ("4 out of 10 (40%) of the young people were aged over 21",
         "the figures count 'aged 21 or over': say exactly that"),
        # 3.3: the outcome grades were 6 outstanding and 2 good, not 5 and 3.
        ("Outstanding for 5 of the 10, Good for 3 of the 10",
         "5 of 10 is not one of the computed figures"),
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
        ("57.14%", "no computed figure is 57.14%")
    ]
