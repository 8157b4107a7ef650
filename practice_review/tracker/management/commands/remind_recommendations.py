from django.core.management.base import BaseCommand, CommandError

from practice_review.tracker.actions import reminder_days, send_reminders


class Command(BaseCommand):
    help = (
        "Email the owners of recommendations due within PRACTICE_REVIEW_REMINDER_DAYS days "
        "(default 7) or overdue. Run it daily from a scheduler: a recommendation gets at most "
        "one reminder a day, and the 'due soon' one only once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days before the due date to remind (overrides the setting).",
        )

    def handle(self, **options):
        days = reminder_days() if options["days"] is None else options["days"]
        if days < 0:
            raise CommandError("--days must be 0 or more")
        reminders = send_reminders(days_before=days)
        for reminder in reminders:
            self.stdout.write(str(reminder))
        if not reminders:
            self.stdout.write("No reminders to send.")
