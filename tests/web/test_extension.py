"""The extend form records the extension decision; the timeline and the due date name it."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask

from tests.integration.escalation_helpers import hanoi
from tests.web.conftest import SECRETARIAT, rendered



def accepted_denunciation(tracker: Any, clock: Any, day: date) -> str:
    clock.set(hanoi(day))
    code = tracker.receive_complaint(
        SECRETARIAT, kind="denunciation", channel="direct", title="Tố cáo sai phạm",
        content="Ông Bình tố cáo việc cấp phép sai.", subject="UBND phường Kim Mã",
        petitioner={"name": "Trần Văn Bình"}, anonymous=False, district="00004",
        field="land", received_on=day).code
    tracker.accept_complaint(SECRETARIAT, code, agency="thanh-tra-thanh-pho",
                             complexity="complex")
    return code


def extend(client: Any, tracker: Any, code: str, **decision: str) -> Any:
    item = tracker.get_item(SECRETARIAT, code)
    new_due = date.fromordinal(item["due_date"].toordinal() + 20)
    return client.post(f"/items/{code}/do/extend", data={
        "expected_version": item["version"], "reason": "Phải xác minh ở nhiều nơi.",
        "new_due_date": f"{new_due:%d/%m/%Y}", **decision})


def test_the_extend_form_asks_for_the_extension_decision(
        app: Flask, tracker: Any, clock: Any, client_as: Any) -> None:
    code = accepted_denunciation(tracker, clock, date(2026, 11, 2))

    rendered(client_as("secretariat").get(f"/items/{code}"), "Số quyết định gia hạn")


def test_an_extended_denunciation_names_its_decision_on_the_page_and_the_timeline(
        app: Flask, tracker: Any, clock: Any, client_as: Any) -> None:
    code = accepted_denunciation(tracker, clock, date(2026, 11, 2))
    client = client_as("secretariat")
    clock.set(hanoi(date(2026, 11, 20)))

    extend(client, tracker, code, decision_no="15/QĐ-TTTP", decision_date="19/11/2026")

    body = rendered(client.get(f"/items/{code}"),
                    "Gia hạn theo quyết định số 15/QĐ-TTTP ngày 19/11/2026")
    assert body.count("Gia hạn theo quyết định số 15/QĐ-TTTP ngày 19/11/2026") == 2


def test_a_denunciation_extension_without_its_decision_is_refused_and_changes_nothing(
        app: Flask, tracker: Any, clock: Any, client_as: Any) -> None:
    code = accepted_denunciation(tracker, clock, date(2026, 11, 2))
    before = tracker.get_item(SECRETARIAT, code)["version"]

    response = extend(client_as("secretariat"), tracker, code)

    assert response.status_code == 422
    assert tracker.get_item(SECRETARIAT, code)["version"] == before


def test_an_extension_decision_dated_tomorrow_is_refused_beside_its_date(
        app: Flask, tracker: Any, clock: Any, client_as: Any) -> None:
    code = accepted_denunciation(tracker, clock, date(2026, 11, 2))
    before = tracker.get_item(SECRETARIAT, code)["version"]
    clock.set(hanoi(date(2026, 11, 20)))

    response = extend(client_as("secretariat"), tracker, code, decision_no="15/QĐ-TTTP",
                      decision_date="21/11/2026")

    assert response.status_code == 422
    # The domain's rule on the decision's date speaks before the document register's check.
    assert "Ngày quyết định không được ở tương lai." in response.get_data(as_text=True)
    assert tracker.get_item(SECRETARIAT, code)["version"] == before
