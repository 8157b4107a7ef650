"""`practice-review backup` and `restore`, in real processes against real databases.

docs/spec/quality.md#backups: "backup while under load, restore elsewhere, integrity check and row
counts" -> identical counts. SQLite runs everywhere (a file in tmp_path, the app's own settings);
PostgreSQL runs in CI's PostgreSQL pass, restoring into a second, scratch database.
"""

import json
import os
import re
import shutil
import stat
import threading
import time
import uuid
from contextlib import closing

import pytest
from django.db import connection

from tests.conftest import SEED_FILE
from tests.integration.file_database import (
    app_environment,
    count,
    database_file,
    integrity,
    open_database,
    run,
    sqlite_pass_only,
    start_writer,
    table_counts,
)

# Real processes (`make test-slow`, whose --dist loadfile runs this file's tests, and so the
# module's one backup, on one xdist worker).
pytestmark = pytest.mark.slow

UPDATES = "SELECT count(*) FROM tracker_recommendationupdate"


def manifest_of(backup):
    return json.loads((backup.parent / f"{backup.name}.manifest.json").read_text())


def copy_backup(backup, folder):
    """The backup and its manifest, copied to `folder`, for tests that spoil one of them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (backup.name, f"{backup.name}.manifest.json"):
        shutil.copy(backup.parent / name, folder / name)
    return folder / backup.name


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def backed_up_under_load(tmp_path_factory):
    """A database with the seed cohorts, backed up by default while a writer process adds
    tracker updates through the app's own action, one transaction each, as fast as it can."""
    folder = tmp_path_factory.mktemp("backups")
    source = app_environment(folder / "source")
    database = database_file(folder / "source")
    assert run(source, "migrate", "-v0").returncode == 0
    assert run(source, "import-reviews", str(SEED_FILE)).returncode == 0
    writer_setup = start_writer(source, "setup", "--writers", "1")
    _, err = writer_setup.communicate(timeout=120)
    assert writer_setup.returncode == 0, err
    stop = folder / "stop"
    writer = start_writer(source, "until", "writer-00", "--stop-file", str(stop))
    try:
        wait_for(lambda: count(database, UPDATES) >= 20)
        before = count(database, UPDATES)
        made = run(source, "backup")
        after = count(database, UPDATES)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert made.returncode == 0, made.stderr
    backup = next((folder / "source" / "backups").glob("*.sqlite3"))
    return {
        "folder": folder,
        "source": source,
        "database": database,
        "backup": backup,
        "output": made.stdout,
        "updates_before": before,
        "updates_after": after,
    }


