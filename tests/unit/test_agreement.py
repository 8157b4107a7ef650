"""Agreement between reviewers (docs/spec/interchange.md#agreement): quadratic-weighted kappa,
Gwet's AC1.

Pairs are {(first reviewer's grade, second reviewer's grade): count} over the four grades,
indexed 0 outstanding, 1 good, 2 requires_improvement, 3 inadequate (k = 4 categories).

Worked by hand below:
- kappa = (po - pe) / (1 - pe), with weights w(i, j) = 1 - (i - j)^2 / (k - 1)^2,
  which is 1 - (i - j)^2 / 9 here; po = sum w p_ij, pe = sum w a_i b_j (a, b the two
  raters' marginals). Equivalently
  kappa = 1 - Do / De with Do = sum (i - j)^2 p_ij and De = sum (i - j)^2 a_i b_j.
- AC1 = (pa - pe) / (1 - pe), pa = share of exact agreements, pi_c = (a_c + b_c) / 2,
  pe = sum pi_c (1 - pi_c) / (k - 1) = sum pi_c (1 - pi_c) / 3.
"""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practice_review.reports.agreement import (
    FEW_PAIRS,
    agreement_figures,
    agreement_summary,
    agreement_with_moderation,
    exact_agreement,
    gwet_ac1,
    quadratic_weighted_kappa,
)

OUT, GOOD, RI, INAD = "outstanding", "good", "requires_improvement", "inadequate"
GRADES = [OUT, GOOD, RI, INAD]


def test_perfect_agreement_over_two_grades():
    # 3 x (OUT, OUT), 1 x (GOOD, GOOD): a = b = (3/4, 1/4, 0, 0).
    # kappa: po = 1; pe = 9/16 * 1 + 2 * 3/16 * 8/9 + 1/16 * 1 = 10/16 + 1/3 = 23/24;
    #        kappa = (1 - 23/24) / (1 - 23/24) = 1.
    # AC1:   pa = 1; pi = (3/4, 1/4, 0, 0); pe = (3/16 + 3/16) / 3 = 1/8; AC1 = (7/8) / (7/8) = 1.
    pairs = {(OUT, OUT): 3, (GOOD, GOOD): 1}
    assert quadratic_weighted_kappa(pairs) == 1
    assert gwet_ac1(pairs) == 1
    assert agreement_figures(pairs) == {
        "pairs": 4,
        "exact_agreement_pct": 100.0,
        "weighted_kappa": 1.0,
        "gwet_ac1": 1.0,
    }


def test_every_grade_in_one_category_leaves_kappa_undefined_but_ac1_defined():
    # 5 x (GOOD, GOOD): a = b = (0, 1, 0, 0); kappa pe = w(1, 1) * 1 * 1 = 1,
    # so kappa = 0 / 0: None.
    # AC1: pa = 1; pi = (0, 1, 0, 0); pe = (1 * 0) / 3 = 0; AC1 = (1 - 0) / (1 - 0) = 1.
    pairs = {(GOOD, GOOD): 5}
    assert quadratic_weighted_kappa(pairs) is None
    assert gwet_ac1(pairs) == 1
    assert agreement_figures(pairs) == {
        "pairs": 5,
        "exact_agreement_pct": 100.0,
        "weighted_kappa": None,
        "gwet_ac1": 1.0,
    }


def test_one_rater_in_one_category_is_still_defined():
    # 3 x (GOOD, GOOD), 1 x (GOOD, OUT): a = (0, 1, 0, 0), b = (1/4, 3/4, 0, 0).
    # kappa: po = 3/4 + 1/4 * 8/9 = 35/36; pe = 1/4 * 8/9 + 3/4 * 1 = 35/36; kappa = 0.
    # AC1:   pa = 3/4; pi = (1/8, 7/8, 0, 0); pe = 2 * 7/64 / 3 = 7/96;
    #        AC1 = (72/96 - 7/96) / (89/96) = 65/89 = 0.7303... -> 0.730.
    pairs = {(GOOD, GOOD): 3, (GOOD, OUT): 1}
    assert quadratic_weighted_kappa(pairs) == 0
    assert agreement_figures(pairs)["gwet_ac1"] == 0.73
    assert agreement_figures(pairs)["exact_agreement_pct"] == 75.0


