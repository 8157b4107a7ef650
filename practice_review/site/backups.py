"""Backups and restores of the whole database, each verified (issue 6; docs/spec/quality.md#backups:
"backups are real"). The commands `practice-review backup` and `practice-review restore` call these.

A backup is two files side by side: the database copy and its manifest, PATH + ".manifest.json".
The copy is a plain SQLite file (made with SQLite's online backup API) or pg_dump's custom
format, so the usual tools open it without this app. The manifest says when and from what the
copy was made (app version, database vendor, the latest migration applied per app), how many
rows every table held and the SHA-256 of the copy; restore refuses a copy that does not match
its manifest, and checks every table's row count against it after restoring. Both files are
owner-only (0600): a backup holds every child's data.

Counts match the copy exactly: on SQLite they are read from the finished copy; on PostgreSQL
they are counted inside a REPEATABLE READ transaction whose snapshot pg_dump is given
(--snapshot), so the dump and the counts see the same moment however busy the database is.
"""

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from practice_review.accounts.models import User, system_actor
from practice_review.audit.events import record
from practice_review.audit.models import AuditEvent

MANIFEST_SUFFIX = ".manifest.json"
EXTENSIONS = {"sqlite": "sqlite3", "postgresql": "pgdump"}
# A database "has data" once anyone has used it: migrations alone fill reference tables only.
DATA_TABLES = ("accounts_user", "reviews_review", "reviews_cohort", "audit_auditevent")


