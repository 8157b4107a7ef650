#!/usr/bin/env python
"""Benchmark: the trends of issue 17 over many cohorts (docs/performance.md, "Trends").

    python benchmarks/trends.py [--reviews 50000] [--cohorts 2000] [--database-url URL]

Targets (issue 17): the trends JSON, `trends_json(trends_for(Review.objects.all()))`, in under
0.5 s for 50,000 reviews on SQLite and under 1 s for 1,000,000 reviews in 2,000 cohorts on
PostgreSQL; the same over the page's default range (cohorts whose first review is in the last
24 months) in under 1 s; and a number of queries that does not grow with the cohorts.

Each time is quoted against ONE hand-written grouped SQL query timed in the same run: per
cohort, its reviews, first and last review dates, and practice and outcome good or better by
the counted grade (the moderated grade where there is one, else the reviewer's). The script
checks that the trends give the same numbers as that query.

The database is always fresh: by default an SQLite file in a temporary folder with the
product's SQLite settings; with a `postgres://` URL a throwaway database on that server (the
role needs CREATEDB), dropped at the end. The rows are generated with a fixed seed (--seed) and
written in bulk (COPY on PostgreSQL, executemany on SQLite), not through the app: completed
reviews on the built-in template with answers documents shaped as reviews/answers.py stores
them, the children's snapshot columns, cohorts over eight years, alerts and recommendations.
It prints a table, writes JSON to benchmarks/out/ (git-ignored) and exits 1 if a target is
missed or the trends disagree with the hand-written query.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_and_figures import (  # noqa: E402  (benchmarks are scripts, not a package)
    ETHNICITIES,
    QueryCounter,
    add_database_arguments,
    benchmark_database,
    machine_facts,
)

TARGET_SQLITE_SECONDS = 0.5  # the JSON, 50,000 reviews
TARGET_POSTGRES_SECONDS = 1.0  # the JSON, 1,000,000 reviews in 2,000 cohorts
TARGET_RANGE_SECONDS = 1.0  # the default range (the page's counting)
TARGET_PAGE_SECONDS = 1.0  # the whole page over its default range, its charts drawn afresh
TODAY = datetime.date(2026, 12, 6)
FIRST_MONTH = datetime.date(2018, 12, 1)  # eight years of cohorts up to TODAY
MONTHS = 96
BATCH = 20_000

GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
STANDARDS = [
    "basic_details", "visits_in_timescale", "seen_alone", "recording_up_to_date",
    "supervision_frequency", "management_oversight", "chronology_current", "legal_documents",
]  # fmt: skip
LEGAL_STATUSES = ["early_help", "child_in_need", "child_protection", "looked_after", "care_leaver"]
LEGAL_WEIGHTS = [12, 20, 18, 35, 15]
GENDERS = ["male", "female", "other", "not_recorded"]
GENDER_WEIGHTS = [50, 46, 2, 2]
# The council's own ethnicity groups as recorded (15 values), and some left blank.
ETHNICITY_VALUES = [e for e in ETHNICITIES if e != "Not recorded"] + [""]
RATIONALES = [
    "Visits were regular and the child's voice is clear throughout.",
    "Plans drifted while the case waited for allocation.",
    "",
]


def _near(rng, grade):
    if rng.random() < 0.7:
        return grade
    index = GRADES.index(grade) + rng.choice([-1, 1])
    return GRADES[min(max(index, 0), 3)]


def answers_pool(rng, size=4096):
    """`size` answers documents as the app stores them (reviews/answers.py), as JSON text:
    eight standards' results, practice and outcome grades with reasons, a moderated grade on
    some, a second reviewer's on others. Each review takes one, so generating a million rows
    costs one choice a row, not a document a row."""
    pool = []
    for _ in range(size):
        practice = rng.choices(GRADES, [15, 45, 30, 10])[0]
        outcome = _near(rng, practice)
        grades = {}
        for axis, grade in (("practice", practice), ("outcome", outcome)):
            parts = {"grade": grade}
            if rationale := rng.choice(RATIONALES):
                parts["rationale"] = rationale
            grades[axis] = parts
        if rng.random() < 0.08:  # moderated: agreed at a meeting, often a step away
            for axis in grades:
                if rng.random() < 0.8:
                    grades[axis]["moderated"] = _near(rng, grades[axis]["grade"])
        if rng.random() < 0.08:  # dual review
            for axis in grades:
                grades[axis]["second"] = _near(rng, grades[axis]["grade"])
                grades[axis]["paired"] = grades[axis]["grade"]
        standards = {
            key: {
                "result": rng.choices(["met", "not_met", "not_applicable"], [70, 20, 10])[0],
                "comment": "Seen alone at every visit." if rng.random() < 0.1 else "",
                "put_right": rng.random() < 0.02,
            }
            for key in STANDARDS
        }
        pool.append(json.dumps({"standards": standards, "grades": grades}))
    return pool


def cohort_plan(reviews, cohorts):
    """[(name, first day, days, reviews)]: cohorts spread over MONTHS months up to TODAY, as
    many councils' monthly audits would be, with about the same number of reviews each."""
    plan = []
    for n in range(cohorts):
        month = n * MONTHS // cohorts
        start = datetime.date(
            FIRST_MONTH.year + (FIRST_MONTH.month - 1 + month) // 12,
            (FIRST_MONTH.month - 1 + month) % 12 + 1,
            1,
        )
        size = reviews // cohorts + (1 if n < reviews % cohorts else 0)
        name = f"Area {n % 40 + 1:02d}: {start:%B %Y} ({n + 1})"
        plan.append((name, start, 27, size))
    return plan