def test_two_by_two_disagreement():
    # (OUT, OUT) 4, (OUT, GOOD) 1, (GOOD, OUT) 1, (GOOD, GOOD) 4; n = 10; a = b = (1/2, 1/2, 0, 0).
    # kappa: po = 8/10 + 2/10 * 8/9 = 44/45; pe = 1/4 + 1/4 + 2 * 1/4 * 8/9 = 17/18;
    #        kappa = (44/45 - 17/18) / (1/18) = (88/90 - 85/90) * 18 = 54/90 = 0.6.
    # AC1:   pa = 8/10; pi = (1/2, 1/2, 0, 0); pe = (1/4 + 1/4) / 3 = 1/6;
    #        AC1 = (4/5 - 1/6) / (5/6) = (19/30) / (25/30) = 19/25 = 0.76.
    pairs = {(OUT, OUT): 4, (OUT, GOOD): 1, (GOOD, OUT): 1, (GOOD, GOOD): 4}
    assert quadratic_weighted_kappa(pairs) == Fraction(3, 5)
    assert agreement_figures(pairs) == {
        "pairs": 10,
        "exact_agreement_pct": 80.0,
        "weighted_kappa": 0.6,
        "gwet_ac1": 0.76,
    }


def test_published_example_wikipedia_cohens_kappa():
    # Wikipedia, "Cohen's kappa", worked example: 50 proposals, both yes 20, A yes B no 5,
    # A no B yes 10, both no 15; po = 0.7, pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
    # With yes = outstanding and no = good (adjacent grades), every disagreement has weight
    # 1 - 1/9 in both po and pe, so 1 - po and 1 - pe both scale by 1/9 and the quadratic
    # weighted kappa equals the published unweighted 0.4.
    # AC1 (four categories): pi = (55/100, 45/100, 0, 0); pe = 2 * 0.55 * 0.45 / 3 = 0.165;
    #        AC1 = (0.7 - 0.165) / 0.835 = 0.535 / 0.835 = 107/167 = 0.6407... -> 0.641.
    pairs = {(OUT, OUT): 20, (OUT, GOOD): 5, (GOOD, OUT): 10, (GOOD, GOOD): 15}
    assert quadratic_weighted_kappa(pairs) == Fraction(2, 5)
    assert agreement_figures(pairs) == {
        "pairs": 50,
        "exact_agreement_pct": 70.0,
        "weighted_kappa": 0.4,
        "gwet_ac1": 0.641,
    }


def test_quadratic_weights_count_distant_disagreement_more():
    # (OUT, OUT), (GOOD, GOOD), (RI, RI), (OUT, INAD): one pair each; the disagreement is
    # 3 grades apart.
    # a = (1/2, 1/4, 1/4, 0), b = (1/4, 1/4, 1/4, 1/4).
    # Do = 1/4 * 3^2 = 9/4.
    # De = sum_i a_i * 1/4 * sum_j (i - j)^2 with sum_j (i - j)^2 = 14 (i=0), 6 (i=1), 6 (i=2):
    #    = 1/4 * (1/2 * 14 + 1/4 * 6 + 1/4 * 6) = 1/4 * 10 = 5/2.
    # kappa = 1 - (9/4) / (5/2) = 1 - 9/10 = 1/10.
    # AC1: pa = 3/4; pi = (3/8, 1/4, 1/4, 1/8);
    #      sum pi (1 - pi) = 15/64 + 12/64 + 12/64 + 7/64 = 46/64; pe = 46/192 = 23/96;
    #      AC1 = (72/96 - 23/96) / (73/96) = 49/73 = 0.67123... -> 0.671.
    pairs = {(OUT, OUT): 1, (GOOD, GOOD): 1, (RI, RI): 1, (OUT, INAD): 1}
    assert quadratic_weighted_kappa(pairs) == Fraction(1, 10)
    assert gwet_ac1(pairs) == Fraction(49, 73)
    assert agreement_figures(pairs) == {
        "pairs": 4,
        "exact_agreement_pct": 75.0,
        "weighted_kappa": 0.1,
        "gwet_ac1": 0.671,
    }


