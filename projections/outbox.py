"""The notification outbox: a table in the views database filled from ``Escalated`` events.

The outbox is not a view: it is never cleared on a rebuild, so an email already sent is
never queued again. ``OutboxProjection`` fills it inside the projector's transaction, so
each ``Escalated`` event is queued exactly once with the view's tracking position; a unique
key (item, level, due date) keeps a level to one row even if an event were applied twice.
The sender (``petitions.notifications.sender``) drains it through the functions below.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import (
    Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text, UniqueConstraint,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

# Own metadata: the outbox is not a view, so a rebuild of the views never drops it.
outbox_metadata = MetaData()

notification_outbox = Table(
    "notification_outbox", outbox_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(36), nullable=False),
    Column("level", Integer, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("notify", String(32), nullable=False),
    Column("agency", String(96)),
    Column("escalated_at", DateTime(timezone=True), nullable=False),
    Column("position", Integer, nullable=False),
    Column("status", String(10), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("recipients", Text),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("item_id", "level", "due_date", name="uq_outbox_item_level_due"),
    Index("ix_outbox_pending", "status", "next_attempt_at"),
)

PENDING = "pending"
SENT = "sent"
SKIPPED = "skipped"


def create_outbox(engine: Engine) -> None:
    """Create the outbox table if it is missing."""
    outbox_metadata.create_all(engine)


# -- filling the outbox --------------------------------------------------------------------
class OutboxProjection:
    """Queue one email per ``Escalated`` event, inside the projector's transaction."""

    name = "notification_outbox"

    def wants(self, topic: str) -> bool:
        """Tell whether events of ``topic`` are escalations of an item."""
        return topic.endswith(".Escalated")

    def apply(self, conn: Connection, events: list[tuple[int, Any]], ctx: Any) -> None:
        """Insert a pending row per escalation; one already queued is left alone."""
        # Times in UTC: SQLite keeps only the wall-clock time, and rows are compared in SQL.
        rows = [{
            "item_id": str(event.originator_id), "level": event.level,
            "due_date": event.due_date, "notify": event.notify, "agency": event.agency,
            "escalated_at": utc(event.at), "position": position, "status": PENDING,
            "attempts": 0, "next_attempt_at": utc(event.at),
        } for position, event in events]
        enqueue(conn, rows)

    def clear(self, conn: Connection) -> None:
        """Keep every row on a rebuild: sent emails must not be sent again."""


def enqueue(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert outbox rows, skipping any (item, level, due date) already queued."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(notification_outbox).on_conflict_do_nothing(
        index_elements=["item_id", "level", "due_date"])
    conn.execute(stmt, rows)


# -- draining it -------------------------------------------------------------------------------
def _with_code() -> Any:
    """Select outbox rows with their item's code (None until the items view has the item)."""
    from projections.items import items_view

    return (select(notification_outbox, items_view.c.code)
            .select_from(notification_outbox.outerjoin(
                items_view, items_view.c.id == notification_outbox.c.item_id)))


def skip_stale(engine: Engine, now: datetime, older_than: timedelta) -> int:
    """Mark as skipped the never-tried rows escalated before ``now - older_than``; count them.

    Only rows no sender ever tried: history loaded after the fact (demo data, an outbox
    added to a running deployment). A row that failed keeps being retried; a skipped one
    stays on the admin outbox page, and ``retry_now`` queues it again.
    """
    c = notification_outbox.c
    with engine.begin() as conn:
        return conn.execute(
            notification_outbox.update()
            .where(c.status == PENDING, c.attempts == 0, c.escalated_at < now - older_than)
            .values(status=SKIPPED, last_error="stale: escalated more than "
                                               f"{older_than.days} days earlier")
        ).rowcount


def due_rows(engine: Engine, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Return up to ``limit`` pending rows whose next attempt is due, oldest first."""
    c = notification_outbox.c
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            _with_code().where(c.status == PENDING, c.next_attempt_at <= now)
            .order_by(c.next_attempt_at, c.id).limit(limit))]


def mark_sent(engine: Engine, row: dict[str, Any], now: datetime,
              recipients: list[str]) -> None:
    """Record that the row's email went out to ``recipients``."""
    c = notification_outbox.c
    with engine.begin() as conn:
        conn.execute(notification_outbox.update().where(c.id == row["id"]).values(
            status=SENT, sent_at=now, attempts=row["attempts"] + 1,
            recipients=json.dumps(recipients), last_error=None))


def mark_skipped(engine: Engine, row: dict[str, Any], reason: str) -> None:
    """Record that the row's email will never be sent, and why."""
    c = notification_outbox.c
    with engine.begin() as conn:
        conn.execute(notification_outbox.update().where(c.id == row["id"])
                     .values(status=SKIPPED, last_error=reason))


def mark_failed(engine: Engine, row: dict[str, Any], error: str,
                next_attempt_at: datetime) -> None:
    """Record a failed attempt and when to try again."""
    c = notification_outbox.c
    with engine.begin() as conn:
        conn.execute(notification_outbox.update().where(c.id == row["id"]).values(
            attempts=row["attempts"] + 1, next_attempt_at=next_attempt_at,
            last_error=error[:2000]))


def retry_now(engine: Engine, now: datetime, *, ids: list[int] | None = None,
              item_ids: list[str] | None = None) -> int:
    """Make unsent rows due at ``now`` (skipped ones pending again); count them.

    Without ``ids`` or ``item_ids``: every row that failed at least once or was skipped.
    """
    c = notification_outbox.c
    query = notification_outbox.update().where(c.status != SENT)
    if ids is not None:
        query = query.where(c.id.in_(ids))
    elif item_ids is not None:
        query = query.where(c.item_id.in_(item_ids))
    else:
        query = query.where((c.attempts > 0) | (c.status == SKIPPED))
    with engine.begin() as conn:
        return conn.execute(query.values(status=PENDING, next_attempt_at=now)).rowcount


def unsent_rows(engine: Engine, limit: int = 500) -> list[dict[str, Any]]:
    """Return the rows not sent yet (failing, waiting or skipped) with their codes, oldest first."""
    c = notification_outbox.c
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            _with_code().where(c.status != SENT).order_by(c.escalated_at, c.id).limit(limit))]


def counts(engine: Engine) -> dict[str, int]:
    """Count the rows per state: sent, skipped, pending, and failing (pending, tried before)."""
    from sqlalchemy import case, func

    c = notification_outbox.c
    state = case((c.status == PENDING, case((c.attempts > 0, "failing"), else_=PENDING)),
                 else_=c.status)
    found = {SENT: 0, PENDING: 0, "failing": 0, SKIPPED: 0}
    with engine.connect() as conn:
        for name, n in conn.execute(select(state, func.count()).group_by(state)):
            found[name] = int(n)
    return found


def outbox_rows(engine: Engine) -> list[dict[str, Any]]:
    """Return every outbox row, oldest first (for tests and the admin screen)."""
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(notification_outbox).order_by(notification_outbox.c.id))]


def utc(moment: datetime) -> datetime:
    """Return ``moment`` as an aware UTC datetime (SQLite gives back naive UTC ones)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
