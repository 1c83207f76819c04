"""``petitions scheduler --once [--dry-run]`` from the command line."""
from __future__ import annotations

from datetime import date

import pytest

from petitions.cli import main
from petitions.notifications.message import compose
from tests.integration.test_notifications import mailbox  # noqa: F401 - a fixture
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


def _refuse_to_compose(*args, **kwargs):
    raise ValueError("a header this sender cannot write")


def test_one_email_that_cannot_be_built_fails_alone_and_the_round_ends_normally(
        overdue_store, capsys, monkeypatch):
    _, receipt = overdue_store
    monkeypatch.setattr("petitions.notifications.sender.compose", _refuse_to_compose)

    status = main(["scheduler", "--once"])

    out = capsys.readouterr().out
    assert status == 0
    assert f"failed: {receipt.code} level 0: ValueError: a header this sender cannot write" in out


def test_outbox_status_names_the_failing_emails_by_item_code(overdue_store, capsys,
                                                            monkeypatch):
    _, receipt = overdue_store
    monkeypatch.setattr("petitions.notifications.sender.compose", _refuse_to_compose)
    main(["scheduler", "--once"])
    capsys.readouterr()

    status = main(["outbox", "status"])

    lines = capsys.readouterr().out.splitlines()
    assert status == 1
    assert "4 failing" in lines[0]
    assert lines[1].split("\t")[:3] == [f"{receipt.code} level 0", "failing", "1 attempt(s)"]


def test_outbox_retry_sends_the_items_emails_at_once(overdue_store, capsys, monkeypatch,
                                                   mailbox):
    _, receipt = overdue_store
    monkeypatch.setattr("petitions.notifications.sender.compose", _refuse_to_compose)
    main(["scheduler", "--once"])
    monkeypatch.setattr("petitions.notifications.sender.compose", compose)
    monkeypatch.setenv("PETITIONS_SMTP_PORT", str(mailbox.port))
    capsys.readouterr()

    status = main(["outbox", "retry", receipt.code, "--send"])

    assert status == 0
    assert capsys.readouterr().out.splitlines() == ["4 email(s) due now.",
                                                    "emails sent: 4, failed: 0"]
    assert len(mailbox.messages) == 4
