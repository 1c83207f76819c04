"""The official calendar in the store: seeded once, edited by admins, deadlines recomputed.

Hand count for the swap day: a denunciation received Mon 12/10/2026 is due 7 working days
later, Wed 21/10/2026; with Fri 16/10/2026 a day off it is due Thu 22/10/2026. One received
Tue 20/10/2026 is due Thu 29/10/2026 either way.
"""
from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInput, PermissionDenied
from projections.items import get_row
from tests.conftest import ADMIN, SECRETARIAT
from tests.integration import receive_complaint
from tests.integration.escalation_helpers import hanoi, runtime_for

SWAP = {"day": "2026-10-16", "kind": "day_off", "name": "Nghỉ hoán đổi",
        "document": "Công văn 999/VPCP-KGVX ngày 01/10/2026"}


@pytest.fixture
def runtime(settings, clock):
    clock.set(hanoi(date(2026, 10, 20)))
    rt = runtime_for(settings, clock)
    yield rt
    rt.close()


def denunciation(runtime, received_on: date) -> str:
    receipt = receive_complaint(runtime.tracker, kind="denunciation", received_on=received_on)
    runtime.wait_for(receipt)
    return receipt.code


def recomputations(runtime, code: str) -> list[dict]:
    return [e for e in runtime.tracker.history(SECRETARIAT, code)
            if e["type"] == "DeadlineRecomputed"]


def test_loading_the_shipped_calendar_again_changes_nothing(runtime) -> None:
    first = runtime.tracker.load_calendar()

    again = runtime.tracker.load_calendar()

    assert first > 0 and again == 0


def test_adding_a_swap_day_moves_exactly_the_open_items_it_affects(runtime) -> None:
    affected = denunciation(runtime, date(2026, 10, 12))
    later = denunciation(runtime, date(2026, 10, 20))
    closed = denunciation(runtime, date(2026, 10, 12))
    runtime.wait_for(runtime.tracker.file_complaint(SECRETARIAT, closed, reason="Trùng đơn."))

    moved = runtime.tracker.record_calendar_day(ADMIN, SWAP)

    assert [m["code"] for m in moved] == [affected]
    assert runtime.tracker.get_item(SECRETARIAT, affected)["due_date"] == date(2026, 10, 22)
    assert runtime.tracker.get_item(SECRETARIAT, later)["due_date"] == date(2026, 10, 29)
    assert recomputations(runtime, later) == [] and recomputations(runtime, closed) == []


def test_the_recomputation_is_on_record_with_the_old_date_the_new_date_and_why(runtime) -> None:
    code = denunciation(runtime, date(2026, 10, 12))

    runtime.tracker.record_calendar_day(ADMIN, SWAP)

    (event,) = recomputations(runtime, code)
    assert event["facts"]["previous_due_date"] == date(2026, 10, 21)
    assert event["facts"]["new_due_date"] == date(2026, 10, 22)
    assert "999/VPCP-KGVX" in event["facts"]["reason"]
    assert event["actor"] == ADMIN.username


def test_recording_the_day_again_or_rerunning_moves_nothing_twice(runtime) -> None:
    code = denunciation(runtime, date(2026, 10, 12))
    runtime.tracker.record_calendar_day(ADMIN, SWAP)
    runtime.wait_for(runtime.tracker.recorder.max_notification_id())

    again = runtime.tracker.record_calendar_day(ADMIN, SWAP)
    rerun = runtime.tracker.recompute_deadlines(ADMIN, reason="again", due_from=date(2026, 10, 1))

    assert again == [] and rerun == []
    assert len(recomputations(runtime, code)) == 1


def test_the_items_view_shows_the_new_due_date(runtime) -> None:
    code = denunciation(runtime, date(2026, 10, 12))

    runtime.tracker.record_calendar_day(ADMIN, SWAP)
    runtime.wait_for(runtime.tracker.recorder.max_notification_id())

    with runtime.views.engine.connect() as conn:
        assert get_row(conn, code)["due_date"] == date(2026, 10, 22)


def test_the_calendar_history_names_who_recorded_each_day(runtime) -> None:
    runtime.tracker.load_calendar()

    runtime.tracker.record_calendar_day(ADMIN, SWAP)

    latest = runtime.tracker.calendar_history()[0]
    assert (latest["day"], latest["actor"]) == (date(2026, 10, 16), ADMIN.username)


def test_only_an_administrator_edits_the_calendar(runtime) -> None:
    with pytest.raises(PermissionDenied):
        runtime.tracker.record_calendar_day(SECRETARIAT, SWAP)


def test_a_bad_calendar_day_is_refused_and_changes_nothing(runtime) -> None:
    with pytest.raises(InvalidInput):
        runtime.tracker.record_calendar_day(ADMIN, {**SWAP, "document": ""})

    assert runtime.tracker.calendar_history() == []


def test_a_new_policy_version_moves_the_open_items_received_from_its_first_day(runtime) -> None:
    before = denunciation(runtime, date(2026, 10, 16))
    on_first_day = denunciation(runtime, date(2026, 10, 19))

    moved = runtime.tracker.add_policy_version(ADMIN, {
        "code": "2026-10", "name": "Quy định thử", "effective_from": "2026-10-19",
        "basis": "Nghị định 1/2026/NĐ-CP",
        "limits": {"denunciation_initial": {"amount": "10", "unit": "working_days",
                                             "basis": "Nghị định 1/2026/NĐ-CP, Điều 5"}}})

    assert [m["code"] for m in moved] == [on_first_day]
    assert runtime.tracker.get_item(SECRETARIAT, on_first_day)["due_date"] == date(2026, 11, 2)
    assert runtime.tracker.get_item(SECRETARIAT, before)["due_date"] == date(2026, 10, 27)
    assert runtime.tracker.policy_history()[0]["actor"] == ADMIN.username
