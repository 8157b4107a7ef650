"""The `practice-review` command as other tools call it (docs/spec/interchange.md#command-line), in
real processes against a real SQLite file, so exit codes, stdout and stderr are what a script would
see."""

import datetime
import json
import os
import shutil
import stat
import subprocess
import sys

import pytest

from tests.conftest import JULY, SEED_FILE, SEPTEMBER
from tests.integration.helpers import csv_bytes, seed_rows
from tests.integration.test_import_templates import neglect_rows

COMMAND = shutil.which("practice-review", path=os.path.dirname(sys.executable))

# Real processes (`make test-slow`, whose --dist loadfile runs this file's tests, and so the
# module's one workspace, on one xdist worker).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    env = {
        **os.environ,
        "PRACTICE_REVIEW_DATA_DIR": str(folder / "data"),
        "DATABASE_URL": f"sqlite:///{folder / 'cli.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = lambda *args, **kw: subprocess.run(  # noqa: E731
        [COMMAND, *args], env={**env, **kw.pop("env", {})}, capture_output=True, text=True,
        timeout=120, **kw,
    )  # fmt: skip
    assert run("migrate", "-v0").returncode == 0
    return folder, run


def test_import_then_report_json_to_stdout(workspace):
    folder, run = workspace
    imported = run("import-reviews", str(SEED_FILE))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 24 reviews" in imported.stdout
    report = run("report", "--cohort", SEPTEMBER, "--compare", JULY, "--format", "json")
    assert report.returncode == 0, report.stderr
    figures = json.loads(report.stdout)
    assert figures["practice"]["outstanding"] == 8
    assert figures["comparison"]["cohort"]["reviews"] == 14


