"""Demo data: petitions and complaints with realistic histories, lived through in time.

Every item follows a story (``stories.py``) that ends in one of the fates of ``fates.py``.
Two drivers live the stories: ``load_demo`` through the Tracker's commands on a simulated
clock (``petitions demo``), and ``load_bulk`` on the aggregates, saved in large batches
(``petitions demo --fast`` and the benchmarks).

A marker aggregate (``DemoRun``) records that the demo was loaded, so a second run adds
nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from petitions.application import Tracker
from petitions.demo.bulk import BulkResult, load_bulk, print_progress
from petitions.demo.commands import START, DemoResult, SimulatedClock, run_demo
from petitions.demo.commitments import load_commitments
from petitions.demo.documents import load_documents

__all__ = ["START", "BulkResult", "DemoResult", "DemoRun", "SimulatedClock", "demo_marker",
           "load_bulk", "load_demo", "print_progress"]


class DemoRun(Aggregate):
    """Marks that demo data was loaded into this store (one per store)."""

    # Defined here, not in a driver, so its stored topic stays ``petitions.demo:DemoRun``.

    @staticmethod
    def create_id() -> UUID:
        """Return the fixed id of the store's demo marker."""
        return uuid5(NAMESPACE_URL, "petitions:demo-run")

    @event("DemoStarted")
    def __init__(self, seed: int, items: int, at: datetime) -> None:
        self.seed = seed
        self.items = items
        self.started_at = at
        self.finished_at: datetime | None = None
        self.counts: dict[str, int] = {}

    @event("DemoFinished")
    def finish(self, counts: dict[str, int], at: datetime) -> None:
        """Record that every story ran, with the resulting counts by status."""
        self.finished_at = at
        self.counts = counts


def demo_marker(tracker: Tracker) -> DemoRun | None:
    """Return the store's demo marker, or None when no demo was loaded."""
    try:
        return tracker.repository.get(DemoRun.create_id())
    except AggregateNotFoundError:
        return None


def load_demo(
    tracker: Tracker, clock: SimulatedClock, *, items: int = 3000, seed: int = 2024,
    end: datetime | None = None, progress: Callable[[int, str], None] | None = None,
) -> DemoResult:
    """Load ``items`` demo petitions and complaints, unless a demo was loaded already.

    ``clock`` must be the tracker's clock; it is moved from October 2024 to ``end``
    (default: the real now). ``progress(days, label)`` is called as simulated days pass.
    """
    end = end or datetime.now(timezone.utc)
    marker = demo_marker(tracker)
    if marker is not None:
        return DemoResult(already_loaded=True, marker={
            "seed": marker.seed, "items": marker.items, "started_at": marker.started_at,
            "finished_at": marker.finished_at, "counts": dict(marker.counts)})
    clock.set(START)
    try:
        # The marker keeps real times: when the demo was loaded, not the demo's dates.
        tracker.save(DemoRun(seed=seed, items=items, at=datetime.now(timezone.utc)))
    except IntegrityError:  # another run started at the same moment
        return load_demo(tracker, clock, items=items, seed=seed, end=end, progress=progress)
    result = run_demo(tracker, clock, items=items, seed=seed, end=end, progress=progress)
    # The commitments of the year-end 2025 questioning sessions live their own dates.
    result.by_kind["commitment"] = len(load_commitments(tracker, clock, end))
    clock.set(max(end, clock()))
    # The register: agencies' reply letters, urging letters and transfer slips, dated today.
    result.documents = load_documents(tracker, result.codes)
    finished = demo_marker(tracker)
    assert finished is not None  # saved above
    finished.finish(counts=dict(result.by_status), at=datetime.now(timezone.utc))
    tracker.save(finished)
    return result
