#!/usr/bin/env python
"""Benchmark: import a large review file, then compute its figures
(docs/spec/quality.md#performance).

    python benchmarks/import_and_figures.py [--rows 50000] [--cohorts 10] [--database-url URL]

Each measurement is quoted against a baseline measured in the same run, since machines are noisy:

- import: the real `import_reviews` (parsing, validation, staff and child matching, history rows,
  review events, theme findings), against parsing the same bytes with the csv module and
  inserting every row into a bare SQLite table with one executemany;
- re-import of the same file: must change nothing (created = updated = 0, no new history);
- figures: `cohort_figures` for one cohort, and `figures_from_counts("all", count_reviews(...))`
  over every review, against one hand-written SQL query that computes the same counts with
  SUM(CASE ...). The script checks that both give the same numbers.

The database is always fresh: by default an SQLite file in a temporary folder with the product's
own SQLite settings (WAL, synchronous=NORMAL, IMMEDIATE transactions). With a `postgres://` URL
the script creates a throwaway database on that server (the role needs CREATEDB), and drops it
at the end; the import baseline stays SQLite executemany. It prints a table and writes JSON to
benchmarks/out/ (git-ignored).
"""

import argparse
import contextlib
import cProfile
import csv
import datetime
import io
import json
import multiprocessing
import os
import platform
import pstats
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
TARGET_IMPORT_SECONDS = 60.0
TARGET_FIGURES_SECONDS = 1.0

# ---------------------------------------------------------------------------- the review file

STANDARDS = [
    "basic_details", "visits_in_timescale", "seen_alone", "recording_up_to_date",
    "supervision_frequency", "management_oversight", "chronology_current", "legal_documents",
]  # fmt: skip
THEMES = ["journey", "needs_support_outcomes", "management_oversight", "identity", "multi_agency"]
HEADER = [
    "cohort", "child_ref", "initials", "gender", "age_at_review", "date_of_birth", "ethnicity",
    "religion", "first_language", "uasc", "interpreter_needed", "legal_status", "social_worker",
    "supervisor", "reviewer", "reviewer_type", "review_date", "practice_grade", "outcome_grade",
    *STANDARDS, "alerts", *[f"strengths_{t}" for t in THEMES],
    *[f"development_{t}" for t in THEMES], "practice_outcome_reason", "second_reviewer",
    "second_practice_grade", "second_outcome_grade", "moderated_practice_grade",
    "moderated_outcome_grade",
]  # fmt: skip

GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
GRADE_WEIGHTS = [15, 45, 30, 10]
GRADE_SPELLINGS = {
    "outstanding": ["outstanding", "outstanding", "Outstanding", "1"],
    "good": ["good", "good", "Good", "2"],
    "requires_improvement": ["requires_improvement", "RI", "Requires improvement", "3"],
    "inadequate": ["inadequate", "inadequate", "Inadequate", "4"],
}
LEGAL_STATUS_SPELLINGS = {
    "early_help": ["early_help", "EH", "Early Help"],
    "child_in_need": ["child_in_need", "CIN", "Child in Need"],
    "child_protection": ["child_protection", "CP"],
    "looked_after": ["looked_after", "LAC", "CLA", "CIC", "Child in Care", "Looked after"],
    "care_leaver": ["care_leaver", "Care Leaver", "Care experienced"],
}
LEGAL_STATUS_WEIGHTS = [12, 20, 18, 35, 15]
GENDER_SPELLINGS = {
    "male": ["M", "M", "Male"],
    "female": ["F", "F", "Female"],
    "other": ["Other", "Non-binary"],
    "not_recorded": ["Not recorded", "U", "Unknown"],
}
GENDER_WEIGHTS = [50, 46, 2, 2]
STANDARD_SPELLINGS = {
    "met": ["met", "met", "Met", "yes"],
    "not_met": ["not_met", "not met", "no"],
    "not_applicable": ["not_applicable", "n/a", "na", "N/A"],
}
STANDARD_WEIGHTS = [70, 20, 10]
ETHNICITIES = [
    "White British", "British", "Black British", "Black African", "Black Caribbean", "Indian",
    "Pakistani", "Bangladeshi", "Mixed White and Black Caribbean", "Eritrean", "Afghan",
    "Iraqi (Kurd)", "Arabic", "Gypsy, Roma or Traveller", "Polish", "Not recorded",
]  # fmt: skip
RELIGIONS = ["", "", "None", "Christian", "Muslim", "Hindu", "Sikh", "Jewish", "Not recorded"]
LANGUAGES = ["English", "English", "English", "Arabic", "Tigrinya", "Pashto", "Polish", "Bengali"]
PHRASES = [
    "Timely safeguarding action once the concern was raised",
    "The child's wishes and feelings are clearly recorded",
    "Strong multi-agency working with health and education",
    "Good evidence of direct work, including life-story work",
    "Delay in completing case records",
    "Supervision was not recorded for three months",
    "The chronology needs updating",
    'The plan says "stay put" but the placement ends in March',
    "Identity needs were considered, including faith and language",
    "Management oversight did not drive the plan forward",
]
REASONS = [
    "Outcomes are limited by factors outside the service's control.",
    "The young person has declined support despite persistent offers.",
    "Too early to see the impact of good recent practice.",
]


