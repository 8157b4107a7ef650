import json

from django.core.management.base import BaseCommand, CommandError

from practice_review.core.command_output import write_result
from practice_review.reports.builder import INTERNAL, WIDER
from practice_review.reports.figures import cohort_figures
from practice_review.reports.renderers import RENDERERS
from practice_review.reports.summary import summary_report
from practice_review.reviews.queries import find_cohort

FORMATS = ["json", "html", "docx", "pdf"]


class Command(BaseCommand):
    help = "A cohort's summary report: json figures (stdout without --output), html, docx, pdf."

    def add_arguments(self, parser):
        parser.add_argument("--cohort", required=True)
        parser.add_argument("--compare", help="a cohort to compare with")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="where to write the report")
        parser.add_argument(
            "--wider-circulation",
            action="store_true",
            help="the version for wider circulation: no table of the reviews, no initials, "
            "counts under 3 shown as 'fewer than 3' (html, docx, pdf)",
        )

    def handle(
        self, cohort, compare=None, format="json", output=None, wider_circulation=False, **options
    ):
        found = self._cohort(cohort)
        comparator = self._cohort(compare) if compare else None
        if format == "json" and wider_circulation:
            raise CommandError("--wider-circulation is for html, docx and pdf: the figures are "
                               "the same in both versions")  # fmt: skip
        if format == "json":
            content = json.dumps(cohort_figures(found, compare=comparator), indent=2) + "\n"
            content = content.encode("utf-8")
        elif not output:
            raise CommandError(f"--format {format} needs --output PATH")
        else:
            audience = WIDER if wider_circulation else INTERNAL
            report = summary_report(found, compare=comparator, audience=audience)
            content = RENDERERS[format]().render(report)
        write_result(self, content, output)

    def _cohort(self, name):
        cohort = find_cohort(name)
        if cohort is None:
            raise CommandError(f"no cohort called {name.strip()!r}", returncode=2)
        return cohort
