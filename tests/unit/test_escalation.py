"""The escalation ladder (đôn đốc): levels fall due from the due date, once each, never while paused.

The default ladder counts working days from the due date: level 0 three before, level 1 one
after, level 2 five after, level 3 ten after. The assigned petition is due Wednesday
2 April 2025; with weekends only the rungs fall on Fri 28 Mar, Thu 3 Apr, Wed 9 Apr, Wed 16 Apr.
"""
from __future__ import annotations

from datetime import date

import pytest

from domain.actor import SYSTEM
from domain.deadline import (
    AGENCY, AGENCY_HEAD, CITY_OFFICE, DISTRICT_OFFICE, STANDING_COMMITTEE,
)
from domain.item import EscalationError, TrackedItem
from tests.unit.conftest import (
    AT, POLICY, SECRETARIAT, WEEKENDS_ONLY, answer, assign, assigned_petition, last_event,
    new_complaint, new_petition,
)


def due(item: TrackedItem, today: date) -> list[int]:
    return item.escalations_due(today, POLICY, WEEKENDS_ONLY)


def escalate(item: TrackedItem, level: int, today: date) -> None:
    item.escalate(level, POLICY.step(level).notify, today=today, policy=POLICY,
                  calendar=WEEKENDS_ONLY, by=SYSTEM, at=AT)


@pytest.mark.parametrize("today, levels", [
    (date(2025, 3, 27), []),
    (date(2025, 3, 28), [0]),
    (date(2025, 4, 2), [0]),
    (date(2025, 4, 3), [0, 1]),
    (date(2025, 4, 8), [0, 1]),
    (date(2025, 4, 9), [0, 1, 2]),
    (date(2025, 4, 16), [0, 1, 2, 3]),
])
def test_levels_fall_due_on_their_working_day(today: date, levels: list[int]) -> None:
    petition = assigned_petition()

    assert due(petition, today) == levels


def test_escalating_records_the_level() -> None:
    petition = assigned_petition()

    escalate(petition, 0, date(2025, 3, 28))

    assert petition.escalation_level == 0


def test_the_escalation_event_names_the_due_date_whom_to_notify_and_the_agency() -> None:
    petition = assigned_petition()

    escalate(petition, 1, date(2025, 4, 3))

    event = last_event(petition)
    assert (event.level, event.due_date, event.notify, event.agency) == (
        1, date(2025, 4, 2), "agency_head", "so-xay-dung")


def test_an_escalation_is_recorded_by_the_system() -> None:
    petition = assigned_petition()

    escalate(petition, 0, date(2025, 3, 28))

    assert (last_event(petition).actor, last_event(petition).role) == ("system", "system")


def test_a_level_that_is_not_due_yet_is_refused() -> None:
    petition = assigned_petition()

    with pytest.raises(EscalationError):
        escalate(petition, 1, date(2025, 4, 2))


@pytest.mark.parametrize("level", [True, 1.0, "1"])
def test_a_level_must_be_a_whole_number(level: object) -> None:
    petition = assigned_petition()

    with pytest.raises(EscalationError):
        petition.escalate(level, "agency_head", today=date(2025, 4, 3),  # type: ignore[arg-type]
                          policy=POLICY, calendar=WEEKENDS_ONLY, by=SYSTEM, at=AT)


def test_a_level_is_not_escalated_twice() -> None:
    petition = assigned_petition()
    escalate(petition, 0, date(2025, 3, 28))

    with pytest.raises(EscalationError):
        escalate(petition, 0, date(2025, 3, 31))


def test_recorded_levels_are_no_longer_due() -> None:
    petition = assigned_petition()
    escalate(petition, 0, date(2025, 4, 3))

    assert due(petition, date(2025, 4, 3)) == [1]


def test_after_downtime_every_missed_level_is_due_at_once() -> None:
    petition = assigned_petition()

    for level in due(petition, date(2025, 5, 1)):
        escalate(petition, level, date(2025, 5, 1))

    assert petition.escalation_level == 3


def test_nothing_is_due_after_the_top_level() -> None:
    petition = assigned_petition()
    for level in (0, 1, 2, 3):
        escalate(petition, level, date(2025, 5, 1))

    assert due(petition, date(2025, 12, 31)) == []