def test_systematic_disagreement_is_negative():
    # (OUT, GOOD) 1, (GOOD, OUT) 1: a = b = (1/2, 1/2, 0, 0). Do = 1; De = 2 * 1/4 * 1 = 1/2;
    # kappa = 1 - 1 / (1/2) = -1. AC1: pa = 0; pe = 1/6; AC1 = (-1/6) / (5/6) = -1/5.
    pairs = {(OUT, GOOD): 1, (GOOD, OUT): 1}
    assert quadratic_weighted_kappa(pairs) == -1
    assert agreement_figures(pairs)["weighted_kappa"] == -1.0
    assert agreement_figures(pairs)["gwet_ac1"] == -0.2
    assert agreement_figures(pairs)["exact_agreement_pct"] == 0.0


def test_kappa_is_rounded_half_up_to_three_places():
    # (OUT, OUT) 29, (GOOD, GOOD) 29, (OUT, GOOD) 3, (GOOD, OUT) 3; n = 64;
    # a = b = (1/2, 1/2, 0, 0).
    # Two adjacent grades, so kappa is the unweighted one: (58/64 - 1/2) / (1/2) = 13/16
    # = 0.8125 exactly -> half up 0.813 (round-half-even would give 0.812).
    pairs = {(OUT, OUT): 29, (GOOD, GOOD): 29, (OUT, GOOD): 3, (GOOD, OUT): 3}
    assert quadratic_weighted_kappa(pairs) == Fraction(13, 16)
    assert agreement_figures(pairs)["weighted_kappa"] == 0.813
    assert agreement_figures(pairs)["exact_agreement_pct"] == 90.6  # 58/64 = 90.625


# Regression: gwet_ac1 was computed in binary floats, not Fractions (contrary to agreement.py's
# docstring "Computed with Fractions so the same pairs always give the same digits"). In gwet_ac1,
# a grade nobody used has pi = (0 + 0) / 2, and int / int is the float 0.0 in Python, so the whole
# AC1 becomes a float whenever any of the four grades is unused (almost always). Exact halves then
# round the wrong way: here AC1 is exactly 71/80 = 0.8875, which rounds half up to 0.888, but the
# float 0.8875 becomes Fraction(0.8875) = 0.88749999999999995559... and rounds to 0.887.
#   pairs = {(OUT, OUT): 29, (GOOD, GOOD): 29, (OUT, GOOD): 3, (GOOD, OUT): 3}
#   pa = 58/64 = 29/32; pi = (1/2, 1/2, 0, 0); pe = (1/4 + 1/4) / 3 = 1/6;
#   AC1 = (29/32 - 1/6) / (5/6) = (71/96) * (6/5) = 71/80 = 0.8875 -> 0.888.
#   agreement_figures(pairs)["gwet_ac1"] gives 0.887.
def test_ac1_is_exact_and_rounded_half_up_to_three_places():
    pairs = {(OUT, OUT): 29, (GOOD, GOOD): 29, (OUT, GOOD): 3, (GOOD, OUT): 3}
    assert agreement_figures(pairs)["gwet_ac1"] == 0.888


# Regression: same cause. (OUT, GOOD) 1, (GOOD, OUT) 1 gives AC1 = -1/5 exactly (see the hand
# calculation in test_systematic_disagreement_is_negative), but gwet_ac1 returns the float
# -0.19999999999999998.
def test_ac1_is_an_exact_fraction():
    assert gwet_ac1({(OUT, GOOD): 1, (GOOD, OUT): 1}) == Fraction(-1, 5)


def test_no_pairs_give_no_figures():
    assert agreement_figures({}) == {
        "pairs": 0,
        "exact_agreement_pct": None,
        "weighted_kappa": None,
        "gwet_ac1": None,
    }
    assert quadratic_weighted_kappa({}) is None
    assert gwet_ac1({}) is None
    assert exact_agreement({}) is None


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ({(OUT, OUT): 1, (OUT, GOOD): 2}, 33.3),  # 1 of 3
        ({(OUT, OUT): 2, (OUT, GOOD): 1}, 66.7),  # 2 of 3
        ({(OUT, OUT): 1, (GOOD, RI): 7}, 12.5),  # 1 of 8, exactly
        ({(OUT, OUT): 1, (GOOD, RI): 15}, 6.3),  # 1 of 16 = 6.25 -> 6.3
        ({(INAD, OUT): 4}, 0.0),
    ],
)
def test_exact_agreement_pct(pairs, expected):
    assert agreement_figures(pairs)["exact_agreement_pct"] == expected


