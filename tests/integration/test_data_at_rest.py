"""Data at rest: a private instance folder, a clear warning without the cipher key, and read
models that never hold a petitioner's name, phone or ID number (SQLite and PostgreSQL)."""
from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from eventsourcing.cipher import AESCipher

from petitions.cli import main
from petitions.integrity import check_views
from petitions.runtime import Runtime
from petitions.settings import Settings
from projections.items import ItemFilter, list_items, similar_items
from tests.conftest import BA_DINH_STAFF, PG_URL, SECRETARIAT, sqlite_settings

PETITIONER = {"name": "Trịnh Thị Bảo Mật", "phone": "0987654321", "id_number": "001190012345",
              "address": "Số 7 ngõ Bí Mật, phường Kim Mã"}
VOTERS = "Đoàn Văn Kín, Hồ Thị Riêng"
TITLE = "Xây dựng trái phép trên đất nông nghiệp"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Let every file be created as permissive as its creator asks (umask 000)."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("DATABASE_URL", "DATABASE_SCHEMA", "SECRET_KEY", "CIPHER_KEY"):
        monkeypatch.delenv(f"PETITIONS_{name}", raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(instance))
    return instance


# -- the instance folder ---------------------------------------------------------------------
def test_init_creates_the_folder_0700_and_every_file_0600(cli_env, open_umask):
    main(["init"])
    main(["project", "--once"])

    files = sorted(p for p in cli_env.iterdir())
    assert mode(cli_env) == 0o700
    assert {p.name for p in files} >= {"events.sqlite3", "views.sqlite3", "secret_key"}
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}


def test_the_secret_key_is_0600_from_its_creation_not_chmod_ed_after(
        tmp_path, open_umask, monkeypatch):
    settings = sqlite_settings(tmp_path).with_(secret_key="")
    monkeypatch.setattr(Path, "chmod", lambda *a, **k: pytest.fail("chmod after writing"))

    key = settings.effective_secret_key()

    path = settings.instance / "secret_key"
    assert len(key) == 64 and path.read_text() == key
    assert mode(path) == 0o600


def test_an_older_installation_is_tightened_on_start_and_says_so(tmp_path, caplog, clock):
    settings = sqlite_settings(tmp_path)
    folder = Path(settings.instance_path)
    folder.mkdir()
    folder.chmod(0o755)
    for name in ("events.sqlite3", "views.sqlite3", "secret_key"):
        (folder / name).touch()
        (folder / name).chmod(0o644)

    with caplog.at_level(logging.WARNING, logger="petitions.instance"):
        Runtime(settings, clock=clock).close()

    assert mode(folder) == 0o700
    assert {mode(folder / n) for n in ("events.sqlite3", "views.sqlite3", "secret_key")} == {0o600}
    assert sum("tightened" in r.getMessage() for r in caplog.records) == 4


# -- without the key: said clearly -----------------------------------------------------------
def test_without_a_cipher_key_config_warns_that_personal_data_is_in_clear(cli_env, capsys):
    main(["config"])

    out = capsys.readouterr().out
    assert "WARNING: PETITIONS_CIPHER_KEY is not set" in out
    assert "stored in clear" in out


def test_with_a_cipher_key_config_says_event_data_is_encrypted(cli_env, capsys, monkeypatch):
    monkeypatch.setenv("PETITIONS_CIPHER_KEY", AESCipher.create_key(32))

    main(["config"])

    out = capsys.readouterr().out
    assert "event data encrypted" in out and "WARNING" not in out


def test_starting_without_a_cipher_key_logs_the_warning(tmp_path, caplog, clock):
    with caplog.at_level(logging.WARNING, logger="petitions.runtime"):
        Runtime(sqlite_settings(tmp_path), clock=clock).close()

    assert any("stored in clear" in r.getMessage() for r in caplog.records)


# -- with the key: the read models hold no personal data -------------------------------------
def views_bytes(settings: Settings) -> bytes:
    """Return everything the read-model database holds, as bytes."""
    if not settings.is_postgres:
        folder = settings.instance
        return b"".join((folder / name).read_bytes() for name in
                        ("views.sqlite3", "views.sqlite3-wal") if (folder / name).exists())
    schema = settings.database_schema
    with psycopg.connect(PG_URL) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s "
            "AND tablename NOT LIKE 'tracker_%%'", (schema,))]
        return "\n".join(str(row[0]) for table in tables for row in conn.execute(
            f'SELECT t::text FROM "{schema}"."{table}" t')).encode()