# ---------------------------------------------------------------------------- writing in bulk


def _constant_columns(model, given, connection):
    """The columns a bulk insert must fill that `given` does not: each field's default,
    as the database stores it (Django sets defaults in Python, not in the schema)."""
    now = datetime.datetime.now(datetime.UTC)
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()  # "" for text, None for a nullable field
        if value is None and not field.null:
            raise SystemExit(f"{model.__name__}.{field.attname} needs a value")
        values[field.column] = field.get_db_prep_save(value, connection)
    return values


def insert_rows(model, names, rows):
    """Insert `rows` (tuples of `names`, attnames) into `model`'s table in bulk: COPY on
    PostgreSQL, executemany in batches on SQLite. Every other column gets its default."""
    from django.db import connection, transaction

    constants = _constant_columns(model, set(names), connection)
    fields = {field.attname: field for field in model._meta.concrete_fields}
    columns = [fields[name].column for name in names] + list(constants)
    constant_values = tuple(constants.values())
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + constant_values)
            return
        marks = ", ".join("%s" for _ in columns)
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
        batch = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(tuple(_sqlite(value) for value in row) + constant_values)
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def _sqlite(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def generate(reviews, cohorts, seed):
    """The cohorts, children, reviews, alerts and recommendations, in bulk. Returns counts."""
    from django.db import connection

    from practice_review.accounts.models import system_actor
    from practice_review.alerts.models import Alert
    from practice_review.reviews.models import AuditTemplate, Child, Cohort, Review
    from practice_review.tracker.models import ImpactCheck, Recommendation

    rng = random.Random(seed)
    actor = system_actor()
    template = AuditTemplate.objects.built_in()
    plan = cohort_plan(reviews, cohorts)
    Cohort.objects.bulk_create(
        [
            Cohort(name=name, name_key=Cohort.key_for(name), period_start=start,
                   period_end=start + datetime.timedelta(days=days), template=template,
                   selected_by="QA team", selection_reason="mixed")
            for name, start, days, _ in plan
        ],
        batch_size=1000,
    )  # fmt: skip
    cohort_ids = list(Cohort.objects.order_by("id").values_list("id", flat=True))

    # About one child for every 1.2 reviews: some children come back in a later cohort.
    children = max(1, int(reviews / 1.2))
    people = []
    for n in range(children):
        people.append((
            f"CMS{n:07d}", "AB", rng.choices(GENDERS, GENDER_WEIGHTS)[0],
            rng.choice(ETHNICITY_VALUES), rng.random() < 0.06,
        ))  # fmt: skip
    insert_rows(Child, ["case_ref", "initials", "gender", "ethnicity", "uasc"], iter(people))
    child_ids = list(Child.objects.order_by("id").values_list("id", flat=True))

    pool = answers_pool(rng)
    statuses = ["final", "submitted", "in_progress", "assigned"]

    def review_rows():
        n = 0
        for (_, start, days, size), cohort_id in zip(plan, cohort_ids, strict=True):
            for _ in range(size):
                # A child's second review is always in a later cohort than the first.
                person = n if n < children else n - children
                case_ref, _, gender, ethnicity, uasc = people[person]
                legal = rng.choices(LEGAL_STATUSES, LEGAL_WEIGHTS)[0]
                age = rng.randint(18, 24) if legal == "care_leaver" else rng.randint(0, 17)
                if rng.random() < 0.02:
                    age = None  # age not recorded
                status = rng.choices(statuses, [70, 26, 3, 1])[0]
                alerts = rng.randint(1, 3) if rng.random() < 0.03 else 0
                yield (
                    cohort_id, template.pk, child_ids[person],
                    start + datetime.timedelta(days=rng.randrange(days)), status, True,
                    "independent" if rng.random() < 0.6 else "internal", age,
                    "" if age is None else str(age), legal, gender, ethnicity,
                    uasc if rng.random() < 0.97 else None, pool[rng.randrange(len(pool))],
                    alerts,
                )  # fmt: skip
                n += 1

    insert_rows(
        Review,
        ["cohort_id", "template_id", "child_id", "review_date", "status", "imported",
         "reviewer_type", "age_years", "age_as_written", "legal_status", "gender", "ethnicity",
         "uasc", "answers", "alerts_in_file"],
        review_rows(),
    )  # fmt: skip

    # Alerts raised in the app on 2% of reviews; child-level recommendations on 10%, a third
    # of those completed (on time or late), some with an impact check.
    sample = Review.objects.order_by("id").values_list("id", "review_date")
    alerts, recommendations = [], []
    for review_id, review_date in sample.iterator(chunk_size=BATCH):
        if rng.random() < 0.02:
            alerts.append((review_id, "Concern about the child's safety.", "high", actor.pk))
        if rng.random() < 0.10:
            status = rng.choices(["open", "in_progress", "completed", "not_accepted"],
                                 [30, 30, 35, 5])[0]  # fmt: skip
            due = review_date + datetime.timedelta(days=rng.choice([28, 56, 90]))
            recommendations.append((review_id, due, status))
    insert_rows(Alert, ["review_id", "concern", "severity", "raised_by_id"], iter(alerts))
    insert_rows(
        Recommendation,
        ["level", "review_id", "theme", "action", "due_date", "status", "created_by_id"],
        (("child", review_id, "journey", "Update the plan with the child's views.", due, status,
          actor.pk) for review_id, due, status in recommendations),
    )  # fmt: skip
    completed = Recommendation.objects.filter(status="completed").values_list("id", "due_date")
    checks = []
    for recommendation_id, due in completed.iterator(chunk_size=BATCH):
        if rng.random() < 0.7:
            done = due + datetime.timedelta(days=rng.randint(-30, 20))
            at = datetime.datetime.combine(done, datetime.time(12), datetime.UTC)
            checks.append((recommendation_id, at, due + datetime.timedelta(days=90)))
    insert_rows(ImpactCheck, ["recommendation_id", "completed_at", "due_on"], iter(checks))
    # Fresh statistics and, on PostgreSQL, the visibility map that lets a query read an index
    # alone: what autovacuum gives a database that grew by imports over the years.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "cohorts": len(cohort_ids),
        "children": len(child_ids),
        "reviews": Review.objects.count(),
        "completed_reviews": Review.objects.completed().count(),
        "alerts": len(alerts),
        "recommendations": len(recommendations),
        "impact_checks": len(checks),
    }


