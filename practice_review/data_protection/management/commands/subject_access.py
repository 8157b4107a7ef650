import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practice_review.accounts.models import User, system_actor
from practice_review.data_protection.subject_access import subject_access_zip
from practice_review.reviews.models import Child


class Command(BaseCommand):
    help = (
        "Write a ZIP of everything held about one child (a subject access request), with a "
        "README.txt explaining each file. The export is recorded in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("case_ref", help="The child's case reference.")
        parser.add_argument("--output", required=True, help="Where to write the ZIP file.")
        parser.add_argument("--by", metavar="USERNAME", help="Who the export is recorded as.")

    def handle(self, *args, case_ref, output, by=None, **options):
        try:
            actor = system_actor(by)
        except User.DoesNotExist as error:
            raise CommandError(str(error)) from None
        child = Child.objects.filter(case_ref=case_ref.strip()).first()
        if child is None:
            raise CommandError("No child has that case reference.")
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} already exists: choose a new file name.")
        content = subject_access_zip(by=actor, child=child)
        # Special category data: created readable by its owner only, never over another file.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            f.write(content)
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes).")
