"""Benchmark: the summary report as DOCX and PDF, for the 10-review seed cohort and a
2,000-review cohort (issue 4). Targets for the 10-review report: DOCX under 2 s, PDF under 5 s.

    python benchmarks/report_documents.py [--reviews 2000] [--repeats 3]

Runs on a fresh SQLite database in a temporary folder (the real settings: WAL, IMMEDIATE).
Times are medians over --repeats, measured in-process after one warm-up, so Django's start-up
is not counted; the baseline is computing the same cohort's figures alone. "draft" is the work
behind the report's draft page (figures, narrative, figure and disclosure checks, document);
"publish" freezes a version (both editions, no files yet).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def median_seconds(function, repeats):
    function()  # warm-up: imports, fonts, templates
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviews", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="report-bench-")
    os.environ["PRACTICE_REVIEW_DATA_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice_review.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from import_and_figures import generate_review_file

    from practice_review.accounts.models import system_actor
    from practice_review.reports import actions as report_actions
    from practice_review.reports.drafts import Draft
    from practice_review.reports.figures import cohort_figures
    from practice_review.reports.renderers import RENDERERS
    from practice_review.reports.summary import summary_report
    from practice_review.reviews.importing import import_reviews
    from practice_review.reviews.models import Review
    from practice_review.reviews.queries import find_cohort

    call_command("migrate", verbosity=0)
    actor = system_actor()
    seed = ROOT / "practice_review" / "reviews" / "demo_data" / "seed-cohorts.csv"
    assert import_reviews(data=seed.read_bytes(), file_name=seed.name, by=actor).ok
    big, _ = generate_review_file(args.reviews, 1, seed=20241001)
    result = import_reviews(data=big, file_name="big.csv", by=actor, default_cohort=None)
    assert result.ok, result.problems[:3]
    large = result.cohorts[0]
    print(f"{'cohort':<34} {'reviews':>7} {'figures s':>10} {'draft s':>8} {'publish s':>9} "
          f"{'docx s':>8} {'pdf s':>8}")  # fmt: skip
    reviews = Review.objects.all()
    for name in ("September 2024 to February 2025", large):
        cohort = find_cohort(name)
        figures = median_seconds(lambda c=cohort: cohort_figures(c), args.repeats)
        report = report_actions.create_report(by=actor, title=name, cohorts=[cohort])

        def draft_page(report=report):
            draft = Draft(report, reviews)
            return draft.problems, draft.warnings, draft.document(marked=True)

        draft = median_seconds(draft_page, args.repeats)
        publish = median_seconds(
            lambda r=report: report_actions.publish(
                by=actor, report=r, reviews=reviews, version=r.version
            ),
            args.repeats,
        )
        timings = {}
        for fmt in ("docx", "pdf"):
            renderer = RENDERERS[fmt]()
            timings[fmt] = median_seconds(
                lambda c=cohort, r=renderer: r.render(summary_report(c)), args.repeats
            )
        count = cohort_figures(cohort)["cohort"]["reviews"]
        print(f"{name[:34]:<34} {count:>7} {figures:>10.3f} {draft:>8.2f} {publish:>9.2f} "
              f"{timings['docx']:>8.2f} {timings['pdf']:>8.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
