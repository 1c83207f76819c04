"""escalate_overdue on real stores: exact ladder dates, catch-up, idempotency, exclusions."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.actor import SYSTEM
from tests.conftest import SECRETARIAT
from tests.integration.escalation_helpers import (
    assigned_petition, escalations_in_store, event_types, hanoi, runtime_for,
)


@pytest.fixture
def runtime(settings, clock):
    rt = runtime_for(settings, clock)
    yield rt
    rt.close()


def scan(runtime, clock, day, hour=9):
    """Move the clock to ``day`` in Hanoi, catch the views up and run one scan."""
    clock.set(hanoi(day, hour))
    runtime.projector.catch_up()
    return runtime.tracker.escalate_overdue(runtime.tracker.now())


def fired_by_day(runtime, clock, first, last):
    """Scan every calendar day from ``first`` to ``last``; return {day: levels recorded}."""
    fired = {}
    day = first
    while day <= last:
        summary = scan(runtime, clock, day)
        if summary.levels:
            fired[day] = [e.level for e in summary.escalations]
        day += timedelta(days=1)
    return fired


@pytest.mark.parametrize("due, expected", [
    # Due Friday 24/1/2025, just before Tết (27/1–1/2 are holidays, then a weekend).
    (date(2025, 1, 24), {date(2025, 1, 21): [0], date(2025, 2, 3): [1],
                         date(2025, 2, 7): [2], date(2025, 2, 14): [3]}),
    # Due Tuesday 29/4/2025, before 30/4, 1/5 and the substitute day off on 2/5; Saturday
    # 26/4 was worked in exchange, so the reminder (3 working days before) falls on 25/4.
    (date(2025, 4, 29), {date(2025, 4, 25): [0], date(2025, 5, 5): [1],
                         date(2025, 5, 9): [2], date(2025, 5, 16): [3]}),
], ids=["tet-2025", "30-4-2025"])
def test_each_level_fires_on_its_working_day_and_never_a_day_early(runtime, clock, due, expected):
    clock.set(hanoi(due - timedelta(days=20)))
    assigned_petition(runtime.tracker, due)

    fired = fired_by_day(runtime, clock, due - timedelta(days=14), due + timedelta(days=30))

    assert fired == expected


def test_a_level_fires_from_just_after_midnight_in_hanoi(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    assigned_petition(runtime.tracker, date(2025, 3, 14))  # Friday; level 1 on Monday 17/3

    before = scan(runtime, clock, date(2025, 3, 16), hour=23)
    after = scan(runtime, clock, date(2025, 3, 17), hour=0)

    assert [e.level for e in before.escalations] == [0]
    assert [e.level for e in after.escalations] == [1]


def test_one_run_after_ten_working_days_of_downtime_records_every_missed_level(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, date(2025, 3, 7))

    summary = scan(runtime, clock, date(2025, 3, 21))  # 10 working days after the due date

    assert [(e.code, e.level) for e in summary.escalations] == [
        (receipt.code, 0), (receipt.code, 1), (receipt.code, 2), (receipt.code, 3)]
    assert event_types(runtime.tracker, receipt.code).count("Escalated") == 4


def test_a_second_scan_on_the_same_day_records_nothing(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    assigned_petition(runtime.tracker, date(2025, 3, 7))
    scan(runtime, clock, date(2025, 3, 21))

    again = scan(runtime, clock, date(2025, 3, 21), hour=15)

    assert again.levels == 0
    assert sum(escalations_in_store(runtime.tracker).values()) == 4


def test_a_scan_over_a_stale_view_records_no_duplicate(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    assigned_petition(runtime.tracker, date(2025, 3, 7))
    scan(runtime, clock, date(2025, 3, 21))

    # The view has not seen the escalations: it still lists the item as due.
    again = runtime.tracker.escalate_overdue(runtime.tracker.now())

    assert again.candidates == 1
    assert again.levels == 0


def test_a_dry_run_lists_what_would_be_escalated_and_stores_nothing(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, date(2025, 3, 7))
    clock.set(hanoi(date(2025, 3, 11)))
    runtime.projector.catch_up()
    position = runtime.tracker.position()

    summary = runtime.tracker.escalate_overdue(runtime.tracker.now(), dry_run=True)

    assert [(e.code, e.level, e.notify, e.due_date) for e in summary.escalations] == [
        (receipt.code, 0, "agency", date(2025, 3, 7)),
        (receipt.code, 1, "agency_head", date(2025, 3, 7))]
    assert runtime.tracker.position() == position


@pytest.mark.parametrize("stop", ["withdraw", "close_item", "park"])
def test_withdrawn_closed_and_parked_items_are_never_escalated(runtime, clock, stop):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, date(2025, 3, 7))
    getattr(runtime.tracker, stop)(SECRETARIAT, receipt.code, reason="Cử tri rút kiến nghị")

    summary = scan(runtime, clock, date(2025, 3, 31))

    assert summary.levels == 0
    assert "Escalated" not in event_types(runtime.tracker, receipt.code)


def test_a_merged_petition_is_never_escalated(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    duplicate = assigned_petition(runtime.tracker, date(2025, 3, 7))
    survivor = assigned_petition(runtime.tracker, date(2025, 4, 30))
    runtime.tracker.merge_petitions(SECRETARIAT, duplicate.code, survivor.code, reason="Trùng")

    summary = scan(runtime, clock, date(2025, 3, 31))

    assert summary.levels == 0


def test_an_extended_deadline_is_not_escalated_against_the_old_date(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, date(2025, 3, 7))
    runtime.tracker.extend_deadline(SECRETARIAT, receipt.code, new_due_date=date(2025, 4, 18),
                                    reason="Cần khảo sát thêm")

    summary = scan(runtime, clock, date(2025, 3, 31))

    assert summary.levels == 0


def test_an_extended_deadline_starts_a_new_ladder_from_the_new_date(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, date(2025, 3, 7))
    scan(runtime, clock, date(2025, 3, 10))  # levels 0 and 1 on the old date
    runtime.tracker.extend_deadline(SECRETARIAT, receipt.code, new_due_date=date(2025, 4, 18),
                                    reason="Cần khảo sát thêm")

    summary = scan(runtime, clock, date(2025, 4, 21))

    assert [(e.level, e.due_date) for e in summary.escalations] == [
        (0, date(2025, 4, 18)), (1, date(2025, 4, 18))]


def test_escalation_is_recorded_by_the_system_and_names_who_is_notified(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, date(2025, 3, 7))

    scan(runtime, clock, date(2025, 3, 10))

    escalated = [e for e in runtime.tracker.history(SYSTEM, receipt.code)
                 if e["type"] == "Escalated"]
    assert [(e["actor"], e["facts"]["level"], e["facts"]["notify"]) for e in escalated] == [
        ("system", 0, "agency"), ("system", 1, "agency_head")]


def test_a_complaint_left_unclassified_is_escalated_from_its_processing_deadline(runtime,
                                                                                  clock):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = runtime.tracker.receive_complaint(
        SECRETARIAT, kind="complaint", channel="post", title="Khiếu nại thu hồi đất",
        content="Tôi khiếu nại quyết định thu hồi đất.", subject="UBND phường Đội Cấn",
        petitioner={"name": "Trần Thị B"}, anonymous=False, district="ba-dinh",
        field="land", received_on=date(2025, 3, 3))
    due = runtime.tracker.get_item(SYSTEM, receipt.code)["due_date"]

    summary = scan(runtime, clock, date(2025, 3, 18))

    # The office processes the đơn in 10 working days (it does not accept it itself).
    assert due == date(2025, 3, 17)
    assert [(e.code, e.level, e.agency) for e in summary.escalations] == [
        (receipt.code, 0, None), (receipt.code, 1, None)]