# ------------------------------------------------------------------- published examples


@pytest.mark.parametrize(
    ("pairs", "kappa", "printed"),
    [
        # Wikipedia, "Cohen's kappa", section "Same percentages but different numbers": both
        # tables agree on 60 of 100 items, yet kappa is 0.1304 for one and 0.2593 for the other.
        # First:  yes-yes 45, yes-no 15, no-yes 25, no-no 15; po = 0.6,
        #         pe = 0.6 * 0.7 + 0.4 * 0.3 = 0.54, kappa = 0.06 / 0.46 = 3/23 = 0.1304.
        # Second: yes-yes 25, yes-no 35, no-yes 5, no-no 35; po = 0.6,
        #         pe = 0.6 * 0.3 + 0.4 * 0.7 = 0.46, kappa = 0.14 / 0.54 = 7/27 = 0.2593.
        # Yes = outstanding, no = good: adjacent grades, so quadratic weights scale 1 - po and
        # 1 - pe alike and the weighted kappa is the published unweighted one.
        (
            {(OUT, OUT): 45, (OUT, GOOD): 15, (GOOD, OUT): 25, (GOOD, GOOD): 15},
            Fraction(3, 23),
            0.130,
        ),
        (
            {(OUT, OUT): 25, (OUT, GOOD): 35, (GOOD, OUT): 5, (GOOD, GOOD): 35},
            Fraction(7, 27),
            0.259,
        ),
    ],
)
def test_published_example_same_agreement_different_kappa(pairs, kappa, printed):
    assert quadratic_weighted_kappa(pairs) == kappa
    assert agreement_figures(pairs)["weighted_kappa"] == printed
    assert agreement_figures(pairs)["exact_agreement_pct"] == 60.0


# Wongpakaran N, Wongpakaran T, Wedding D, Gwet KL (2013). A comparison of Cohen's Kappa and
# Gwet's AC1 when calculating inter-rater reliability coefficients: a study conducted with
# personality disorder samples. BMC Medical Research Methodology 13:61. The schizoid criterion
# for one rater pair: no-no 13, no-yes 2, yes-no 1, yes-yes 3 (19 patients); the paper gives
# kappa .565 and AC1 .752 (its lowest AC1; the abstract's "ranging from .752").
# By hand: pa = 16/19. Kappa: rater 1 says yes 4 times, rater 2 5 times;
#   pe = (15 * 14 + 4 * 5) / 19^2 = 230/361; kappa = (304/361 - 230/361) / (131/361) = 74/131
#   = 0.5649 -> .565.
# AC1 over the paper's two categories: pi_yes = (4 + 5) / 38 = 9/38;
#   pe = 2 * 9/38 * 29/38 / (2 - 1) = 261/722; AC1 = (608/722 - 261/722) / (461/722) = 347/461
#   = 0.75271 (the paper prints .752, cut short rather than rounded).
# Over our four grades pe is a third of that, 87/722: AC1 = (608 - 87) / (722 - 87) = 521/635.
WONGPAKARAN_SCHIZOID = {(OUT, OUT): 13, (OUT, GOOD): 2, (GOOD, OUT): 1, (GOOD, GOOD): 3}


def test_published_example_wongpakaran_kappa():
    assert quadratic_weighted_kappa(WONGPAKARAN_SCHIZOID) == Fraction(74, 131)
    assert agreement_figures(WONGPAKARAN_SCHIZOID)["weighted_kappa"] == 0.565


def test_published_example_wongpakaran_ac1_over_two_categories():
    ac1 = gwet_ac1(WONGPAKARAN_SCHIZOID, categories=2)
    assert ac1 == Fraction(347, 461)
    assert abs(float(ac1) - 0.752) < 0.001