# ---------------------------------------------------------------------------- the baseline


def baseline_sql(first=None):
    """ONE hand-written grouped query: per cohort of completed reviews, the reviews, first and
    last review dates, and practice and outcome good or better by the counted grade."""
    from django.db import connection

    def json_text(*steps):
        if connection.vendor == "sqlite":
            return f"json_extract(answers, '$.{'.'.join(steps)}')"
        return f"answers #>> '{{{','.join(steps)}}}'"

    def counted(axis):
        return f"COALESCE({json_text('grades', axis, 'moderated')}, {json_text('grades', axis, 'grade')})"  # noqa: E501

    having = " HAVING MIN(review_date) >= %s" if first else ""
    return (
        "SELECT cohort_id, COUNT(*), MIN(review_date), MAX(review_date),\n"
        f"  SUM(CASE WHEN {counted('practice')} IN ('outstanding', 'good') THEN 1 ELSE 0 END),\n"
        f"  SUM(CASE WHEN {counted('outcome')} IN ('outstanding', 'good') THEN 1 ELSE 0 END)\n"
        "FROM reviews_review WHERE status IN ('submitted', 'final')\n"
        f"GROUP BY cohort_id{having}"
    )


def run_baseline(first=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(baseline_sql(first), [first] if first else [])
        return cursor.fetchall()


def compare(trends, raw):
    """Differences between the trends and the hand-written query's rows, by cohort name."""
    from practice_review.reviews.models import Cohort

    names = dict(Cohort.objects.values_list("id", "name"))
    expected = {}
    for cohort_id, reviews, first, last, practice, outcome in raw:
        expected[names[cohort_id]] = (reviews, str(first), str(last), practice, outcome)
    found = {
        cohort["name"]: (cohort["reviews"], cohort["first_review"], cohort["last_review"],
                         cohort["practice"]["good_or_better"], cohort["outcome"]["good_or_better"])
        for cohort in trends["cohorts"]
    }  # fmt: skip
    return {
        name: {"trends": found.get(name), "query": expected.get(name)}
        for name in sorted(set(found) | set(expected))
        if found.get(name) != expected.get(name)
    }


# ---------------------------------------------------------------------------- measuring


def median_time(function, repeats):
    """(median seconds, every run's seconds, the last result), after one warm-up run."""
    function()
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def count_queries(function):
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        function()
    return counter.count


PAGE_URL = "/reports/trends/"


def _page_getter():
    """A function asking for the trends page over its default range as a signed-in QA lead,
    through every middleware, as a browser would."""
    from django.test import Client

    from practice_review.accounts.models import User
    from practice_review.core.vocabulary import Role

    user = User.objects.create_user("benchmark.qa.lead", role=Role.QA_LEAD)
    client = Client()
    client.force_login(user)
    return lambda: client.get(PAGE_URL, secure=True)


def months_before(day, months):
    month = day.month - 1 - months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=50_000)
    parser.add_argument("--cohorts", type=int, default=2_000)
    parser.add_argument(
        "--few-cohorts", type=int, default=20, help="the smaller set whose query count is compared"
    )
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--repeats", type=int, default=5)
    add_database_arguments(parser)
    args = parser.parse_args(argv)

    with benchmark_database(parser, args, "practice-review-trends-"):
        # The page is asked for by Django's test client: one factor is enough for a benchmark,
        # and the client's host must be allowed.
        os.environ["PRACTICE_REVIEW_TWO_FACTOR"] = "false"
        os.environ["ALLOWED_HOSTS"] = "testserver"
        return _run(args)


