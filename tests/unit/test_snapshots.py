"""Snapshots restore exactly the state that replaying the events gives (in-memory store)."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.actor import SYSTEM
from domain.item import TrackedItem
from petitions.application import Tracker
from petitions.settings import Settings
from tests.conftest import FixedClock
from tests.unit.conftest import (
    AT, POLICY, SECRETARIAT, WEEKENDS_ONLY, accept, answer, assigned_petition, decided_complaint,
    new_complaint,
)


@pytest.fixture
def tracker(clock: FixedClock) -> Tracker:
    """The application on the in-memory event store."""
    return Tracker(Settings(instance_path="unused", secret_key="test"), clock=clock,
                   env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def state(item: TrackedItem) -> dict[str, Any]:
    return dict(vars(item))


def replayed_and_snapshotted(tracker: Tracker, item: TrackedItem) -> tuple[dict, dict]:
    tracker.save(item)
    replayed = state(tracker.repository.get(item.id))
    tracker.take_snapshot(item.id)
    assert tracker.snapshots is not None and list(tracker.snapshots.get(item.id))  # really used
    return replayed, state(tracker.repository.get(item.id))


def test_a_petition_with_a_pending_roadmap_answer_is_restored_exactly(tracker: Tracker) -> None:
    petition = assigned_petition()
    petition.extend_deadline(date(2025, 5, 2), "Chờ kinh phí", by=SECRETARIAT, at=AT)
    petition.escalate(0, "agency", today=date(2025, 4, 29), policy=POLICY,
                      calendar=WEEKENDS_ONLY, by=SYSTEM, at=AT)
    petition.park("Chờ", by=SECRETARIAT, at=AT)
    petition.resume("", by=SECRETARIAT, at=AT)
    answer(petition, "being_resolved", new_due_date=date(2025, 12, 31))

    replayed, restored = replayed_and_snapshotted(tracker, petition)

    assert restored == replayed


def test_a_decided_complaint_is_restored_exactly(tracker: Tracker) -> None:
    complaint = decided_complaint()

    replayed, restored = replayed_and_snapshotted(tracker, complaint)

    assert restored == replayed


def test_an_accepted_denunciation_is_restored_exactly(tracker: Tracker) -> None:
    complaint = new_complaint(kind="denunciation", several_places=True)
    accept(complaint, "especially_complex")

    replayed, restored = replayed_and_snapshotted(tracker, complaint)

    assert restored == replayed
