from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from practice_review.accounts.models import User, system_actor
from practice_review.reviews.importing import added_staff_lines, import_reviews
from practice_review.reviews.queries import latest_published_template


class Command(BaseCommand):
    help = "Import a review file (CSV or XLSX), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--cohort", help="cohort for rows whose cohort cell is blank or absent")
        parser.add_argument("--by", help="the user the import is attributed to")
        parser.add_argument(
            "--template",
            metavar="KEY",
            help="the audit template the file answers, its latest published version "
            "(default: the built-in Practice and Impact Review)",
        )

    def handle(self, path, cohort=None, by=None, template=None, **options):
        chosen = None
        if template is not None:
            chosen = latest_published_template(template)
            if chosen is None:
                raise CommandError(f"no published template called {template!r}", returncode=2)
        limit = settings.IMPORT_MAX_BYTES
        try:
            with Path(path).open("rb") as handle:
                # One byte past the limit is enough to know: a huge file (or /dev/zero) is
                # never read whole.
                data = handle.read(limit + 1)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        if len(data) > limit:
            raise CommandError(
                f"nothing imported: {Path(path).name} is larger than the {limit:,}-byte limit "
                "(PRACTICE_REVIEW_IMPORT_MAX_BYTES)",
                returncode=1,
            )
        try:
            actor = system_actor(by)
        except User.DoesNotExist as error:
            raise CommandError(str(error)) from None
        result = import_reviews(
            data=data, file_name=Path(path).name, by=actor, default_cohort=cohort, template=chosen
        )
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"nothing imported: {len(result.problems)} problem(s) in {Path(path).name}",
                returncode=1,
            )
        self.stdout.write(result.summary())
        # After the summary line, which other tools read: whom the import added, by name.
        for line in added_staff_lines(result.added_staff):
            self.stdout.write(line)