def _run(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from practice_review.reports import charts as charts_module
    from practice_review.reports.figures import store_every_trend_count, trends_for, trends_json
    from practice_review.reviews.models import Cohort, Review

    call_command("migrate", verbosity=0)
    # The page names its static files by their hashed names, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    backend = connection.vendor
    print(f"generating {args.reviews:,} reviews in {args.cohorts:,} cohorts, seed {args.seed} ...")
    started = time.perf_counter()
    made = generate(args.reviews, args.cohorts, args.seed)
    generated_in = time.perf_counter() - started
    print(f"generated in {generated_in:.1f} s: {made}")
    # The rows were written around the app, so its stored counts are made as after a migrate.
    started = time.perf_counter()
    store_every_trend_count()
    stored_in = time.perf_counter() - started
    print(f"stored every cohort's trend counts in {stored_in:.1f} s")
    default_from = months_before(TODAY, 24)

    def everything():
        return trends_json(trends_for(Review.objects.all(), today=TODAY))

    def default_range():
        return trends_json(trends_for(Review.objects.all(), default_from, TODAY, today=TODAY))

    few = list(Cohort.objects.order_by("id").values_list("id", flat=True)[: args.few_cohorts])
    one_month = (months_before(TODAY, 1), months_before(TODAY, 0) - datetime.timedelta(days=1))

    def few_cohorts():
        return trends_json(trends_for(Review.objects.filter(cohort__in=few), today=TODAY))

    def every_cohort_counted_live():
        return trends_json(trends_for(Review.objects.filter(pk__isnull=False), today=TODAY))

    def one_month_stored():
        return trends_json(trends_for(Review.objects.all(), *one_month, today=TODAY))

    page_get = _page_getter()

    def page_cold():
        # Each chart drawn afresh, as on the first view of a range (charts.py keeps the ones a
        # worker drew last).
        charts_module._svg.cache_clear()
        response = page_get()
        if response.status_code != 200:
            raise SystemExit(f"the trends page answered {response.status_code}")
        return response

    print(f"measuring (median of {args.repeats} after a warm-up) ...")
    load_at_start = os.getloadavg()
    first_call_started = time.perf_counter()
    everything()
    first_call = time.perf_counter() - first_call_started
    all_time, all_runs, all_trends = median_time(everything, args.repeats)
    range_time, range_runs, range_trends = median_time(default_range, args.repeats)
    page_time, page_runs, page_response = median_time(page_cold, args.repeats)
    page_warm_time, _, _ = median_time(page_get, args.repeats)
    page_queries = count_queries(page_get)
    pooled = re.search(r'data-pooled="(\w+)"', page_response.content.decode())
    base_time, base_runs, base_rows = median_time(run_baseline, args.repeats)
    base_range_time, base_range_runs, base_range_rows = median_time(
        lambda: run_baseline(default_from), args.repeats
    )
    # The stored counts (every review) and the live count (reviews filtered), each for every
    # cohort and for a few: the number of queries must not change with the cohorts.
    queries = {
        "stored, all cohorts": count_queries(everything),
        "stored, last 24 months": count_queries(default_range),
        "stored, one month": count_queries(one_month_stored),
        "live, all cohorts": count_queries(every_cohort_counted_live),
        f"live, {len(few)} cohorts": count_queries(few_cohorts),
    }
    few_trends = few_cohorts()
    month_trends = one_month_stored()
    # The same trends counted live from every review (a filter that keeps them all is not
    # "every review" to trends_for), once: what the stored counts save, and a check on them.
    started = time.perf_counter()
    live = trends_json(trends_for(Review.objects.filter(pk__isnull=False), today=TODAY))
    live_time = time.perf_counter() - started
    live_range = trends_json(
        trends_for(Review.objects.filter(pk__isnull=False), default_from, TODAY, today=TODAY)
    )
    mismatches = compare(all_trends, base_rows)
    range_mismatches = compare(range_trends, base_range_rows)
    target = TARGET_POSTGRES_SECONDS if backend == "postgresql" else TARGET_SQLITE_SECONDS
    results = {
        "benchmark": "trends",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine_facts(),
        "load_average_at_start": load_at_start,
        "versions": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "sqlite": sqlite3.sqlite_version,
        },
        "database": {"vendor": backend, "server_version": _server_version(connection)},
        "data": {**made, "seed": args.seed, "generated_seconds": round(generated_in, 1)},
        "today": TODAY.isoformat(),
        "first_call_seconds": first_call,
        "store_every_cohort_seconds": stored_in,
        "live_counting_seconds": live_time,
        "stored_equals_live": live == all_trends and live_range == range_trends,
        "stored_json_equals_live_json": json.dumps(live) == json.dumps(all_trends),
        "all_cohorts": {
            "cohorts": len(all_trends["cohorts"]),
            "seconds_median": all_time,
            "seconds_runs": all_runs,
            "baseline_seconds_median": base_time,
            "baseline_seconds_runs": base_runs,
            "ratio_to_baseline": all_time / base_time,
            "target_seconds": target,
            "meets_target": all_time < target,
        },
        "default_range": {
            "from": default_from.isoformat(),
            "cohorts": len(range_trends["cohorts"]),
            "seconds_median": range_time,
            "seconds_runs": range_runs,
            "baseline_seconds_median": base_range_time,
            "baseline_seconds_runs": base_range_runs,
            "ratio_to_baseline": range_time / base_range_time,
            "target_seconds": TARGET_RANGE_SECONDS,
            "meets_target": range_time < TARGET_RANGE_SECONDS,
        },
        "page": {
            "url": PAGE_URL,
            "seconds_median": page_time,
            "seconds_runs": page_runs,
            "seconds_median_charts_cached": page_warm_time,
            "queries": page_queries,
            "pooled_by": pooled and pooled.group(1),
            "bytes": len(page_response.content),
            "ratio_to_baseline": page_time / base_range_time,
            "target_seconds": TARGET_PAGE_SECONDS,
            "meets_target": page_time < TARGET_PAGE_SECONDS,
        },
        "queries": queries,
        "few_cohorts": len(few_trends["cohorts"]),
        "one_month_cohorts": len(month_trends["cohorts"]),
        "queries_do_not_grow": len(set(list(queries.values())[:3])) == 1
        and len(set(list(queries.values())[3:])) == 1,
        "baseline_sql": baseline_sql(),
        "baseline_agrees": not mismatches and not range_mismatches,
        "mismatches": dict(list({**mismatches, **range_mismatches}.items())[:10]),
    }
    results["load_average_at_end"] = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_file = OUT / f"trends-{backend}-{args.reviews}-{args.cohorts}c-{stamp}.json"
    out_file.write_text(json.dumps(results, indent=2, default=str) + "\n")
    _print_table(results)
    print(f"\nJSON: {out_file}")
    ok = (
        results["all_cohorts"]["meets_target"]
        and results["default_range"]["meets_target"]
        and results["page"]["meets_target"]
        and results["queries_do_not_grow"]
        and results["baseline_agrees"]
        and results["stored_equals_live"]
        and results["stored_json_equals_live_json"]
    )
    return 0 if ok else 1