def test_ac1_over_the_four_grades_counts_chance_over_all_four():
    assert gwet_ac1(WONGPAKARAN_SCHIZOID) == Fraction(521, 635)
    assert agreement_figures(WONGPAKARAN_SCHIZOID)["gwet_ac1"] == 0.820  # 0.82047...


# ---------------------------------------------------------------------- worked by hand


def test_four_by_four_quadratic_weighted_kappa_and_ac1():
    # Twenty dual reviews over all four grades (rows the first reviewer, columns the second):
    #              OUT GOOD  RI INAD
    #   OUT          8    2   0    0
    #   GOOD         1    5   1    0
    #   RI           0    1   1    0
    #   INAD         0    0   0    1
    # Kappa as 1 - Do / De. Do = sum p_ij (i - j)^2 = (2 + 1 + 1 + 1) / 20 = 1/4.
    # With independent ratings De = var(a) + var(b) + (mean a - mean b)^2:
    #   a = (10, 7, 2, 1) / 20: mean 14/20 = 0.7, mean square 24/20 = 1.2, variance 0.71;
    #   b = (9, 8, 2, 1) / 20:  mean 15/20 = 0.75, mean square 25/20 = 1.25, variance 0.6875;
    #   De = 0.71 + 0.6875 + 0.0025 = 1.4 = 7/5. kappa = 1 - (1/4) / (7/5) = 1 - 5/28 = 23/28
    #   = 0.82142... -> 0.821.
    # AC1: pa = 15/20; pi = (19, 15, 4, 2) / 40;
    #   sum pi (1 - pi) = (19 * 21 + 15 * 25 + 4 * 36 + 2 * 38) / 1600 = 994/1600;
    #   pe = 994/4800 = 497/2400; AC1 = (1800 - 497) / (2400 - 497) = 1303/1903 = 0.68471...
    pairs = {
        (OUT, OUT): 8, (OUT, GOOD): 2,
        (GOOD, OUT): 1, (GOOD, GOOD): 5, (GOOD, RI): 1,
        (RI, GOOD): 1, (RI, RI): 1,
        (INAD, INAD): 1,
    }  # fmt: skip
    assert quadratic_weighted_kappa(pairs) == Fraction(23, 28)
    assert gwet_ac1(pairs) == Fraction(1303, 1903)
    assert agreement_figures(pairs) == {
        "pairs": 20,
        "exact_agreement_pct": 75.0,
        "weighted_kappa": 0.821,
        "gwet_ac1": 0.685,
    }


def test_grades_bunched_on_outstanding_sink_kappa_but_not_ac1():
    # The reference cohort's shape: 80% outstanding. 20 pairs, (OUT, OUT) 16, (OUT, GOOD) 2,
    # (GOOD, OUT) 2: the reviewers agree on 16 of 20 cases.
    # a = b = (18/20, 2/20, 0, 0), adjacent grades, so kappa is the unweighted one:
    #   pe = 0.9^2 + 0.1^2 = 0.82; kappa = (0.8 - 0.82) / 0.18 = -1/9 = -0.111: "worse than
    #   chance" although they agreed 80% of the time. This is why the page shows AC1.
    # AC1: pi = (0.9, 0.1, 0, 0); pe = (0.09 + 0.09) / 3 = 0.06; AC1 = 0.74 / 0.94 = 37/47
    #   = 0.787.
    pairs = {(OUT, OUT): 16, (OUT, GOOD): 2, (GOOD, OUT): 2}
    assert quadratic_weighted_kappa(pairs) == Fraction(-1, 9)
    assert gwet_ac1(pairs) == Fraction(37, 47)
    assert agreement_figures(pairs) == {
        "pairs": 20,
        "exact_agreement_pct": 80.0,
        "weighted_kappa": -0.111,
        "gwet_ac1": 0.787,
    }


