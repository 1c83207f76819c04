"""Builders for unit tests: plain aggregates, a fixed business time, known reference codes.

Nothing here touches a store or the clock: ``TODAY`` and ``AT`` stand for the application's
clock (Monday 3 March 2025, 09:00 in Hanoi), and each test passes them in explicitly.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from domain.actor import Actor, Role
from domain.calendar import WorkingCalendar
from domain.complaint import Complaint
from domain.deadline import DeadlinePolicy
from domain.petition import VoterPetition
from domain.reference import KnownCodes

TODAY = date(2025, 3, 3)  # a Monday with no holiday nearby
AT = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)  # 09:00 in Hanoi
YESTERDAY = TODAY - timedelta(days=1)

SECRETARIAT = Actor("thu.ky", Role.SECRETARIAT)
DISTRICT = Actor("can.bo.ba.dinh", Role.DISTRICT_STAFF, district="ba-dinh")
AGENCY = Actor("so.xay.dung", Role.AGENCY_STAFF, agency="so-xay-dung")

KNOWN = KnownCodes(
    units={"ba-dinh", "hoan-kiem"},
    agencies={"so-xay-dung", "so-giao-thong-van-tai"},
    fields={"land", "transport"},
    deputy_groups={"to-01", "to-02"},
    sessions={"XVI-19", "XVI-20"},
)
COMPETENCE_LEVELS = {"city", "district"}
POLICY = DeadlinePolicy()
# Weekends only: lifecycle tests stay readable; real holidays are in test_deadlines.py.
WEEKENDS_ONLY = WorkingCalendar(lambda day: None)


def petition_data(**changes: Any) -> dict[str, Any]:
    """Return valid arguments for ``VoterPetition.log``, with ``changes`` applied."""
    data: dict[str, Any] = dict(
        code="KN-2025-00001", title="Sửa đường Đội Cấn",
        content="Cử tri phường Đội Cấn đề nghị sửa mặt đường bị hỏng.",
        district="ba-dinh", deputy_group="to-01", session="XVI-19", field="transport",
        meeting_date=date(2025, 2, 20), meeting_place="Nhà văn hoá phường Đội Cấn",
        voters="Ông Nguyễn Văn A", received_on=date(2025, 2, 24), known=KNOWN,
        by=DISTRICT, at=AT, today=TODAY,
    )
    data.update(changes)
    return data


def new_petition(**changes: Any) -> VoterPetition:
    """Log a valid petition (status logged)."""
    return VoterPetition.log(**petition_data(**changes))


def assign(petition: VoterPetition, due_date: date | None = date(2025, 4, 2), **changes: Any) -> None:
    """Assign ``petition`` to the construction department (by default due 2 April 2025)."""
    args: dict[str, Any] = dict(
        agency="so-xay-dung", due_date=due_date, note="", known=KNOWN, policy=POLICY,
        calendar=WEEKENDS_ONLY, today=TODAY, by=SECRETARIAT, at=AT,
    )
    args.update(changes)
    petition.assign(**args)


def assigned_petition(**changes: Any) -> VoterPetition:
    """Return a petition assigned to so-xay-dung, due 2 April 2025."""
    petition = new_petition(**changes)
    assign(petition)
    return petition


def answer(
    petition: VoterPetition, outcome: str = "resolved", new_due_date: date | None = None,
) -> None:
    """Record an agency answer with ``outcome``."""
    petition.record_answer(
        outcome=outcome, text="Sở đã sửa xong mặt đường.", new_due_date=new_due_date,
        today=TODAY, by=AGENCY, at=AT,
    )


def answered_petition(outcome: str = "resolved", new_due_date: date | None = None) -> VoterPetition:
    """Return an assigned petition with a pending answer of ``outcome``."""
    petition = assigned_petition()
    answer(petition, outcome, new_due_date)
    return petition


def complaint_data(**changes: Any) -> dict[str, Any]:
    """Return valid arguments for ``Complaint.receive``, with ``changes`` applied."""
    data: dict[str, Any] = dict(
        code="DT-2025-00001", kind="complaint", channel="direct",
        title="Khiếu nại quyết định thu hồi đất",
        content="Tôi khiếu nại quyết định thu hồi đất số 12/QĐ-UBND.",
        subject="UBND phường Đội Cấn",
        petitioner={"name": "Trần Thị B", "address": "Số 1 Đội Cấn", "phone": "0912345678"},
        anonymous=False, district="ba-dinh", field="land", received_on=date(2025, 2, 28),
        known=KNOWN, policy=POLICY, calendar=WEEKENDS_ONLY, today=TODAY, by=DISTRICT, at=AT,
    )
    data.update(changes)
    return data


def new_complaint(**changes: Any) -> Complaint:
    """Receive a valid đơn (status received)."""
    return Complaint.receive(**complaint_data(**changes))


def accept(
    complaint: Complaint, complexity: str = "normal", remote_area: bool = False, **changes: Any,
) -> None:
    """Accept ``complaint`` for resolution by so-xay-dung on TODAY."""
    args: dict[str, Any] = dict(
        agency="so-xay-dung", complexity=complexity, remote_area=remote_area, known=KNOWN,
        policy=POLICY, calendar=WEEKENDS_ONLY, today=TODAY, by=SECRETARIAT, at=AT,
    )
    args.update(changes)
    complaint.accept(**args)


def accepted_complaint(
    kind: str = "complaint", complexity: str = "normal", **changes: Any,
) -> Complaint:
    """Return a đơn of ``kind`` accepted on TODAY."""
    complaint = new_complaint(kind=kind, **changes)
    accept(complaint, complexity)
    return complaint


def decide(complaint: Complaint, result: str = "incorrect", **changes: Any) -> None:
    """Issue a decision on ``complaint`` dated TODAY."""
    args: dict[str, Any] = dict(
        result=result, text="Giữ nguyên quyết định thu hồi đất.", decision_no="45/QĐ-UBND",
        decided_on=TODAY, today=TODAY, by=AGENCY, at=AT,
    )
    args.update(changes)
    complaint.issue_decision(**args)


def decided_complaint(**changes: Any) -> Complaint:
    """Return a first-round complaint with a decision."""
    complaint = accepted_complaint(**changes)
    decide(complaint)
    return complaint


def last_event(item: Any) -> Any:
    """Return the newest pending (not yet saved) event of ``item``."""
    return item.pending_events[-1]


@pytest.fixture
def petition() -> VoterPetition:
    """A freshly logged petition."""
    return new_petition()
