import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from practice_review.core.environment import Environment
from practice_review.site.management.commands.demo import holds_demo_users

# The path without its query string and no referrer: a search by case reference
# (?case_ref=...) must not reach the log. The request id ties the line to the app's own log.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'


class Command(BaseCommand):
    help = "Serve the app with gunicorn, a production server (not Django's development server)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        env = Environment()  # a bad PORT or WEB_CONCURRENCY fails naming the variable
        parser.add_argument("--port", type=int, default=env.int("PORT", 8000))
        parser.add_argument("--workers", type=int, default=env.int("WEB_CONCURRENCY", 3))

    def handle(self, host, port, workers, **options):
        if holds_demo_users() and not settings.DEMO_MODE:
            raise CommandError(
                "This database holds the demo's users, who share one printed password. Serve "
                "it as a demo with PRACTICE_REVIEW_DEMO_MODE=true (practice-review demo does), "
                "or serve a database without the demo."
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.DEMO_MODE:
            os.environ["PRACTICE_REVIEW_DEMO_MODE"] = "true"
            # The demo's emails (printed to the console) link to where this server listens,
            # unless the site's address is set; a deployment always sets its own.
            os.environ.setdefault("PRACTICE_REVIEW_SITE_URL", f"http://{host}:{port}")
        self.stdout.write(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
        self.stdout.flush()
        arguments = [
            sys.executable, "-m", "gunicorn", "practice_review.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--no-control-socket", "--access-logfile", "-", "--timeout", "120",
            "--access-logformat", ACCESS_LOG_FORMAT,
        ]  # fmt: skip
        # Replace this process so signals (Ctrl+C, a service manager's stop) reach gunicorn.
        os.execv(sys.executable, arguments)  # noqa: S606  # nosec B606 # fixed arguments, no shell
