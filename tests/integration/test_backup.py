"""``petitions backup`` and ``restore`` on SQLite and PostgreSQL: a demo store round-trips."""
from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import psycopg
import pytest

from petitions import backup as backup_module
from petitions.blobstore import digest
from petitions.cli import main
from petitions.integrity import rows_of, view_tables
from petitions.runtime import Runtime
from petitions.settings import Settings
from petitions.users.store import users_table
from projections.chain import chain_head, event_chain
from tests import sample_files as files
from tests.conftest import PG_URL, SECRETARIAT
from tests.integration.escalation_helpers import assigned_petition, hanoi, runtime_for
from tests.integration.test_cli import store  # noqa: F401  (points the CLI at the store)


def contents(settings: Settings) -> tuple[dict[str, set], str]:
    """Return every view's rows, the chain and the users, and the chain head."""
    runtime = Runtime(settings)
    try:
        users_table.metadata.create_all(runtime.views.engine)  # after `init` alone it is missing
        tables = [*view_tables(), event_chain, users_table]
        rows = {table.name: rows_of(runtime.views, table) for table in tables}
        with runtime.views.connect() as conn:
            head = str(chain_head(conn))
    finally:
        runtime.close()
    return rows, head


def move_away(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Leave the original store where the restore cannot see it (a new, empty instance)."""
    if settings.is_postgres:
        schema = settings.database_schema
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'ALTER SCHEMA "{schema}" RENAME TO "{schema}_old"')
        return  # the schema fixture drops the restored schema, drop_moved the original
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(tmp_path / "restored"))


def drop_moved(settings: Settings) -> None:
    if settings.is_postgres:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{settings.database_schema}_old" CASCADE')


def altered_copy(good: Path, damaged: Path, name: str, alter: Callable[[bytes], bytes]) -> Path:
    """Copy an archive with one member's bytes altered, as damage in storage would."""
    with tarfile.open(good) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            target.addfile(member, io.BytesIO(alter(data) if member.name == name else data))
    return damaged


def nothing_restored(instance: Path) -> bool:
    """Say whether a refused restore left the new instance without an event store."""
    events = instance / "events.sqlite3"
    return not events.exists() or not events.stat().st_size


@pytest.mark.slow
def test_a_demo_store_restored_from_its_backup_has_the_same_views_and_chain_head(
        store, monkeypatch, tmp_path, capsys):  # noqa: F811
    main(["init"])
    main(["demo", "--items", "20", "--quiet"])
    before, head = contents(store)
    archive = tmp_path / "petitions.tar.gz"
    assert main(["backup", "-o", str(archive)]) == 0
    move_away(store, monkeypatch, tmp_path)
    capsys.readouterr()

    try:
        status = main(["restore", str(archive)])
        out = capsys.readouterr().out
        restored = Settings.from_env()
        after, restored_head = contents(restored)
    finally:
        drop_moved(store)

    assert status == 0, out
    assert f"chain head {head}" in out
    assert "Hash chain: intact" in out
    assert "Views: equal to a rebuild" in out
    assert restored_head == head
    assert after == before
    assert len(before["items_view"]) == 20 + 8  # the stories and the demo's eight commitments


def test_restore_refuses_an_instance_that_holds_data(store, tmp_path, capsys):  # noqa: F811
    main(["init"])
    archive = tmp_path / "petitions.tar.gz"
    main(["backup", "-o", str(archive)])
    before, _ = contents(store)
    capsys.readouterr()

    status = main(["restore", str(archive)])

    assert status == 1
    assert "restore only into an empty" in capsys.readouterr().err
    assert contents(store)[0] == before


def test_a_backup_never_overwrites_a_file(store, tmp_path, capsys):  # noqa: F811
    main(["init"])
    archive = tmp_path / "petitions.tar.gz"
    archive.write_bytes(b"keep me")
    capsys.readouterr()

    status = main(["backup", "-o", str(archive)])

    assert status == 1
    assert "exists" in capsys.readouterr().err
    assert archive.read_bytes() == b"keep me"


def test_the_archive_and_the_instance_folder_are_private(store, tmp_path):  # noqa: F811
    main(["init"])
    archive = tmp_path / "petitions.tar.gz"

    main(["backup", "-o", str(archive)])

    assert archive.stat().st_mode & 0o777 == 0o600


def test_a_damaged_archive_restores_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(tmp_path / "first"))
    for name in ("DATABASE_URL", "DATABASE_SCHEMA", "CIPHER_KEY"):
        monkeypatch.delenv(f"PETITIONS_{name}", raising=False)
    main(["init"])
    good = tmp_path / "good.tar.gz"
    main(["backup", "-o", str(good)])
    damaged = altered_copy(good, tmp_path / "damaged.tar.gz", "events.sqlite3",
                           lambda data: data[:-1] + bytes([data[-1] ^ 1]))
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(tmp_path / "second"))
    capsys.readouterr()

    status = main(["restore", str(damaged)])

    assert status == 1
    assert "does not match its hash" in capsys.readouterr().err
    assert nothing_restored(tmp_path / "second")


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_without_the_postgres_tools_backup_says_how_and_exits_2(
        store, tmp_path, monkeypatch, capsys):  # noqa: F811
    monkeypatch.setattr(backup_module.shutil, "which", lambda name: None)

    status = main(["backup", "-o", str(tmp_path / "x.tar.gz")])

    err = capsys.readouterr().err
    assert status == 2
    assert "pg_dump --format=custom" in err and "pg_restore" in err
    assert "secret" not in err and not (tmp_path / "x.tar.gz").exists()


