"""pytest plugin: no personal data in logs (docs/spec/quality.md#no-personal-data-in-logs: "capture
every log line of the test suite; search for seeded initials, narrative, passwords: 0 matches").

For the whole session it keeps every log record that reaches the root logger, formatted with
its exception text; what tests let through to stderr (a management command's errors); and
every email sent, as the console email backend would print it into the server's log in the
demo. At the end it searches them for the seed file's child initials and case references
(whole words, case-sensitive), the opening words of its free text, the test password and the
demo password. Any match fails the session, with the offending lines shown redacted.

Registered with `-p tests.log_capture` in pyproject's addopts so that it runs for every test
run, whichever tests are chosen. tests/unit/test_log_capture.py proves the search finds what
is planted, so the plugin cannot pass by seeing nothing.

Under pytest-xdist (`make test` runs `-n auto`) each worker captures and searches what its own
tests logged, and hands its findings to the controller (xdist's workeroutput), which reports
them all and fails the run: a worker's own exit status and terminal are not seen.
"""

import csv
import dataclasses
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_FILE = ROOT / "practice_review" / "reviews" / "demo_data" / "seed-cohorts.csv"
FREE_TEXT_COLUMNS = ("strengths_journey", "development_journey", "practice_outcome_reason")
PHRASE_LENGTH = 30
FORMAT = "%(levelname)s %(name)s %(message)s"


@dataclass(frozen=True)
class Finding:
    kind: str
    source: str
    line: str


class LeakChecker:
    """Searches text for personal data: words (initials, case references) as whole words and
    phrases (free text, passwords) anywhere. Case-sensitive: initials are upper case and short,
    so "am" in a sentence is not a child."""

    def __init__(self, words, phrases):
        self.words = dict(words)  # term -> kind
        self.phrases = {term: kind for term, kind in dict(phrases).items() if term}
        alternatives = "|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True))
        # A hyphen joins double-barrelled initials (NO-A), so it counts as part of a word.
        self._words = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if self.words else None

    @classmethod
    def from_seed(cls, seed_file=SEED_FILE, passwords=()):
        words, phrases = {}, {}
        with open(seed_file, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                words[row["initials"].strip()] = "a child's initials"
                words[row["child_ref"].strip()] = "a case reference"
                for column in FREE_TEXT_COLUMNS:
                    text = (row[column] or "").strip()
                    if text:
                        phrases[text[:PHRASE_LENGTH]] = f"free text ({column})"
        for password in passwords:
            phrases[password] = "a password"
        return cls(words, phrases)

    def _matches(self, line):
        if self._words:
            for match in self._words.finditer(line):
                yield match.start(), match.end(), self.words[match.group()]
        for phrase, kind in self.phrases.items():
            start = line.find(phrase)
            while start != -1:
                yield start, start + len(phrase), kind
                start = line.find(phrase, start + 1)

    def findings(self, entries):
        """entries: (source, text) pairs; one Finding per offending line, redacted."""
        found, seen = [], set()
        for source, text in entries:
            for line in text.splitlines():
                matches = sorted(self._matches(line))
                # The console log handler's copy on stderr repeats the record: report it once.
                if matches and line not in seen:
                    seen.add(line)
                    kinds = sorted({kind for _, _, kind in matches})
                    found.append(Finding(", ".join(kinds), source, self.redact(line, matches)))
        return found

    @staticmethod
    def redact(line, matches):
        pieces, position = [], 0
        for start, end, kind in matches:
            if start < position:
                continue
            pieces.append(line[position:start])
            pieces.append(f"[{kind}]")
            position = end
        pieces.append(line[position:])
        return "".join(pieces)


class KeepEveryRecord(logging.Handler):
    """A root handler that keeps each record as the console would show it, traceback included."""

    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.setFormatter(logging.Formatter(FORMAT))
        self.lines = []
        self.source = "log"

    def emit(self, record):
        try:
            self.lines.append((self.source, self.format(record)))
        except Exception:  # noqa: BLE001 (a badly formed record must not stop the run)
            self.handleError(record)


def passwords_to_look_for():
    """The test password and the demo password (chosen, or generated into the data folder)."""
    from django.conf import settings

    from tests.conftest import PASSWORD

    found = [PASSWORD]
    if os.environ.get("PRACTICE_REVIEW_DEMO_PASSWORD"):
        found.append(os.environ["PRACTICE_REVIEW_DEMO_PASSWORD"])
    generated = Path(settings.DATA_DIR) / "demo-password"
    if generated.exists():
        found.append(generated.read_text(encoding="utf-8").strip())
    return found


class LogCapture:
    """The plugin: one per session (and one per xdist worker), registered in pytest_configure."""

    def __init__(self, config=None):
        self.handler = KeepEveryRecord()
        self.entries = self.handler.lines
        self.config = config
        # In an xdist worker: where the findings go. In the controller: what came back.
        self.workeroutput = getattr(config, "workeroutput", None)
        self.from_workers = []

    @property
    def controller(self):
        """True in the xdist controller, which runs no test itself ("dsession" is xdist's)."""
        return self.config is not None and self.config.pluginmanager.has_plugin("dsession")

    def attach(self):
        root = logging.getLogger()
        # Django's dictConfig replaces the root handlers, so attach again if it ran since.
        if self.handler not in root.handlers:
            root.addHandler(self.handler)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session):
        self.attach()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        self.attach()
        self.handler.source = f"log of {item.nodeid}"

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item):
        # Read before pytest-django empties the outbox for the next test.
        from django.core import mail

        for message in getattr(mail, "outbox", None) or []:
            text = f"Subject: {message.subject}\n{message.body}"
            self.entries.append((f"email in {item.nodeid}", text))
        yield

    def pytest_runtest_logreport(self, report):
        if self.controller:
            return  # the worker that ran the test has searched its stderr already
        for name, text in report.sections:
            if "stderr" in name:
                self.entries.append((f"{name} of {report.nodeid}", text))

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        """In the xdist controller: a worker has finished and sent what it found."""
        output = getattr(node, "workeroutput", None) or {}
        name = getattr(getattr(node, "gateway", None), "id", "?")
        if "log_capture" in output:
            self.from_workers.append(output["log_capture"])
        elif error is None:
            # A worker that ended normally must have searched its logs; a crashed one fails
            # the run anyway.
            missing = Finding("no search of the logs", f"worker {name}", "(no result sent)")
            self.from_workers.append({"captured": 0, "findings": [dataclasses.astuple(missing)]})

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session):
        logging.getLogger().removeHandler(self.handler)
        checker = LeakChecker.from_seed(passwords=passwords_to_look_for())
        findings = checker.findings(self.entries)
        captured = len(self.entries)
        for result in self.from_workers:
            captured += result["captured"]
            findings += [Finding(*finding) for finding in result["findings"]]
        if self.workeroutput is not None:
            # xdist sends this to the controller after this hook, which reports for everyone.
            self.workeroutput["log_capture"] = {
                "captured": captured,
                "findings": [dataclasses.astuple(finding) for finding in findings],
            }
            return
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        workers = f" by {len(self.from_workers)} workers" if self.controller else ""
        if not findings:
            if reporter is not None:
                reporter.ensure_newline()
                reporter.write_line(
                    f"No personal data in {captured} captured logs, stderr and emails{workers}."
                )
            return
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_sep("=", "personal data in the logs", red=True)
            for finding in findings[:200]:
                reporter.write_line(f"{finding.kind} in {finding.source}: {finding.line}")
            reporter.write_line(f"{len(findings)} line(s) of {captured} captured{workers}.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config):
    config.pluginmanager.register(LogCapture(config), "log_capture")
