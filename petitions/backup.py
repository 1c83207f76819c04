"""Backups that restore: both SQLite databases and the attached files in one archive, and back.

``backup`` copies the views first and the events second, each with SQLite's online backup
(a consistent copy while the app keeps writing), so the copied views never reflect an
event the copied log lacks; the projector brings them up to the log after a restore. The
manifest records each file's SHA-256, the log's head and the hash chain's head, which
``restore`` checks before it puts anything in place. Attached files kept in the instance
folder go along as ``attachments/<sha256>``: their names are their hashes, checked too.

PostgreSQL keeps events and views in one schema: ``backup`` runs ``pg_dump`` (custom
format) of that schema on a snapshot exported from a repeatable-read transaction, in which
the manifest's positions and chain head are read too, so they describe exactly the dump;
``restore`` runs ``pg_restore`` into the same schema name, which must be missing or empty.
Without the PostgreSQL client tools both commands print how to use them and exit with 2.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from petitions.blobstore import SHA256, FileBlobStore, file_store
from petitions.instance import private_folder, write_private

FORMAT = "petitions-backup"
VERSION = 1
EVENTS = "events.sqlite3"
VIEWS = "views.sqlite3"
RECIPIENTS = "notification_recipients.json"  # the escalation address book, if the office keeps one
DATABASES = (VIEWS, EVENTS)                  # views first: see the module's docstring
DUMP = "postgres.dump"                       # pg_dump --format=custom of the schema
MANIFEST = "manifest.json"
ATTACHMENTS = "attachments"                  # attached files, ``attachments/<sha256>``

POSTGRES_GUIDANCE = """\
events and views are in PostgreSQL and its client tools (pg_dump, pg_restore) are not on
the PATH: install them (Debian: apt-get install postgresql-client), or back up by hand:
  pg_dump --format=custom --schema={schema} --file=petitions.dump '{url}'
and restore into an EMPTY database (or schema) with
  pg_restore --dbname='{url}' petitions.dump
then run `petitions verify --views` against it (README: Backups)."""


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why in one line."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _postgres_guidance(settings: Any) -> BackupError:
    url = settings.masked()["database_url"]
    return BackupError(POSTGRES_GUIDANCE.format(schema=settings.database_schema or "public",
                                                url=url), status=2)


# -- backup ------------------------------------------------------------------------------------
def backup(settings: Any, output: str | os.PathLike[str]) -> dict[str, Any]:
    """Write the archive ``output``; return its manifest."""
    target = Path(output)
    if target.exists():
        raise BackupError(f"{target} exists: choose a new file name (a backup never "
                          "overwrites one)")
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} does not exist")
    if settings.is_postgres:
        return _pg_backup(settings, target)
    instance = settings.instance
    missing = [name for name in DATABASES if not (instance / name).exists()]
    if missing:
        raise BackupError(f"{instance} holds no {' or '.join(missing)}: "
                          "nothing to back up (run `petitions init` first?)")
    with tempfile.TemporaryDirectory(prefix="petitions-backup-") as folder:
        copies = {name: Path(folder) / name for name in DATABASES}
        for name in DATABASES:  # views first
            _online_copy(instance / name, copies[name])
        extra = instance / RECIPIENTS
        if extra.exists():
            copies[RECIPIENTS] = extra
        manifest = _manifest(settings, copies)
        _write_archive(target, manifest, copies, _attachment_files(settings))
    return manifest


def _attachment_files(settings: Any) -> dict[str, Path]:
    """Return the blob store's files by hash, when attachments are kept in the instance folder.

    Listed after the databases are copied: a file is stored before the event naming it, so
    every file the copied events name is here (a later one is kept too, and harmless).
    In the database store the files are rows of the views and travel with them.
    """
    store = file_store(settings)
    return store.files() if store else {}


def _write_archive(target: Path, manifest: dict[str, Any], copies: dict[str, Path],
                   blobs: dict[str, Path] | None = None) -> None:
    """Write the manifest, the files and the attachments into a new archive, 0600."""
    manifest["attachments"] = {sha256: path.stat().st_size
                               for sha256, path in (blobs or {}).items()}
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        _add(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        for name, path in copies.items():
            archive.add(path, arcname=name, recursive=False, filter=_private)
        for sha256, path in (blobs or {}).items():
            archive.add(path, arcname=f"{ATTACHMENTS}/{sha256}", recursive=False,
                        filter=_private)


def _described(settings: Any, store: str, events_position: int, views_position: int,
               head: tuple[int, bytes] | None, copies: dict[str, Path]) -> dict[str, Any]:
    from projections.chain import GENESIS, ChainHead

    chain = ChainHead(int(head[0]), bytes(head[1])) if head else ChainHead(0, GENESIS)
    return {
        "format": FORMAT, "version": VERSION,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "store": store,
        "schema": settings.database_schema if store == "postgresql" else "",
        "encrypted": bool(settings.cipher_key),
        "events_position": int(events_position),
        "views_position": int(views_position),
        "chain_head": str(chain), "chain_link": chain.link.hex(),
        "files": {name: {"sha256": _sha256(path), "bytes": path.stat().st_size}
                  for name, path in copies.items()},
    }


def _online_copy(source: Path, target: Path) -> None:
    """Copy a live SQLite database with the online backup API (consistent while in use)."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _manifest(settings: Any, copies: dict[str, Path]) -> dict[str, Any]:
    with sqlite3.connect(copies[EVENTS]) as conn:
        events_position = conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM stored_events"
                                       ).fetchone()[0]
    with sqlite3.connect(copies[VIEWS]) as conn:
        views_position = _scalar(conn, "SELECT position FROM projection_tracking "
                                       "WHERE name = 'items'")
        head = conn.execute("SELECT position, link FROM event_chain "
                            "ORDER BY position DESC LIMIT 1").fetchone() if _has_table(
            conn, "event_chain") else None
    return _described(settings, "sqlite", events_position, views_position, head, copies)


