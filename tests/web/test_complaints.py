"""Complaints through the web: received, accepted, decided; escalations in the timeline."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from flask import Flask

from tests.web.conftest import COMPLAINT, SECRETARIAT, log_petition, receive_complaint


def test_a_received_complaint_shows_the_office_processing_deadline(app: Flask,
                                                                 client_as: Any) -> None:
    client = client_as("district_staff")
    saved = client.post("/complaints/new", data=COMPLAINT)

    page = client.get(saved.location)

    # The council's office processes the đơn; acceptance (art. 27) is the competent body's.
    assert saved.status_code == 303
    assert "Thông tư 05/2021/TT-TTCP" in page.text


def test_an_anonymous_complaint_is_refused_beside_the_field(app: Flask, client_as: Any) -> None:
    response = client_as("district_staff").post(
        "/complaints/new", data={**COMPLAINT, "anonymous": "yes"})

    assert response.status_code == 422
    assert 'id="anonymous-error">' in response.text


def test_the_secretariat_accepts_a_complaint_for_an_agency(app: Flask, tracker: Any,
                                                          client_as: Any) -> None:
    code = receive_complaint(tracker)

    response = client_as("secretariat").post(
        f"/items/{code}/do/accept",
        data={"agency": "so-xay-dung", "complexity": "complex", "expected_version": "1"})

    assert response.status_code == 303
    assert tracker.get_item(SECRETARIAT, code)["status"] == "accepted"


def test_the_agency_records_the_decision(app: Flask, tracker: Any, client_as: Any) -> None:
    code = receive_complaint(tracker)
    tracker.accept_complaint(SECRETARIAT, code, agency="so-xay-dung")

    response = client_as("agency_staff").post(
        f"/items/{code}/do/decide",
        data={"result": "partly_correct", "text": "Quyết định giải quyết khiếu nại",
              "decided_on": "03/03/2025", "decision_no": "12/QĐ-SXD", "expected_version": "2"})

    assert response.status_code == 303
    assert tracker.get_item(SECRETARIAT, code)["status"] == "decided"


def test_escalations_appear_in_the_timeline(app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 4, 2))
    tracker.escalate_item(code, now=datetime(2025, 4, 20, 1, 0, tzinfo=timezone.utc))

    page = client_as("deputy").get(f"/items/{code}")

    assert "Đôn đốc: quá hạn: báo Thường trực HĐND" in page.text


def test_the_api_lists_items_with_iso_dates(app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)
    app.extensions["petitions"].wait_for(tracker.position())

    data = client_as("deputy").get("/api/items").get_json()

    assert data["items"][0]["code"] == code
    assert data["items"][0]["received_on"] == "2025-02-21"


def test_the_search_pages_through_results_with_a_next_link(tmp_path: Any, clock: Any) -> None:
    import re

    from tests.web.conftest import make_app, sign_in

    app = make_app(tmp_path, clock, PAGE_SIZE=2)
    tracker = app.extensions["petitions"].tracker
    codes = [log_petition(tracker, title=f"Kiến nghị số {n}") for n in range(3)]
    app.extensions["petitions"].wait_for(tracker.position())
    client = sign_in(app.test_client(), "deputy")
    first = client.get("/items?q=kien+nghi")
    next_url = re.search(r'href="([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")

    second = client.get(next_url)

    assert codes[2] in first.text and codes[0] not in first.text
    assert codes[0] in second.text and 'rel="next"' not in second.text
    app.extensions["petitions"].close()


def test_the_item_page_says_when_the_next_reminder_is_due(app: Flask, tracker: Any,
                                                         client_as: Any) -> None:
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 4, 2))
    app.extensions["petitions"].wait_for(tracker.position())

    page = client_as("secretariat").get(f"/items/{code}")

    assert "Lần tiếp theo vào 28/03/2025: nhắc trước hạn." in page.text


def test_a_second_round_complaint_links_to_the_first(app: Flask, tracker: Any,
                                                     client_as: Any) -> None:
    first = receive_complaint(tracker)
    tracker.accept_complaint(SECRETARIAT, first, agency="so-xay-dung")
    tracker.issue_decision(SECRETARIAT, first, result="incorrect", text="Không có cơ sở",
                           decided_on=__import__("datetime").date(2025, 3, 3))

    saved = client_as("district_staff").post(
        "/complaints/new", data={**COMPLAINT, "first_round": first, "received_on": "2025-03-03"})

    second = saved.location.rsplit("/", 1)[1]
    assert tracker.get_item(SECRETARIAT, second)["first_round_code"] == first


def test_a_first_round_outside_the_users_district_is_not_found(app: Flask, tracker: Any,
                                                               client_as: Any) -> None:
    first = receive_complaint(tracker)

    response = client_as("other_district").post(
        "/complaints/new", data={**COMPLAINT, "district": "hoan-kiem", "first_round": first})

    assert response.status_code == 422
    assert f'id="first_round-error">Không tìm thấy kiến nghị, đơn thư {first}.' in response.text
