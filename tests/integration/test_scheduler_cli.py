"""``petitions scheduler --once [--dry-run]`` from the command line."""
from __future__ import annotations

from datetime import date

import pytest

from petitions.cli import main
from tests.integration.escalation_helpers import (
    assigned_petition, escalations_in_store, hanoi, runtime_for,
)


@pytest.fixture
def overdue_store(settings, clock, monkeypatch):
    """A store with one petition due 7/3/2025 (the CLI runs at today's real date, later)."""
    for name in ("instance_path", "database_url", "database_schema"):
        monkeypatch.setenv(f"PETITIONS_{name.upper()}", getattr(settings, name))
    runtime = runtime_for(settings, clock)
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, date(2025, 3, 7))
    yield runtime, receipt
    runtime.close()


def test_dry_run_prints_every_level_that_would_be_escalated(overdue_store, capsys):
    runtime, receipt = overdue_store

    status = main(["scheduler", "--once", "--dry-run"])

    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert [line.split("\t")[:4] for line in out[:4]] == [
        [receipt.code, f"level {level}", notify, "due 2025-03-07"]
        for level, notify in enumerate(["agency", "agency_head", "office",
                                        "standing_committee"])]
    assert "would escalate 4 level(s) on 1 item(s)" in out[4]


def test_dry_run_stores_no_event(overdue_store, capsys):
    runtime, _ = overdue_store
    position = runtime.tracker.position()

    main(["scheduler", "--once", "--dry-run"])

    assert runtime.tracker.position() == position
    assert len(escalations_in_store(runtime.tracker)) == 0
