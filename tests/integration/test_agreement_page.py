"""The agreement page (/agreement/): who may see it, and that its numbers are the JSON figures'.

The seed file has no dual reviews, so `dual_reviewed` re-imports it with six September reviews
given a second, blind reviewer and three of them moderated, as a QA lead's file would.
"""

import json
import re

import pytest
from django.core.management import call_command

from practice_review.core.numbers import n_of_n
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.queries import find_cohort
from tests.conftest import JULY, SEPTEMBER
from tests.integration.helpers import csv_bytes, seed_rows

pytestmark = pytest.mark.django_db

URL = "/agreement/"
UNDEFINED = "Cannot be calculated: every grade is the same"
CAUTION = "With fewer than 20 pairs, kappa and AC1 are very uncertain"
FIGURE = re.compile(r'data-figure="([a-z0-9-]+)">([^<]*)<')

# The second reviewer's grades for the first six September reviews, whose own grades are
# practice O O O O O G and outcome O O O O RI RI (seed-cohorts.csv).
SECOND_PRACTICE = ["outstanding", "good", "outstanding", "outstanding", "outstanding", "good"]
SECOND_OUTCOME = ["outstanding", "outstanding", "outstanding", "good", "requires_improvement",
                  "good"]  # fmt: skip


def import_rows(rows, actor):
    result = import_reviews(data=csv_bytes(rows), file_name="dual.csv", by=actor)
    assert result.ok, [str(problem) for problem in result.problems]


@pytest.fixture
def dual_reviewed(cast, actor):
    rows = seed_rows()
    september = [row for row in rows if row["cohort"] == SEPTEMBER]
    for row, practice, outcome in zip(september, SECOND_PRACTICE, SECOND_OUTCOME, strict=False):
        row.update(second_reviewer="Second Reader", second_practice_grade=practice,
                   second_outcome_grade=outcome)  # fmt: skip
    # Moderation: the first review's practice grade changed, the second's outcome grade changed,
    # the third (by the Head of Safeguarding and QA) kept on both.
    september[0].update(moderated_practice_grade="good", moderated_outcome_grade="outstanding")
    september[1].update(moderated_practice_grade="outstanding", moderated_outcome_grade="good")
    september[2].update(moderated_practice_grade="outstanding",
                        moderated_outcome_grade="outstanding")  # fmt: skip
    import_rows(rows, actor)
    return cast


def json_figures(capsys, cohort):
    """The figures exactly as `practice-review report --format json` prints them."""
    capsys.readouterr()
    call_command("report", "--cohort", cohort, "--format", "json")
    return json.loads(capsys.readouterr().out)


def page(client, user, **query):
    client.force_login(user)
    return client.get(URL, query)


def figures_on(response):
    return dict(FIGURE.findall(response.content.decode()))


