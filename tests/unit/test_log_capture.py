"""The log scanner of tests/log_capture.py finds what it is there to find, so a clean run of the
suite means the logs were clean, not that the scanner was blind
(docs/spec/quality.md#no-personal-data-in-logs: "capture every log line of the test suite; search
for seeded initials, narrative, passwords: 0 matches")."""

import csv
import logging
import os
import subprocess
import sys

import pytest

from tests.conftest import PASSWORD
from tests.log_capture import ROOT, SEED_FILE, KeepEveryRecord, LeakChecker, LogCapture


def seed_rows():
    with open(SEED_FILE, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def planted():
    """A separate handler on a private logger: nothing planted reaches the session's capture."""
    logger = logging.getLogger("tests.planted")
    logger.propagate = False
    handler = KeepEveryRecord()
    logger.addHandler(handler)
    yield logger, handler
    logger.removeHandler(handler)


def test_the_checker_finds_seeded_initials_case_references_narrative_and_passwords(planted):
    """Row: no personal data in logs. Each kind of seeded data, logged, is found."""
    logger, handler = planted
    row = next(r for r in seed_rows() if r["development_journey"])
    logger.warning("Saved review of %s", row["child_ref"])
    logger.warning("Child %s moved", row["initials"])
    logger.info("Narrative: %s", row["development_journey"])
    logger.error("Sign-in failed with %s", PASSWORD)
    checker = LeakChecker.from_seed(passwords=[PASSWORD, "demo-a-generated-one"])
    logger.error("Demo sign-in with demo-a-generated-one")

    found = checker.findings(handler.lines)

    assert [f.kind for f in found] == [
        "a case reference",
        "a child's initials",
        "free text (development_journey)",
        "a password",
        "a password",
    ]
    for finding in found:  # the report shows where, never the data itself
        assert row["child_ref"] not in finding.line and PASSWORD not in finding.line
        assert row["development_journey"][:30] not in finding.line


def test_the_checker_finds_data_inside_a_logged_traceback(planted):
    """Row: no personal data in logs. Exception text is part of what is searched."""
    logger, handler = planted
    try:
        raise ValueError("no such child C1004")
    except ValueError:
        logger.exception("Import failed")

    found = LeakChecker.from_seed().findings(handler.lines)

    assert {f.kind for f in found} == {"a case reference"}
    assert "ValueError: no such child [a case reference]" in [f.line for f in found]


def test_initials_are_matched_as_whole_words_only():
    """Short initials inside ordinary words, in other case or in references are not leaks."""
    checker = LeakChecker.from_seed()
    clean = [
        ("log", "GET /reviews/12/ 200 AMBER MAIL vb C10040 REVIEW-000001 ALERT-000003"),
        ("log", "Recommendation reminders: 2 sent, 0 owners without an email address"),
    ]
    assert checker.findings(clean) == []
    assert [f.kind for f in checker.findings([("log", "child NO-A seen")])] == [
        "a child's initials"
    ]


def test_every_seeded_child_and_narrative_is_searched_for():
    rows = seed_rows()
    checker = LeakChecker.from_seed()
    assert {r["initials"] for r in rows} <= set(checker.words)
    assert {r["child_ref"] for r in rows} <= set(checker.words)
    narrative = [r["strengths_journey"] for r in rows if r["strengths_journey"]]
    assert narrative and all(text[:30] in checker.phrases for text in narrative)


def test_the_capture_is_running_in_this_session(request):
    """The plugin is registered for every run and its handler is on the root logger, so a
    record logged by the app reaches it."""
    plugin = request.config.pluginmanager.get_plugin("log_capture")
    assert isinstance(plugin, LogCapture)
    assert plugin.handler in logging.getLogger().handlers
    before = len(plugin.entries)
    logging.getLogger("practice_review.test").warning("a line with no personal data")
    assert plugin.entries[before:] == [
        (
            f"log of {request.node.nodeid}",
            "WARNING practice_review.test a line with no personal data",
        )
    ]


@pytest.mark.slow
def test_a_leak_in_any_xdist_worker_fails_the_whole_run(tmp_path):
    """`make test` runs on xdist workers, whose own exit status and terminal the run does not
    show, and only a worker sees its tests' emails and log records: a leak in one must still
    fail the run, reported by the controller (stderr alone would reach it anyway)."""
    child_ref = seed_rows()[0]["child_ref"]
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_planted.py").write_text(
        "import logging\n\nfrom django.core import mail\n\n\n"
        "def test_clean():\n"
        "    logging.getLogger('planted').warning('a line with no personal data')\n\n\n"
        "def test_leak():\n"
        f"    mail.send_mail('Review', 'About {child_ref}', 'a@example.org', ['b@example.org'])\n"
    )
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "practice_review.settings",
        "PRACTICE_REVIEW_HTTPS": "false",
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", "pytest.ini", "-p", "no:cacheprovider",
         "-p", "tests.log_capture", "-n", "2", "test_planted.py"],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=180,
    )  # fmt: skip

    assert run.returncode == pytest.ExitCode.TESTS_FAILED, run.stdout + run.stderr
    assert "2 passed" in run.stdout  # the tests pass: the search of what they sent fails the run
    assert "personal data in the logs" in run.stdout
    assert "a case reference in email in test_planted.py::test_leak: About [a case" in run.stdout
    assert "captured by 2 workers" in run.stdout
    assert child_ref not in run.stdout + run.stderr  # reported redacted
