"""Where a command's result goes (docs/spec/interchange.md#command-line): standard output
without --output, else the file, and nothing on standard output."""

from django.core.management.base import CommandError


def write_result(command, content: bytes, output: str | None) -> None:
    """Write `content` (UTF-8) to `output`, or to `command`'s standard output when there is
    none; a file that cannot be written is one plain line, not a traceback."""
    if not output:
        command.stdout.write(content.decode("utf-8"), ending="")
        return
    try:
        with open(output, "wb") as handle:
            handle.write(content)
    except OSError as error:
        raise CommandError(f"cannot write {output}: {error.strerror}") from None
