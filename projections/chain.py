"""The hash chain over the event log: each stored event's hash covers its bytes and the last hash.

A link is SHA-256 over the previous link and the event exactly as the store holds it —
position, topic, originator id, version and state *after* the cipher and compressor — so
the chain is checked without the cipher key. The projector keeps the chain: it is a table
in the views database written in the same transaction as its tracking position (the
projector's compare-and-set), so each event is chained exactly once and a crash loses
nothing. It is not a view: a rebuild never recomputes it (that would bless a changed event),
and it has its own metadata so dropping the views leaves it.

Why the projector and not the recorder at insert: the projector already reads the log in
order with exactly-once commits on SQLite and PostgreSQL alike, while computing the link at
insert would mean subclassing each of eventsourcing's recorders inside their locking. The
price is that the chain's head trails the log by the projector's lag (a second or so);
``verify`` says how many events are not chained yet.

``verify`` recomputes every link from the store and compares it with the recorded one; the
first event whose bytes, position or presence differ is the break. The chain head (a
position and its hash) printed in every digest pins the log it came from, so even someone
who rewrote both an event and every link after it is caught against a printed report.
"""
from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger, Column, Integer, LargeBinary, MetaData, String, Table, select,
)
from sqlalchemy.engine import Connection, Engine

chain_metadata = MetaData()

event_chain = Table(
    "event_chain", chain_metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("originator_id", String(36), nullable=False),
    Column("originator_version", Integer, nullable=False),
    Column("link", LargeBinary(32), nullable=False),
)

GENESIS = bytes(32)
SHORT = 16  # hex digits printed for a chain head: enough to compare by eye
VERIFY_BATCH = 5000


def create_chain(engine: Engine) -> None:
    """Create the chain table if it is missing."""
    chain_metadata.create_all(engine)


def link(previous: bytes, notification: Any) -> bytes:
    """Return the link of ``notification`` after ``previous``.

    Every field is length-prefixed, so no two different events encode to the same bytes.
    """
    digest = hashlib.sha256(previous)
    digest.update(struct.pack(">QQ", notification.id, notification.originator_version))
    for part in (notification.topic.encode(), str(notification.originator_id).encode(),
                 bytes(notification.state)):
        digest.update(struct.pack(">Q", len(part)))
        digest.update(part)
    return digest.digest()


@dataclass(frozen=True)
class ChainHead:
    """The last chained event's position and link."""

    position: int
    link: bytes

    @property
    def short(self) -> str:
        """Return the first hex digits of the link, as printed on digests."""
        return self.link.hex()[:SHORT]

    def __str__(self) -> str:
        return f"{self.position}:{self.short}"


def chain_head(conn: Connection, at_most: int | None = None) -> ChainHead:
    """Return the chain's head (or its last link at or before position ``at_most``)."""
    query = select(event_chain.c.position, event_chain.c.link)
    if at_most is not None:
        query = query.where(event_chain.c.position <= at_most)
    row = conn.execute(query.order_by(event_chain.c.position.desc()).limit(1)).first()
    return ChainHead(0, GENESIS) if row is None else ChainHead(int(row.position), bytes(row.link))


class ChainProjection:
    """Chain every event, in the projector's transaction; never rebuilt."""

    name = "chain"
    reads_notifications = True  # the projector passes stored notifications, not events
    rebuilt = False             # a rebuild leaves the chain and its position alone

    def wants(self, topic: str) -> bool:
        """Chain every event, whatever its topic."""
        return True

    def apply(self, conn: Connection, notifications: list[tuple[int, Any]], ctx: Any) -> None:
        """Append one link per notification, each covering the one before."""
        if not notifications:
            return
        previous = chain_head(conn).link
        rows = []
        for _, notification in notifications:
            previous = link(previous, notification)
            rows.append((notification.id, str(notification.originator_id),
                         notification.originator_version, previous))
        # One prepared insert for the batch through the driver (SQLAlchemy's parameter
        # sets per row cost more than the hashing).
        marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(
            "INSERT INTO event_chain (position, originator_id, originator_version, link) "
            f"VALUES ({', '.join([marker] * 4)})", rows)

    def clear(self, conn: Connection) -> None:
        """Keep every link: the chain is evidence, not a view."""


# -- verification ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Break:
    """The first event where the store and the chain disagree."""

    position: int
    reason: str                   # "changed", "missing" or "added"
    originator_id: str
    originator_version: int
    topic: str


@dataclass(frozen=True)
class Verification:
    """What ``verify_chain`` found."""

    checked: int                  # events compared with their links
    head: ChainHead               # the recorded head the check went up to
    unchained: int                # events recorded after the head, not chained yet
    broken: Break | None

    @property
    def ok(self) -> bool:
        """Tell whether every chained event matched."""
        return self.broken is None


def verify_chain(recorder: Any, engine: Engine, batch: int = VERIFY_BATCH) -> Verification:
    """Recompute the chain from the store and compare it with the recorded links."""
    with engine.connect() as conn:
        head = chain_head(conn)
    stored = _notifications(recorder, head.position, batch)
    recorded = _links(engine, head.position, batch)
    previous = GENESIS
    checked = 0
    n = next(stored, None)
    r = next(recorded, None)
    while n is not None or r is not None:
        if r is None or (n is not None and n.id < r.position):
            # An event the chain never saw, below its head: inserted afterwards.
            return Verification(checked, head, 0, Break(
                n.id, "added", str(n.originator_id), n.originator_version, n.topic))
        if n is None or n.id > r.position:
            # A chained event is gone from the store.
            return Verification(checked, head, 0, Break(
                r.position, "missing", r.originator_id, r.originator_version, ""))
        previous = link(previous, n)
        if previous != bytes(r.link):
            return Verification(checked, head, 0, Break(
                n.id, "changed", str(n.originator_id), n.originator_version, n.topic))
        checked += 1
        n = next(stored, None)
        r = next(recorded, None)
    unchained = max(0, (recorder.max_notification_id() or 0) - head.position)
    return Verification(checked, head, unchained, None)


def _notifications(recorder: Any, stop: int, batch: int) -> Iterator[Any]:
    start = 0
    while start < stop:
        page: Sequence[Any] = recorder.select_notifications(
            start=start, limit=batch, stop=stop, inclusive_of_start=False)
        if not page:
            return
        yield from page
        start = page[-1].id


def _links(engine: Engine, stop: int, batch: int) -> Iterator[Any]:
    start = 0
    while start < stop:
        with engine.connect() as conn:
            page = conn.execute(
                select(event_chain).where(event_chain.c.position > start,
                                          event_chain.c.position <= stop)
                .order_by(event_chain.c.position).limit(batch)).all()
        if not page:
            return
        yield from page
        start = int(page[-1].position)
