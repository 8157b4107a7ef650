"""Twenty people saving at once on SQLite: every write waits its turn, none fails or is lost.

docs/spec/quality.md#concurrent-writers: "20 concurrent writers on SQLite (WAL, IMMEDIATE)" -> 0
errors, 0 lost writes. Twenty processes (the honest version: each has its own connection and
interpreter, as gunicorn's workers do) write through the app's own actions (a tracker update and a
conversation, each its own transaction) to one SQLite file with the app's settings: WAL, a 60 s busy
timeout and IMMEDIATE transactions, which queue writers instead of failing with "database is
locked".
"""

import pytest

from tests.conftest import SEED_FILE
from tests.integration.file_database import (
    app_environment,
    database_file,
    open_database,
    run,
    sqlite_pass_only,
    start_writer,
)

pytestmark = [sqlite_pass_only, pytest.mark.slow]

WRITERS = 20
WRITES = 20  # each writer saves a tracker update and a conversation this many times
UPDATES = "SELECT text FROM tracker_recommendationupdate"
CONVERSATIONS = "SELECT their_words FROM reviews_conversation WHERE their_words != 'setup'"


def test_twenty_writer_processes_at_once_lose_nothing_and_never_fail(tmp_path):
    """docs/spec/quality.md#concurrent-writers: 20 concurrent writers on SQLite (WAL, IMMEDIATE) ->
    0 errors, 0 lost writes."""
    environment = app_environment(tmp_path / "data")
    assert run(environment, "migrate", "-v0").returncode == 0
    assert run(environment, "import-reviews", str(SEED_FILE)).returncode == 0
    setup = start_writer(environment, "setup", "--writers", str(WRITERS))
    _, errors = setup.communicate(timeout=120)
    assert setup.returncode == 0, errors

    go = tmp_path / "go"
    names = [f"writer-{number:02d}" for number in range(WRITERS)]
    writers = [
        start_writer(environment, "write", name, "--writes", str(WRITES), "--start-file", str(go))
        for name in names
    ]
    go.touch()  # all twenty start together, once each has loaded Django
    results = [writer.communicate(timeout=600) for writer in writers]

    assert [writer.returncode for writer in writers] == [0] * WRITERS, [e for _, e in results]
    assert not any("locked" in errors for _, errors in results)
    database = open_database(database_file(tmp_path / "data"))
    try:
        updates = [text for (text,) in database.execute(UPDATES)]
        conversations = [words for (words,) in database.execute(CONVERSATIONS)]
    finally:
        database.close()
    assert sorted(updates) == sorted(f"{name} update {n}" for name in names for n in range(WRITES))
    assert sorted(conversations) == sorted(
        f"{name} conversation {n}" for name in names for n in range(WRITES)
    )