def _letters(rng, n):
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(n))


def _staff_pools(rng):
    """Social workers and supervisors by initials, reviewers by name (as real files do)."""
    initials = set()
    while len(initials) < 360:
        initials.add(_letters(rng, rng.choice([2, 2, 3])))
    initials = sorted(initials)
    rng.shuffle(initials)
    first = ["Amina", "Ben", "Chloe", "Dev", "Ewa", "Femi", "Grace", "Hamid", "Isla", "Jon"]
    last = ["Shah", "Okafor", "Brown", "Kowalski", "Patel", "Evans", "Murphy", "Ali"]
    reviewers = [f"{f} {surname}" for f in first for surname in last][:48]
    reviewer_types = {
        name: "independent" if i % 3 else "internal" for i, name in enumerate(reviewers)
    }
    return initials[:300], initials[300:], reviewers, reviewer_types


def _date_text(rng, day):
    return day.isoformat() if rng.random() < 0.8 else f"{day.day}/{day.month}/{day.year}"


def _age_text(rng, years, months):
    if years == 0:
        if months == 0:
            return f"{rng.randint(1, 4)} weeks"
        return f"{months} months"
    return rng.choice([str(years)] * 6 + [f"{years} years", f"{years} yrs"])


def _grade(rng, weights=GRADE_WEIGHTS):
    return rng.choices(GRADES, weights)[0]


def _near(rng, grade):
    """A grade equal to `grade` most of the time, otherwise one step away."""
    if rng.random() < 0.7:
        return grade
    index = GRADES.index(grade) + rng.choice([-1, 1])
    return GRADES[min(max(index, 0), 3)]


def _spell(rng, table, key):
    return rng.choice(table[key])