def test_the_manifest_names_the_chain_head_and_each_file_hash(store, tmp_path):  # noqa: F811
    main(["init"])
    main(["project", "--once"])
    archive = tmp_path / "petitions.tar.gz"

    main(["backup", "-o", str(archive)])
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
    _, head = contents(store)

    assert manifest["chain_head"] == head
    assert manifest["events_position"] >= manifest["views_position"] > 0
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_a_postgres_backup_before_init_says_so_in_one_line(
        store, tmp_path, capsys):  # noqa: F811
    status = main(["backup", "-o", str(tmp_path / "x.tar.gz")])

    err = capsys.readouterr().err
    assert status == 1
    assert "has `petitions init` run against it?" in err and "Traceback" not in err
    assert not (tmp_path / "x.tar.gz").exists()


def with_attached_letter(settings: Settings, clock) -> tuple[str, bytes]:
    """Log a petition with a PDF attached; return its code and the PDF's bytes."""
    runtime = runtime_for(settings, clock)
    try:
        clock.set(hanoi(date(2025, 3, 3)))
        code = assigned_petition(runtime.tracker, date(2025, 3, 28)).code
        letter = files.letter_pdf()
        runtime.wait_for(runtime.tracker.attach_file(SECRETARIAT, code, data=letter,
                                                     filename="don.pdf"))
    finally:
        runtime.close()
    return code, letter


def test_an_attached_pdf_is_restored_and_downloads_with_the_same_bytes(
        store, clock, monkeypatch, tmp_path, capsys):  # noqa: F811
    main(["init"])
    code, letter = with_attached_letter(store, clock)
    archive = tmp_path / "petitions.tar.gz"
    assert main(["backup", "-o", str(archive)]) == 0
    assert "1 attached file," in capsys.readouterr().out
    move_away(store, monkeypatch, tmp_path)
    # Also on PostgreSQL the files live in the instance folder: restore into a new one.
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(tmp_path / "restored"))
    capsys.readouterr()

    try:
        status = main(["restore", str(archive)])
        out, err = capsys.readouterr()
        runtime = runtime_for(Settings.from_env(), clock)
        try:
            data, media_type, _ = runtime.tracker.item_file(SECRETARIAT, code, digest(letter))
        finally:
            runtime.close()
    finally:
        drop_moved(store)

    assert status == 0, err
    assert "1 attached file," in out and "Hash chain: intact" in out
    assert media_type == "application/pdf" and data == letter


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_an_archive_whose_attached_file_was_altered_restores_nothing(
        store, clock, monkeypatch, tmp_path, capsys):  # noqa: F811
    main(["init"])
    _, letter = with_attached_letter(store, clock)
    good = tmp_path / "good.tar.gz"
    main(["backup", "-o", str(good)])
    damaged = altered_copy(good, tmp_path / "damaged.tar.gz", f"attachments/{digest(letter)}",
                           lambda data: data.replace(b"%PDF", b"%PDX", 1))
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(tmp_path / "second"))
    capsys.readouterr()

    status = main(["restore", str(damaged)])

    err = capsys.readouterr().err
    assert status == 1
    assert f"the attached file {digest(letter)}" in err and "does not match its hash" in err
    assert not (tmp_path / "second" / "attachments").exists()
    assert nothing_restored(tmp_path / "second")


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_attached_files_are_not_restored_where_the_instance_keeps_them_elsewhere(
        store, clock, monkeypatch, tmp_path, capsys):  # noqa: F811
    main(["init"])
    with_attached_letter(store, clock)
    archive = tmp_path / "petitions.tar.gz"
    main(["backup", "-o", str(archive)])
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(tmp_path / "second"))
    monkeypatch.setenv("PETITIONS_ATTACHMENT_STORE", "database")
    capsys.readouterr()

    status = main(["restore", str(archive)])

    assert status == 1
    assert "PETITIONS_ATTACHMENT_STORE=files" in capsys.readouterr().err
    assert nothing_restored(tmp_path / "second")