def text_of(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# ---------------------------------------------------------------------------- who may see it


@pytest.mark.parametrize(
    "person",
    ["reviewer_independent", "reviewer_internal", "practitioner", "manager", "admin", "outsider"],
)
def test_people_without_the_agreement_permission_get_not_found(client, dual_reviewed, person):
    assert page(client, dual_reviewed[person]).status_code == 404


def test_signed_out_people_are_asked_to_sign_in(client, dual_reviewed):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("person", ["qa_lead", "senior_leader"])
def test_qa_lead_and_senior_leaders_see_the_page(client, dual_reviewed, person):
    response = page(client, dual_reviewed[person])
    assert response.status_code == 200
    assert "Agreement between reviewers" in text_of(response)


@pytest.mark.parametrize(
    ("person", "shown"),
    [("qa_lead", True), ("senior_leader", True), ("reviewer_independent", False),
     ("manager", False)],
)  # fmt: skip
def test_navigation_offers_the_page_only_to_those_who_may_see_it(
    client, dual_reviewed, person, shown
):
    client.force_login(dual_reviewed[person])
    assert (f'href="{URL}"' in client.get("/").content.decode()) == shown


# ------------------------------------------------------------- the numbers are the JSON's


@pytest.mark.parametrize("person", ["qa_lead", "senior_leader"])
def test_numbers_on_the_page_are_the_json_figures(client, capsys, dual_reviewed, person):
    figures = json_figures(capsys, SEPTEMBER)
    cohort = find_cohort(SEPTEMBER)
    shown = figures_on(page(client, dual_reviewed[person], cohort=cohort.pk))
    for axis in ("practice", "outcome"):
        agreement = figures["agreement"][axis]
        pairs = agreement["pairs"]
        agreed = round(agreement["exact_agreement_pct"] * pairs / 100)
        assert int(shown[f"{axis}-pairs"]) == pairs == 6
        assert shown[f"{axis}-exact-agreement"] == n_of_n(agreed, pairs)
        assert float(shown[f"{axis}-weighted-kappa"]) == agreement["weighted_kappa"]
        assert float(shown[f"{axis}-gwet-ac1"]) == agreement["gwet_ac1"]
        changed = figures["grades_changed_at_moderation"][axis]
        assert int(shown[f"{axis}-changed-at-moderation"]) == changed == 1
    # Worked out from the grades above: practice 5 of 6 agree, outcome 4 of 6.
    assert shown["practice-exact-agreement"] == "5 of 6 (83%)"
    assert shown["outcome-exact-agreement"] == "4 of 6 (67%)"


def test_few_pairs_lead_with_exact_agreement_and_caution_kappa(client, dual_reviewed):
    cohort = find_cohort(SEPTEMBER)
    response = page(client, dual_reviewed["qa_lead"], cohort=cohort.pk)
    html = response.content.decode()
    assert text_of(response).count(CAUTION) == 2  # once for each grade
    assert "govuk-warning-text" in html
    # Exact agreement and the grades changed at moderation come before kappa and AC1, and
    # those two sit inside the caution's inset.
    practice = html[html.index('id="axis-practice"') : html.index('id="axis-outcome"')]
    order = ["practice-exact-agreement", "practice-changed-at-moderation",
             'data-caution="practice"', "practice-weighted-kappa", "practice-gwet-ac1"]  # fmt: skip
    positions = [practice.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_twenty_pairs_or_more_show_kappa_without_the_caution(client, cast, actor):
    template = seed_rows()[0]
    rows = [
        {**template, "cohort": "Twenty", "child_ref": f"T{n}", "second_reviewer": "Second Reader",
         "second_practice_grade": "outstanding" if n % 4 else "good",
         "second_outcome_grade": template["outcome_grade"]}
        for n in range(20)
    ]  # fmt: skip
    import_rows(rows, actor)
    response = page(client, cast["qa_lead"], cohort=find_cohort("Twenty").pk)
    assert CAUTION not in text_of(response)
    shown = figures_on(response)
    assert shown["practice-pairs"] == "20"
    assert shown["practice-exact-agreement"] == "15 of 20 (75%)"
    # Every outcome grade is outstanding from both reviewers: kappa is 0/0.
    assert shown["outcome-weighted-kappa"] == UNDEFINED
    assert shown["outcome-gwet-ac1"] == "1.000"


def test_kappa_that_cannot_be_calculated_says_so_in_plain_words(client, cast, actor):
    template = seed_rows()[0]  # outstanding on both grades
    rows = [
        {**template, "cohort": "Bunched", "child_ref": f"B{n}", "second_reviewer": "Second Reader",
         "second_practice_grade": "outstanding", "second_outcome_grade": "outstanding"}
        for n in range(3)
    ]  # fmt: skip
    import_rows(rows, actor)
    response = page(client, cast["qa_lead"], cohort=find_cohort("Bunched").pk)
    assert response.status_code == 200
    shown = figures_on(response)
    assert shown["practice-weighted-kappa"] == UNDEFINED
    assert shown["outcome-weighted-kappa"] == UNDEFINED
    assert shown["practice-exact-agreement"] == "3 of 3 (100%)"
    assert "nan" not in text_of(response).lower()


# ------------------------------------------------------------------------- the cohort filter


def test_the_cohort_filter_is_a_select_with_every_cohort(client, dual_reviewed):
    html = page(client, dual_reviewed["qa_lead"]).content.decode()
    assert '<form method="get"' in html
    assert 'class="govuk-select' in html
    assert ">All cohorts</option>" in html
    assert f">{SEPTEMBER}</option>" in html and f">{JULY}</option>" in html
    assert ">Apply</button>" in html


def test_a_cohort_without_dual_reviews_has_no_pairs(client, capsys, dual_reviewed):
    assert json_figures(capsys, JULY)["agreement"] is None
    response = page(client, dual_reviewed["qa_lead"], cohort=find_cohort(JULY).pk)
    shown = figures_on(response)
    assert (shown["practice-pairs"], shown["outcome-pairs"]) == ("0", "0")
    assert "practice-weighted-kappa" not in shown
    assert "nothing to compare yet" in text_of(response)
    assert "None of these reviews has been moderated yet." in text_of(response)


def test_all_cohorts_together_by_default(client, dual_reviewed):
    for query in ({}, {"cohort": ""}):  # first visit, and "All cohorts" chosen and applied
        response = page(client, dual_reviewed["qa_lead"], **query)
        assert "All cohorts: 24 completed reviews" in text_of(response)
        assert figures_on(response)["practice-pairs"] == "6"


def test_an_unknown_cohort_is_an_error_on_the_form(client, dual_reviewed):
    response = page(client, dual_reviewed["qa_lead"], cohort="999999")
    assert response.status_code == 400
    assert "Select a cohort from the list" in text_of(response)
    assert "govuk-error-summary" in response.content.decode()


# ------------------------------------------------------------ reviewers against moderation


def test_each_reviewers_grades_against_moderation(client, capsys, dual_reviewed):
    figures = json_figures(capsys, SEPTEMBER)
    response = page(client, dual_reviewed["qa_lead"], cohort=find_cohort(SEPTEMBER).pk)
    html = response.content.decode()
    for axis in ("practice", "outcome"):
        table = html[html.index(f'data-table="moderation-{axis}"') :]
        table = text_of_html(table[: table.index("</table>")])
        # Rows are reviewer, grades moderated, kept at moderation, changed at moderation.
        assert "Head of Safeguarding and QA 1 1 of 1 (100%) 0" in table
        assert "Independent Associate 2 1 of 2 (50%) 1" in table
        changed = figures["grades_changed_at_moderation"][axis]
        assert f"All reviewers 3 2 of 3 (67%) {changed}" in table


def text_of_html(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
