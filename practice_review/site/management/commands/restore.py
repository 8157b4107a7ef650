from django.core.management.base import BaseCommand, CommandError

from practice_review.site.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Replace the database with a backup, checking integrity and every table's row count."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file (its manifest sits beside it)")
        parser.add_argument(
            "--yes", action="store_true", help="replace a database that already holds data"
        )
        parser.add_argument("--by", help="the user the restore is attributed to")

    def handle(self, path, yes=False, by=None, **options):
        try:
            result = restore_backup(path, by_username=by, confirmed=yes)
        except BackupError as error:
            raise CommandError(f"restore failed: {error}") from None
        self.stdout.write(result.summary())
