"""Command-line mistakes answer with one clear line, never a traceback, and run nothing."""
from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from petitions.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A fresh instance folder and no other PETITIONS_* variable."""
    import os

    for name in list(os.environ):
        if name.startswith("PETITIONS_") and not name.startswith(("PETITIONS_TEST",
                                                                  "PETITIONS_REQUIRE")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(tmp_path / "instance"))
    yield monkeypatch


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    """Return what the command printed on stderr, checking it is a single line."""
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_port_that_is_not_a_number_is_refused_in_one_line_even_by_config(
        env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    env.setenv("PETITIONS_SMTP_PORT", "abc")

    status = main(["config"])

    assert status == 2
    assert one_line(capsys) == "petitions: PETITIONS_SMTP_PORT must be a whole number, not 'abc'."


@pytest.mark.parametrize("command", [["config"], ["scheduler", "--once"], ["init"]])
def test_an_unknown_time_zone_is_refused_before_anything_runs(
        env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        command: list[str]) -> None:
    env.setenv("PETITIONS_TIMEZONE", "Asia/Hanoi_City")

    status = main(command)

    assert status == 2
    assert "PETITIONS_TIMEZONE is not a known time zone: 'Asia/Hanoi_City'" in one_line(capsys)
    assert not (tmp_path / "instance").exists()


def test_an_unknown_language_is_refused(env: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    env.setenv("PETITIONS_LANGUAGE", "fr")

    status = main(["config"])

    assert status == 2
    assert one_line(capsys) == "petitions: PETITIONS_LANGUAGE must be one of vi, en, not 'fr'."


def test_every_unusable_setting_gets_its_own_line(env: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    env.setenv("PETITIONS_SMTP_PORT", "abc")
    env.setenv("PETITIONS_LANGUAGE", "fr")
    env.setenv("PETITIONS_SMTP_STARTTLS", "maybe")

    status = main(["config"])

    lines = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert [line.split()[1] for line in lines] == [
        "PETITIONS_SMTP_PORT", "PETITIONS_SMTP_STARTTLS", "PETITIONS_LANGUAGE"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", [["init"], ["scheduler", "--once"], ["outbox", "status"]])
def test_an_unreachable_postgresql_is_one_line(env: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str],
                                               command: list[str]) -> None:
    env.setenv("PETITIONS_DATABASE_URL",
               f"postgresql://petitions:secret@127.0.0.1:{_closed_port()}/petitions")

    status = main(command)

    line = one_line(capsys)
    assert status == 1
    assert line.startswith("petitions: cannot reach PostgreSQL at postgresql://petitions:****@")
    assert "secret" not in line


def test_digest_before_init_says_to_run_init(env: pytest.MonkeyPatch, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["digest", "--session", "XVI-20", "-o", str(tmp_path / "d.pdf")])

    assert status == 1
    assert "run `petitions init`" in one_line(capsys)


@pytest.mark.parametrize(("output", "why"), [
    ("missing/d.pdf", "does not exist"), ("a-file/d.pdf", "is not a folder"),
    (".", "it is a folder")])
def test_digest_to_a_path_it_cannot_write_is_refused_before_rendering(
        env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        output: str, why: str) -> None:
    (tmp_path / "a-file").write_text("")

    status = main(["digest", "--session", "XVI-20", "-o", str(tmp_path / output)])

    assert status == 2
    assert why in one_line(capsys)
    assert not (tmp_path / "instance" / "views.sqlite3").exists()  # nothing was opened


def test_serve_on_a_busy_port_is_one_line_and_never_says_serving(
        env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]

        status = main(["serve", "--port", str(port), "--no-scheduler"])

    captured = capsys.readouterr()
    assert status == 1
    assert "Serving on" not in captured.out
    assert captured.err.strip().splitlines() == [
        f"petitions serve: cannot listen on 127.0.0.1:{port}: Address already in use. "
        "Is another server using it? Try --port."]


def test_an_over_long_user_name_on_the_command_line_is_one_line_and_stores_nobody(
        env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from petitions.settings import Settings
    from petitions.users.store import UserStore

    env.setattr("sys.stdin", io.StringIO("a-long-enough-password\n"))

    status = main(["user", "add", "dai.bieu.moi", "--role", "deputy", "--name", "N" * 201,
                   "--password-stdin"])

    assert status == 1
    assert one_line(capsys).startswith("display_name:")
    assert UserStore.from_settings(Settings.from_env()).get("dai.bieu.moi") is None
