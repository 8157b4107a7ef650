import json
import sys

from django.core.management.base import BaseCommand, CommandError

from practice_review.reports.figures import cohort_figures
from practice_review.reports.narrative_check import narrative_problems
from practice_review.reports.report_data import templates_counted
from practice_review.reviews.queries import find_cohort, frameworks


class Command(BaseCommand):
    help = (
        "Check the figures in a narrative drafted elsewhere (Markdown or text; - for standard "
        "input): one JSON object per problem per line; exit 0 when there are none, 1 when there "
        "are, 2 for a usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cohort", required=True)
        parser.add_argument("--compare", help="the cohort the narrative compares with")
        parser.add_argument("path", help="a Markdown or text file, or - for standard input")

    def handle(self, cohort, path, compare=None, **options):
        found = self._cohort(cohort)
        comparator = self._cohort(compare) if compare else None
        text = self._read(path)
        figures = cohort_figures(found, compare=comparator)
        # Both cohorts' template versions: their standards' and questions' words are measures.
        templates = tuple(
            dict.fromkeys(templates_counted(figures) + templates_counted(figures["comparison"]))
        )
        problems = narrative_problems(text, figures, frameworks(), templates)
        for problem in problems:
            self.stdout.write(json.dumps(problem, ensure_ascii=False))
        if problems:
            count = len(problems)
            raise CommandError(
                f"{count} {'number does' if count == 1 else 'numbers do'} not match the figures",
                returncode=1,
            )

    def _cohort(self, name):
        cohort = find_cohort(name)
        if cohort is None:
            raise CommandError(f"no cohort called {name.strip()!r}", returncode=2)
        return cohort

    def _read(self, path):
        # Exit 1 means "the narrative has problems", so a file that cannot be read is a usage
        # error (2), as an unknown cohort is.
        try:
            if path == "-":
                return sys.stdin.read()
            with open(path, encoding="utf-8-sig") as handle:
                return handle.read()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=2) from None
        except UnicodeDecodeError:
            raise CommandError(f"cannot read {path}: it is not UTF-8 text", returncode=2) from None
