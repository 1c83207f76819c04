"""Old events are upcast when read, never rewritten: ``AgencyAssigned`` v1 → v2.

Version 1 of ``AgencyAssigned`` had no ``previous_agency``. These tests write such an event
into the in-memory (POPO) event store exactly as it was stored, then read the petition back
through the application.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from domain.petition import VoterPetition
from petitions.application import Tracker
from petitions.settings import Settings
from tests.conftest import SECRETARIAT, FixedClock
from tests.unit.conftest import assign, new_petition


@pytest.fixture
def tracker(clock: FixedClock) -> Tracker:
    """The application on the in-memory event store (no files, no server)."""
    return Tracker(Settings(instance_path="unused", secret_key="test"), clock=clock,
                   env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def stored_state(tracker: Tracker, stored: StoredEvent) -> dict[str, Any]:
    return tracker.mapper.transcoder.decode(stored.state)


def store_v1_assignment(tracker: Tracker) -> VoterPetition:
    """Save a logged petition, then append an ``AgencyAssigned`` in its version-1 shape."""
    petition = new_petition()
    tracker.save(petition)
    assign(petition, agency="so-xay-dung", due_date=date(2025, 4, 2))
    current = tracker.mapper.to_stored_event(petition.collect_events()[0])
    state = stored_state(tracker, current)
    # The version-1 shape: no previous_agency, none of version 3's fields, no class_version.
    for name in ("previous_agency", "cooperating", "leader_name", "leader_position",
                 "class_version"):
        del state[name]
    tracker.recorder.insert_events([StoredEvent(
        originator_id=current.originator_id, originator_version=current.originator_version,
        topic=current.topic, state=tracker.mapper.transcoder.encode(state),
    )])
    return petition


def test_new_assignments_are_stored_as_version_3(tracker: Tracker) -> None:
    petition = new_petition()
    assign(petition)

    stored = tracker.mapper.to_stored_event(petition.collect_events()[-1])

    assert stored_state(tracker, stored)["class_version"] == 3


def test_a_stored_version_1_assignment_is_read_with_no_previous_agency(tracker: Tracker) -> None:
    petition = store_v1_assignment(tracker)

    events = list(tracker.events.get(petition.id))

    assert (type(events[-1]).__name__, events[-1].previous_agency) == ("AgencyAssigned", None)
    assert (events[-1].cooperating, events[-1].leader_name) == ([], "")


def test_a_petition_is_rebuilt_from_a_version_1_assignment(tracker: Tracker) -> None:
    petition = store_v1_assignment(tracker)

    rebuilt = tracker.repository.get(petition.id)

    assert (rebuilt.agency, rebuilt.due_date, rebuilt.status.value, rebuilt.version) == (
        "so-xay-dung", date(2025, 4, 2), "assigned", 2)


def test_the_history_shows_the_upcast_field(tracker: Tracker) -> None:
    petition = store_v1_assignment(tracker)

    history = tracker.history(SECRETARIAT, petition.code)

    assert history[-1]["facts"]["previous_agency"] is None


def test_the_application_reassigns_a_petition_assigned_in_version_1(tracker: Tracker) -> None:
    tracker.load_reference()
    petition = store_v1_assignment(tracker)

    tracker.assign(SECRETARIAT, petition.code, agency="so-y-te")

    facts = tracker.history(SECRETARIAT, petition.code)[-1]["facts"]
    assert (facts["agency"], facts["previous_agency"]) == ("so-y-te", "so-xay-dung")


def test_a_stored_version_1_forward_is_read_as_followed_up_without_a_due_date(
        tracker: Tracker) -> None:
    from tests.unit.conftest import AT, new_complaint
    from tests.conftest import SECRETARIAT as OFFICE

    complaint = new_complaint(kind="denunciation")
    tracker.save(complaint)
    complaint.forward(to_body="Thanh tra thành phố", reason="Thẩm quyền", by=OFFICE, at=AT)
    current = tracker.mapper.to_stored_event(complaint.collect_events()[0])
    state = stored_state(tracker, current)
    # The version-1 shape: only the body and the reason.
    for name in ("forward_due", "late", "due_date", "deadline", "class_version"):
        del state[name]
    tracker.recorder.insert_events([StoredEvent(
        originator_id=current.originator_id, originator_version=current.originator_version,
        topic=current.topic, state=tracker.mapper.transcoder.encode(state))])

    rebuilt = tracker.repository.get(complaint.id)

    assert (rebuilt.status.value, rebuilt.forwarded_late, rebuilt.due_date) == (
        "forwarded", False, None)


def test_a_stored_version_1_acceptance_keeps_its_clock_start(tracker: Tracker) -> None:
    from tests.unit.conftest import accept, new_complaint

    complaint = new_complaint()
    tracker.save(complaint)
    accept(complaint)
    current = tracker.mapper.to_stored_event(complaint.collect_events()[0])
    state = stored_state(tracker, current)
    # The version-1 shape: no acceptance decision.
    for name in ("acceptance_no", "accepted_on", "class_version"):
        del state[name]
    tracker.recorder.insert_events([StoredEvent(
        originator_id=current.originator_id, originator_version=current.originator_version,
        topic=current.topic, state=tracker.mapper.transcoder.encode(state))])

    rebuilt = tracker.repository.get(complaint.id)

    assert (rebuilt.acceptance_no, rebuilt.accepted_on) == ("", complaint.deadline["start"])


# -- Parked and Resumed v1 → v2 (issue 13: a pause that stops the clock) ----------------------
def store_v1_pause(tracker: Tracker) -> VoterPetition:
    """Save an assigned petition, then append ``Parked`` and ``Resumed`` in their v1 shapes."""
    petition = new_petition()
    assign(petition, agency="so-xay-dung", due_date=date(2025, 4, 2))
    tracker.save(petition)
    petition.park("Chờ quy hoạch.", by=SECRETARIAT, at=petition.modified_on)
    petition.resume("", by=SECRETARIAT, at=petition.modified_on)
    for stored in map(tracker.mapper.to_stored_event, petition.collect_events()):
        state = stored_state(tracker, stored)
        for name in ("grounds", "decision_no", "decision_date", "stops_clock", "starts_on",
                     "basis", "suspended_from", "days_suspended", "unit",
                     "previous_due_date", "new_due_date", "resumed_on", "class_version"):
            state.pop(name, None)
        tracker.recorder.insert_events([StoredEvent(
            originator_id=stored.originator_id, originator_version=stored.originator_version,
            topic=stored.topic, state=tracker.mapper.transcoder.encode(state))])
    return petition


def test_a_version_1_pause_is_read_as_one_that_stopped_no_clock(tracker: Tracker) -> None:
    petition = store_v1_pause(tracker)

    rebuilt = tracker.repository.get(petition.id)
    parked, resumed = list(tracker.events.get(petition.id))[-2:]

    assert (rebuilt.status.value, rebuilt.due_date) == ("assigned", date(2025, 4, 2))
    assert (parked.stops_clock, resumed.days_suspended, resumed.new_due_date) == (False, 0, None)
