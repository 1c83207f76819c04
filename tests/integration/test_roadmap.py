"""An accepted roadmap answer is tracked by its own date; a "not resolved" answer ends the ladder.

Petitions due Friday 14 March 2025, answered on Monday 10 March and accepted on Wednesday 12
March — on time. Scanned every day afterwards through the application and the scan.
"""
from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import SECRETARIAT, XAY_DUNG_STAFF
from tests.integration.escalation_helpers import (
    assigned_petition, hanoi, levels_fired_each_day, runtime_for,
)

DUE = date(2025, 3, 14)


@pytest.fixture
def runtime(settings, clock):
    rt = runtime_for(settings, clock)
    yield rt
    rt.close()


def answered_on_time(runtime, clock, outcome: str, new_due_date: date | None = None) -> str:
    tracker = runtime.tracker
    clock.set(hanoi(date(2025, 3, 3)))
    code = assigned_petition(tracker, DUE).code
    clock.set(hanoi(date(2025, 3, 10)))
    tracker.record_answer(XAY_DUNG_STAFF, code, outcome=outcome, text="Sở trả lời cử tri.",
                          new_due_date=new_due_date)
    clock.set(hanoi(date(2025, 3, 12)))
    tracker.accept_answer(SECRETARIAT, code)
    return code


def test_a_roadmap_date_gets_its_own_reminders_and_nothing_fires_on_the_old_date(
        runtime, clock):
    answered_on_time(runtime, clock, "being_resolved", new_due_date=date(2025, 4, 15))

    fired = levels_fired_each_day(runtime, clock, date(2025, 3, 12), date(2025, 4, 16))

    # Three working days before Tuesday 15 April (Monday 7 April was Hùng Kings' Day).
    assert fired == {date(2025, 4, 10): [0], date(2025, 4, 16): [1]}


def test_a_petition_answered_not_resolved_on_time_is_never_escalated_on_the_old_date(
        runtime, clock):
    code = answered_on_time(runtime, clock, "not_resolved")

    fired = levels_fired_each_day(runtime, clock, date(2025, 3, 12), date(2025, 4, 4))

    assert fired == {}
    assert runtime.tracker.get_item(SECRETARIAT, code)["status"] == "not_resolved"