def test_report_writes_to_output_when_asked(workspace):
    folder, run = workspace
    run("import-reviews", str(SEED_FILE))
    out = folder / "figures.json"
    result = run("report", "--cohort", SEPTEMBER, "--format", "json", "--output", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(out.read_text())["cohort"]["reviews"] == 10


def test_report_on_an_unknown_cohort_exits_2_naming_it(workspace):
    _, run = workspace
    result = run("report", "--cohort", "No Such Cohort", "--format", "json")
    assert result.returncode == 2
    assert "No Such Cohort" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_file_exits_non_zero_with_one_line_per_problem(workspace):
    folder, run = workspace
    rows = seed_rows()
    rows[0]["practice_grade"] = "Excellent"
    rows[3]["gender"] = ""
    bad = folder / "bad.csv"
    bad.write_bytes(csv_bytes(rows))
    result = run("import-reviews", str(bad))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (
        "row 2, column practice_grade: got 'Excellent'; expected one of outstanding, good, "
        "requires_improvement, inadequate (or RI, or 1 to 4)"
    )
    assert lines[1].startswith("row 5, column gender: blank; expected")
    assert "Traceback" not in result.stderr


def test_the_summary_names_the_staff_an_import_added_after_the_line_tools_read(workspace):
    """docs/spec/interchange.md#practice-review-import-reviews: the first line is as it always
    was; the staff the file named whom the service did not know follow it, one a line."""
    folder, run = workspace
    run("import-reviews", str(SEED_FILE))  # the staff the seed names are known
    rows = [{**seed_rows()[0], "cohort": "Command line staff", "review_date": "2025-03-03",
             "social_worker": "Jane Smith", "supervisor": "Priya Shah"}]  # fmt: skip
    path = folder / "new-staff.csv"
    path.write_bytes(csv_bytes(rows))
    result = run("import-reviews", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Imported 1 review into Command line staff: 1 new, 0 updated, 0 unchanged.",
        "Added 2 members of staff not known before:",
        "  Jane Smith (social worker)",
        "  Priya Shah (supervisor)",
    ]
    assert result.stderr == ""
    again = run("import-reviews", str(path))
    assert again.stdout.splitlines() == [
        "Imported 1 review into Command line staff: 0 new, 0 updated, 1 unchanged."
    ]


def test_imports_are_attributed_to_by_or_the_operating_system_user(workspace):
    folder, run = workspace
    unknown = run("import-reviews", str(SEED_FILE), "--by", "nobody.here")
    assert unknown.returncode != 0 and "nobody.here" in unknown.stderr
    script = (
        "from practice_review.reviews.models import ImportRecord;"
        "print(ImportRecord.objects.order_by('-id').first().by.username)"
    )
    run("import-reviews", str(SEED_FILE))
    shown = run("shell", "-v0", "-c", script)
    assert shown.stdout.strip().startswith("system:")


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(workspace):
    _, run = workspace
    script = (
        "from django.db import connection;"
        "cursor = connection.cursor();"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0],"
        " connection.settings_dict['OPTIONS']['transaction_mode'],"
        " cursor.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    assert run("shell", "-v0", "-c", script).stdout.split() == ["wal", "IMMEDIATE", "60000"]


def two_years_ago():
    today = datetime.date.today()
    return today.replace(year=today.year - 2, day=min(today.day, 28)).isoformat()


def test_demo_sets_up_idempotently_with_a_private_generated_password(tmp_path):
    env = {
        **os.environ,
        "PRACTICE_REVIEW_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    env.pop("PRACTICE_REVIEW_DEMO_PASSWORD", None)
    first = subprocess.run([COMMAND, "demo", "--no-serve"], env=env, capture_output=True,
                           text=True, timeout=180)  # fmt: skip
    assert first.returncode == 0, first.stderr
    password_file = tmp_path / "demo-password"
    password = password_file.read_text().strip()
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password in first.stdout and "qa.lead" in first.stdout
    again = subprocess.run([COMMAND, "demo", "--no-serve"], env=env, capture_output=True,
                           text=True, timeout=180)  # fmt: skip
    assert again.returncode == 0 and password in again.stdout
    assert "(0 new)" in again.stdout

    chosen = subprocess.run([COMMAND, "demo", "--no-serve"], capture_output=True, text=True,
                            env={**env, "PRACTICE_REVIEW_DEMO_PASSWORD": "a chosen demo pass"},
                            timeout=180)  # fmt: skip
    assert "a chosen demo pass" in chosen.stdout
    check = subprocess.run(
        [COMMAND, "shell", "-v0", "-c",
         # A request, as the sign-in page gives: the lockout backend (axes) needs one.
         "from django.contrib.auth import authenticate; from django.http import HttpRequest;"
         "print(bool(authenticate(HttpRequest(), username='practitioner',"
         " password='a chosen demo pass')))"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert check.stdout.strip() == "True"
    reports = subprocess.run(
        [COMMAND, "shell", "-v0", "-c",
         "from practice_review.reports.models import PublishedReport as P;"
         "print(P.objects.count(), P.objects.get().figures['comparison']['cohort']['name'])"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert reports.stdout.strip() == f"1 {JULY}"  # published once, against the cohort before
    # Two years of monthly cohorts for the trends page, made once: the page's default range
    # (the last 24 months) holds all of them and neither seed cohort.
    trends = subprocess.run([COMMAND, "trends", "--from", two_years_ago()], env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    names = [cohort["name"] for cohort in json.loads(trends.stdout)["cohorts"]]
    assert len(names) == 23 and all(name.startswith("Monthly audit") for name in names)


def test_report_to_an_unwritable_path_is_a_plain_error(workspace):
    _, run = workspace
    run("import-reviews", str(SEED_FILE))
    result = run("report", "--cohort", SEPTEMBER, "--output", "/nonexistent/figures.json")
    assert result.returncode != 0
    assert "cannot write /nonexistent/figures.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_for_wider_circulation_leaves_out_the_table_of_the_reviews(workspace):
    import docx

    folder, run = workspace
    run("import-reviews", str(SEED_FILE))
    full, wider = folder / "full.docx", folder / "wider.docx"
    assert (
        run("report", "--cohort", SEPTEMBER, "--format", "docx", "--output", str(full)).returncode
        == 0
    )
    result = run("report", "--cohort", SEPTEMBER, "--format", "docx", "--output", str(wider),
                 "--wider-circulation")  # fmt: skip
    assert result.returncode == 0, result.stderr

    def first_headers(path):
        return [table.rows[0].cells[0].text for table in docx.Document(path).tables]

    assert "Initials" in first_headers(full)
    assert "Initials" not in first_headers(wider)


NARRATIVE = """# Findings

Outcomes for children were good or better in 6 of 10 reviews (60%), an improvement on July.

One young person was consulted by WhatsApp over the last 6 months.
Half of the children were care leavers, and seven reviews were by independent reviewers.
"""


def test_check_narrative_prints_one_json_object_per_problem_and_exits_1(workspace):
    folder, run = workspace
    run("import-reviews", str(SEED_FILE))
    path = folder / "narrative.md"
    path.write_text(NARRATIVE, encoding="utf-8")
    result = run("check-narrative", "--cohort", SEPTEMBER, "--compare", JULY, str(path))
    assert result.returncode == 1, result.stderr
    problems = [json.loads(line) for line in result.stdout.splitlines()]
    assert problems == [
        {"paragraph": 2, "text": "6 of 10",
         "problem": "outcomes good or better is 8 of 10 (80%), not 6 of 10",
         "expected": "8 of 10 (80%)"},
        {"paragraph": 2, "text": "an improvement on",
         "problem": "outcomes good or better fell from 13 of 14 (93%) in "
                    f"{JULY} to 8 of 10 (80%): not 'an improvement on'",
         "expected": "8 of 10 (80%)"},
        {"paragraph": 3, "text": "Half", "problem": "care leavers is 6 of 10 (60%), not half",
         "expected": "6 of 10 (60%)"},
        {"paragraph": 3, "text": "seven",
         "problem": "reviews by independent reviewers is 8 of 10 (80%), not seven",
         "expected": "8 of 10 (80%)"},
    ]  # fmt: skip
    assert result.stderr.strip() == "CommandError: 4 numbers do not match the figures"


def test_check_narrative_reads_standard_input_and_exits_0_when_the_figures_agree(workspace):
    _, run = workspace
    run("import-reviews", str(SEED_FILE))
    text = "Outcomes were good or better in 8 of 10 reviews ({outcome.good_or_better.percent}).\n"
    result = run("check-narrative", "--cohort", SEPTEMBER, "-", input=text)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_check_narrative_on_an_unknown_cohort_is_a_usage_error(workspace):
    folder, run = workspace
    path = folder / "empty.md"
    path.write_text("Nothing to check.\n", encoding="utf-8")
    result = run("check-narrative", "--cohort", "No Such Cohort", str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == "CommandError: no cohort called 'No Such Cohort'"
    missing = run("check-narrative", "--cohort", SEPTEMBER, str(folder / "missing.md"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_templates_load_and_dump_as_a_script_sees_them(workspace, tmp_path):
    _, run = workspace
    example = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "templates",
                           "neglect-thematic.yaml")  # fmt: skip
    loaded = run("templates", "load", example)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("added: Thematic audit")
    assert run("templates", "load", example).stdout.startswith("unchanged: ")
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: x\nname: X\nversion: 1\ngrades: []\nstandard: []\n")
    refused = run("templates", "load", str(bad))
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.splitlines()[-1] == "CommandError: nothing loaded: 2 problems in bad.yaml"
    dumped = run("templates", "dump", "neglect_thematic", "--version", "1")
    assert dumped.returncode == 0 and dumped.stdout.startswith("key: neglect_thematic\n")
    missing = run("templates", "dump", "nothing_here")
    assert missing.returncode == 2
    assert missing.stderr.strip() == "CommandError: there is no published template nothing_here"


def test_import_reviews_on_a_template_named_by_its_key(workspace):
    # After test_templates_load_and_dump_as_a_script_sees_them, which expects to add the example.
    folder, run = workspace
    example = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "templates",
                           "neglect-thematic.yaml")  # fmt: skip
    assert run("templates", "load", example).returncode == 0
    path = folder / "neglect.csv"
    path.write_bytes(csv_bytes(neglect_rows(5)))

    imported = run("import-reviews", str(path), "--template", "neglect_thematic")

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("Imported 5 reviews into Neglect audit, spring 2025: 5 new")
    unknown = run("import-reviews", str(path), "--template", "no_such_template")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "CommandError: no published template called 'no_such_template'"
    # Read as the built-in template, the file lacks its standards: refused, nothing imported.
    assert run("import-reviews", str(path)).returncode == 1