def _scalar(conn: sqlite3.Connection, sql: str) -> int:
    try:
        row = conn.execute(sql).fetchone()
    except sqlite3.OperationalError:  # no such table: the views never ran
        return 0
    return int(row[0]) if row else 0


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = _private(tarfile.TarInfo(name))
    info.size = len(data)
    info.mtime = int(datetime.now(timezone.utc).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode = 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


# -- restore -----------------------------------------------------------------------------------
def restore(settings: Any, archive_path: str | os.PathLike[str]) -> dict[str, Any]:
    """Put the archive's databases into the empty instance folder; return the manifest.

    Nothing is written unless the archive is whole (manifest, every file's hash) and the
    instance holds no data; the caller verifies the restored store afterwards.
    """
    source = Path(archive_path)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    if settings.is_postgres:
        _pg_tools(settings)
        _pg_require_empty(settings)
    else:
        _require_empty(private_folder(settings.instance))
    try:
        with tarfile.open(source, mode="r:gz") as archive:
            manifest = _read_manifest(archive)
            contents = {name: _member(archive, name) for name in manifest["files"]}
            # Each attached file is read once here to check it, once below to put it back:
            # they may be many megabytes, and nothing is written before all are whole.
            for sha256 in manifest["attachments"]:
                _check_attachment(archive, sha256, source)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{source} is not a readable backup archive ({exc})") from None
    for name, data in contents.items():
        if hashlib.sha256(data).hexdigest() != manifest["files"][name]["sha256"]:
            raise BackupError(f"{name} in {source} does not match its hash in the manifest: "
                              "the archive is damaged; nothing was restored")
    if manifest.get("encrypted") and not settings.cipher_key:
        raise BackupError("the backed-up events are encrypted: set PETITIONS_CIPHER_KEY to "
                          "the key they were written with; nothing was restored")
    folder_store = file_store(settings)
    if manifest["attachments"] and folder_store is None:
        raise BackupError(f"the archive holds {len(manifest['attachments'])} attached files kept "
                          "in the instance folder and this instance keeps them in the database: "
                          "set PETITIONS_ATTACHMENT_STORE=files to restore it; nothing was "
                          "restored")
    wanted = "postgresql" if settings.is_postgres else "sqlite"
    if manifest["store"] != wanted:
        raise BackupError(f"the archive holds a {manifest['store']} store and this instance "
                          f"uses {wanted}; nothing was restored")
    if settings.is_postgres:
        _pg_restore(settings, manifest, contents[DUMP])
        _restore_attachments(folder_store, source, manifest)
        return manifest
    instance = settings.instance
    for name in (*DATABASES, RECIPIENTS):
        for suffix in ("", "-wal", "-shm", "-journal"):
            (instance / (name + suffix)).unlink(missing_ok=True)  # empty files, checked above
    for name, data in contents.items():
        write_private(instance / name, data)
    _restore_attachments(folder_store, source, manifest)
    return manifest


def _check_attachment(archive: tarfile.TarFile, sha256: str, source: Path) -> None:
    """Refuse the archive if an attached file is missing or its bytes are not its hash."""
    try:
        data = _member(archive, f"{ATTACHMENTS}/{sha256}")
    except KeyError:
        raise BackupError(f"the attached file {sha256} is listed in the manifest but missing "
                          f"from {source}: the archive is damaged; nothing was restored") \
            from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise BackupError(f"the attached file {sha256} in {source} does not match its hash: "
                          "the archive is damaged; nothing was restored")


def _restore_attachments(store: FileBlobStore | None, source: Path,
                         manifest: dict[str, Any]) -> None:
    """Put the checked attached files back into the instance folder's blob store."""
    if not manifest["attachments"] or store is None:  # None: refused before anything was put
        return
    with tarfile.open(source, mode="r:gz") as archive:
        for sha256 in manifest["attachments"]:
            store.put(_member(archive, f"{ATTACHMENTS}/{sha256}"))


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        manifest = json.loads(_member(archive, MANIFEST))
    except (KeyError, ValueError):
        raise BackupError("the archive has no readable manifest.json: it was not written by "
                          "`petitions backup`") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("the archive's manifest is not a petitions backup manifest")
    if manifest.get("version") != VERSION:
        raise BackupError(f"backup format version {manifest.get('version')} is not supported "
                          f"(this release reads version {VERSION})")
    files = manifest.get("files")
    expected = {DUMP} if manifest.get("store") == "postgresql" else set(DATABASES)
    if not isinstance(files, dict) or expected - set(files) or \
            set(files) - {*expected, RECIPIENTS}:
        raise BackupError("the archive's manifest lists unexpected files")
    attachments = manifest.setdefault("attachments", {})  # absent in backups made before
    if not isinstance(attachments, dict) or not all(
            isinstance(sha256, str) and SHA256.match(sha256) for sha256 in attachments):
        raise BackupError("the archive's manifest lists attached files that are not hashes")
    return manifest


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    # Read by name only: a member's path is never used to write anything.
    member = archive.getmember(name)
    if not member.isfile():
        raise KeyError(name)
    handle = archive.extractfile(member)
    if handle is None:
        raise KeyError(name)
    return handle.read()


def _require_empty(instance: Path) -> None:
    """Refuse an instance whose databases hold any row."""
    for name in DATABASES:
        path = instance / name
        if path.exists() and path.stat().st_size and _holds_rows(path):
            raise BackupError(f"{path} already holds data: restore only into an empty instance "
                              "(set PETITIONS_INSTANCE_PATH to a new folder); nothing was "
                              "restored")


def _holds_rows(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return any(conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone()
                   for table in tables)
    except sqlite3.DatabaseError:
        return True  # not a database we can read: never overwrite it
    finally:
        conn.close()


# -- PostgreSQL --------------------------------------------------------------------------------
def _pg_tools(settings: Any) -> None:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        raise _postgres_guidance(settings)


def _pg_env(settings: Any) -> dict[str, str]:
    """Return libpq variables for the database (the password never on a command line)."""
    url = urlsplit(settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1))
    env = dict(os.environ)
    env.update({"PGHOST": url.hostname or "127.0.0.1", "PGPORT": str(url.port or 5432),
                "PGUSER": unquote(url.username or "postgres"),
                "PGDATABASE": url.path.lstrip("/") or "postgres"})
    if url.password:
        env["PGPASSWORD"] = unquote(url.password)
    return env


def _pg_connect(settings: Any, **options: Any) -> Any:
    import psycopg

    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    return psycopg.connect(url, **options)


def _pg_run(settings: Any, command: list[str], what: str) -> None:
    done = subprocess.run(command, env=_pg_env(settings), capture_output=True, text=True)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{what} failed: {last}")


def _pg_backup(settings: Any, target: Path) -> dict[str, Any]:
    """Dump the schema from an exported snapshot and describe it from the same snapshot."""
    import psycopg

    _pg_tools(settings)
    try:
        return _pg_dump(settings, target)
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise BackupError(f"cannot read the PostgreSQL store ({first}); has `petitions "
                          "init` run against it?") from None


def _pg_dump(settings: Any, target: Path) -> dict[str, Any]:
    import psycopg

    schema = settings.database_schema or "public"
    with tempfile.TemporaryDirectory(prefix="petitions-backup-") as folder:
        dump = Path(folder) / DUMP
        with _pg_connect(settings) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            conn.execute(f"SET LOCAL search_path TO {_ident(schema)}")
            events = conn.execute("SELECT COALESCE(MAX(notification_id), 0) "
                                  "FROM tracker_events").fetchone()[0]
            views = conn.execute("SELECT position FROM projection_tracking "
                                 "WHERE name = 'items'").fetchone()
            head = conn.execute("SELECT position, link FROM event_chain "
                                "ORDER BY position DESC LIMIT 1").fetchone()
            # The dump sees exactly what this transaction sees while it stays open.
            _pg_run(settings, ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                               f"--schema={schema}", f"--snapshot={snapshot}",
                               f"--file={dump}"], "pg_dump")
            conn.rollback()
        copies = {DUMP: dump}
        manifest = _described(settings, "postgresql", events, views[0] if views else 0,
                              head, copies)
        manifest["schema"] = schema
        _write_archive(target, manifest, copies, _attachment_files(settings))
    return manifest