def test_all_agree_on_outstanding_leaves_kappa_undefined():
    # Every grade from both reviewers outstanding: kappa's chance agreement is 1 (0/0).
    # AC1: pa = 1, pi = (1, 0, 0, 0), pe = 0: AC1 = 1.
    pairs = {(OUT, OUT): 12}
    assert quadratic_weighted_kappa(pairs) is None
    assert gwet_ac1(pairs) == 1
    summary = agreement_summary(pairs)
    assert summary["kappa_undefined"] is True
    assert summary["weighted_kappa"] is None and summary["weighted_kappa_text"] is None
    assert summary["gwet_ac1_text"] == "1.000"
    assert summary["exact_agreement"] == "12 of 12 (100%)"


def test_all_agree_over_several_grades_gives_kappa_one():
    # po = 1 and pe < 1 (two grades in use), so kappa = (1 - pe) / (1 - pe) = 1.
    pairs = {(OUT, OUT): 3, (RI, RI): 2, (INAD, INAD): 1}
    assert quadratic_weighted_kappa(pairs) == 1
    assert gwet_ac1(pairs) == 1
    assert agreement_summary(pairs)["kappa_undefined"] is False


def test_each_reviewer_bunched_on_a_different_grade_is_defined():
    # First reviewer always outstanding, second always good: a = (1, 0, 0, 0), b = (0, 1, 0, 0).
    # po = w(0, 1) = 8/9 = pe, so kappa = 0: no better than chance, but not undefined.
    # AC1: pa = 0; pi = (1/2, 1/2, 0, 0); pe = 1/6; AC1 = (-1/6) / (5/6) = -1/5.
    pairs = {(OUT, GOOD): 5}
    assert quadratic_weighted_kappa(pairs) == 0
    assert gwet_ac1(pairs) == Fraction(-1, 5)
    assert agreement_summary(pairs)["kappa_undefined"] is False


# ------------------------------------------------------------------ the page's summary


def test_summary_is_the_json_figures_plus_how_the_page_words_them():
    pairs = {(OUT, OUT): 4, (OUT, GOOD): 1, (GOOD, OUT): 1, (GOOD, GOOD): 4}
    summary = agreement_summary(pairs)
    assert {key: summary[key] for key in agreement_figures(pairs)} == agreement_figures(pairs)
    assert summary["agreed"] == 8
    assert summary["exact_agreement"] == "8 of 10 (80%)"
    assert summary["weighted_kappa_text"] == "0.600"
    assert summary["gwet_ac1_text"] == "0.760"
    assert summary["few_pairs"] is True


def test_few_pairs_means_fewer_than_twenty():
    assert FEW_PAIRS == 20
    assert agreement_summary({(OUT, OUT): 10, (GOOD, GOOD): 9})["few_pairs"] is True
    assert agreement_summary({(OUT, OUT): 10, (GOOD, GOOD): 10})["few_pairs"] is False


def test_negative_kappa_keeps_its_sign_on_the_page():
    summary = agreement_summary({(OUT, GOOD): 1, (GOOD, OUT): 1})
    assert summary["weighted_kappa_text"] == "-1.000"
    assert summary["gwet_ac1_text"] == "-0.200"


def test_summary_of_no_pairs_says_nothing_is_undefined_yet():
    summary = agreement_summary({})
    assert summary["pairs"] == 0
    assert summary["kappa_undefined"] is False
    assert summary["weighted_kappa_text"] is None and summary["gwet_ac1_text"] is None
    assert summary["exact_agreement"] == "0 of 0"


# ----------------------------------------------------------- reviewers against moderation


def test_each_reviewers_grades_against_moderation():
    by_reviewer = {
        # 3 moderated on practice: 1 changed (outstanding -> good). Outcome: 2, both kept.
        "Independent Associate": {
            "practice": {(OUT, OUT): 2, (OUT, GOOD): 1},
            "outcome": {(GOOD, GOOD): 2},
        },
        # Only the outcome grade was taken to moderation, and changed.
        "Head of Safeguarding and QA": {"outcome": {(RI, GOOD): 1}},
    }
    result = agreement_with_moderation(by_reviewer)
    names = [row["reviewer"] for row in result["reviewers"]]
    assert names == ["Head of Safeguarding and QA", "Independent Associate"]
    head, associate = result["reviewers"]
    assert associate["practice"] == {
        "pairs": 3,
        "kept": 2,
        "changed": 1,
        "exact_agreement_pct": 66.7,
        "exact_agreement": "2 of 3 (67%)",
    }
    assert associate["outcome"]["exact_agreement"] == "2 of 2 (100%)"
    assert associate["outcome"]["changed"] == 0
    assert head["practice"] == {
        "pairs": 0,
        "kept": 0,
        "changed": 0,
        "exact_agreement_pct": None,
        "exact_agreement": "0 of 0",
    }
    assert head["outcome"]["changed"] == 1
    # All reviewers together: what the figures call grades_changed_at_moderation.
    together = result["all_reviewers"]
    assert (together["practice"]["changed"], together["outcome"]["changed"]) == (1, 1)
    assert together["outcome"]["exact_agreement"] == "2 of 3 (67%)"