def _server_version(connection):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    return sqlite3.sqlite_version


def _print_table(r):
    every, ranged = r["all_cohorts"], r["default_range"]
    machine = r["machine"]
    print(
        f"\n{r['data']['reviews']:,} reviews ({r['data']['completed_reviews']:,} completed) in "
        f"{r['data']['cohorts']:,} cohorts; database: {r['database']['vendor']}; "
        f"{machine['cpus']} CPUs, {machine['cpu_model']}; load average "
        f"{r['load_average_at_start'][0]:.2f} at the start, {r['load_average_at_end'][0]:.2f} "
        "at the end"
    )
    rows = [
        ("measurement", "cohorts", "seconds", "x baseline"),
        ("-" * 50, "-" * 8, "-" * 9, "-" * 10),
        ("baseline: one grouped SQL query, all cohorts", f"{every['cohorts']:,}",
         f"{every['baseline_seconds_median']:.4f}", "1.0"),
        ("trends JSON, all cohorts", f"{every['cohorts']:,}", f"{every['seconds_median']:.4f}",
         f"{every['ratio_to_baseline']:.1f}"),
        ("baseline: the same query, last 24 months", f"{ranged['cohorts']:,}",
         f"{ranged['baseline_seconds_median']:.4f}", "1.0"),
        ("trends JSON, last 24 months (the page's range)", f"{ranged['cohorts']:,}",
         f"{ranged['seconds_median']:.4f}", f"{ranged['ratio_to_baseline']:.1f}"),
    ]  # fmt: skip
    for line in rows:
        print("{:<50} {:>8} {:>9} {:>10}".format(*line))
    page = r["page"]
    print(
        f"the page over the last 24 months (QA lead, charts drawn afresh): "
        f"{page['seconds_median']:.3f} s, {page['ratio_to_baseline']:.1f} x the range's "
        f"baseline ({page['seconds_median_charts_cached']:.3f} s with its charts already "
        f"drawn; {page['queries']} queries; pooled by {page['pooled_by'] or 'nothing'}); under "
        f"{page['target_seconds']} s: {'yes' if page['meets_target'] else 'NO'}"
    )
    print(f"first call (nothing cached): {r['first_call_seconds']:.3f} s")
    print(
        f"storing every cohort's counts: {r['store_every_cohort_seconds']:.2f} s; the same "
        f"trends counted live from every review: {r['live_counting_seconds']:.2f} s; "
        f"stored equal live: {'yes' if r['stored_equals_live'] else 'NO'} "
        f"(as JSON text: {'yes' if r['stored_json_equals_live_json'] else 'NO'})"
    )
    same = "the same" if r["queries_do_not_grow"] else "NOT the same"
    print(f"queries: {r['queries']} ({same})")
    agrees = "yes" if r["baseline_agrees"] else "NO"
    print(f"the trends agree with the hand-written query: {agrees}")
    print(
        f"targets: all cohorts under {every['target_seconds']} s: "
        f"{'yes' if every['meets_target'] else 'NO'}; last 24 months under "
        f"{ranged['target_seconds']} s: {'yes' if ranged['meets_target'] else 'NO'}"
    )


if __name__ == "__main__":
    sys.exit(main())
