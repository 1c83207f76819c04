"""The ``petitions`` command line, run in-process on SQLite and PostgreSQL."""
from __future__ import annotations

import argparse
import configparser
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from petitions import cli
from petitions.application import Tracker
from petitions.cli import main
from petitions.demo import DemoResult, DemoRun, SimulatedClock, load_demo
from petitions.reference import shipped_lineage, shipped_reference
from petitions.settings import Settings

ITEM_CREATED = ("domain.petition:VoterPetition.PetitionLogged",
                "domain.complaint:Complaint.ComplaintReceived")
EVERY_STATUS = {
    "logged", "classified", "assigned", "answered", "being_resolved", "not_resolved",
    "parked", "resolved", "explained", "merged", "withdrawn", "closed",
    "received", "accepted", "decided", "forwarded", "guided", "filed",
}


@pytest.fixture
def store(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point the command line at the test's store through PETITIONS_* variables."""
    for name in ("DATABASE_URL", "DATABASE_SCHEMA", "SECRET_KEY", "SMTP_PASSWORD",
                 "CIPHER_KEY"):
        monkeypatch.delenv(f"PETITIONS_{name}", raising=False)
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", settings.instance_path)
    if settings.is_postgres:
        monkeypatch.setenv("PETITIONS_DATABASE_URL", settings.database_url)
        monkeypatch.setenv("PETITIONS_DATABASE_SCHEMA", settings.database_schema)
    return settings


def count_items(settings: Settings) -> int:
    """Count the petitions and complaints in the store."""
    tracker = Tracker(settings)
    try:
        return len(tracker.recorder.select_notifications(
            start=1, limit=1_000_000, topics=ITEM_CREATED))
    finally:
        tracker.close()


def position(settings: Settings) -> int:
    """Return the last position in the store's event log."""
    tracker = Tracker(settings)
    try:
        return tracker.position()
    finally:
        tracker.close()


# -- init -------------------------------------------------------------------------------------
def test_init_records_the_reference_data_and_says_so(
        store: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["init"])

    out = capsys.readouterr().out
    assert status == 0
    shipped = sum(len(v) for v in shipped_reference().values()) + len(shipped_lineage())
    assert f"recorded {shipped} entries" in out
    assert "156 units" in out


def test_init_a_second_time_changes_nothing(
        store: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    main(["init"])
    before = position(store)

    status = main(["init"])

    assert status == 0
    assert position(store) == before
    assert "already up to date" in capsys.readouterr().out


# -- config -----------------------------------------------------------------------------------
def test_config_masks_every_secret(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PETITIONS_SECRET_KEY", "s3cret-key-value")
    monkeypatch.setenv("PETITIONS_SMTP_PASSWORD", "mail-pa55")
    monkeypatch.setenv("PETITIONS_CIPHER_KEY", "cipher-k3y")
    monkeypatch.setenv("PETITIONS_DATABASE_URL", "postgresql://app:db-pa55@db.local/petitions")

    status = main(["config"])

    out = capsys.readouterr().out
    assert status == 0
    for secret in ("s3cret-key-value", "mail-pa55", "cipher-k3y", "db-pa55"):
        assert secret not in out
    assert "postgresql://app:****@db.local/petitions" in out
    assert "PETITIONS_SECRET_KEY" in out


def test_config_shows_the_effective_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PETITIONS_SCAN_MINUTES", "7")

    main(["config"])

    lines = capsys.readouterr().out.splitlines()
    assert any(line.split() == ["PETITIONS_SCAN_MINUTES", "7"] for line in lines)


# -- demo -------------------------------------------------------------------------------------
@pytest.mark.slow
def test_demo_creates_the_number_of_items_asked_for(
        store: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["demo", "--items", "200", "--quiet"])

    assert status == 0
    assert count_items(store) == 200
    assert "Created 200 items" in capsys.readouterr().out


@pytest.mark.slow
def test_a_second_demo_run_adds_nothing(
        store: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo", "--items", "200", "--quiet"])
    before = position(store)

    status = main(["demo", "--items", "200", "--quiet"])

    assert status == 0
    assert position(store) == before
    assert "already loaded" in capsys.readouterr().out


def test_demo_after_an_interrupted_run_adds_nothing_and_says_why(
        store: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    tracker = Tracker(store)
    tracker.load_reference()
    tracker.save(DemoRun(seed=1, items=10, at=datetime.now(timezone.utc)))
    before = tracker.position()
    tracker.close()

    status = main(["demo", "--items", "10", "--quiet"])

    assert status == 1
    assert position(store) == before
    assert "has not finished" in capsys.readouterr().err


@pytest.fixture(scope="module")
def demo_result(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """Load 200 demo items on SQLite, up to a fixed date so the outcome never changes."""
    settings = Settings(instance_path=str(tmp_path_factory.mktemp("demo") / "instance"))
    clock = SimulatedClock()
    tracker = Tracker(settings, clock=clock)
    try:
        tracker.load_reference()
        return load_demo(tracker, clock, items=200, seed=7,
                         end=datetime(2026, 6, 1, 10, 0, tzinfo=timezone.utc))
    finally:
        tracker.close()


@pytest.mark.slow
def test_demo_data_has_items_in_every_status(demo_result: DemoResult) -> None:
    assert set(demo_result.by_status) == EVERY_STATUS


@pytest.mark.slow
def test_demo_data_has_escalations_second_rounds_and_filed_anonymous_denunciations(
        demo_result: DemoResult) -> None:
    assert demo_result.escalated > 0
    assert demo_result.second_rounds > 0
    assert demo_result.anonymous_filed > 0


@pytest.mark.slow
def test_every_demo_step_is_accepted_by_the_application(demo_result: DemoResult) -> None:
    assert demo_result.failures == []


# -- serve ------------------------------------------------------------------------------------
def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    """A ``petitions serve`` subprocess, its address and its log file."""

    url: str
    process: subprocess.Popen
    log: Path


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """Run ``petitions serve`` on SQLite in a subprocess; yield it."""
    port = free_port()
    env = {**os.environ, "PETITIONS_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("PETITIONS_DATABASE_URL", None)
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:  # a file: a full pipe would block it
        process = subprocess.Popen(
            [sys.executable, "-m", "petitions.cli", "serve", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield Served(f"http://127.0.0.1:{port}/", process, log_path)
        finally:
            process.terminate()
            process.wait(timeout=60)


# Only a safety net: the server's first answer (or its death) decides; this turns a server
# that neither answers nor exits into a failure, on a machine many times slower than usual.
SERVE_TIMEOUT = 240


def first_answer(served: Served) -> int:
    """Poll the server until it answers; return the HTTP status (fail if it exits first)."""
    deadline = time.monotonic() + SERVE_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(served.url, timeout=SERVE_TIMEOUT) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:  # not listening yet
            if served.process.poll() is not None:
                pytest.fail(f"petitions serve exited ({served.process.returncode}) before "
                            f"answering: {served.log.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.slow
def test_serve_starts_and_answers_http(served: Served) -> None:
    assert first_answer(served) == 200


# -- commands of the layers above petitions/ (entry points) -------------------------------------
ROOT = Path(__file__).parents[2]


def declared_layer_commands() -> list[EntryPoint]:
    """Return the ``petitions.commands`` entry points as setup.cfg declares them."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = config["options.entry_points"][cli.COMMANDS_GROUP].strip().splitlines()
    return [EntryPoint(name.strip(), value.strip(), cli.COMMANDS_GROUP)
            for name, _, value in (line.partition("=") for line in lines)]


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Return the parser's subcommands by name."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_serve_is_registered_by_the_web_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "layer_commands", declared_layer_commands)

    serve = subcommands(cli.build_parser())["serve"]

    assert serve.get_default("command").__module__ == "web.cli"


def test_scheduler_is_registered_by_the_scheduler_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "layer_commands", declared_layer_commands)

    command = subcommands(cli.build_parser())["scheduler"]

    assert command.get_default("command").__module__ == "scheduler"


def test_the_installed_metadata_registers_serve_and_scheduler() -> None:
    names = {hook.name for hook in cli.layer_commands()}

    assert names == {"serve", "scheduler"}, (
        "the installed package metadata predates setup.cfg: run pip install -e . again")


def test_without_the_entry_points_the_cli_says_how_to_register_them(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "layer_commands", lambda: [])

    with pytest.raises(SystemExit) as exited:
        main(["serve"])

    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert "petitions.commands" in err and "pip install -e ." in err


def test_the_own_commands_work_without_the_entry_points(
        store: Settings, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "layer_commands", lambda: [])

    status = main(["config"])

    assert status == 0
    assert "PETITIONS_INSTANCE_PATH" in capsys.readouterr().out
