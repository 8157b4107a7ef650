"""Trends (docs/spec/interchange.md#trends-json) against the database: every figure checked
against the hand calculation written beside it, the range, the groups and their suppression,
the CSV and the command."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice_review.alerts.models import Alert
from practice_review.reports.figures import pooled_trends, trends_for, trends_json
from practice_review.reports.trends import equity_lens
from practice_review.reviews.models import Review
from practice_review.reviews.queries import frameworks
from practice_review.site import demo_cohorts
from practice_review.tracker.models import ImpactCheck, Recommendation
from tests.integration.helpers import seed_rows
from tests.integration.test_figures import import_rows

pytestmark = pytest.mark.django_db

STANDARDS = ("basic_details", "visits_in_timescale", "seen_alone", "recording_up_to_date",
             "supervision_frequency", "management_oversight", "chronology_current",
             "legal_documents")  # fmt: skip

# cohort, child, review date, practice, outcome, moderated practice, framework, gender, age,
# ethnicity, UASC, basic details, alerts in the file
ROWS = [
    ("Autumn", "A1", "2024-10-01", "outstanding", "outstanding", "", "looked_after", "M",
     "2 months", "British", "no", "met", "1"),
    ("Autumn", "A2", "2024-10-03", "good", "good", "", "looked_after", "F", "4", "British", "no",
     "met", "0"),
    ("Autumn", "A3", "2024-10-08", "good", "requires_improvement", "", "care_leaver", "M", "19",
     "Eritrean", "yes", "not_met", "2"),
    ("Autumn", "A4", "2024-10-10", "requires_improvement", "requires_improvement", "",
     "care_leaver", "M", "22", "Eritrean", "yes", "not_applicable", "0"),
    ("Autumn", "A5", "2024-10-15", "outstanding", "good", "requires_improvement", "child_in_need",
     "F", "10", "British", "no", "met", "0"),
    ("Autumn", "A6", "2024-10-20", "inadequate", "inadequate", "", "child_protection", "F", "16",
     "", "no", "met", "0"),
    ("Spring", "S1", "2025-03-03", "good", "good", "", "looked_after", "M", "8", "British", "no",
     "met", "0"),
    ("Spring", "S2", "2025-03-05", "good", "outstanding", "", "looked_after", "F", "9",
     "British", "no", "met", "0"),
    ("Spring", "S3", "2025-03-10", "inadequate", "requires_improvement", "", "looked_after",
     "M", "12", "British", "no", "not_met", "0"),
    ("Early", "E1", "2023-05-01", "good", "good", "", "looked_after", "M", "8", "British", "no",
     "met", "0"),
    ("Early", "E2", "2023-05-02", "good", "good", "", "looked_after", "M", "8", "British", "no",
     "met", "0"),
    # In a range that ends on 31 December 2025 by its first review, though its last is later.
    ("Late", "L1", "2025-12-30", "good", "good", "", "care_leaver", "F", "18", "British", "no",
     "met", "0"),
    ("Late", "L2", "2026-01-15", "good", "good", "", "care_leaver", "F", "18", "British", "no",
     "met", "0"),
]  # fmt: skip


@pytest.fixture
def cohorts(actor):
    template = seed_rows()[0]
    rows = []
    for (cohort, ref, date, practice, outcome, moderated, framework, gender, age, ethnicity,
         uasc, basic, alerts) in ROWS:  # fmt: skip
        rows.append({
            **template, **dict.fromkeys(STANDARDS, "met"),
            "cohort": cohort, "child_ref": ref, "initials": ref, "review_date": date,
            "practice_grade": practice, "outcome_grade": outcome,
            "moderated_practice_grade": moderated, "legal_status": framework, "gender": gender,
            "age_at_review": age, "ethnicity": ethnicity, "uasc": uasc, "basic_details": basic,
            "alerts": alerts, "practice_outcome_reason": "Reasons given at the review.",
        })  # fmt: skip
    import_rows(rows, actor)
    # One alert raised in the app, on A2: 1 + 2 in the file, and this one, make 4.
    Alert.objects.create(review=review("A2"), concern="A concern.", severity="low",
                         raised_by=actor)  # fmt: skip
    # Recommendations for a child in Autumn: completed late in the evening of its due date (on
    # time), completed half an hour after midnight the next day (late, though it was still the
    # due date in UTC), open and past due, open and not yet due: 4 made, 3 due, 1 on time.
    due = datetime.date(2024, 10, 20)  # British Summer Time
    evening = datetime.datetime.combine(due, datetime.time(23, 30))
    made_for = [
        ("A1", "completed", evening, due),
        ("A2", "completed", evening + datetime.timedelta(hours=1), due),
        ("A3", "open", None, due),
        ("A4", "open", None, datetime.date(2099, 1, 1)),
    ]
    for ref, status, done, due_date in made_for:
        made = Recommendation.objects.create(
            level="child", review=review(ref), cohort=review(ref).cohort, theme="journey",
            action="Update the chronology.", due_date=due_date, status=status, created_by=actor,
        )  # fmt: skip
        if done:
            ImpactCheck.objects.create(recommendation=made, completed_at=timezone.make_aware(done),
                                       due_on=done.date())  # fmt: skip


def review(ref):
    return Review.objects.get(child__case_ref=ref)


def autumn(trends):
    return next(cohort for cohort in trends["cohorts"] if cohort["name"] == "Autumn")


def test_cohorts_are_in_the_range_by_their_first_review_oldest_first(cohorts):
    trends = trends_for(Review.objects.all(), datetime.date(2024, 1, 1),
                        datetime.date(2025, 12, 31))  # fmt: skip
    assert [c["name"] for c in trends["cohorts"]] == ["Autumn", "Spring", "Late"]
    assert (trends["from"], trends["to"]) == ("2024-01-01", "2025-12-31")
    late = trends["cohorts"][-1]
    assert (late["first_review"], late["last_review"], late["reviews"]) == (
        "2025-12-30", "2026-01-15", 2)  # fmt: skip
    everything = trends_for(Review.objects.all())
    assert [c["name"] for c in everything["cohorts"]] == ["Early", "Autumn", "Spring", "Late"]
    assert (everything["from"], everything["to"]) == (None, None)
    # Both ends are included.
    only = trends_for(Review.objects.all(), datetime.date(2024, 10, 1), datetime.date(2024, 10, 1))
    assert [c["name"] for c in only["cohorts"]] == ["Autumn"]


def test_grades_against_the_hand_calculation(cohorts):
    figures = autumn(trends_for(Review.objects.all()))
    # Practice as counted: A1 outstanding, A2 good, A3 good, A4 requires improvement, A5
    # requires improvement (moderated from outstanding), A6 inadequate: 3 of 6 good or better.
    # Wilson, z = 1.959964, n = 6, p = 0.5: z^2/n = 0.640243, centre = 0.5 (symmetric),
    # half = z / 1.640243 * sqrt(0.25/6 + 3.841459/144) = 1.194922 * 0.261214 = 0.312130,
    # so 18.8 to 81.2.
    assert figures["practice"] == {"good_or_better": 3, "pct": 50.0, "ci95": [18.8, 81.2],
                                   "graded": 6, "outstanding": 1}  # fmt: skip
    # Outcomes: outstanding, good, RI, RI, good, inadequate: 3 of 6, 1 outstanding.
    assert figures["outcome"] == {"good_or_better": 3, "pct": 50.0, "ci95": [18.8, 81.2],
                                  "graded": 6, "outstanding": 1}  # fmt: skip
    assert figures["reviews"] == 6
    spring = trends_for(Review.objects.all())["cohorts"][2]
    # 2 of 3: 66.7. Wilson, n = 3: z^2/n = 1.280486, centre = (0.666667 + 0.640243) / 2.280486
    # = 0.573072, half = 0.859452 * sqrt(0.074074 + 0.106707) = 0.365425: 20.8 to 93.9.
    assert spring["practice"]["pct"] == 66.7
    assert spring["practice"]["ci95"] == [20.8, 93.9]
    assert spring["outcome"]["outstanding"] == 1


def test_standards_met_are_of_the_reviews_where_they_applied(cohorts):
    figures = autumn(trends_for(Review.objects.all()))
    # Basic details: met for A1, A2, A5, A6; not met A3; not applicable A4: 4 of 5.
    assert figures["standards_met"]["basic_details"] == {"met": 4, "applicable": 5}
    assert figures["standards_met_pct"]["basic_details"] == 80.0
    assert figures["standards_met_pct"]["legal_documents"] == 100.0
    assert list(figures["standards_met_pct"]) == list(STANDARDS)


def test_alerts_and_recommendations(cohorts):
    figures = autumn(trends_for(Review.objects.all(), today=datetime.date(2025, 1, 1)))
    assert figures["alerts"] == 4  # 1 + 2 in the file, 1 raised in the app
    assert figures["recommendations"] == {"made": 4, "due": 3, "completed_on_time": 1,
                                          "completed_on_time_pct": 33.3}  # fmt: skip
    # Before any was due, only the completed ones are due.
    early = autumn(trends_for(Review.objects.all(), today=datetime.date(2024, 10, 19)))
    assert early["recommendations"]["due"] == 2


def test_groups_and_their_counts(cohorts):
    by = autumn(trends_for(Review.objects.all()))["by"]
    assert by["gender"] == {
        "male": {"reviews": 3, "practice_good_or_better": 2, "outcome_good_or_better": 1},
        "female": {"reviews": 3, "practice_good_or_better": 1, "outcome_good_or_better": 2},
        "other": {"reviews": 0, "practice_good_or_better": 0, "outcome_good_or_better": 0},
        "not_recorded": {"reviews": 0, "practice_good_or_better": 0, "outcome_good_or_better": 0},
    }
    assert list(by["legal_status"]) == ["early_help", "child_in_need", "child_protection",
                                        "looked_after", "care_leaver"]  # fmt: skip
    assert by["legal_status"]["care_leaver"]["reviews"] == 2
    ages = {band: counts["reviews"] for band, counts in by["age_band"].items()}
    assert ages == {"under_1": 1, "1_to_4": 1, "5_to_9": 0, "10_to_15": 1, "16_to_17": 1,
                    "18_to_20": 1, "21_and_over": 1}  # fmt: skip
    assert {group: counts["reviews"] for group, counts in by["ethnicity"].items()} == {
        "British": 3, "Eritrean": 2, "not_recorded": 1}  # fmt: skip
    assert by["uasc"]["yes"] == {"reviews": 2, "practice_good_or_better": 1,
                                 "outcome_good_or_better": 0}  # fmt: skip
    assert by["uasc"]["no"]["reviews"] == 4


def test_the_json_hides_counts_of_one_or_two_and_nothing_else(cohorts):
    trends = trends_for(Review.objects.all())
    published = trends_json(trends)
    by = autumn(published)["by"]
    assert by["gender"]["male"] == {"reviews": 3, "practice_good_or_better": None,
                                    "outcome_good_or_better": None}  # fmt: skip
    assert by["gender"]["other"]["reviews"] == 0
    assert by["ethnicity"]["British"] == {"reviews": 3, "practice_good_or_better": None,
                                          "outcome_good_or_better": 3}  # fmt: skip
    assert by["uasc"]["yes"]["outcome_good_or_better"] == 0
    # The cohort's own figures are as counted, and the unprotected trends are left alone.
    assert autumn(published)["practice"]["outstanding"] == 1
    assert autumn(trends)["by"]["gender"]["male"]["practice_good_or_better"] == 2


def test_the_number_of_queries_does_not_grow_with_the_cohorts(cohorts, actor):
    with CaptureQueriesContext(connection) as few:
        trends_for(Review.objects.all(), datetime.date(2025, 1, 1))
    template = seed_rows()[0]
    import_rows([{**template, "cohort": f"Extra {n}", "child_ref": f"X{n}",
                  "review_date": f"2025-0{n}-01"} for n in range(1, 8)], actor)  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        trends = trends_for(Review.objects.all())
    assert len(trends["cohorts"]) == 11
    assert len(many) == len(few)


def test_a_team_or_template_filter_is_a_filter_of_the_reviews(cohorts):
    trends = trends_for(Review.objects.filter(child__case_ref__in=["A1", "A2", "S1"]))
    assert [(c["name"], c["reviews"]) for c in trends["cohorts"]] == [("Autumn", 2), ("Spring", 1)]


def test_the_command_writes_json_and_csv(cohorts, tmp_path):
    out = io.StringIO()
    call_command("trends", "--from", "2024-01-01", "--to", "2025-12-31", stdout=out)
    data = json.loads(out.getvalue())
    assert data["schema"] == "practice-review/trends/1"
    assert [c["name"] for c in data["cohorts"]] == ["Autumn", "Spring", "Late"]
    assert data["cohorts"][0]["by"]["gender"]["male"]["practice_good_or_better"] is None
    path = tmp_path / "trends.csv"
    call_command("trends", "--format", "csv", "--output", str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    found = {(r["cohort"], r["series"], r["group"], r["measure"]): r for r in rows}
    practice = found[("Autumn", "all", "", "practice_good_or_better")]
    assert (practice["count"], practice["out_of"], practice["pct"], practice["ci95_low"],
            practice["ci95_high"]) == ("3", "6", "50.0", "18.8", "81.2")  # fmt: skip
    assert found[("Autumn", "gender", "male", "practice_good_or_better")]["count"] == ""
    assert found[("Autumn", "standards", "basic_details", "met")]["out_of"] == "5"
    assert found[("Early", "all", "", "reviews")]["count"] == "2"


def test_a_cohort_name_that_looks_like_a_formula_is_neutralised_in_the_csv(cohorts, tmp_path):
    Review.objects.get(child__case_ref="A1").cohort.__class__.objects.filter(
        name="Spring").update(name="=HYPERLINK(1)")  # fmt: skip
    out = io.StringIO()
    call_command("trends", "--format", "csv", stdout=out)
    assert "'=HYPERLINK(1)" in out.getvalue()
    assert '"=HYPERLINK' not in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2024-13-01"], "--from must be a date like 2026-03-31"),
        (["--to", "yesterday"], "--to must be a date like 2026-03-31"),
        (["--from", "2025-01-02", "--to", "2025-01-01"], "is after --to"),
    ],
)
def test_the_command_refuses_bad_dates(cohorts, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("trends", *arguments, stdout=io.StringIO())


def test_no_cohorts_in_range_is_an_empty_list(cohorts):
    out = io.StringIO()
    call_command("trends", "--from", "2030-01-01", stdout=out)
    assert json.loads(out.getvalue())["cohorts"] == []


def test_the_demos_monthly_cohorts_show_a_trend_and_a_finding(actor):
    today = datetime.date(2026, 12, 6)
    rows = demo_cohorts.monthly_rows(today)
    import_rows(rows, actor)
    trends = trends_for(Review.objects.all(), datetime.date(2024, 12, 6), today)
    names = [cohort["name"] for cohort in trends["cohorts"]]
    assert names[0] == "Monthly audit, January 2025" and names[-1] == "Monthly audit, November 2026"
    assert len(names) == 23

    def pooled(cohorts):
        return sum(c["practice"]["good_or_better"] for c in cohorts) / sum(
            c["reviews"] for c in cohorts)  # fmt: skip

    assert pooled(trends["cohorts"][:6]) + 0.1 < pooled(trends["cohorts"][-6:])
    lens = {table.dimension: table for table in equity_lens(trends, frameworks())}
    assert any("\u201cCare leaver / care experienced\u201d" in sentence
               and sentence.startswith("Outcomes were")
               for sentence in lens["legal_status"].findings)  # fmt: skip


def many_cohorts(actor, dates):
    template = seed_rows()[0]
    import_rows([{**template, "cohort": f"Cohort {n:02d}", "child_ref": f"P{n}",
                  "review_date": day.isoformat(),
                  "practice_grade": "good" if n % 3 else "inadequate"}
                 for n, day in enumerate(dates)], actor)  # fmt: skip


def test_more_than_36_cohorts_are_pooled_by_month_counting_every_review(actor):
    start = datetime.date(2025, 1, 1)
    many_cohorts(actor, [start + datetime.timedelta(days=3 * n) for n in range(40)])
    trends = trends_for(Review.objects.all())
    pooled, period = pooled_trends(trends, [f.key for f in frameworks()])
    assert period == "month"
    names = [cohort["name"] for cohort in pooled["cohorts"]]
    # Every third day from 1 January: days 0 to 30 are January (11 cohorts), 33 to 57
    # February (9), 60 to 87 March (10), 90 to 117 April (10).
    assert names == ["January 2025 (11 cohorts)", "February 2025 (9 cohorts)",
                     "March 2025 (10 cohorts)", "April 2025 (10 cohorts)"]  # fmt: skip
    january = pooled["cohorts"][0]
    # n = 0, 3, 6, 9 are inadequate: 7 of 11 good or better, with the interval of 7 of 11.
    assert january["practice"] == {"good_or_better": 7, "pct": 63.6, "ci95": [35.4, 84.8],
                                   "graded": 11, "outstanding": 0}  # fmt: skip
    assert (january["first_review"], january["last_review"]) == ("2025-01-01", "2025-01-31")
    assert sum(c["reviews"] for c in pooled["cohorts"]) == 40
    assert sum(c["by"]["gender"]["male"]["reviews"] for c in pooled["cohorts"]) == sum(
        c["by"]["gender"]["male"]["reviews"] for c in trends["cohorts"])  # fmt: skip
    # 36 or fewer are shown one by one.
    assert pooled_trends(trends, [], most=40) == (trends, None)


def test_cohorts_over_more_than_36_months_are_pooled_by_quarter(actor):
    many_cohorts(actor, [datetime.date(2022 + n // 12, n % 12 + 1, 5) for n in range(40)])
    pooled, period = pooled_trends(trends_for(Review.objects.all()), [])
    assert period == "quarter"
    assert pooled["cohorts"][0]["name"] == "January to March 2022 (3 cohorts)"
    assert len(pooled["cohorts"]) == 14
