"""The admin outbox page: a stuck escalation email shows by item code, with "retry now"."""
from __future__ import annotations

import smtplib
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from petitions.notifications.sender import send_pending
from projections.outbox import outbox_rows
from tests.integration.escalation_helpers import assigned_petition, hanoi
from tests.web.conftest import catch_up, rendered


def _refusing(settings: Any) -> Any:
    raise smtplib.SMTPConnectError(421, b"mail server down for maintenance")


@pytest.fixture
def failed(app: Flask, tracker: Any, clock: Any) -> str:
    """A petition due 7/3/2025 whose two escalation emails failed once on 10/3."""
    clock.set(hanoi(date(2025, 3, 3)))
    code = assigned_petition(tracker, date(2025, 3, 7), title="Ngập úng phố Huế").code
    clock.set(hanoi(date(2025, 3, 10)))
    catch_up(app)
    tracker.escalate_overdue(tracker.now())
    catch_up(app)
    send_pending(tracker, app.extensions["petitions"].views.engine, smtp=_refusing)
    return code


def test_the_outbox_page_shows_a_failed_email_by_item_code_with_its_error(
        client_as: Any, failed: str) -> None:
    response = client_as("admin").get("/admin/outbox")

    body = rendered(response, failed, "mail server down for maintenance", "Gửi lại ngay")
    assert "Gửi lỗi, sẽ gửi lại" in body


@pytest.mark.parametrize("who", ["secretariat", "deputy", "district_staff", "agency_staff"])
def test_only_administrators_see_the_outbox(client_as: Any, who: str) -> None:
    assert client_as(who).get("/admin/outbox").status_code == 403


class _Recording:
    """An SMTP connection that accepts every message and keeps its subject."""

    def __init__(self) -> None:
        self.subjects: list[str] = []

    def send_message(self, message: Any) -> dict[str, Any]:
        self.subjects.append(message["Subject"])
        return {}

    def quit(self) -> None:
        pass


def test_retry_now_sends_that_email_at_the_next_run_before_its_backoff_ends(
        app: Flask, tracker: Any, client_as: Any, failed: str, clock: Any) -> None:
    engine = app.extensions["petitions"].views.engine
    row = next(r for r in outbox_rows(engine) if r["level"] == 1)
    clock.set(clock() + timedelta(seconds=10))  # both emails still wait for their backoff

    response = client_as("admin").post("/admin/outbox/retry", data={"id": str(row["id"])})
    server = _Recording()
    report = send_pending(tracker, engine, smtp=lambda settings: server)

    assert response.status_code == 303
    assert report.sent == 1
    assert server.subjects == [f"[Lần đôn đốc thứ 1] {failed}: Ngập úng phố Huế"]


def test_retry_all_sends_every_failed_email_at_the_next_run(
        app: Flask, tracker: Any, client_as: Any, failed: str, clock: Any) -> None:
    engine = app.extensions["petitions"].views.engine
    clock.set(clock() + timedelta(seconds=10))

    client_as("admin").post("/admin/outbox/retry", data={})
    report = send_pending(tracker, engine, smtp=lambda settings: _Recording())

    assert report.sent == 2
