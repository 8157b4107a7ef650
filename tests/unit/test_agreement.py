"""Agreement between reviewers (interchange.md, "agreement"): quadratic-weighted kappa, Gwet's AC1.

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
    agreement_figures,
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


@settings(max_examples=1000, deadline=None)
@given(pairs=pair_tables)
def test_kappa_matches_the_disagreement_form_exactly(pairs):
    assert quadratic_weighted_kappa(pairs) == reference_kappa(pairs)


@settings(max_examples=1000, deadline=None)
@given(pairs=pair_tables)
def test_ac1_matches_a_fraction_reference(pairs):
    assert float(gwet_ac1(pairs)) == pytest.approx(float(reference_ac1(pairs)), abs=1e-12)


@settings(max_examples=1000, deadline=None)
@given(pairs=pair_tables, scale=st.integers(2, 7))
def test_figures_do_not_depend_on_rater_order_or_scale(pairs, scale):
    figures = agreement_figures(pairs)
    swapped = agreement_figures({(y, x): c for (x, y), c in pairs.items()})
    scaled = agreement_figures({cell: c * scale for cell, c in pairs.items()})
    assert swapped == figures
    assert {**scaled, "pairs": figures["pairs"]} == figures
    assert scaled["pairs"] == scale * figures["pairs"]


@settings(max_examples=1000, deadline=None)
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
