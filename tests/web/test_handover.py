"""The council office hands over the open items of an abolished district, from the web."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.web.conftest import SECRETARIAT, catch_up, log_petition, receive_complaint, rendered

AFTER_REFORM = datetime(2025, 7, 10, 2, 0, tzinfo=timezone.utc)
BASIS = "Sắp xếp ĐVHC theo NQ 1656/NQ-UBTVQH15"


@pytest.fixture
def ba_dinh_items(app, tracker, clock):
    """Two open items of Ba Đình and a closed one, logged before the reform; then July 2025."""
    codes = [log_petition(tracker), receive_complaint(tracker)]
    closed = log_petition(tracker, title="Đã xong")
    tracker.close_item(SECRETARIAT, closed, reason="Xong.")
    catch_up(app)
    clock.set(AFTER_REFORM)
    return codes, closed


def history_types(tracker, code):
    return [e["type"] for e in tracker.history(SECRETARIAT, code)]


def test_the_page_lists_abolished_units_with_their_open_items_and_successor(client_as,
                                                                          ba_dinh_items):
    body = rendered(client_as("secretariat").get("/handover"), "Ba Đình", "Phường Ba Đình")

    assert "<td>2</td>" in body  # two open items; the closed one is not counted


def test_preview_then_confirm_hands_over_each_open_item_once(app, client_as, tracker,
                                                            ba_dinh_items):
    codes, closed = ba_dinh_items
    client = client_as("secretariat")
    form = {"from_unit": "ba-dinh", "to_unit": "00004", "reason": BASIS}

    preview = rendered(client.post("/handover/preview", data=form), *codes)
    assert closed not in preview
    assert all("UnitHandedOver" not in history_types(tracker, c) for c in codes)

    done = client.post("/handover/confirm", data=form)
    assert done.status_code == 303
    assert all(history_types(tracker, c).count("UnitHandedOver") == 1 for c in codes)
    assert "UnitHandedOver" not in history_types(tracker, closed)

    # The facts show both units; the timeline shows the change with its basis.
    page = rendered(client.get(f"/items/{codes[0]}"), "Phường Ba Đình", BASIS)
    assert page.count("Ba Đình") > page.count("Phường Ba Đình")

    client.post("/handover/confirm", data=form)  # again: nothing more moves
    assert all(history_types(tracker, c).count("UnitHandedOver") == 1 for c in codes)


def test_a_hand_over_to_an_abolished_unit_is_refused_beside_the_field(client_as, tracker,
                                                                      ba_dinh_items):
    codes, _ = ba_dinh_items
    form = {"from_unit": "ba-dinh", "to_unit": "hoan-kiem", "reason": BASIS}

    response = client_as("secretariat").post("/handover/confirm", data=form)

    assert response.status_code == 422
    assert 'id="to_unit-error"' in response.text
    assert all("UnitHandedOver" not in history_types(tracker, c) for c in codes)


def test_a_unit_still_in_force_is_refused_naming_it(client_as, tracker, ba_dinh_items, clock):
    clock.set(datetime(2025, 6, 30, 2, 0, tzinfo=timezone.utc))
    form = {"from_unit": "ba-dinh", "to_unit": "00004", "reason": BASIS}

    response = client_as("secretariat").post("/handover/preview", data=form)

    assert response.status_code == 422
    assert 'id="from_unit-error"' in response.text


def test_the_item_page_offers_the_hand_over_only_once_the_unit_has_ended(
        app, client_as, tracker, clock):
    code = log_petition(tracker)
    client = client_as("secretariat")
    assert 'id="action-hand_over"' not in rendered(client.get(f"/items/{code}"))

    clock.set(AFTER_REFORM)
    assert 'id="action-hand_over"' in rendered(client.get(f"/items/{code}"))
    version = tracker.get_item(SECRETARIAT, code)["version"]
    response = client.post(f"/items/{code}/do/hand_over",
                           data={"to_unit": "00008", "reason": BASIS,
                                 "expected_version": version})

    assert response.status_code == 303
    item = tracker.get_item(SECRETARIAT, code)
    assert (item["origin_district"], item["district"]) == ("ba-dinh", "00008")
    assert 'id="action-hand_over"' not in rendered(client.get(f"/items/{code}"))


def test_search_finds_a_handed_over_item_under_both_units(app, client_as, tracker,
                                                          ba_dinh_items):
    codes, closed = ba_dinh_items
    tracker.hand_over_bulk(SECRETARIAT, "ba-dinh", to_unit="00004", reason=BASIS)
    catch_up(app)
    client = client_as("secretariat")

    now = rendered(client.get("/items?district=00004"), *codes)
    origin = rendered(client.get("/items?origin_district=ba-dinh"), *codes, closed)
    assert closed not in now and origin
