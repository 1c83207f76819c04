"""The demo lives both eras: districts before 1 July 2025, communes and wards after, and the
office's hand-over of the abolished districts' open items in between."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from domain.reference import valid_on
from petitions.demo import SimulatedClock, load_demo
from petitions.runtime import Runtime
from petitions.settings import Settings
from projections.items import items_view
from tests.conftest import SECRETARIAT

TODAY = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """300 demo items up to 2 December 2026 on SQLite, with the views projected."""
    settings = Settings(instance_path=str(tmp_path_factory.mktemp("eras") / "instance"))
    clock = SimulatedClock()
    runtime = Runtime(settings, clock=clock)
    try:
        runtime.tracker.load_reference()
        result = load_demo(runtime.tracker, clock, items=300, seed=11, end=TODAY)
        runtime.wait_for(runtime.tracker.position())
        with runtime.views.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(select(items_view))]
        yield result, rows, runtime.tracker
    finally:
        runtime.close()


@pytest.mark.slow
def test_every_demo_item_was_logged_under_a_unit_in_force_on_its_date(demo):
    result, rows, tracker = demo
    units = tracker.reference()["units"]
    rows = [r for r in rows if r["origin_district"]]  # commitments belong to no unit

    assert result.failures == []
    assert [r["code"] for r in rows
            if not valid_on(units[r["origin_district"]], r["received_on"])] == []
    eras = Counter(units[r["origin_district"]]["kind"] in ("phuong", "xa") for r in rows)
    assert eras[True] and eras[False]  # both eras


@pytest.mark.slow
def test_the_demo_hands_open_items_over_and_runs_to_the_year_end_2026_session(demo):
    _, rows, tracker = demo

    moved = [r for r in rows if r["origin_district"] != r["district"]]
    assert moved
    history = tracker.history(SECRETARIAT, moved[0]["code"])
    [handed] = [e for e in history if e["type"] == "UnitHandedOver"]
    assert handed["facts"]["from_unit"] == moved[0]["origin_district"]
    assert {"XVI-19", "XVI-20", "XVI-22", "XVII-02", "XVII-03"} <= {r["session"] for r in rows}


@pytest.mark.slow
def test_the_demo_register_holds_reply_letters_urging_letters_and_transfer_slips(demo):
    result, _, tracker = demo
    documents = tracker.list_documents(SECRETARIAT)
    incoming = [d for d in documents if d["direction"] == "incoming"]
    urging = [d for d in documents if d["summary"].startswith("V/v đôn đốc")]

    assert result.documents["reply_letters"] == len(incoming) >= 5
    assert result.documents["urging_letters"] == len(urging) >= 1
    assert any(len(d["item_codes"]) > 1 for d in urging)  # several items a letter
    data, _, _ = tracker.document_file(SECRETARIAT, incoming[0]["id"])
    assert data[:5] == b"%PDF-"
    history = tracker.history(SECRETARIAT, incoming[0]["item_codes"][0])
    linked = [e["facts"]["document"] for e in history if e["type"] == "DocumentLinked"]
    assert [d["document_id"] for d in linked] == [str(incoming[0]["id"])]
    assert linked[0]["reference"] == incoming[0]["reference"]
