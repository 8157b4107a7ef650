from django.core.management.base import BaseCommand

from practice_review.alerts.actions import escalate_overdue_alerts


class Command(BaseCommand):
    help = (
        "Escalate every alert not acknowledged in time one step (manager, QA lead, senior "
        "leaders) and email the next people. Run it often from a scheduler: running it again "
        "before the new deadline does nothing."
    )

    def handle(self, **options):
        escalations = escalate_overdue_alerts()
        for escalation in escalations:
            self.stdout.write(str(escalation))
        if not escalations:
            self.stdout.write("No alerts to escalate.")