def test_with_a_cipher_key_the_read_models_hold_no_name_phone_or_id_number(settings, clock):
    settings = settings.with_(cipher_key=AESCipher.create_key(32))
    runtime = Runtime(settings, clock=clock)
    app = runtime.tracker
    app.load_reference()
    today = app.today()
    complaint = app.receive_complaint(
        BA_DINH_STAFF, kind="complaint", channel="direct", title=TITLE,
        content="Đề nghị kiểm tra", subject="UBND phường", petitioner=dict(PETITIONER),
        anonymous=False, district="ba-dinh", field="land", received_on=today)
    app.accept_complaint(SECRETARIAT, complaint.code, agency="so-xay-dung")
    app.log_petition(
        SECRETARIAT, title="Đèn đường hỏng", content="Đèn đường hỏng", district="ba-dinh",
        deputy_group="to-01", session="XVI-20", field="transport", meeting_date=today,
        meeting_place="Nhà văn hóa", voters=VOTERS, received_on=today)
    runtime.projector.catch_up()
    runtime.close()

    held = views_bytes(settings)

    assert TITLE.encode() in held  # the scan does see what the views hold
    for secret in (*PETITIONER.values(), VOTERS, "Trịnh Thị", "0987654321"):
        assert secret.encode() not in held, secret


@pytest.fixture
def encrypted(settings, clock) -> Iterator[Runtime]:
    runtime = Runtime(settings.with_(cipher_key=AESCipher.create_key(32)), clock=clock)
    runtime.tracker.load_reference()
    yield runtime
    runtime.close()


def log_with_content(runtime: Runtime, title: str, content: str) -> str:
    today = runtime.tracker.today()
    return runtime.tracker.log_petition(
        SECRETARIAT, title=title, content=content, district="ba-dinh", deputy_group="to-01",
        session="XVI-20", field="transport", meeting_date=today, meeting_place="Nhà văn hóa",
        voters=VOTERS, received_on=today).code


def test_with_a_cipher_key_content_words_are_found_but_not_held_in_clear(encrypted):
    code = log_with_content(encrypted, "Ngập úng đường Kim Mã",
                            "Bà Trịnh Thị Bảo Mật, điện thoại 0987654321, phản ánh ngập úng")
    encrypted.projector.catch_up()
    encrypted.views.dispose()  # SQLite: let the write-ahead log reach the file

    held = views_bytes(encrypted.settings)
    with encrypted.views.connect() as conn:
        found = list_items(conn, ItemFilter(text="bảo mật 0987654321",
                                            search_key=encrypted.search_key)).rows
        unkeyed = list_items(conn, ItemFilter(text="bảo mật")).rows

    assert [row["code"] for row in found] == [code]
    assert unkeyed == []
    for secret in ("Bảo Mật", "bao mat", "0987654321", "trinh thi"):
        assert secret.encode() not in held, secret
    assert b"ngap ung duong kim ma" in held  # the title stays searchable text


def test_with_a_cipher_key_duplicates_are_still_suggested_by_their_content(encrypted):
    first = log_with_content(encrypted, "Đèn đường hỏng",
                             "Hệ thống chiếu sáng tuyến phố Nguyễn Thái Học hư hỏng kéo dài")
    encrypted.projector.catch_up()

    with encrypted.views.connect() as conn:
        suggested = similar_items(conn, "Chiếu sáng phố Nguyễn Thái Học hư hỏng",
                                  search_key=encrypted.search_key)

    assert [row["code"] for row in suggested] == [first]


def test_with_a_cipher_key_the_views_still_equal_a_rebuild(encrypted):
    log_with_content(encrypted, "Ngập úng đường Kim Mã", "Ngập úng kéo dài sau mưa lớn")
    log_with_content(encrypted, "Rác thải ngõ 12", "Rác thải tồn đọng nhiều ngày")

    report = check_views(encrypted)

    assert report.ok, report.differences
