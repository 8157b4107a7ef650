from django.core.management.base import BaseCommand, CommandError

from practice_review.accounts.models import User, system_actor
from practice_review.site.backups import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database to one verified file and its manifest (safe while in use)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="the backup file (default: data/backups/practice-review-<time>.*)"
        )
        parser.add_argument("--by", help="the user the backup is attributed to")

    def handle(self, output=None, by=None, **options):
        try:
            result = make_backup(by=system_actor(by), path=output)
        except (BackupError, User.DoesNotExist) as error:
            raise CommandError(f"backup failed: {error}") from None
        self.stdout.write(result.summary())