def test_a_lower_level_cannot_be_recorded_after_a_higher_one() -> None:
    petition = assigned_petition()
    escalate(petition, 2, date(2025, 4, 9))

    with pytest.raises(EscalationError):
        escalate(petition, 1, date(2025, 4, 9))


def test_no_escalation_without_a_due_date() -> None:
    petition = new_petition()  # logged, not yet assigned: no deadline

    assert due(petition, date(2025, 12, 31)) == []


def test_no_escalation_while_parked() -> None:
    petition = assigned_petition()
    petition.park("Chờ quy hoạch", by=SECRETARIAT, at=AT)

    assert due(petition, date(2025, 4, 16)) == []


def test_a_parked_item_cannot_be_escalated() -> None:
    petition = assigned_petition()
    petition.park("Chờ quy hoạch", by=SECRETARIAT, at=AT)

    with pytest.raises(EscalationError):
        escalate(petition, 0, date(2025, 4, 16))


def test_no_escalation_while_an_answer_waits_for_review() -> None:
    petition = assigned_petition()
    answer(petition)

    assert due(petition, date(2025, 4, 16)) == []


def test_no_escalation_once_closed() -> None:
    petition = assigned_petition()
    petition.close("Đóng", by=SECRETARIAT, at=AT)

    assert due(petition, date(2025, 4, 16)) == []


def test_escalation_resumes_with_the_item() -> None:
    petition = assigned_petition()
    petition.park("Chờ quy hoạch", by=SECRETARIAT, at=AT)
    petition.resume("", by=SECRETARIAT, at=AT)

    assert due(petition, date(2025, 4, 3)) == [0, 1]


def test_an_extension_restarts_the_ladder() -> None:
    petition = assigned_petition()
    escalate(petition, 0, date(2025, 3, 28))
    petition.extend_deadline(date(2025, 5, 2), "Chờ kinh phí", by=SECRETARIAT, at=AT)

    # New due Friday 2 May 2025: level 0 again three working days before, on Tuesday 29 April.
    assert (petition.escalation_level, due(petition, date(2025, 4, 29))) == (-1, [0])


def test_a_lawful_extension_is_not_overdue() -> None:
    petition = assigned_petition()
    petition.extend_deadline(date(2025, 5, 2), "Chờ kinh phí", by=SECRETARIAT, at=AT)

    assert not petition.is_overdue(date(2025, 4, 10))


def test_reassigning_with_a_new_due_date_restarts_the_ladder() -> None:
    petition = assigned_petition()
    escalate(petition, 0, date(2025, 3, 28))

    assign(petition, agency="so-giao-thong-van-tai", due_date=date(2025, 6, 2))

    assert petition.escalation_level == -1


def test_a_received_complaint_escalates_on_its_classification_deadline() -> None:
    # Received Friday 28 Feb; office processing (10 working days) due Friday 14 March;
    # level 1 one working day later, on Monday 17 March.
    complaint = new_complaint()

    assert due(complaint, date(2025, 3, 14)) == [0]
    assert due(complaint, date(2025, 3, 17)) == [0, 1]


# -- who is told, in which words: declared once, on the ladder ---------------------------------
def test_every_rung_names_its_level_and_who_is_told_in_both_languages() -> None:
    words = [(step.label.vi, step.label.en, step.notified.vi, step.notified.en)
             for step in POLICY.ladder]

    assert all(all(word.strip() for word in rung) for rung in words)


def test_each_rung_tells_its_own_mailboxes() -> None:
    told = {step.notify: POLICY.recipients(step.notify) for step in POLICY.ladder}

    assert told == {
        "agency": (AGENCY,), "agency_head": (AGENCY_HEAD, AGENCY),
        "office": (DISTRICT_OFFICE, CITY_OFFICE),
        "standing_committee": (STANDING_COMMITTEE, CITY_OFFICE),
    }


def test_a_chase_the_ladder_does_not_know_goes_to_the_city_office() -> None:
    assert POLICY.recipients("someone_removed_from_the_ladder") == (CITY_OFFICE,)
