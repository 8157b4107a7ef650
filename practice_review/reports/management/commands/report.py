import json
import sys

from django.core.management.base import BaseCommand, CommandError

from practice_review.reports.figures import cohort_figures
from practice_review.reviews.queries import find_cohort

FORMATS = ["json", "html", "docx", "pdf"]


class Command(BaseCommand):
    help = "A summary report for a cohort: json figures (to stdout without --output)."

    def add_arguments(self, parser):
        parser.add_argument("--cohort", required=True)
        parser.add_argument("--compare", help="a cohort to compare with")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="where to write the report")

    def handle(self, cohort, compare=None, format="json", output=None, **options):
        found = self._cohort(cohort)
        comparator = self._cohort(compare) if compare else None
        if format != "json":
            # The HTML, DOCX and PDF renderers arrive with the summary report (issue 4).
            raise CommandError(f"the {format} report is not available yet; use --format json")
        text = json.dumps(cohort_figures(found, compare=comparator), indent=2) + "\n"
        if output:
            try:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text)
            except OSError as error:
                raise CommandError(f"cannot write {output}: {error.strerror}") from None
        else:
            sys.stdout.write(text)

    def _cohort(self, name):
        cohort = find_cohort(name)
        if cohort is None:
            raise CommandError(f"no cohort called {name.strip()!r}", returncode=2)
        return cohort
