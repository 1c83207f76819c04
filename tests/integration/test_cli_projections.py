"""The projection subcommands: status shows lag, rebuild prints progress and restores views."""
from __future__ import annotations

from datetime import date

import pytest

from petitions.cli import main
from petitions.runtime import Runtime
from petitions.settings import Settings
from tests.conftest import SECRETARIAT


@pytest.fixture
def instance(tmp_path, monkeypatch):
    path = tmp_path / "instance"
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", str(path))
    assert main(["init"]) == 0
    runtime = Runtime(Settings(instance_path=str(path)))
    for n in range(3):
        runtime.tracker.log_petition(
            SECRETARIAT, title=f"Kiến nghị {n}", content="Thoát nước", district="ba-dinh",
            deputy_group="to-01", session="XVI-20", field="water_drainage",
            meeting_date=date(2025, 3, 1), meeting_place="Nhà văn hóa", voters="",
            received_on=date(2025, 3, 2))
    runtime.close()
    return path


def lags(out: str) -> dict[str, str]:
    """Map each view named in the status table to its lag column."""
    return {line.split()[0]: line.split()[-1] for line in out.splitlines()[1:] if line.strip()}


def test_status_shows_how_many_events_each_view_lags(instance, capsys):
    main(["projections", "status"])

    assert lags(capsys.readouterr().out)["items"] != "0"


def test_project_once_brings_the_lag_to_zero(instance, capsys):
    main(["project", "--once"])
    capsys.readouterr()

    main(["projections", "status"])

    assert set(lags(capsys.readouterr().out).values()) == {"0"}


def test_rebuild_reports_progress_and_the_events_applied(instance, capsys):
    code = main(["projections", "rebuild"])

    captured = capsys.readouterr()
    assert code == 0
    # every view the projector rebuilds (items and the ones issues 15-18 added)
    assert "rebuilt 5 view(s)" in captured.out
    assert "rebuilding views" in captured.err
