"""The projector: reads new events from the store in order and applies them to the views.

Each batch commits the view's rows and its tracking position in one transaction. The
position is advanced with a compare-and-set, so two projectors running at once never apply
a batch twice: the second one's update matches no row, and it rolls back and re-reads.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from eventsourcing.application import Application
from sqlalchemy import text
from sqlalchemy.engine import Connection

from domain.calendar import WorkingCalendar
from domain.deadline import DeadlinePolicy
from projections.items import Context, ItemsProjection
from projections.store import Views, projection_tracking, read_position

log = logging.getLogger(__name__)
# Events read per transaction. Bigger batches mean fewer commits and fewer counter upserts
# (many events of a batch touch the same board cells); a rebuild uses the larger size.
BATCH = 2000
REBUILD_BATCH = 10000


class Projection(Protocol):
    """What the projector needs from a view."""

    name: str
    # Optional attributes: ``reads_notifications = True`` passes the stored notifications
    # (bytes as recorded) instead of domain events; ``rebuilt = False`` keeps the rows and
    # the position on a rebuild (the hash chain).

    def wants(self, topic: str) -> bool: ...
    def apply(self, conn: Connection, events: list[tuple[int, Any]], ctx: Context) -> None: ...
    def clear(self, conn: Connection) -> None: ...


@dataclass(frozen=True)
class ViewStatus:
    """Where a view stands relative to the event log."""

    name: str
    position: int
    head: int

    @property
    def lag(self) -> int:
        """Events recorded but not yet applied."""
        return max(0, self.head - self.position)


class Projector:
    """Keeps every registered view up to date with the application's event log."""

    def __init__(self, app: Application, views: Views, *, policy: DeadlinePolicy,
                 calendar: WorkingCalendar, zone: ZoneInfo,
                 projections: Sequence[Projection] | None = None,
                 search_key: bytes | None = None) -> None:
        self.app = app
        self.views = views
        self.ctx = Context(policy=policy, calendar=_memoised(calendar), zone=zone,
                           search_key=search_key)
        self.projections: list[Projection] = list(projections or default_projections())
        self._lock = threading.Lock()
        # The last batch read from the log, its decoded events (shared by the views).
        self._read: tuple[tuple[int, int], list[Any], dict[int, Any]] | None = None

    def add(self, projection: Projection) -> None:
        """Register another view (for example the notification outbox)."""
        self.projections.append(projection)

    def catch_up(self, until: int | None = None, progress: Callable[[int], None] | None = None,
                 batch: int = BATCH) -> int:
        """Apply every new event (or up to position ``until``); return how many were read.

        The views advance batch by batch together: views at the same position (the items
        view and the hash chain, usually) share one read of the log and one decoding of
        each event, where each used to read the whole log for itself.
        """
        total = 0
        with self._lock:
            for projection in self.projections:
                self._ensure_tracking(projection.name)
            following = list(self.projections)
            try:
                while following:
                    for projection in list(following):
                        done = self._step(projection, until, batch)
                        if done is None:
                            following.remove(projection)
                            continue
                        total += done
                        if progress:
                            progress(done)
            finally:
                self._read = None
        return total

    def _step(self, projection: Projection, until: int | None, batch: int) -> int | None:
        """Apply one batch to ``projection``; return the events read (None: up to date)."""
        while True:
            with self.views.connect() as conn:
                start = read_position(conn, projection.name)
            if until is not None and start >= until:
                return None
            notifications, decoded = self._notifications(start, batch)
            if not notifications:
                return None
            last = notifications[-1].id
            if getattr(projection, "reads_notifications", False):
                events = [(n.id, n) for n in notifications if projection.wants(n.topic)]
            else:
                events = []
                for n in notifications:
                    if projection.wants(n.topic):
                        event = decoded.get(n.id)
                        if event is None:
                            event = decoded[n.id] = self.app.mapper.to_domain_event(n)
                        events.append((n.id, event))
            with self.views.begin() as conn:
                moved = conn.execute(
                    projection_tracking.update()
                    .where(projection_tracking.c.name == projection.name,
                           projection_tracking.c.position == start)
                    .values(position=last)
                ).rowcount
                if moved != 1:
                    # Another projector applied this batch first; read again from its position.
                    conn.rollback()
                    continue
                projection.apply(conn, events, self.ctx)
            return len(notifications)

    def _notifications(self, start: int, batch: int) -> tuple[list[Any], dict[int, Any]]:
        """Return the batch after ``start`` and its decoded events so far (the last read kept)."""
        if self._read is not None and self._read[0] == (start, batch):
            return self._read[1], self._read[2]
        notifications = list(self.app.recorder.select_notifications(
            start=start, limit=batch, inclusive_of_start=False))
        decoded: dict[int, Any] = {}
        self._read = ((start, batch), notifications, decoded)
        return notifications, decoded

    def _ensure_tracking(self, name: str) -> None:
        with self.views.begin() as conn:
            conn.execute(
                text("INSERT INTO projection_tracking (name, position) VALUES (:n, 0) "
                     "ON CONFLICT (name) DO NOTHING"), {"n": name})

    def prepare_position(self, n: int) -> Any:
        """Return the state "just after the event at position ``n``" (``positions.AtPosition``),
        its rows replayed and kept first (``PositionOutOfReach`` if it cannot be)."""
        import copy

        from projections import positions
        # A copy of the context: the projector's own thread sets its position as it goes.
        return positions.prepare(self.app, self.views, copy.copy(self.ctx), n)

    def rebuild(self, name: str | None = None,
                progress: Callable[[int], None] | None = None) -> int:
        """Drop the rows of one view (or all) and apply the whole log again.

        The hash chain (``rebuilt = False``) is left alone: recomputing it from the store
        would bless an event changed since it was chained.
        """
        with self._lock:
            for projection in self.rebuilt_projections():
                if name and projection.name != name:
                    continue
                self._ensure_tracking(projection.name)
                with self.views.begin() as conn:
                    projection.clear(conn)
                    conn.execute(projection_tracking.update()
                                 .where(projection_tracking.c.name == projection.name)
                                 .values(position=0))
        return self.catch_up(progress=progress, batch=REBUILD_BATCH)

    def rebuilt_projections(self) -> list[Projection]:
        """Return the views a rebuild recomputes (every one but the hash chain)."""
        return [p for p in self.projections if getattr(p, "rebuilt", True)]

    def status(self) -> list[ViewStatus]:
        """Return the position and lag of every view."""
        head = self.app.recorder.max_notification_id() or 0
        result = []
        with self.views.connect() as conn:
            for projection in self.projections:
                result.append(ViewStatus(projection.name, read_position(conn, projection.name), head))
        return result

    def run_forever(self, stop: threading.Event, interval: float = 1.0) -> None:
        """Poll the log and apply new events until ``stop`` is set; errors are logged, then retried.

        A failure that repeats (the database away) is logged once, with its traceback, and
        its end once, with the count: not a traceback every ``interval``.
        """
        failures = 0
        while not stop.is_set():
            try:
                self.catch_up()
            except Exception:  # keep following the log after a transient database error
                failures += 1
                if failures == 1:
                    log.exception("projection catch-up failed; retrying quietly until it works")
            else:
                if failures:
                    log.warning("projection catch-up works again after %d failed attempts",
                                failures)
                failures = 0
            stop.wait(interval)


def default_projections() -> list[Projection]:
    """Return the views every projector keeps: the items view, the commitments views and
    the document register (a rebuild, and the integrity check's, recompute all three)."""
    from projections.commitments import CommitmentsProjection
    from projections.documents import DocumentsProjection

    return [ItemsProjection(), CommitmentsProjection(), DocumentsProjection()]


def _memoised(calendar: WorkingCalendar) -> WorkingCalendar:
    """Return ``calendar`` with its holiday look-ups cached.

    Every event recomputes the item's next escalation date, which walks working days;
    the holiday library's look-up dominated the projector's time.
    """
    # The official days (make-up Saturdays included) must survive the caching.
    return calendar.memoised() if isinstance(calendar, WorkingCalendar) else calendar
