"""The `practice-review` command: every Django management command, with hyphens allowed.

docs/spec/interchange.md#command-line names commands with hyphens (`import-reviews`); Django modules
cannot have them, so `import-reviews` runs the `import_reviews` command.
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice_review.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
