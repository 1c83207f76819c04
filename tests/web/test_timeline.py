"""The item's history in plain words."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask

from tests.web.conftest import SECRETARIAT, log_petition, rendered


def test_a_classification_that_keeps_the_field_shows_no_change(app: Flask, tracker: Any,
                                                               client_as: Any) -> None:
    code = log_petition(tracker, field="land")
    tracker.classify_petition(SECRETARIAT, code, field="land", competence="city")

    page = client_as("secretariat").get(f"/items/{code}")

    assert "Lĩnh vực: Đất đai → Đất đai" not in page.text
    assert "<li>Lĩnh vực: Đất đai</li>" in page.text


def test_a_delivered_reminder_is_told_in_plain_words(app: Flask, tracker: Any,
                                                     client_as: Any) -> None:
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 3, 20))
    tracker.record_notification_sent(code, 0, ["so-xay-dung@hanoi.invalid"])

    page = client_as("secretariat").get(f"/items/{code}")

    assert "NotificationSent" not in rendered(page, code)
    assert "Đã gửi email: nhắc trước hạn" in page.text
    assert "<li>Người nhận: so-xay-dung@hanoi.invalid</li>" in page.text
    assert "<li>Hạn xử lý: 20/03/2025</li>" in page.text
