"""Benchmark: drawing 50 children from a caseload extract of 20,000, a third of them with a
review (issue 16). Target: under 2 s for reading the extract and the reviews and drawing.

    python benchmarks/sampling.py [--children 20000] [--size 50] [--repeats 5]

Runs on a fresh SQLite database in a temporary folder (the real settings: WAL, IMMEDIATE). The
extract and the reviews are made with bulk inserts (not what is measured). Times are medians
over --repeats after one warm-up; the draw is timed with strata by legal status and with
--cover social_worker, the slowest options. Exits 1 if the target is missed.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 2.0


def median_seconds(function, repeats):
    function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="sampling-bench-")
    os.environ["PRACTICE_REVIEW_DATA_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice_review.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from practice_review.accounts.models import StaffMember, Team, system_actor
    from practice_review.reviews import actions as review_actions
    from practice_review.reviews.models import Child, Review
    from practice_review.sampling import actions
    from practice_review.sampling.draw import Rules
    from practice_review.sampling.models import CaseloadEntry, CaseloadExtract

    call_command("migrate", verbosity=0)
    actor = system_actor()
    rng = random.Random(16)
    teams = [Team.objects.create(name=f"Team {n}") for n in range(12)]
    workers = [StaffMember.objects.create(name=f"Worker {n}") for n in range(400)]
    statuses = ["early_help", "child_in_need", "child_protection", "looked_after", "care_leaver"]
    Child.objects.bulk_create(
        Child(case_ref=f"B{n:06}", initials="XX", gender="female") for n in range(args.children)
    )
    children = list(Child.objects.order_by("id"))
    extract = CaseloadExtract.objects.create(
        file_name="bench.csv", sha256="0" * 64, rows=len(children), imported_by=actor
    )
    entries = [
        CaseloadEntry(extract=extract, child=child, legal_status=rng.choice(statuses),
                      team=rng.choice(teams), social_worker=rng.choice(workers))
        for child in children
    ]  # fmt: skip
    CaseloadEntry.objects.bulk_create(entries, batch_size=2000)
    cohort = review_actions.create_cohort(
        by=actor, name="Earlier", period_start=None, period_end=None, selected_by="QA",
        selection_reason="mixed",
    )  # fmt: skip
    as_of = datetime.date(2026, 3, 31)
    Review.objects.bulk_create(
        (
            Review(cohort=cohort, template_id=cohort.template_id, child=entry.child,
                   review_date=as_of - datetime.timedelta(days=rng.randrange(730)),
                   reviewer_type="internal", legal_status=entry.legal_status, gender="female",
                   social_worker=entry.social_worker, status="submitted")
            for entry in entries[::3]
        ),
        batch_size=2000,
    )  # fmt: skip
    rules = Rules(size=args.size, as_of=as_of, seed=2026, cover="social_worker")

    def draw():
        return actions.draw_sample(rules)

    with CaptureQueriesContext(connection) as queries:
        _, result = draw()
    seconds = median_seconds(draw, args.repeats)
    reviews = Review.objects.count()
    print(
        f"{'children':>8} {'reviews':>7} {'excluded':>8} {'drawn':>5} {'queries':>7} {'draw s':>7}"
    )
    print(f"{len(children):>8} {reviews:>7} {len(result['excluded']):>8} "
          f"{len(result['sample']):>5} {len(queries):>7} {seconds:>7.2f}")  # fmt: skip
    if seconds >= TARGET_SECONDS:
        print(f"Missed the target: {seconds:.2f} s is not under {TARGET_SECONDS} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
