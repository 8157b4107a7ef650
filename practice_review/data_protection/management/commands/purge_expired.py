from django.core.management.base import BaseCommand, CommandError

from practice_review.accounts.models import User, system_actor
from practice_review.core.uploads import discard_expired_uploads
from practice_review.data_protection.purge import purge_expired


class Command(BaseCommand):
    help = (
        "Remove the personal details and free text of final reviews older than the retention "
        "period (PRACTICE_REVIEW_RETENTION_YEARS, from the review date), except children on a "
        "legal hold, keeping what the figures count. All or nothing; safe to run again; "
        "prints counts only. Run it from a scheduler (docs/data-protection.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would go; change nothing."
        )
        parser.add_argument("--by", metavar="USERNAME", help="Who the purge is recorded as.")

    def handle(self, *args, dry_run=False, by=None, **options):
        try:
            actor = system_actor(by)
        except User.DoesNotExist as error:
            raise CommandError(str(error)) from None
        result = purge_expired(by=actor, dry_run=dry_run)
        if not dry_run:
            # Review files uploaded for import and never confirmed hold children's details too:
            # gone once nobody can confirm them, even if nobody uploads again (core/uploads.py).
            discard_expired_uploads()
        for line in result.summary_lines():
            self.stdout.write(line)
