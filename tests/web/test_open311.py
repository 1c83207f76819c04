"""Open311 GeoReport v2 read endpoints (issue 18)."""
from __future__ import annotations

from datetime import date

from tests.web.conftest import SECRETARIAT, XAY_DUNG, catch_up, log_petition, receive_complaint


def published(app, tracker, text="Đã sửa xong."):
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 4, 30))
    tracker.record_answer(XAY_DUNG, code, outcome="resolved", text="Nội bộ: đã sửa.")
    tracker.publish_answer(SECRETARIAT, code, text=text)
    catch_up(app)
    return code


def test_services_are_the_fields(app):
    services = app.test_client().get("/open311/v2/services.json").json

    assert {"land", "transport"} <= {s["service_code"] for s in services}


def test_requests_are_only_the_published_items_without_personal_data(app, tracker):
    code = published(app, tracker)
    log_petition(tracker)  # not published
    receive_complaint(tracker)
    catch_up(app)

    answer = app.test_client().get("/open311/v2/requests.json")

    assert answer.status_code == 200
    assert [(r["service_request_id"], r["status_notes"], r["service_code"])
            for r in answer.json] == [(code, "Đã sửa xong.", "transport")]
    body = answer.get_data(as_text=True)
    assert "Nguyễn Văn An" not in body and "Kim Mã" not in body and "Nội bộ" not in body


def test_one_request_by_code_and_a_missing_one(app, tracker):
    code = published(app, tracker)
    client = app.test_client()

    assert client.get(f"/open311/v2/requests/{code}.json").json[0]["status"] == "closed" or \
        client.get(f"/open311/v2/requests/{code}.json").json[0]["status"] == "open"
    assert client.get("/open311/v2/requests/KN-2025-09999.json").status_code == 404


def test_bad_filters_answer_400_in_open311_form(app):
    client = app.test_client()

    assert client.get("/open311/v2/requests.json?status=maybe").status_code == 400
    assert client.get("/open311/v2/requests.json?start_date=yesterday").json[0]["code"] == 400


def test_withdrawing_the_publication_takes_it_off_the_list(app, tracker):
    code = published(app, tracker)
    tracker.publish_answer(SECRETARIAT, code, text="")
    catch_up(app)

    assert app.test_client().get("/open311/v2/requests.json").json == []
