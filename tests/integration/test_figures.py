"""The figures module against the database: counted grades, snapshots, rounding, queries."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from practice_review.reports.figures import cohort_figures
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.models import Child, Review
from practice_review.reviews.queries import find_cohort, reviews_visible_to
from tests.conftest import JULY, SEPTEMBER
from tests.integration.helpers import csv_bytes, make_recommendations_for_the_figures, seed_rows

pytestmark = pytest.mark.django_db


def import_rows(rows, actor):
    result = import_reviews(data=csv_bytes(rows), file_name="test.csv", by=actor)
    assert result.ok, [str(p) for p in result.problems]


def test_one_of_sixteen_is_six_point_three_percent(actor):
    template = seed_rows()[0]
    rows = [
        {**template, "cohort": "Sixteen", "child_ref": f"S{n}", "practice_grade": "good"}
        for n in range(16)
    ]
    rows[0]["practice_grade"] = "inadequate"
    import_rows(rows, actor)
    figures = cohort_figures(find_cohort("sixteen"))
    assert figures["practice"]["good_or_better_pct"] == 93.8  # 15 of 16 = 93.75, half up
    assert figures["practice"]["inadequate"] == 1


def test_half_percentages_round_up(actor):
    template = seed_rows()[0]
    rows = [{**template, "cohort": "Eight", "child_ref": f"E{n}", "outcome_grade": "good"}
            for n in range(8)]  # fmt: skip
    rows[0]["outcome_grade"] = "requires_improvement"
    import_rows(rows, actor)
    assert cohort_figures(find_cohort("Eight"))["outcome"]["good_or_better_pct"] == 87.5


def test_moderated_grades_count_and_the_originals_stay(seeded, actor):
    rows = seed_rows()
    rows[0]["moderated_practice_grade"] = "good"  # VB: outstanding -> good
    rows[0]["moderated_outcome_grade"] = "outstanding"  # unchanged at moderation
    import_rows(rows, actor)
    figures = cohort_figures(find_cohort(SEPTEMBER))
    assert (figures["practice"]["outstanding"], figures["practice"]["good"]) == (7, 3)
    assert figures["both_outstanding"] == 5
    assert figures["moderated"] == 1
    assert figures["grades_changed_at_moderation"] == {"practice": 1, "outcome": 0}
    assert Review.objects.get(child__case_ref="C1001").grade("practice") == "outstanding"


def test_only_completed_reviews_are_counted(seeded):
    Review.objects.filter(child__case_ref__in=["C1001", "C1002"]).update(status="in_progress")
    figures = cohort_figures(find_cohort(SEPTEMBER))
    assert figures["cohort"]["reviews"] == 8


def test_figures_use_the_snapshot_not_the_childs_current_details(seeded):
    Child.objects.filter(case_ref="C1008").update(date_of_birth=datetime.date(2000, 1, 1))
    figures = cohort_figures(find_cohort(SEPTEMBER))
    assert figures["age"] == {"under_18": 4, "aged_18_or_over": 6, "aged_21_or_over": 4}


def test_agreement_appears_when_a_review_has_a_second_reviewer(seeded, actor):
    rows = seed_rows()
    for row, second in zip(rows[:4], ["outstanding", "good", "outstanding", "outstanding"],
                           strict=True):  # fmt: skip
        row.update(second_reviewer="Second Person", second_practice_grade=second,
                   second_outcome_grade=row["outcome_grade"])  # fmt: skip
    import_rows(rows, actor)
    agreement = cohort_figures(find_cohort(SEPTEMBER))["agreement"]
    # First reviewers gave outstanding to all four; the second gave good once: 3 of 4 agree.
    assert agreement["practice"]["pairs"] == 4
    assert agreement["practice"]["exact_agreement_pct"] == 75.0
    assert agreement["outcome"]["exact_agreement_pct"] == 100.0
    assert cohort_figures(find_cohort(JULY))["agreement"] is None


def test_counting_takes_the_same_queries_however_many_reviews_there_are(
    seeded, actor, django_assert_num_queries
):
    september, july = find_cohort(SEPTEMBER), find_cohort(JULY)
    # 5 a cohort: the template versions counted, the counts, the alerts, the dual reviews, the
    # recommendations for children; and the council's frameworks, once
    with django_assert_num_queries(11):
        cohort_figures(september, compare=july)
    template = {**seed_rows()[0], "second_reviewer": "Second", "second_practice_grade": "good",
                "second_outcome_grade": "good"}  # fmt: skip
    import_rows([{**template, "child_ref": f"M{n}"} for n in range(60)], actor)
    make_recommendations_for_the_figures(actor, timezone.localdate())
    with django_assert_num_queries(11):
        figures = cohort_figures(september, compare=july)
    assert figures["cohort"]["reviews"] == 70


def test_recommendations_for_children_made_and_overdue_today_within_the_readers_scope(cast, actor):
    today = timezone.localdate()
    make_recommendations_for_the_figures(actor, today)
    september, july = find_cohort(SEPTEMBER), find_cohort(JULY)
    everyone = cohort_figures(september, compare=july)
    assert everyone["recommendations"] == {"made": 6, "overdue": 3}
    assert everyone["comparison"]["recommendations"] == {"made": 0, "overdue": 0}
    manager = cohort_figures(september, reviews=reviews_visible_to(cast["manager"]))
    assert manager["recommendations"] == {"made": 5, "overdue": 2}
    # Overdue on the day the figures are worked out: tomorrow, what is due today is overdue too.
    tomorrow = cohort_figures(september, today=today + datetime.timedelta(days=1))
    assert tomorrow["recommendations"] == {"made": 6, "overdue": 4}
    # Only completed reviews are counted, and their recommendations with them.
    Review.objects.filter(child__case_ref="C1003").update(status="in_progress")
    assert cohort_figures(september)["recommendations"] == {"made": 5, "overdue": 2}


def test_report_command_prints_the_json_figures_with_the_comparison(seeded, capsys):
    call_command("report", cohort="september 2024 TO february 2025 ", compare=JULY)
    figures = json.loads(capsys.readouterr().out)
    assert figures["schema"] == "practice-review/report-figures/1"
    assert figures["cohort"]["name"] == SEPTEMBER
    assert figures["comparison"]["practice"]["good_or_better_pct"] == 85.7
    assert "comparison" not in figures["comparison"]
