"""A suspended complaint through the application and the escalation scan, on real stores."""
from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import SECRETARIAT
from tests.integration import complaint_data
from tests.integration.escalation_helpers import (
    event_types, hanoi, levels_fired_each_day, runtime_for,
)


@pytest.fixture
def runtime(settings, clock):
    rt = runtime_for(settings, clock)
    yield rt
    rt.close()


def test_a_complaint_suspended_30_days_is_due_30_days_later_and_never_escalated_meanwhile(
        runtime, clock):
    tracker = runtime.tracker
    clock.set(hanoi(date(2026, 7, 13)))
    code = tracker.receive_complaint(
        SECRETARIAT, **complaint_data(received_on=date(2026, 7, 13))).code
    tracker.accept_complaint(SECRETARIAT, code, agency="so-xay-dung")  # due Wed 12/8/2026
    clock.set(hanoi(date(2026, 7, 20)))
    tracker.park(SECRETARIAT, code, reason="Chờ kết quả giám định.", grounds="awaiting_result",
                 decision_no="05/QĐ-UBND", decision_date=date(2026, 7, 20))

    during = levels_fired_each_day(runtime, clock, date(2026, 7, 21), date(2026, 8, 18))
    clock.set(hanoi(date(2026, 8, 19)))
    tracker.resume(SECRETARIAT, code, reason="Đã có kết quả giám định.")
    after = levels_fired_each_day(runtime, clock, date(2026, 8, 19), date(2026, 9, 10))

    assert during == {}
    assert after == {date(2026, 9, 8): [0]}  # three working days before the new due date
    assert tracker.get_item(SECRETARIAT, code)["due_date"] == date(2026, 9, 11)
    resumed = tracker.history(SECRETARIAT, code)[-2]
    assert resumed["type"] == "Resumed"
    assert (resumed["facts"]["previous_due_date"], resumed["facts"]["new_due_date"],
            resumed["facts"]["days_suspended"]) == (date(2026, 8, 12), date(2026, 9, 11), 30)


def test_the_items_view_follows_the_moved_due_date(runtime, clock):
    from projections.items import get_row

    tracker = runtime.tracker
    clock.set(hanoi(date(2026, 7, 13)))
    code = tracker.receive_complaint(
        SECRETARIAT, **complaint_data(received_on=date(2026, 7, 13))).code
    tracker.accept_complaint(SECRETARIAT, code, agency="so-xay-dung")
    clock.set(hanoi(date(2026, 7, 20)))
    tracker.park(SECRETARIAT, code, reason="Chờ.", grounds="force_majeure",
                 decision_no="05/QĐ-UBND", decision_date=date(2026, 7, 20))
    clock.set(hanoi(date(2026, 8, 19)))
    tracker.resume(SECRETARIAT, code)

    runtime.projector.catch_up()
    with runtime.views.engine.connect() as conn:
        projected = get_row(conn, code)

    assert (projected["status"], projected["due_date"]) == ("accepted", date(2026, 9, 11))
    assert "Escalated" not in event_types(tracker, code)