@sqlite_pass_only
def test_a_backup_made_while_the_app_writes_restores_elsewhere_with_identical_counts(
    backed_up_under_load, tmp_path
):
    """docs/spec/quality.md#backups: backup while under load, restore elsewhere, integrity check and
    row counts."""
    backup = backed_up_under_load["backup"]
    manifest = manifest_of(backup)
    # The writer committed throughout the backup; the copy holds one consistent moment of it.
    assert backed_up_under_load["updates_before"] < backed_up_under_load["updates_after"]
    assert (
        backed_up_under_load["updates_before"]
        <= manifest["tables"]["tracker_recommendationupdate"]
        <= backed_up_under_load["updates_after"]
    )
    assert manifest["integrity_check"] == "ok"
    assert manifest["tables"]["reviews_review"] == 25  # the seed's 24 and the writers' review

    elsewhere = tmp_path / "elsewhere"
    restored = run(app_environment(elsewhere), "restore", str(backup))
    assert restored.returncode == 0, restored.stderr

    target = database_file(elsewhere)
    assert integrity(target) == ["ok"]
    # The restore event is written after restoring, into the restored audit trail.
    assert table_counts(target) == {
        **manifest["tables"],
        "audit_auditevent": manifest["tables"]["audit_auditevent"] + 1,
    }
    with closing(open_database(target)) as restored_database:
        action, actor_name = restored_database.execute(
            "SELECT action, actor_name FROM audit_auditevent ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert action == "restore" and actor_name.startswith("system:")
    assert not any(target.parent.glob("*.restoring"))


@sqlite_pass_only
def test_the_backup_and_its_manifest_are_private_and_describe_the_copy(backed_up_under_load):
    backup = backed_up_under_load["backup"]
    manifest = manifest_of(backup)
    assert re.fullmatch(r"practice-review-\d{8}-\d{6}\.sqlite3", backup.name)
    for path in (backup, backup.parent / f"{backup.name}.manifest.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    assert manifest["database_vendor"] == "sqlite"
    assert manifest["app_version"] == "0.1.0"
    assert manifest["migrations"]["audit"] == "0002_audit_events_are_permanent"
    assert manifest["size_bytes"] == backup.stat().st_size
    # The copy is a self-contained SQLite file, opened with no app, no -wal beside it.
    assert table_counts(backup) == manifest["tables"]
    assert not list(backup.parent.glob("*-wal"))
    with closing(open_database(backed_up_under_load["database"])) as database:
        (actor_name, details), *_ = database.execute(
            "SELECT actor_name, details FROM audit_auditevent WHERE action = 'backup'"
        ).fetchall()
    assert actor_name.startswith("system:")
    assert json.loads(details)["sha256"] == manifest["sha256"]
    assert "Backed up" in backed_up_under_load["output"]


@sqlite_pass_only
def test_a_backup_with_one_byte_changed_is_refused_and_nothing_is_replaced(
    backed_up_under_load, tmp_path
):
    spoiled = copy_backup(backed_up_under_load["backup"], tmp_path / "spoiled")
    data = bytearray(spoiled.read_bytes())
    data[len(data) // 2] ^= 0xFF
    spoiled.write_bytes(bytes(data))
    database = backed_up_under_load["database"]
    before = table_counts(database)

    refused = run(backed_up_under_load["source"], "restore", str(spoiled), "--yes")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        f"CommandError: restore failed: {spoiled.name} does not match its manifest "
        "(SHA-256 differs): it is damaged or changed"
    )
    assert table_counts(database) == before


@sqlite_pass_only
def test_restore_refuses_without_yes_when_the_database_holds_data(backed_up_under_load):
    database = backed_up_under_load["database"]
    before = table_counts(database)
    refused = run(backed_up_under_load["source"], "restore", str(backed_up_under_load["backup"]))
    assert refused.returncode == 1
    assert "already holds data: run again with --yes" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert table_counts(database) == before


@sqlite_pass_only
def test_a_restore_whose_row_counts_differ_from_the_manifest_is_refused_before_replacing(
    backed_up_under_load, tmp_path
):
    backup = copy_backup(backed_up_under_load["backup"], tmp_path / "altered")
    manifest_file = backup.parent / f"{backup.name}.manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["tables"]["reviews_review"] += 1
    manifest_file.write_text(json.dumps(manifest))

    elsewhere = tmp_path / "elsewhere"
    refused = run(app_environment(elsewhere), "restore", str(backup))
    assert refused.returncode == 1
    assert "row counts differ from the manifest in 1 table(s), e.g. reviews_review: 25 " in (
        refused.stderr
    )
    assert not database_file(elsewhere).exists()


@sqlite_pass_only
def test_restore_refuses_while_another_process_has_the_database_open(
    backed_up_under_load, tmp_path
):
    """Restoring under a running app would replace the file beneath it; the old database's
    -wal must not survive to be replayed into the new one either."""
    elsewhere = tmp_path / "elsewhere"
    environment = app_environment(elsewhere)
    backup = str(backed_up_under_load["backup"])
    assert run(environment, "restore", backup).returncode == 0
    target = database_file(elsewhere)
    holder = open_database(target)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("SELECT count(*) FROM reviews_review").fetchall()
    try:
        refused = run(environment, "restore", backup, "--yes")
    finally:
        holder.close()
    assert refused.returncode == 1
    assert "is in use: stop the app" in refused.stderr

    again = run(environment, "restore", backup, "--yes")
    assert again.returncode == 0, again.stderr
    assert not os.path.exists(f"{target}-wal") or os.path.getsize(f"{target}-wal") == 0
    assert integrity(target) == ["ok"]


# ------------------------------------------------------------------------------- PostgreSQL


def postgresql_url(name):
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or 'localhost'}"
        f":{database['PORT'] or 5432}/{name}"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (CI runs the suite on it)"
)
def test_a_postgresql_backup_under_load_restores_into_another_database_with_identical_counts(
    tmp_path,
):
    """docs/spec/quality.md#backups: backup while under load, restore elsewhere, integrity check and
    row counts. The counts are taken in the snapshot pg_dump dumps, so they match it exactly."""
    import psycopg

    from practice_review.accounts.models import User, system_actor
    from practice_review.reviews.importing import import_reviews
    from practice_review.tracker.actions import add_update
    from practice_review.tracker.models import Recommendation, RecommendationUpdate

    actor = system_actor()
    assert import_reviews(data=SEED_FILE.read_bytes(), file_name=SEED_FILE.name, by=actor).ok
    writer = User.objects.create_user("writer", role="qa_lead")
    recommendation = Recommendation.objects.create(
        level="service", action="Check supervision is recorded", created_by=actor
    )
    stop, failures = threading.Event(), []

    def keep_writing():
        try:
            while not stop.is_set():
                add_update(recommendation=recommendation, text="progress", by=writer)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            failures.append(repr(error))
        finally:
            connection.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    environment = {
        **app_environment(tmp_path / "data"),
        "DATABASE_URL": postgresql_url(connection.settings_dict["NAME"]),
    }
    backup = tmp_path / "backup.pgdump"
    try:
        wait_for(lambda: RecommendationUpdate.objects.count() >= 20)
        before = RecommendationUpdate.objects.count()
        made = run(environment, "backup", "--output", str(backup))
        after = RecommendationUpdate.objects.count()
    finally:
        stop.set()
        thread.join(timeout=60)
    assert made.returncode == 0, made.stderr
    assert failures == []
    manifest = manifest_of(backup)
    assert before < after
    assert before <= manifest["tables"]["tracker_recommendationupdate"] <= after

    scratch = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        restored = run({**environment, "DATABASE_URL": postgresql_url(scratch)}, "restore",
                       str(backup))  # fmt: skip
        assert restored.returncode == 0, restored.stderr
        with psycopg.connect(postgresql_url(scratch)) as other:
            counts = {
                table: other.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in manifest["tables"]
            }
            last = other.execute(
                "SELECT action FROM audit_auditevent ORDER BY id DESC LIMIT 1"
            ).fetchone()
        assert counts == {
            **manifest["tables"],
            "audit_auditevent": manifest["tables"]["audit_auditevent"] + 1,
        }
        assert last == ("restore",)

        refused = run({**environment, "DATABASE_URL": postgresql_url(scratch)}, "restore",
                      str(backup))  # fmt: skip
        assert refused.returncode == 1 and "run again with --yes" in refused.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