def generate_review_file(rows, cohorts, seed):
    """A realistic review file as CSV bytes: fixed seed, so every run reads the same file."""
    rng = random.Random(seed)
    workers, supervisors, reviewers, reviewer_types = _staff_pools(rng)
    per_cohort = [rows // cohorts + (1 if i < rows % cohorts else 0) for i in range(cohorts)]
    months = max(6, 24 // cohorts)
    children = []  # (child_ref, initials, gender key, ethnicity, religion, language, uasc)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    next_ref = 100_000
    names = []
    for c, count in enumerate(per_cohort):
        start = datetime.date(2019 + (c * months) // 12, 1 + (c * months) % 12, 1)
        end_month = c * months + months
        end = datetime.date(2019 + end_month // 12, 1 + end_month % 12, 1) - datetime.timedelta(1)
        name = f"Cohort {c + 1:02d}: {start:%B %Y} to {end:%B %Y}"
        names.append(name)
        span = (end - start).days
        seen_refs, seen_details = set(), set()
        for _ in range(count):
            # Most rows are a new child; some children come back in a later cohort; a few rows
            # have no reference and are known by initials, gender and age within the cohort.
            roll = rng.random()
            if roll < 0.15 and children:
                child = rng.choice(children)
                if child[0] in seen_refs:
                    child = None
            else:
                child = None
            if child is None:
                child = (
                    "" if roll > 0.97 else f"CMS{next_ref}",
                    _letters(rng, 2) + ("-" + _letters(rng, 1) if rng.random() < 0.1 else ""),
                    rng.choices(list(GENDER_SPELLINGS), GENDER_WEIGHTS)[0],
                    rng.choice(ETHNICITIES),
                    rng.choice(RELIGIONS),
                    rng.choice(LANGUAGES),
                    rng.random() < 0.08,
                )
                next_ref += 1
                if child[0]:
                    children.append(child)
            ref, initials, gender, ethnicity, religion, language, uasc = child
            if rng.random() < 0.01:
                religion = rng.choice(RELIGIONS[2:])  # details move on: the latest review wins

            status = rng.choices(list(LEGAL_STATUS_SPELLINGS), LEGAL_STATUS_WEIGHTS)[0]
            years = rng.randint(18, 25) if status == "care_leaver" else rng.randint(0, 17)
            review_date = start + datetime.timedelta(rng.randint(0, span))
            extra_months = rng.randint(0, 11)
            give_dob = rng.random() < 0.15
            if not ref:
                # Known by details: keep them unique within the cohort.
                while (initials, gender, years) in seen_details:
                    initials = _letters(rng, 3)
                seen_details.add((initials, gender, years))
                give_dob = False
            else:
                seen_refs.add(ref)
            dob = ""
            age = _age_text(rng, years, extra_months)
            if give_dob:
                born = review_date - datetime.timedelta(
                    days=int(years * 365.25) + extra_months * 30
                )
                dob, age = _date_text(rng, born), ""

            practice = _grade(rng)
            outcome = _near(rng, practice)
            reason = ""
            if practice in GRADES[:2] and outcome in GRADES[2:]:
                reason = rng.choice(REASONS)
            reviewer = rng.choice(reviewers)
            worker = rng.choice(workers) + (" (student)" if rng.random() < 0.05 else "")
            findings = {f"{kind}_{t}": "" for kind in ("strengths", "development") for t in THEMES}
            if rng.random() < 0.3:
                for theme in rng.sample(THEMES, rng.randint(1, 3)):
                    kind = rng.choice(["strengths", "development", "both"])
                    if kind in ("strengths", "both"):
                        findings[f"strengths_{theme}"] = rng.choice(PHRASES) + "."
                    if kind in ("development", "both"):
                        findings[f"development_{theme}"] = rng.choice(PHRASES) + "."
            second = ["", "", ""]
            if rng.random() < 0.08:
                second = [
                    rng.choice([r for r in reviewers if r != reviewer]),
                    _spell(rng, GRADE_SPELLINGS, _near(rng, practice)),
                    _spell(rng, GRADE_SPELLINGS, _near(rng, outcome)),
                ]
            moderated = ["", ""]
            if rng.random() < 0.04:
                moderated = [
                    _near(rng, practice),
                    _near(rng, outcome) if rng.random() < 0.6 else "",
                ]
            row = {
                "cohort": name,
                "child_ref": ref,
                "initials": initials,
                "gender": _spell(rng, GENDER_SPELLINGS, gender),
                "age_at_review": age,
                "date_of_birth": dob,
                "ethnicity": ethnicity,
                "religion": religion,
                "first_language": language,
                "uasc": "yes" if uasc else "no",
                "interpreter_needed": rng.choice(["", "no", "no", "yes"]),
                "legal_status": _spell(rng, LEGAL_STATUS_SPELLINGS, status),
                "social_worker": worker,
                "supervisor": rng.choice(supervisors) if rng.random() < 0.95 else "",
                "reviewer": reviewer,
                "reviewer_type": reviewer_types[reviewer],
                "review_date": _date_text(rng, review_date),
                "practice_grade": _spell(rng, GRADE_SPELLINGS, practice),
                "outcome_grade": _spell(rng, GRADE_SPELLINGS, outcome),
                **{
                    s: _spell(
                        rng,
                        STANDARD_SPELLINGS,
                        rng.choices(list(STANDARD_SPELLINGS), STANDARD_WEIGHTS)[0],
                    )
                    for s in STANDARDS
                },
                "alerts": str(rng.randint(1, 3)) if rng.random() < 0.05 else "0",
                **findings,
                "practice_outcome_reason": reason,
                "second_reviewer": second[0],
                "second_practice_grade": second[1],
                "second_outcome_grade": second[2],
                "moderated_practice_grade": moderated[0],
                "moderated_outcome_grade": moderated[1],
            }
            writer.writerow([row[column] for column in HEADER])
    return out.getvalue().encode("utf-8"), dict(zip(names, per_cohort, strict=True))


# ---------------------------------------------------------------------------- measuring


def median_time(function, repeats):
    """(median seconds, every run's seconds, the last result)."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def baseline_import(csv_path, folder, repeats):
    """The csv module and one executemany into a bare SQLite table: same bytes, same pragmas."""
    data = Path(csv_path).read_bytes()
    runs = []

    def once():
        path = folder / f"baseline-{len(runs)}.sqlite3"
        runs.append(path)
        started = time.perf_counter()
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        header = next(reader)
        rows = list(reader)
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        columns = ", ".join(f'"{name}" TEXT' for name in header)
        db.execute(f"CREATE TABLE review (id INTEGER PRIMARY KEY, {columns})")
        names = ", ".join(f'"{name}"' for name in header)
        marks = ", ".join("?" for _ in header)
        db.execute("BEGIN IMMEDIATE")
        db.executemany(f"INSERT INTO review ({names}) VALUES ({marks})", rows)
        db.execute("COMMIT")
        db.close()
        elapsed = time.perf_counter() - started
        return elapsed, len(rows)

    results = [once() for _ in range(repeats)]
    for path in runs:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    times = [elapsed for elapsed, _ in results]
    return statistics.median(times), times, results[-1][1]


def prepare(csv_path, rows, cohorts, seed, repeats):
    """Write the review file and measure the baseline. Runs in a child process, so the
    import's peak memory (measured in the parent) is the import's own."""
    started = time.perf_counter()
    data, per_cohort = generate_review_file(rows, cohorts, seed)
    generated_in = time.perf_counter() - started
    Path(csv_path).write_bytes(data)
    del data
    baseline = baseline_import(csv_path, Path(csv_path).parent, repeats)
    return per_cohort, generated_in, baseline


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class _Profiler:
    """cProfile or pyinstrument around a block, or nothing."""

    def __init__(self, kind):
        self.kind = kind
        if kind == "cprofile":
            self.profiler = cProfile.Profile()
        elif kind == "pyinstrument":
            from pyinstrument import Profiler  # pip install pyinstrument

            self.profiler = Profiler(interval=0.001)

    def __enter__(self):
        if self.kind == "cprofile":
            self.profiler.enable()
        elif self.kind == "pyinstrument":
            self.profiler.start()
        return self

    def __exit__(self, *exc):
        if self.kind == "cprofile":
            self.profiler.disable()
        elif self.kind == "pyinstrument":
            self.profiler.stop()

    def save(self, stem):
        stem.parent.mkdir(parents=True, exist_ok=True)
        if self.kind == "cprofile":
            self.profiler.dump_stats(f"{stem}.prof")
            with open(f"{stem}.txt", "w") as report:
                stats = pstats.Stats(self.profiler, stream=report).sort_stats("cumulative")
                stats.print_stats(60)
                stats.sort_stats("tottime").print_stats(40)
            return f"{stem}.prof"
        Path(f"{stem}.txt").write_text(self.profiler.output_text(unicode=False, color=False))
        Path(f"{stem}.html").write_text(self.profiler.output_html())
        return f"{stem}.txt"


def maxrss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def figures_sql(where=""):
    """One hand-written query with the same counts as `_aggregates()` in reports/figures.py."""
    from django.db import connection

    from practice_review.core import vocabulary as v
    from practice_review.reviews.models import Review

    def json_text(*steps):
        if connection.vendor == "sqlite":
            return f"json_extract(answers, '$.{'.'.join(steps)}')"
        return f"answers #>> '{{{','.join(steps)}}}'"

    def answer(standard):
        return json_text("standards", standard, "result")

    def grade(axis, part="grade"):
        return json_text("grades", axis, part)

    def counted(axis):
        return f"COALESCE({grade(axis, 'moderated')}, {grade(axis)})"

    practice, outcome = counted("practice"), counted("outcome")
    good = "('outstanding', 'good')"
    bad = "('requires_improvement', 'inadequate')"

    def when(condition):
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    counts = {
        "reviews": "COUNT(*)",
        "distinct_children": "COUNT(DISTINCT child_id)",
        "first_review": "MIN(review_date)",
        "last_review": "MAX(review_date)",
        "alerts_in_file": "SUM(alerts_in_file)",
        "both_outstanding": when(f"{practice} = 'outstanding' AND {outcome} = 'outstanding'"),
        "practice_good_or_better_outcome_not": when(f"{practice} IN {good} AND {outcome} IN {bad}"),
        "age_under_18": when("age_years < 18"),
        "age_aged_18_or_over": when("age_years >= 18"),
        "age_aged_21_or_over": when("age_years >= 21"),
        "uasc": when("uasc"),
        "moderated": when(
            f"{grade('practice', 'moderated')} IS NOT NULL "
            f"OR {grade('outcome', 'moderated')} IS NOT NULL"
        ),
    }
    for reviewer_type in v.REVIEWER_TYPE_KEYS:
        counts[f"reviewers_{reviewer_type}"] = when(f"reviewer_type = '{reviewer_type}'")
    # The built-in template's axes, in its order; each level of the ILACS scale in order.
    for place, axis in enumerate((practice, outcome)):
        for n, level in enumerate(v.GRADE_KEYS):
            counts[f"axis_{place}_{n}"] = when(f"{axis} = '{level}'")
    for gender in v.GENDER_KEYS:
        counts[f"gender_{gender}"] = when(f"gender = '{gender}'")
    for place, status in enumerate(v.BUILT_IN_KEYS):
        counts[f"framework_{place}"] = when(f"legal_status = '{status}'")
    # A review's standards are one JSON document (reviews/answers.py); the imported reviews are
    # on the built-in template, whose standards the figures count in its order.
    for place, standard in enumerate(v.PRACTICE_STANDARD_KEYS):
        for result in v.STANDARD_RESULT_KEYS:
            counts[f"standard_{place}_{result}"] = when(f"{answer(standard)} = '{result}'")
    for place, axis in enumerate(("practice", "outcome")):
        counts[f"changed_at_moderation_{place}"] = when(
            f"{grade(axis, 'moderated')} IS NOT NULL "
            f"AND {grade(axis, 'moderated')} <> {grade(axis)}"
        )
    states = ", ".join(f"'{state}'" for state in v.COMPLETED_STATES)
    select = ",\n  ".join(f"{sql} AS {name}" for name, sql in counts.items())
    table = Review._meta.db_table
    return list(counts), f"SELECT\n  {select}\nFROM {table}\nWHERE status IN ({states}){where}"


def run_figures_sql(names, sql, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(zip(names, cursor.fetchone(), strict=True))


def same_counts(orm, raw):
    """Compare what both sides computed (dates come back as text from raw SQLite)."""
    differences = {}
    for name, value in raw.items():
        mine = orm[name]
        if isinstance(mine, datetime.date):
            mine = mine.isoformat()
        theirs = value.isoformat() if isinstance(value, datetime.date) else value
        if mine != theirs:
            differences[name] = (mine, theirs)
    return differences


# ---------------------------------------------------------------------------- the run


def machine_facts():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        None,
    )
    return {"cpus": os.cpu_count(), "cpu_model": cpu, "memory_mib": memory}


def fresh_postgres(url):
    """Create a throwaway database beside the one named in `url`; return its URL and name."""
    import psycopg

    parts = urlsplit(url)
    name = f"practice_review_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_postgres(url, name):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--cohorts", type=int, default=10, help="cohorts the rows are spread over")
    parser.add_argument("--seed", type=int, default=20240917)
    parser.add_argument("--repeats", type=int, default=5, help="runs per figures measurement")
    add_database_arguments(parser)
    parser.add_argument(
        "--profile",
        choices=["cprofile", "pyinstrument"],
        help="profile the first import (timings are then inflated: cProfile by about 3x; "
        "pyinstrument, a sampling profiler from PyPI, much less) and write it to benchmarks/out/",
    )
    args = parser.parse_args(argv)

    with benchmark_database(parser, args, "practice-review-bench-") as workdir:
        sys.path.insert(0, str(ROOT))
        return _measure(args, workdir)


def _measure(args, workdir):
    csv_path = workdir / "reviews.csv"
    print(f"generating {args.rows:,} rows in {args.cohorts} cohort(s), seed {args.seed}, "
          f"and measuring the baseline (median of {args.repeats}) ...")  # fmt: skip
    # A forked child (before Django is set up) so the import's peak memory is its own.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        prepared = pool.submit(
            prepare, csv_path, args.rows, args.cohorts, args.seed, args.repeats
        ).result()
    return _run(args, workdir, csv_path, *prepared)


def add_database_arguments(parser):
    """The options of `benchmark_database`: where the database is, and whether it is kept."""
    parser.add_argument(
        "--database-url",
        help="sqlite:////abs/new.sqlite3 (must not exist yet) or postgres://... (a throwaway "
        "database is created on that server); default: SQLite in a temporary folder",
    )
    parser.add_argument("--keep", action="store_true", help="keep the folder and database")


@contextlib.contextmanager
def benchmark_database(parser, args, prefix):
    """A fresh database for one run of a benchmark, and the environment pointing Django at it:
    SQLite in a temporary folder, or a throwaway database on the PostgreSQL server that
    `--database-url` names. Both go afterwards, unless `--keep`."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    server_url, pg_name = None, None
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    if url.startswith(("postgres://", "postgresql://")):
        server_url = url
        url, pg_name = fresh_postgres(url)
    elif url.startswith("sqlite:") and Path(urlsplit(url).path).exists():
        parser.error(f"{url} already exists: the benchmark needs a fresh database")
    os.environ["PRACTICE_REVIEW_DATA_DIR"] = str(workdir / "data")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "practice_review.settings"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    try:
        yield workdir
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name and not args.keep:
            drop_postgres(server_url, pg_name)
        if args.keep:
            print(f"kept {workdir}" + (f" and the database {pg_name}" if pg_name else ""))
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(args, workdir, csv_path, per_cohort, generated_in, baseline):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from practice_review.accounts.models import system_actor
    from practice_review.reports.figures import cohort_figures, count_reviews, figures_from_counts
    from practice_review.reviews.importing import import_reviews
    from practice_review.reviews.models import Child, Review, ReviewEvent, ThemeFinding
    from practice_review.reviews.queries import find_cohort

    call_command("migrate", verbosity=0)
    settings_db = connection.settings_dict
    backend = connection.vendor
    if backend == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
        db_config = {
            "journal_mode": journal,
            "synchronous": synchronous,  # 1 = NORMAL
            "transaction_mode": settings_db["OPTIONS"].get("transaction_mode"),
        }
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            db_config = {"server_version": cursor.fetchone()[0]}
            cursor.execute("SHOW fsync")
            db_config["fsync"] = cursor.fetchone()[0]
            cursor.execute("SHOW synchronous_commit")
            db_config["synchronous_commit"] = cursor.fetchone()[0]

    data = csv_path.read_bytes()
    results = {
        "benchmark": "import_and_figures",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine_facts(),
        "load_average_at_start": os.getloadavg(),
        "versions": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "sqlite": sqlite3.sqlite_version,
        },
        "database": {"vendor": backend, **db_config},
        "file": {
            "rows": args.rows,
            "cohorts": args.cohorts,
            "bytes": len(data),
            "seed": args.seed,
            "generated_seconds": round(generated_in, 3),
        },  # fmt: skip
    }

    # (1) Baseline: csv module + executemany into a bare SQLite table (measured in `prepare`).
    base_median, base_times, base_rows = baseline
    assert base_rows == args.rows, base_rows
    results["baseline_import"] = {
        "what": "csv.reader over the same bytes + one sqlite3 executemany into a bare table "
        f"({len(HEADER)} TEXT columns), WAL, synchronous=NORMAL, one transaction",
        "seconds_median": base_median,
        "seconds_runs": base_times,
        "rows_per_second": args.rows / base_median,
    }

    # (2) The real import on the fresh database.
    actor = system_actor()
    counter = QueryCounter()
    rss_before = maxrss_mib()
    print("import_reviews (fresh database) ...")
    profiler = _Profiler(args.profile)
    started = time.perf_counter()
    with connection.execute_wrapper(counter), profiler:
        result = import_reviews(data=data, file_name="bench-reviews.csv", by=actor)
    imported_in = time.perf_counter() - started
    rss_after = maxrss_mib()
    if not result.ok:
        for problem in result.problems[:20]:
            print(problem, file=sys.stderr)
        raise SystemExit(f"the generated file was refused ({len(result.problems)} problems)")
    history = {
        "reviews": Review.objects.count(),
        "review_history_rows": Review.history.count(),
        "children": Child.objects.count(),
        "child_history_rows": Child.history.count(),
        "theme_findings": ThemeFinding.objects.count(),
        "theme_finding_history_rows": ThemeFinding.history.count(),
        "review_events": ReviewEvent.objects.count(),
    }
    assert history["reviews"] == args.rows and history["review_history_rows"] >= args.rows
    results["import"] = {
        "seconds": imported_in,
        "rows_per_second": args.rows / imported_in,
        "ratio_to_baseline": imported_in / base_median,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "queries": counter.count,
        "maxrss_mib_before": round(rss_before, 1),
        "maxrss_mib_after": round(rss_after, 1),
        "rows_after": history,
        "target_seconds": TARGET_IMPORT_SECONDS,
        "meets_target": imported_in < TARGET_IMPORT_SECONDS,
        "profiled": args.profile,
    }
    if args.profile:
        results["import"]["profile"] = profiler.save(
            OUT / f"import-profile-{args.profile}-{backend}-{args.rows}"
        )

    # (3) Re-importing the same file changes nothing and writes no history.
    print("import_reviews (same file again) ...")
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        again = import_reviews(data=data, file_name="bench-reviews.csv", by=actor)
    reimported_in = time.perf_counter() - started
    history_after = Review.history.count() + Child.history.count() + ThemeFinding.history.count()
    history_before = (
        history["review_history_rows"]
        + history["child_history_rows"]
        + history["theme_finding_history_rows"]
    )
    results["reimport"] = {
        "seconds": reimported_in,
        "rows_per_second": args.rows / reimported_in,
        "ratio_to_baseline": reimported_in / base_median,
        "ok": again.ok,
        "created": again.created,
        "updated": again.updated,
        "unchanged": again.unchanged,
        "new_history_rows": history_after - history_before,
        "queries": counter.count,
        "changed_nothing": again.ok
        and again.created == 0
        and again.updated == 0
        and history_after == history_before,
    }

    # (4) Figures, against one hand-written SQL query with the same counts.
    print(f"figures (median of {args.repeats}) ...")
    first = find_cohort(next(iter(per_cohort)))
    names, sql_all = figures_sql()
    names, sql_cohort = figures_sql(" AND cohort_id = %s")
    # Warm up once (imports, the database's page cache), then measure.
    cohort_figures(first)
    run_figures_sql(names, sql_all)
    cohort_time, cohort_runs, cohort_result = median_time(
        lambda: cohort_figures(first), args.repeats
    )
    cohort_sql, cohort_sql_runs, cohort_raw = median_time(
        lambda: run_figures_sql(names, sql_cohort, [first.id]), args.repeats
    )
    all_time, all_runs, _ = median_time(
        lambda: figures_from_counts("all", count_reviews(Review.objects.all())), args.repeats
    )
    counts_time, counts_runs, all_counts = median_time(
        lambda: count_reviews(Review.objects.all()), args.repeats
    )
    all_sql, all_sql_runs, all_raw = median_time(
        lambda: run_figures_sql(names, sql_all), args.repeats
    )
    every_cohort, every_runs, _ = median_time(
        lambda: [cohort_figures(find_cohort(c.name)) for c in _cohorts()], args.repeats
    )
    cohort_counts = count_reviews(Review.objects.filter(cohort=first))
    mismatches = same_counts(all_counts, all_raw) | same_counts(cohort_counts, cohort_raw)
    if mismatches:
        raise SystemExit(f"the baseline SQL disagrees with count_reviews: {mismatches}")
    results["figures"] = {
        "repeats": args.repeats,
        "baseline_sql": sql_all,
        "baseline_agrees": not mismatches,
        "one_cohort": {
            "reviews": cohort_result["cohort"]["reviews"],
            "seconds_median": cohort_time,
            "seconds_runs": cohort_runs,
            "baseline_seconds_median": cohort_sql,
            "baseline_seconds_runs": cohort_sql_runs,
            "ratio_to_baseline": cohort_time / cohort_sql,
        },
        "all_reviews": {
            "reviews": all_counts["reviews"],
            "seconds_median": all_time,
            "seconds_runs": all_runs,
            "count_reviews_only_seconds_median": counts_time,
            "baseline_seconds_median": all_sql,
            "baseline_seconds_runs": all_sql_runs,
            "ratio_to_baseline": all_time / all_sql,
            "target_seconds": TARGET_FIGURES_SECONDS,
            "meets_target": all_time < TARGET_FIGURES_SECONDS,
        },
        "every_cohort": {
            "cohorts": len(per_cohort),
            "seconds_median": every_cohort,
            "seconds_runs": every_runs,
        },
    }

    results["load_average_at_end"] = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_file = OUT / f"import_and_figures-{backend}-{args.rows}-{args.cohorts}c-{stamp}.json"
    out_file.write_text(json.dumps(results, indent=2, default=str) + "\n")
    _print_table(results)
    print(f"\nJSON: {out_file}")
    ok = results["import"]["meets_target"] and results["figures"]["all_reviews"]["meets_target"]
    return 0 if ok and results["reimport"]["changed_nothing"] else 1


def _cohorts():
    from practice_review.reviews.models import Cohort

    return list(Cohort.objects.all())


def _print_table(r):
    rows = r["file"]["rows"]
    base, imp, again, fig = r["baseline_import"], r["import"], r["reimport"], r["figures"]
    one, every, everything = fig["one_cohort"], fig["every_cohort"], fig["all_reviews"]
    table = [
        ("measurement", "seconds", "rows/s", "x baseline"),
        ("-" * 46, "-" * 10, "-" * 12, "-" * 12),
        (
            "baseline: csv + sqlite3 executemany (median)",
            f"{base['seconds_median']:.3f}",
            f"{base['rows_per_second']:,.0f}",
            "1.0",
        ),
        (
            "import_reviews, fresh database",
            f"{imp['seconds']:.2f}",
            f"{imp['rows_per_second']:,.0f}",
            f"{imp['ratio_to_baseline']:.1f}",
        ),
        (
            "import_reviews, same file again",
            f"{again['seconds']:.2f}",
            f"{again['rows_per_second']:,.0f}",
            f"{again['ratio_to_baseline']:.1f}",
        ),
        ("baseline: one SQL query, one cohort", f"{one['baseline_seconds_median']:.4f}", "", "1.0"),
        (
            f"cohort_figures, one cohort ({one['reviews']:,} reviews)",
            f"{one['seconds_median']:.4f}",
            "",
            f"{one['ratio_to_baseline']:.1f}",
        ),
        (
            f"cohort_figures, each of {every['cohorts']} cohort(s) in turn",
            f"{every['seconds_median']:.4f}",
            "",
            "",
        ),
        (
            "baseline: one SQL query, all reviews",
            f"{everything['baseline_seconds_median']:.4f}",
            "",
            "1.0",
        ),
        (
            f"figures, all {everything['reviews']:,} reviews",
            f"{everything['seconds_median']:.4f}",
            "",
            f"{everything['ratio_to_baseline']:.1f}",
        ),
    ]
    machine = r["machine"]
    print(
        f"\n{rows:,} rows in {r['file']['cohorts']} cohort(s), {r['file']['bytes'] / 1e6:.1f} MB; "
        f"database: {r['database']['vendor']}; {machine['cpus']} CPUs, {machine['cpu_model']}; "
        f"load average {r['load_average_at_start'][0]:.2f} at the start, "
        f"{r['load_average_at_end'][0]:.2f} at the end"
    )
    for line in table:
        print("{:<46} {:>10} {:>12} {:>12}".format(*line))
    after = imp["rows_after"]
    print(
        f"\nimport: created {imp['created']:,}, {imp['queries']:,} queries, peak RSS "
        f"{imp['maxrss_mib_after']:.0f} MiB (before the import {imp['maxrss_mib_before']:.0f} MiB)"
        f"; history rows: {after['review_history_rows']:,} reviews, "
        f"{after['child_history_rows']:,} children, {after['theme_finding_history_rows']:,} "
        "findings"
    )
    verdict = "changed nothing" if again["changed_nothing"] else "CHANGED SOMETHING"
    print(
        f"re-import: created {again['created']}, updated {again['updated']}, unchanged "
        f"{again['unchanged']:,}, new history rows {again['new_history_rows']}: {verdict}"
    )
    print(
        f"targets: import under {imp['target_seconds']:.0f} s: "
        f"{'yes' if imp['meets_target'] else 'NO'}; figures for all reviews under "
        f"{everything['target_seconds']:.0f} s: {'yes' if everything['meets_target'] else 'NO'}"
    )


if __name__ == "__main__":
    sys.exit(main())