def test_no_moderated_reviews_give_no_rows():
    result = agreement_with_moderation({})
    assert result["reviewers"] == []
    assert result["all_reviewers"]["practice"]["pairs"] == 0


# ---------------------------------------------------------------------------- properties

pair_tables = st.dictionaries(
    st.tuples(st.sampled_from(GRADES), st.sampled_from(GRADES)),
    st.integers(1, 50),
    min_size=1,
    max_size=16,
)


def reference_kappa(pairs):
    """1 - Do / De with squared distances: the same kappa, written another way."""
    n = sum(pairs.values())
    index = {grade: position for position, grade in enumerate(GRADES)}
    a = [Fraction(sum(c for (x, _), c in pairs.items() if x == g), n) for g in GRADES]
    b = [Fraction(sum(c for (_, y), c in pairs.items() if y == g), n) for g in GRADES]
    observed = sum(Fraction(c, n) * (index[x] - index[y]) ** 2 for (x, y), c in pairs.items())
    expected = sum(a[i] * b[j] * (i - j) ** 2 for i in range(4) for j in range(4))
    return None if expected == 0 else 1 - observed / expected


def reference_ac1(pairs):
    n = sum(pairs.values())
    agreed = Fraction(sum(c for (x, y), c in pairs.items() if x == y), n)
    pi = [
        Fraction(
            sum(c for (x, _), c in pairs.items() if x == g)
            + sum(c for (_, y), c in pairs.items() if y == g),
            2 * n,
        )
        for g in GRADES
    ]
    chance = sum(p * (1 - p) for p in pi) / 3
    return (agreed - chance) / (1 - chance)


@settings(deadline=None)
@given(pairs=pair_tables)
def test_kappa_matches_the_disagreement_form_exactly(pairs):
    assert quadratic_weighted_kappa(pairs) == reference_kappa(pairs)


@settings(deadline=None)
@given(pairs=pair_tables)
def test_ac1_matches_a_fraction_reference(pairs):
    assert float(gwet_ac1(pairs)) == pytest.approx(float(reference_ac1(pairs)), abs=1e-12)


@settings(deadline=None)
@given(pairs=pair_tables, scale=st.integers(2, 7))
def test_figures_do_not_depend_on_rater_order_or_scale(pairs, scale):
    figures = agreement_figures(pairs)
    swapped = agreement_figures({(y, x): c for (x, y), c in pairs.items()})
    scaled = agreement_figures({cell: c * scale for cell, c in pairs.items()})
    assert swapped == figures
    assert {**scaled, "pairs": figures["pairs"]} == figures
    assert scaled["pairs"] == scale * figures["pairs"]


@settings(deadline=None)
@given(pairs=pair_tables)
def test_figures_are_bounded_and_kappa_undefined_only_for_one_shared_category(pairs):
    figures = agreement_figures(pairs)
    assert 0 <= figures["exact_agreement_pct"] <= 100
    assert -1 <= figures["gwet_ac1"] <= 1
    used = {grade for cell in pairs for grade in cell}
    if len(used) == 1:
        assert figures["weighted_kappa"] is None
    else:
        assert -1 <= figures["weighted_kappa"] <= 1
    all_agree = all(x == y for x, y in pairs)
    assert (figures["exact_agreement_pct"] == 100.0) == all_agree
    if all_agree:
        assert figures["gwet_ac1"] == 1.0
        assert figures["weighted_kappa"] in (1.0, None)
