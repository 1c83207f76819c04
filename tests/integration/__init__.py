"""Integration tests: the application, projections and scheduler on SQLite and PostgreSQL.

The builders below give valid command arguments for the application tests; each test
changes only what it is about.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from tests.conftest import SECRETARIAT
from petitions.application import Receipt, Tracker


def petition_data(**changes: Any) -> dict[str, Any]:
    """Return valid keyword arguments for ``Tracker.log_petition`` (Ba Đình, transport)."""
    data: dict[str, Any] = dict(
        title="Sửa mặt đường Đội Cấn", district="ba-dinh", deputy_group="to-01",
        content="Cử tri phường Đội Cấn đề nghị sửa mặt đường bị hỏng sau mùa mưa.",
        session="XVI-19", field="transport", meeting_date=date(2025, 2, 20),
        meeting_place="Nhà văn hoá phường Đội Cấn", voters="Ông Nguyễn Văn An, tổ 5",
        received_on=date(2025, 2, 24),
    )
    data.update(changes)
    return data


# From this day Hanoi has communes and wards, no districts (NQ 1656/NQ-UBTVQH15).
REFORM = date(2025, 7, 1)


def complaint_data(**changes: Any) -> dict[str, Any]:
    """Return valid keyword arguments for ``Tracker.receive_complaint`` (a named complaint)."""
    data: dict[str, Any] = dict(
        kind="complaint", channel="post", title="Khiếu nại quyết định thu hồi đất",
        content="Khiếu nại quyết định thu hồi đất của UBND quận Ba Đình tại phường Kim Mã.",
        subject="UBND quận Ba Đình", anonymous=False, district="ba-dinh", field="land",
        petitioner={"name": "Trần Thị Bình", "address": "phường Kim Mã",
                    "phone": "0912345678", "id_number": "001190012345"},
        received_on=date(2025, 2, 28),
    )
    data.update(changes)
    if "district" not in changes and data["received_on"] >= REFORM:
        data["district"] = "00004"  # quận Ba Đình's successor, phường Ba Đình (NQ 1656)
    return data


def log_petition(app: Tracker, **changes: Any) -> Receipt:
    """Log a valid petition as the secretariat."""
    return app.log_petition(SECRETARIAT, **petition_data(**changes))


def assigned_petition(app: Tracker, agency: str = "so-xay-dung") -> Receipt:
    """Log, classify and assign a petition to ``agency`` (due by the policy default)."""
    receipt = log_petition(app)
    app.classify_petition(SECRETARIAT, receipt.code, field="transport", competence="city")
    return app.assign(SECRETARIAT, receipt.code, agency=agency)


def receive_complaint(app: Tracker, **changes: Any) -> Receipt:
    """Receive a valid complaint as the secretariat."""
    return app.receive_complaint(SECRETARIAT, **complaint_data(**changes))
