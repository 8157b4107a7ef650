import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the app with gunicorn, a production server (not Django's development server)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3))
        )

    def handle(self, host, port, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.DEMO_MODE:
            os.environ["PRACTICE_REVIEW_DEMO_MODE"] = "true"
        self.stdout.write(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
        self.stdout.flush()
        arguments = [
            sys.executable, "-m", "gunicorn", "practice_review.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--no-control-socket", "--access-logfile", "-", "--timeout", "120",
        ]  # fmt: skip
        # Replace this process so signals (Ctrl+C, a service manager's stop) reach gunicorn.
        os.execv(sys.executable, arguments)  # noqa: S606 (fixed arguments, no shell)
