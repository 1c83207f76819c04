"""Suspension and pause: when the clock stops, and how far the due date moves on resuming.

Denunciations are suspended by decision since 2019 (Luật Tố cáo 2018, art. 34), complaints
only from 1 July 2026 (art. 11a added by Luật 136/2025/QH15); a petition's pause is council
practice. Calendar here: weekends only (real holidays are the deadline tests' business).
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from domain.errors import InvalidInput
from tests.unit.conftest import (
    KNOWN, POLICY, SECRETARIAT, WEEKENDS_ONLY, accept, assigned_petition, last_event,
    new_complaint,
)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=timezone.utc)


def complaint_accepted_on(day: date, kind: str = "complaint"):
    complaint = new_complaint(kind=kind, received_on=day, today=day, at=at(day))
    accept(complaint, today=day, at=at(day))
    return complaint


def suspend(item, day: date, grounds: str = "awaiting_result", **changes):
    args = dict(by=SECRETARIAT, at=at(day), today=day, grounds=grounds,
                decision_no="12/QĐ-TTr", decision_date=day)
    args.update(changes)
    item.park("Chờ kết quả giám định của Sở Tài nguyên.", **args)


def resume(item, day: date) -> None:
    item.resume("Đã có kết quả.", by=SECRETARIAT, at=at(day), today=day, calendar=WEEKENDS_ONLY)


def test_a_complaint_suspended_30_days_is_due_30_days_later():
    complaint = complaint_accepted_on(date(2026, 7, 13))  # due Wednesday 12/8/2026
    suspend(complaint, date(2026, 7, 20))

    resume(complaint, date(2026, 8, 19))

    assert complaint.due_date == date(2026, 9, 11)
    resumed = last_event(complaint)
    assert (resumed.previous_due_date, resumed.new_due_date, resumed.days_suspended,
            resumed.unit) == (date(2026, 8, 12), date(2026, 9, 11), 30, "calendar_days")


def test_the_suspension_decision_and_its_grounds_are_recorded():
    complaint = complaint_accepted_on(date(2026, 7, 13))

    suspend(complaint, date(2026, 7, 20), grounds="force_majeure")

    parked = last_event(complaint)
    assert (parked.grounds, parked.decision_no, parked.decision_date, parked.stops_clock) == (
        "force_majeure", "12/QĐ-TTr", date(2026, 7, 20), True)
    assert "11a" in parked.basis


def test_a_complaint_suspension_decision_before_1_july_2026_is_refused():
    complaint = complaint_accepted_on(date(2026, 5, 4))

    with pytest.raises(InvalidInput) as refused:
        suspend(complaint, date(2026, 6, 30))

    assert "decision_date" in refused.value.errors
    assert complaint.status.value == "accepted"
    assert not [e for e in complaint.pending_events if type(e).__name__ == "Parked"]


def test_a_complaint_parked_without_a_decision_keeps_its_due_date():
    complaint = complaint_accepted_on(date(2025, 5, 5))  # due 4/6/2025
    complaint.park("Chờ ý kiến.", by=SECRETARIAT, at=at(date(2025, 5, 12)),
                   today=date(2025, 5, 12))

    resume(complaint, date(2025, 7, 1))

    assert complaint.due_date == date(2025, 6, 4)
    assert last_event(complaint).days_suspended == 0


def test_a_denunciation_suspended_in_2025_stops_its_clock():
    denunciation = complaint_accepted_on(date(2025, 5, 5), kind="denunciation")  # due 4/6
    suspend(denunciation, date(2025, 5, 12), grounds="awaiting_examination")

    resume(denunciation, date(2025, 5, 26))  # 14 days

    assert denunciation.due_date == date(2025, 6, 18)


def test_grounds_must_be_those_the_kinds_law_lists():
    complaint = complaint_accepted_on(date(2026, 7, 13))

    with pytest.raises(InvalidInput) as refused:
        suspend(complaint, date(2026, 7, 20), grounds="awaiting_examination")

    assert "grounds" in refused.value.errors


def test_a_suspension_needs_the_decision_number():
    complaint = complaint_accepted_on(date(2026, 7, 13))

    with pytest.raises(InvalidInput) as refused:
        suspend(complaint, date(2026, 7, 20), decision_no="")

    assert "decision_no" in refused.value.errors


def test_a_decision_dated_after_today_is_refused():
    complaint = complaint_accepted_on(date(2026, 7, 13))

    with pytest.raises(InvalidInput) as refused:
        suspend(complaint, date(2026, 7, 20), decision_date=date(2026, 7, 21))

    assert "decision_date" in refused.value.errors


def test_a_received_đơn_cannot_be_suspended_before_acceptance():
    complaint = new_complaint(received_on=date(2026, 7, 13), today=date(2026, 7, 13))

    with pytest.raises(InvalidInput) as refused:
        suspend(complaint, date(2026, 7, 14))

    assert "grounds" in refused.value.errors


def test_a_petition_is_paused_without_a_decision_and_its_due_date_moves():
    petition = assigned_petition()  # due 2/4/2025
    petition.park("Chờ quy hoạch.", by=SECRETARIAT, at=at(date(2025, 3, 10)),
                  today=date(2025, 3, 10))

    resume(petition, date(2025, 3, 19))

    assert petition.due_date == date(2025, 4, 11)
    assert petition.past_suspensions[0]["days"] == 9


def test_a_petition_cannot_be_suspended_by_decision():
    petition = assigned_petition()

    with pytest.raises(InvalidInput) as refused:
        suspend(petition, date(2025, 3, 10))

    assert "grounds" in refused.value.errors


def test_a_working_day_limit_moves_by_the_working_days_paused():
    # A reflection's processing limit is 10 working days: received Mon 2/3/2026, due 16/3.
    reflection = new_complaint(kind="reflection", received_on=date(2026, 3, 2),
                               today=date(2026, 3, 2), at=at(date(2026, 3, 2)))
    reflection.park("Chờ bổ sung hồ sơ.", by=SECRETARIAT, at=at(date(2026, 3, 4)),
                    today=date(2026, 3, 4))

    resume(reflection, date(2026, 3, 11))  # Wed to Wed: 5 working days

    assert reflection.due_date == date(2026, 3, 23)
    assert last_event(reflection).unit == "working_days"


def test_a_resumed_item_starts_a_new_ladder_for_its_new_date():
    complaint = complaint_accepted_on(date(2026, 7, 13))
    suspend(complaint, date(2026, 7, 20))

    resume(complaint, date(2026, 8, 19))

    assert complaint.escalations_due(date(2026, 8, 20), POLICY, WEEKENDS_ONLY) == []
    assert complaint.escalations_due(date(2026, 9, 8), POLICY, WEEKENDS_ONLY) == [0]


def test_an_answer_under_review_parked_and_resumed_keeps_its_due_date():
    from tests.unit.conftest import answer

    petition = assigned_petition()
    answer(petition)
    petition.park("Chờ.", by=SECRETARIAT, at=at(date(2025, 3, 10)), today=date(2025, 3, 10))

    resume(petition, date(2025, 3, 20))

    assert petition.due_date == date(2025, 4, 2)