class BackupError(Exception):
    """A backup or restore that cannot go ahead or did not verify; the message is one line."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    seconds: float

    def summary(self):
        rows = sum(self.manifest["tables"].values())
        return (
            f"Backed up {len(self.manifest['tables'])} tables ({rows:,} rows) to {self.path} "
            f"in {self.seconds:.1f} s; integrity check ok; manifest {manifest_path(self.path)}"
        )


@dataclass
class RestoreResult:
    path: Path
    manifest: dict
    seconds: float
    recorded_by: str

    def summary(self):
        rows = sum(self.manifest["tables"].values())
        return (
            f"Restored {len(self.manifest['tables'])} tables ({rows:,} rows) from {self.path} "
            f"in {self.seconds:.1f} s; integrity check ok; every row count matches the manifest; "
            f"recorded as done by {self.recorded_by}"
        )


def manifest_path(path):
    return Path(f"{path}{MANIFEST_SUFFIX}")


def vendor():
    return connection.vendor


def default_backup_path(now=None):
    """data/backups/practice-review-YYYYMMDD-HHMMSS.<sqlite3|pgdump>, in local time."""
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return settings.DATA_DIR / "backups" / f"practice-review-{stamp}.{EXTENSIONS[vendor()]}"


# ------------------------------------------------------------------------------------- backup


def make_backup(*, by, path=None):
    """Copy the configured database to `path` (default: data/backups/...), verify the copy,
    write its manifest and record a `backup` audit event. Raises BackupError."""
    started = time.perf_counter()
    path = Path(path) if path else default_backup_path()
    if path.exists() or manifest_path(path).exists():
        raise BackupError(f"{path} already exists: choose another --output")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    _private_empty_file(partial)
    try:
        if vendor() == "sqlite":
            details = _sqlite_backup(Path(connection.settings_dict["NAME"]), partial)
        elif vendor() == "postgresql":
            details = _postgresql_backup(connection.settings_dict, partial)
        else:
            raise BackupError(f"backups of {vendor()} databases are not supported")
        _fsync(partial)
        manifest = {
            "format": 1,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "app_version": app_version(),
            "database_vendor": vendor(),
            "file": path.name,
            "size_bytes": partial.stat().st_size,
            "sha256": sha256_of(partial),
            **details,
        }
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    _write_private_json(manifest_path(path), manifest)
    _fsync_directory(path.parent)
    record(
        AuditEvent.Action.BACKUP,
        by=by,
        target_type="database",
        details=_event_details(path, manifest),
    )
    return BackupResult(path=path, manifest=manifest, seconds=time.perf_counter() - started)


def _sqlite_backup(source, destination):
    # The online backup API in one step copies a consistent snapshot: in WAL mode it is one
    # read transaction, so the app's writers carry on meanwhile. (Copying in steps would
    # restart whenever another connection wrote, and might never finish under load.)
    if not source.exists():
        raise BackupError(f"there is no database at {source}")
    reading = sqlite3.connect(source, timeout=60)
    copy = sqlite3.connect(destination)
    try:
        reading.backup(copy)
        # The copy is one self-contained file: no -wal or -shm beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        check = sqlite_integrity(copy)
        if check != "ok":
            raise BackupError(f"the copy failed SQLite's integrity check: {check}")
        return {
            "integrity_check": check,
            "migrations": _latest_migrations(copy.execute(LATEST_MIGRATIONS).fetchall()),
            "tables": sqlite_table_counts(copy),
        }
    finally:
        copy.close()
        reading.close()


def _postgresql_backup(database, destination):
    # pg_dump dumps one snapshot; counting separately under load could disagree with it. So
    # this transaction exports its snapshot, counts in it, and pg_dump dumps that same snapshot
    # while the transaction stays open.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = postgresql_table_counts(cursor)
        cursor.execute(LATEST_MIGRATIONS)
        migrations = _latest_migrations(cursor.fetchall())
        _run_postgresql_tool(
            "pg_dump",
            database,
            ["--format=custom", f"--snapshot={snapshot}", f"--file={destination}"],
        )
    listed = _run_postgresql_tool("pg_restore", database, ["--list", str(destination)], db=False)
    dumped = {
        line.split()[-2]
        for line in listed.splitlines()
        if not line.startswith(";") and " TABLE DATA " in line
    }
    missing = sorted(set(tables) - dumped)
    if missing:
        raise BackupError(f"the dump has no data for table(s) {', '.join(missing)}")
    return {
        "integrity_check": f"pg_restore --list read {len(dumped)} tables",
        "migrations": migrations,
        "tables": tables,
    }


# ------------------------------------------------------------------------------------ restore


def restore_backup(path, *, by_username=None, confirmed=False):
    """Replace the configured database with the backup at `path`, after checking it against its
    manifest; then check integrity and every table's row count, and record a `restore` event
    (after restoring, since the audit table is replaced too). Raises BackupError."""
    started = time.perf_counter()
    path = Path(path)
    manifest = read_manifest(path)
    if manifest["database_vendor"] != vendor():
        raise BackupError(
            f"the backup is of a {manifest['database_vendor']} database, "
            f"but this app is configured for {vendor()}"
        )
    if sha256_of(path) != manifest["sha256"]:
        raise BackupError(
            f"{path.name} does not match its manifest (SHA-256 differs): it is damaged or changed"
        )
    if vendor() == "sqlite":
        _sqlite_restore(path, manifest, Path(connection.settings_dict["NAME"]), confirmed)
    else:
        _postgresql_restore(path, manifest, connection.settings_dict, confirmed)
    connections.close_all()  # the next query opens the restored database
    try:
        actor = system_actor(by_username)
    except User.DoesNotExist:
        actor = system_actor()  # --by names someone the restored database does not know
    record(
        AuditEvent.Action.RESTORE,
        by=actor,
        target_type="database",
        details=_event_details(path, manifest),
    )
    return RestoreResult(
        path=path,
        manifest=manifest,
        seconds=time.perf_counter() - started,
        recorded_by=actor.username,
    )


def read_manifest(path):
    if not path.is_file():
        raise BackupError(f"there is no backup file at {path}")
    try:
        manifest = json.loads(manifest_path(path).read_text())
    except FileNotFoundError:
        raise BackupError(
            f"there is no manifest beside the backup ({manifest_path(path)})"
        ) from None
    except ValueError:
        raise BackupError(f"the manifest {manifest_path(path)} is not valid JSON") from None
    needed = {"database_vendor", "sha256", "tables"}
    if not isinstance(manifest, dict) or not needed <= set(manifest):
        raise BackupError(f"the manifest {manifest_path(path)} lacks {', '.join(sorted(needed))}")
    return manifest


def _sqlite_restore(backup, manifest, target, confirmed):
    if not confirmed and _sqlite_has_data(target):
        raise BackupError(
            f"the database at {target} already holds data: run again with --yes to replace it"
        )
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Copy beside the target (same file system, so the rename is atomic), verify the copy,
    # and only then put it in place: a bad backup never replaces a good database.
    incoming = target.with_name(f".{target.name}.restoring")
    incoming.unlink(missing_ok=True)
    _private_empty_file(incoming)
    try:
        with backup.open("rb") as source, incoming.open("r+b") as copy:
            shutil.copyfileobj(source, copy, 1024 * 1024)
            copy.flush()
            os.fsync(copy.fileno())
        restored = sqlite3.connect(incoming)
        try:
            _check_restored(
                sqlite_integrity(restored), sqlite_table_counts(restored), manifest["tables"]
            )
        finally:
            restored.close()
        if target.exists():
            _leave_wal_mode(target)
        # The old database's -wal and -shm must not outlive it: SQLite would replay the old
        # log into the new file. Leaving WAL mode removed them; these are belt and braces.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(incoming, target)
        _fsync_directory(target.parent)
    finally:
        incoming.unlink(missing_ok=True)


def _leave_wal_mode(target):
    # Switching out of WAL needs the only connection to the database, so this also proves the
    # app is stopped: restoring under a running server would pull the file from under it.
    database = sqlite3.connect(target, timeout=5)
    try:
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = database.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "wal"
    finally:
        database.close()
    if mode != "delete":
        raise BackupError(
            f"the database at {target} is in use: stop the app (and any commands) first"
        )


def _sqlite_has_data(target):
    if not target.exists() or target.stat().st_size == 0:
        return False
    database = sqlite3.connect(target, timeout=60)
    try:
        return any(
            database.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]  # noqa: S608  # nosec B608
            for table in set(DATA_TABLES) & set(sqlite_table_counts(database, names_only=True))
        )
    finally:
        database.close()


def _postgresql_restore(backup, manifest, database, confirmed):
    with connection.cursor() as cursor:
        present = set(postgresql_table_names(cursor))
        has_data = any(
            _postgresql_count(cursor, table, exists_only=True)
            for table in set(DATA_TABLES) & present
        )
    if has_data and not confirmed:
        raise BackupError(
            f"the database {database['NAME']} already holds data: run again with --yes to "
            "replace it"
        )
    connections.close_all()
    # One transaction: if anything fails, the database is as it was. --clean drops what the
    # dump holds first; --no-owner and --no-privileges let another role restore it elsewhere.
    _run_postgresql_tool(
        "pg_restore",
        database,
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(backup),
        ],
    )
    with connection.cursor() as cursor:
        counts = {
            table: _postgresql_count(cursor, table)
            for table in postgresql_table_names(cursor)
            if table in manifest["tables"]
        }
    _check_restored("ok", counts, manifest["tables"])


def _check_restored(integrity, counts, expected):
    if integrity != "ok":
        raise BackupError(f"the restored database failed its integrity check: {integrity}")
    missing = sorted(set(expected) - set(counts))
    if missing:
        raise BackupError(f"the restored database lacks table(s) {', '.join(missing)}")
    different = [table for table in sorted(expected) if counts[table] != expected[table]]
    if different:
        table = different[0]
        raise BackupError(
            f"row counts differ from the manifest in {len(different)} table(s), e.g. {table}: "
            f"{counts[table]} restored, {expected[table]} in the manifest"
        )


# ---------------------------------------------------------------------------- database details


def sqlite_integrity(database):
    rows = database.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(row[0] for row in rows[:5])


def sqlite_table_counts(database, names_only=False):
    names = [
        name
        for (name,) in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    if names_only:
        return names
    # Table names come from the database's own catalogue, quoted.
    return {
        name: database.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608  # nosec B608
        for name in names
    }


def postgresql_table_names(cursor):
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [name for (name,) in cursor.fetchall()]


def postgresql_table_counts(cursor):
    return {name: _postgresql_count(cursor, name) for name in postgresql_table_names(cursor)}


def _postgresql_count(cursor, table, exists_only=False):
    quoted = connection.ops.quote_name(table)
    if exists_only:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted})")  # noqa: S608  # nosec B608
    else:
        cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608  # nosec B608
    return cursor.fetchone()[0]


LATEST_MIGRATIONS = "SELECT app, name FROM django_migrations ORDER BY id"


def _latest_migrations(rows):
    """{app: the latest migration applied}, from the copy itself (or the dumped snapshot)."""
    return dict(sorted(dict(rows).items()))


def app_version():
    try:
        return version("practice-review")
    except PackageNotFoundError:
        return "unknown"


def postgresql_tool(name):
    """pg_dump or pg_restore: from PATH, else the newest in /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise BackupError(f"{name} was not found: install PostgreSQL's client tools")
    return candidates[-1]


def _run_postgresql_tool(name, database, arguments, db=True):
    command = [postgresql_tool(name), "--no-password", *arguments]
    if db:
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if database.get(key):
                command.append(f"{flag}={database[key]}")
        command.append(f"--dbname={database['NAME']}")
    # The password goes in the environment, never on the command line (where `ps` shows it).
    environment = {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    if finished.returncode != 0:
        problem = (finished.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{name} failed: {problem}")
    return finished.stdout


# ------------------------------------------------------------------------------------- files


def sha256_of(path):
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _private_empty_file(path):
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _write_private_json(path, data):
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(descriptor, "w") as handle:  # mkstemp makes it 0600
        json.dump(data, handle, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _fsync(path):
    with Path(path).open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _event_details(path, manifest):
    # The file's name, not its folder; counts and the checksum, never any data.
    return {
        "file": path.name,
        "created_at": manifest.get("created_at", ""),
        "sha256": manifest["sha256"],
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
    }
