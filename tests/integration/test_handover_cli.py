"""``petitions handover`` on SQLite and PostgreSQL: preview, hand over, repeat, refuse."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from petitions.application import Tracker
from petitions.cli import main
from tests.conftest import SECRETARIAT, FixedClock
from tests.integration import log_petition
from tests.integration.test_cli import store  # noqa: F401  (the fixture)


@pytest.fixture
def ba_dinh_items(store):  # noqa: F811
    """Init the store (the real clock: after the reform) and log two open items of Ba Đình
    and a closed one in March 2025."""
    assert main(["init"]) == 0
    tracker = Tracker(store, clock=FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)))
    try:
        codes = [log_petition(tracker).code, log_petition(tracker).code]
        closed = log_petition(tracker).code
        tracker.close_item(SECRETARIAT, closed, reason="Xong.")
    finally:
        tracker.close()
    return store, codes, closed


def moves(settings, code):
    tracker = Tracker(settings)
    try:
        return [e for e in tracker.history(SECRETARIAT, code) if e["type"] == "UnitHandedOver"]
    finally:
        tracker.close()


def test_the_command_previews_then_hands_over_once(ba_dinh_items, capsys):
    settings, codes, closed = ba_dinh_items

    assert main(["handover", "--from", "ba-dinh", "--to", "00004", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "2 open items would be handed over" in out and "Phường Ba Đình (00004)" in out
    assert not moves(settings, codes[0])

    assert main(["handover", "--from", "ba-dinh", "--to", "00004"]) == 0
    assert "2 open items handed over" in capsys.readouterr().out
    assert [len(moves(settings, c)) for c in codes] == [1, 1] and not moves(settings, closed)
    assert moves(settings, codes[0])[0]["actor"] == "cli"

    assert main(["handover", "--by-lineage"]) == 0
    assert "0 open items handed over" in capsys.readouterr().out


def test_the_command_refuses_a_unit_still_in_force(ba_dinh_items, capsys):
    assert main(["handover", "--from", "00004", "--to", "00008"]) == 1

    assert "Phường Ba Đình is still in force" in capsys.readouterr().err
