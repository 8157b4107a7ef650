"""Run the app in other processes against a real SQLite file in a test's tmp_path.

The pytest SQLite database is in memory, so whatever needs a real file (backups, a kill -9, many
writers at once) runs `practice-review` or tests.integration.writer_process in a subprocess
with PRACTICE_REVIEW_DATA_DIR (and DATABASE_URL) pointing at the test's own folder.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

COMMAND = shutil.which("practice-review", path=os.path.dirname(sys.executable))
ROOT = Path(__file__).resolve().parents[2]


def app_environment(data_dir, database=None):
    """The app's settings for `data_dir`: its default database there, or `database` (a path)."""
    environment = {**os.environ, "PRACTICE_REVIEW_DATA_DIR": str(data_dir)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop("DATABASE_URL", None)
    if database is not None:
        environment["DATABASE_URL"] = f"sqlite:///{database}"
    return environment


def database_file(data_dir):
    return Path(data_dir) / "practice-review.sqlite3"


def run(environment, *arguments, timeout=180):
    return subprocess.run(
        [COMMAND, *arguments], env=environment, capture_output=True, text=True, timeout=timeout
    )


def start(environment, *arguments):
    """`practice-review ARGUMENTS` in the background."""
    return subprocess.Popen(
        [COMMAND, *arguments],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_writer(environment, *arguments):
    """tests.integration.writer_process in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.writer_process", *arguments],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def open_database(path):
    """A plain sqlite3 connection, as an operator's tools would open the file."""
    return sqlite3.connect(path, timeout=60)


def integrity(path):
    database = open_database(path)
    try:
        return [row[0] for row in database.execute("PRAGMA integrity_check")]
    finally:
        database.close()


def table_counts(path):
    """{table: rows} for every table in the file."""
    database = open_database(path)
    try:
        names = [
            name
            for (name,) in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: database.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in names
        }
    finally:
        database.close()


def count(path, sql, *parameters):
    database = open_database(path)
    try:
        return database.execute(sql, parameters).fetchone()[0]
    finally:
        database.close()


# These tests bring their own SQLite file, whatever database the suite runs on: CI's PostgreSQL
# pass would only repeat them.
sqlite_pass_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="brings its own SQLite file; runs in the SQLite pass"
)