def _pg_require_empty(settings: Any) -> None:
    import psycopg

    schema = settings.database_schema or "public"
    try:
        with _pg_connect(settings) as conn:
            tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s",
                                  (schema,)).fetchone()[0]
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise BackupError(f"cannot reach the PostgreSQL database ({first})") from None
    if tables:
        raise BackupError(f"schema {schema} already holds {tables} tables: restore only into "
                          "an empty schema or database (a new PETITIONS_DATABASE_SCHEMA); "
                          "nothing was restored")


def _pg_restore(settings: Any, manifest: dict[str, Any], dump: bytes) -> None:
    """Restore the dump into the (missing or empty) schema of the same name."""
    schema = settings.database_schema or "public"
    if manifest.get("schema", "public") != schema:
        raise BackupError(f"the archive holds schema {manifest.get('schema')}: set "
                          f"PETITIONS_DATABASE_SCHEMA={manifest.get('schema')} (in a database "
                          "where it is missing or empty) to restore it; nothing was restored")
    with tempfile.TemporaryDirectory(prefix="petitions-restore-") as folder:
        source = Path(folder) / DUMP
        write_private(source, dump)
        # The schema is created here if missing, so the dump's own CREATE SCHEMA is skipped.
        listing = subprocess.run(["pg_restore", "--list", str(source)], capture_output=True,
                                 text=True, check=True).stdout
        entries = Path(folder) / "entries.list"
        entries.write_text("\n".join(line for line in listing.splitlines()
                                     if " SCHEMA - " not in line) + "\n")
        with _pg_connect(settings, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(schema)}")
        _pg_run(settings, ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                           "--single-transaction", f"--use-list={entries}",
                           f"--dbname={_pg_env(settings)['PGDATABASE']}", str(source)],
                "pg_restore")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
