"""`practice-review trends`: every cohort in a date range with its figures over time
(docs/spec/interchange.md#trends-json), to standard output without --output, as `report`."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from practice_review.core.command_output import write_result
from practice_review.core.spreadsheets import to_csv
from practice_review.reports.figures import trends_for, trends_json
from practice_review.reports.trends import CSV_HEADER, csv_rows
from practice_review.reviews.models import Review


def _date(option, text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} must be a date like 2026-03-31; got {text!r}") from None


class Command(BaseCommand):
    help = (
        "Every cohort whose first review is in a date range, oldest first: grades good or "
        "better with 95% intervals, standards met, and the same by groups of children."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="first",
            metavar="YYYY-MM-DD",
            help="cohorts whose first review is on or after this day",
        )
        parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD",
                            help="cohorts whose first review is on or before this day")  # fmt: skip
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", metavar="PATH", help="where to write them")

    def handle(self, first=None, last=None, format="json", output=None, **options):
        first = first and _date("--from", first)
        last = last and _date("--to", last)
        if first and last and first > last:
            raise CommandError(f"--from ({first}) is after --to ({last})")
        trends = trends_json(trends_for(Review.objects.all(), first, last))
        if format == "csv":
            content = to_csv(CSV_HEADER, csv_rows(trends))
        else:
            content = (json.dumps(trends, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        write_result(self, content, output)
