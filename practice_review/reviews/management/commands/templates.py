from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practice_review.accounts.models import User, system_actor
from practice_review.core.audit_templates import (
    MAX_FILE_BYTES,
    TemplateProblems,
    read_yaml,
    to_yaml,
)
from practice_review.reviews.actions import NotAllowed
from practice_review.reviews.models import AuditTemplate
from practice_review.reviews.template_actions import load_template


class Command(BaseCommand):
    help = "Audit templates as files (docs/spec/audit-templates.md): load one, or print one."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True, metavar="load|dump")
        load = commands.add_parser("load", help="load a template file; a bad file changes nothing")
        load.add_argument("path")
        load.add_argument("--by", help="the user the change is attributed to")
        dump = commands.add_parser("dump", help="print a template as a file")
        dump.add_argument("key")
        dump.add_argument("--version", type=int, help="the version (default: the latest published)")

    def handle(self, command, **options):
        if command == "load":
            self._load(options["path"], options.get("by"))
        else:
            self._dump(options["key"], options.get("version"))

    def _load(self, path, by):
        try:
            with Path(path).open("rb") as handle:
                # One byte past the limit is enough to know: a huge file is never read whole.
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        name = Path(path).name
        if len(data) > MAX_FILE_BYTES:
            raise CommandError(f"nothing loaded: {name} is larger than {MAX_FILE_BYTES:,} "
                               "bytes", returncode=1)  # fmt: skip
        try:
            actor = system_actor(by)
        except User.DoesNotExist as error:
            raise CommandError(str(error)) from None
        try:
            definition = read_yaml(data.decode("utf-8"))
            loaded = load_template(by=actor, definition=definition)
        except UnicodeDecodeError:
            raise CommandError(f"nothing loaded: {name} is not UTF-8 text", returncode=1) from None
        except TemplateProblems as error:
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            raise CommandError(f"nothing loaded: {count} problem{'s' if count != 1 else ''} in "
                               f"{name}", returncode=1) from None  # fmt: skip
        except NotAllowed as error:
            raise CommandError(f"nothing loaded: {error}", returncode=1) from None
        template = loaded.template.template
        self.stdout.write(
            f"{loaded.outcome}: {template.name}, version {template.version} ({template.key}): "
            f"{_counted(template.grades, 'grade')}, {_counted(template.standards, 'standard')}, "
            f"{_counted(template.themes, 'theme')}, {_counted(template.questions, 'question')}"
        )

    def _dump(self, key, version):
        rows = AuditTemplate.objects.filter(key=key)
        row = (
            rows.filter(version=version).first()
            if version
            else rows.published().order_by("-version").first()
        )
        if row is None:
            missing = f"version {version} of {key}" if version else f"published template {key}"
            raise CommandError(f"there is no {missing}", returncode=2)
        self.stdout.write(to_yaml(row.template), ending="")


def _counted(items, noun):
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"
