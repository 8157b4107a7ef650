from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from practice_review.accounts.models import User, system_actor
from practice_review.reviews.importing import added_staff_lines
from practice_review.sampling.actions import import_extract


class Command(BaseCommand):
    help = "The caseload extract: import one (CSV or XLSX), all or nothing."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True, metavar="import")
        load = commands.add_parser("import", help="import an extract; a bad file changes nothing")
        load.add_argument("path")
        load.add_argument("--by", help="the user the import is attributed to")

    def handle(self, *args, **options):
        path, name = options["path"], Path(options["path"]).name
        limit = settings.IMPORT_MAX_BYTES
        try:
            with Path(path).open("rb") as handle:
                # One byte past the limit is enough to know: a huge file is never read whole.
                data = handle.read(limit + 1)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=2) from None
        if len(data) > limit:
            raise CommandError(
                f"nothing imported: {name} is larger than the {limit:,}-byte limit "
                "(PRACTICE_REVIEW_IMPORT_MAX_BYTES)",
                returncode=1,
            )
        try:
            actor = system_actor(options.get("by"))
        except User.DoesNotExist as error:
            raise CommandError(str(error), returncode=2) from None
        result = import_extract(by=actor, data=data, file_name=name)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            count = len(result.problems)
            raise CommandError(f"nothing imported: {count} problem{'s' if count != 1 else ''} "
                               f"in {name}", returncode=1)  # fmt: skip
        self.stdout.write(result.summary())
        for line in added_staff_lines(result.added_staff):
            self.stdout.write(line)
        if result.new_teams:
            self.stdout.write(f"Added teams not known before: {', '.join(result.new_teams)}")
