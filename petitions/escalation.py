"""Escalation scans (đôn đốc): which items are due, one scan at a time, what a scan did.

The rules (ladder, working days, which levels an item has reached) live in ``domain/``;
this module holds the plumbing around ``Tracker.escalate_overdue``: the candidate query
over the items view, the database lock that makes the scan a singleton across processes,
and the summary a scan returns.
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.engine import Connection

from petitions.settings import Settings

log = logging.getLogger(__name__)

SCAN_LOCK = "escalation-scan"
SENDER_LOCK = "notification-sender"


# -- what a scan did ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Escalation:
    """One ladder level recorded (or, in a dry run, that would be recorded) on one item."""

    item_id: UUID
    code: str
    level: int
    notify: str
    due_date: date
    agency: str | None
    district: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the escalation as plain data (for JSON and the CLI)."""
        return {
            "item_id": str(self.item_id), "code": self.code, "level": self.level,
            "notify": self.notify, "due_date": self.due_date.isoformat(), "agency": self.agency,
            "district": self.district,
        }


@dataclass
class EscalationSummary:
    """What one ``escalate_overdue`` run did: the levels recorded, item by item."""

    today: date
    dry_run: bool = False
    escalations: list[Escalation] = field(default_factory=list)
    candidates: int = 0
    conflicts: int = 0

    @property
    def items(self) -> int:
        """How many items got at least one new level."""
        return len({e.item_id for e in self.escalations})

    @property
    def levels(self) -> int:
        """How many levels were recorded in all."""
        return len(self.escalations)

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as plain data."""
        return {
            "today": self.today.isoformat(), "dry_run": self.dry_run, "items": self.items,
            "levels": self.levels, "candidates": self.candidates, "conflicts": self.conflicts,
            "escalations": [e.to_dict() for e in self.escalations],
        }


# -- the candidate query -----------------------------------------------------------------------
def due_item_ids(conn: Connection, today: date, limit: int,
                 cursor: str = "") -> tuple[list[UUID], str]:
    """Return a page of ids of items whose next ladder step falls on or before ``today``.

    Pages follow the items view's index on (next escalation date, id), so a page costs the
    same however many items are due; the returned cursor is empty after the last page.
    No aggregate is loaded to find candidates.
    """
    from projections.items import due_page

    return due_page(conn, today, limit, cursor)


# -- one scan at a time ------------------------------------------------------------------------
class RunLock:
    """A lock held across processes and hosts so that only one run of a job happens at once.

    PostgreSQL: a session-level ``pg_try_advisory_lock`` on a dedicated connection (closing
    the connection releases it, so a crashed holder cannot block the others). SQLite: an
    exclusive ``flock`` on a file in the instance folder (one host by construction).
    """

    def __init__(self, settings: Settings, name: str) -> None:
        self.settings = settings
        self.name = name
        self._conn: Any = None
        self._fd: int | None = None

    def key(self) -> int:
        """Return the advisory-lock key: a stable signed 64-bit hash of schema and name."""
        text = f"petitions:{self.settings.database_schema}:{self.name}".encode()
        return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big", signed=True)

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; return False (without waiting) otherwise."""
        if self.settings.is_postgres:
            import psycopg

            conn = psycopg.connect(_libpq_url(self.settings.database_url), autocommit=True)
            held = conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key(),)).fetchone()[0]
            if not held:
                conn.close()
                return False
            self._conn = conn
            return True
        path = self.settings.instance / f"{self.name}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        """Release the lock if held."""
        if self._conn is not None:
            try:
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key(),))
            finally:
                self._conn.close()
                self._conn = None
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


@contextmanager
def run_lock(settings: Settings, name: str) -> Iterator[bool]:
    """Hold the named lock for the block; yield whether it was obtained."""
    lock = RunLock(settings, name)
    held = lock.acquire()
    try:
        yield held
    finally:
        if held:
            lock.release()


def _libpq_url(url: str) -> str:
    for scheme in ("postgresql+psycopg://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql://" + url[len(scheme):]
    return url


def run_scan(tracker: Any, *, dry_run: bool = False) -> EscalationSummary | None:
    """Run one escalation scan under the database lock; None when another scan holds it.

    A dry run changes nothing, so it neither takes nor waits for the lock.
    """
    if dry_run:
        return tracker.escalate_overdue(tracker.now(), dry_run=True)
    with run_lock(tracker.settings, SCAN_LOCK) as held:
        if not held:
            log.info("escalation scan skipped: another scheduler is scanning")
            return None
        summary = tracker.escalate_overdue(tracker.now())
    log.info("escalation scan: %d levels on %d items", summary.levels, summary.items)
    return summary
