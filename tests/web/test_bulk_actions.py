"""Bulk actions in the work queues: tick items, run one action, read what was done and refused."""
from __future__ import annotations

from tests.web.conftest import BA_DINH, SECRETARIAT, catch_up, log_petition, rendered, sign_in


def _queue_codes(app, n: int) -> list[str]:
    tracker = app.extensions["petitions"].tracker
    codes = [log_petition(tracker) for _ in range(n)]
    catch_up(app)
    return codes


def test_the_secretariat_queue_offers_check_boxes_and_the_bulk_actions(app):
    codes = _queue_codes(app, 1)
    client = sign_in(app.test_client(), "secretariat")

    page = client.get("/queues/secretariat").get_data(as_text=True)

    assert f'name="codes" value="{codes[0]}"' in page
    assert 'name="action" value="assign"' in page


def test_assigning_in_bulk_gives_each_item_its_own_event_and_lists_refusals(app):
    tracker = app.extensions["petitions"].tracker
    codes = _queue_codes(app, 2)
    tracker.withdraw(SECRETARIAT, codes[1], reason="Cử tri rút kiến nghị")
    client = sign_in(app.test_client(), "secretariat")

    response = client.post("/queues/bulk?back=secretariat", data={
        "action": "assign", "codes": [codes[0], codes[1], "KN-2025-99999"],
        "assign-agency": "so-xay-dung", "assign-due_date": "2025-04-30"})

    page = rendered(response, codes[0], codes[1], "KN-2025-99999")
    assert response.status_code == 200
    assert tracker.get_item(SECRETARIAT, codes[0])["agency"] == "so-xay-dung"
    assert [e["type"] for e in tracker.history(SECRETARIAT, codes[0])][-1] == "AgencyAssigned"
    assert tracker.get_item(SECRETARIAT, codes[1])["agency"] in (None, "")
    assert "Đã làm: 1. Bị từ chối: 2." in page


def test_a_bulk_action_without_its_required_fields_does_nothing(app):
    tracker = app.extensions["petitions"].tracker
    codes = _queue_codes(app, 1)
    client = sign_in(app.test_client(), "secretariat")

    response = client.post("/queues/bulk", data={"action": "assign", "codes": codes})

    assert response.status_code == 422
    assert tracker.get_item(SECRETARIAT, codes[0])["agency"] in (None, "")


def test_district_staff_cannot_run_bulk_actions(app):
    codes = _queue_codes(app, 1)
    client = sign_in(app.test_client(), "district_staff")

    response = client.post("/queues/bulk", data={"action": "assign", "codes": codes,
                                                 "assign-agency": "so-xay-dung"})

    assert response.status_code == 403


def test_extending_in_bulk_records_a_deadline_extension_per_item(app):
    tracker = app.extensions["petitions"].tracker
    codes = _queue_codes(app, 2)
    for code in codes:
        tracker.assign(SECRETARIAT, code, agency="so-xay-dung")
    client = sign_in(app.test_client(), "secretariat")

    client.post("/queues/bulk", data={"action": "extend", "codes": codes,
                                      "extend-new_due_date": "2025-06-30",
                                      "extend-reason": "Cần khảo sát hiện trường"})

    for code in codes:
        assert tracker.get_item(SECRETARIAT, code)["due_date"].isoformat() == "2025-06-30"


def test_urging_in_bulk_sends_one_letter_per_agency_and_refuses_unassigned_items(app):
    tracker = app.extensions["petitions"].tracker
    codes = _queue_codes(app, 3)
    for code in codes[:2]:
        tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=None, note="")
    catch_up(app)
    client = sign_in(app.test_client(), "secretariat")

    response = client.post("/queues/bulk?back=secretariat", data={
        "action": "urge", "codes": codes, "urge-signer": "Nguyễn Văn A"})

    rendered(response, *codes)
    assert response.status_code == 200
    linked = [[e for e in tracker.history(SECRETARIAT, c) if e["type"] == "DocumentLinked"]
              for c in codes]
    assert [len(events) for events in linked] == [1, 1, 0]
    assert linked[0][0]["facts"]["document"]["reference"] == \
        linked[1][0]["facts"]["document"]["reference"]
    assert "Đã làm: 2. Bị từ chối: 1." in response.get_data(as_text=True)
