"""The park form suspends a complaint by decision, and the item page explains the due date."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask

from tests.integration.escalation_helpers import hanoi
from tests.web.conftest import SECRETARIAT, rendered



def accepted_complaint(tracker: Any, clock: Any, day: date) -> str:
    clock.set(hanoi(day))
    code = tracker.receive_complaint(
        SECRETARIAT, kind="complaint", channel="direct", title="Khiếu nại bồi thường",
        content="Ông Bình khiếu nại đơn giá bồi thường.", subject="UBND phường Kim Mã",
        petitioner={"name": "Trần Văn Bình"}, anonymous=False, district="00004",
        field="land", received_on=day).code
    tracker.accept_complaint(SECRETARIAT, code, agency="so-xay-dung")
    return code


def suspend(client: Any, tracker: Any, code: str, decision_date: str) -> Any:
    version = tracker.get_item(SECRETARIAT, code)["version"]
    return client.post(f"/items/{code}/do/park", data={
        "expected_version": version, "reason": "Chờ kết quả giám định.",
        "grounds": "awaiting_result", "decision_no": "05/QĐ-UBND",
        "decision_date": decision_date})


def test_the_park_form_of_a_complaint_asks_for_the_suspension_decision(
        app: Flask, tracker: Any, clock: Any, client_as: Any) -> None:
    code = accepted_complaint(tracker, clock, date(2026, 7, 13))

    page = client_as("secretariat").get(f"/items/{code}")

    body = rendered(page, "Căn cứ tạm đình chỉ", "Số quyết định tạm đình chỉ",
                    "sự kiện bất khả kháng")
    assert "giám định bổ sung" not in body  # a ground of denunciations only (art. 34)


def test_a_suspended_complaint_shows_its_stopped_clock_and_then_its_moved_due_date(
        app: Flask, tracker: Any, clock: Any, client_as: Any) -> None:
    code = accepted_complaint(tracker, clock, date(2026, 7, 13))
    client = client_as("secretariat")
    clock.set(hanoi(date(2026, 7, 20)))
    suspend(client, tracker, code, "20/07/2026")
    parked = rendered(client.get(f"/items/{code}"), "Tạm đình chỉ/tạm dừng từ 20/07/2026")

    clock.set(hanoi(date(2026, 8, 19)))
    version = tracker.get_item(SECRETARIAT, code)["version"]
    client.post(f"/items/{code}/do/resume", data={"expected_version": version})

    rendered(client.get(f"/items/{code}"), "11/09/2026",
             "Lùi từ 12/08/2026 đến 11/09/2026: 30 ngày",
             "Số ngày tạm đình chỉ: 30")
    assert "Điều 11a" in parked


def test_a_complaint_suspension_dated_before_july_2026_is_refused_beside_its_date(
        app: Flask, tracker: Any, clock: Any, client_as: Any) -> None:
    code = accepted_complaint(tracker, clock, date(2026, 6, 1))
    before = tracker.get_item(SECRETARIAT, code)["version"]
    clock.set(hanoi(date(2026, 7, 2)))

    response = suspend(client_as("secretariat"), tracker, code, "30/06/2026")

    assert response.status_code == 422
    assert "chỉ được tạm đình chỉ bằng quyết định ban hành từ ngày 01/7/2026" in \
        response.get_data(as_text=True)
    assert tracker.get_item(SECRETARIAT, code)["version"] == before
