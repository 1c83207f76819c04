"""The commitments views: questioning sessions, commitments and their measure over time.

Status, due date, escalation and closing of a commitment are the items view's (the shared
commands move them for every type); these tables hold what only commitments have — the
session it came from, the leader, the measure and its reported values, the assessment —
and the queries join the two. The register, the board and the digest section all count
with ``result_of``, so they cannot disagree.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger, Boolean, Column, Date, Float, Index, Integer, String, Table, Text, select,
)
from sqlalchemy.engine import Connection

from domain.commitment import category_counts
from domain.item_types import REGISTRY
from projections.items import items_view
from projections.store import metadata, upsert

TOPIC_PREFIX = "domain.commitment:"

questioning_view = Table(
    "questioning_view", metadata,
    Column("code", String(32), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("council_session", String(32), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("topic", Text, nullable=False),
    Column("leader_name", String(200), nullable=False),
    Column("leader_position", String(200), nullable=False),
    Column("agency", String(96), nullable=False),
    Column("deputies", Text, nullable=False),          # JSON list of names
    Column("conclusion_no", String(200)),
    Column("conclusion_date", Date),
    Column("conclusion_text", Text),
    Column("position", BigInteger, nullable=False),
    Index("ix_questioning_session", "council_session", "held_on"),
)

commitments_view = Table(
    "commitments_view", metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("questioning_code", String(32), nullable=False),
    Column("source_kind", String(16), nullable=False),
    Column("council_session", String(32), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("conclusion_no", String(200)),
    Column("agency", String(96), nullable=False),
    Column("leader_name", String(200), nullable=False),
    Column("leader_position", String(200)),
    Column("original_due", Date, nullable=False),
    Column("unit", String(16)),
    Column("target", Float),
    Column("value", Float),
    Column("value_on", Date),
    Column("categories", Text, nullable=False),        # JSON [{category, count, percent}]
    Column("subitems", Text, nullable=False),          # JSON [{ref, name, category}]
    Column("pending_moves", Text, nullable=False),     # JSON {ref: category} under review
    Column("assessed_on", Date),
    Column("met_on_time", Boolean),
    Column("follows", String(32)),
    Column("followed_by", String(32)),
    Column("reports", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_commitments_session", "council_session"),
    Index("ix_commitments_agency", "agency"),
)

# One row per progress report: the measure's value at a date (the chart's points).
commitment_points = Table(
    "commitment_points", metadata,
    Column("commitment_id", String(36), primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("council_session", String(32), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("value", Float),
    Column("state", String(12), nullable=False),       # pending, accepted, returned
    Column("text", Text, nullable=False),
)

Row = dict[str, Any]


@dataclass
class _Batch:
    """Rows read or written while one batch of events is applied."""

    conn: Connection
    rows: dict[str, Row]
    points: list[Row]
    sessions: dict[str, Row]

    def row(self, key: str) -> Row | None:
        if key not in self.rows:
            found = self.conn.execute(
                select(commitments_view).where(commitments_view.c.id == key)).first()
            if found is None:
                return None
            self.rows[key] = dict(found._mapping)
        return self.rows[key]

    def last_point(self, key: str) -> Row | None:
        mine = [p for p in self.points if p["commitment_id"] == key]
        if mine:
            return mine[-1]
        c = commitment_points.c
        found = self.conn.execute(select(commitment_points).where(c.commitment_id == key)
                                  .order_by(c.n.desc()).limit(1)).first()
        if found is None:
            return None
        point = dict(found._mapping)
        self.points.append(point)
        return point


Handler = Callable[[_Batch, Any, int], None]
HANDLERS: dict[str, Handler] = {}


def handles(name: str) -> Callable[[Handler], Handler]:
    """Register the handler of the events named ``name``."""
    def register(func: Handler) -> Handler:
        HANDLERS[name] = func
        return func
    return register


@handles("QuestioningSessionHeld")
def _held(batch: _Batch, e: Any, position: int) -> None:
    conclusion = e.conclusion or {}
    batch.sessions[e.code] = {
        "code": e.code, "kind": e.kind, "council_session": e.council_session,
        "held_on": e.held_on, "topic": e.topic, "leader_name": e.leader_name,
        "leader_position": e.leader_position, "agency": e.agency,
        "deputies": json.dumps(list(e.deputies), ensure_ascii=False),
        "conclusion_no": conclusion.get("number"), "conclusion_date": conclusion.get("date"),
        "conclusion_text": conclusion.get("text"), "position": position}


@handles("ConclusionRecorded")
def _concluded(batch: _Batch, e: Any, position: int) -> None:
    row = batch.sessions.get(e.code)
    if row is None:
        found = batch.conn.execute(select(questioning_view).where(
            questioning_view.c.code == e.code)).first()
        if found is None:
            return
        row = batch.sessions[e.code] = dict(found._mapping)
    row.update(conclusion_no=e.conclusion["number"], conclusion_date=e.conclusion["date"],
               conclusion_text=e.conclusion["text"], position=position)


@handles("CommitmentRecorded")
def _recorded(batch: _Batch, e: Any, position: int) -> None:
    measure = e.measure or {}
    source = e.source
    batch.rows[str(e.originator_id)] = {
        "id": str(e.originator_id), "code": e.code, "title": e.title,
        "questioning_code": source["code"], "source_kind": source["kind"],
        "council_session": source["council_session"], "held_on": source["held_on"],
        "conclusion_no": source.get("conclusion_no") or None, "agency": e.agency,
        "leader_name": e.leader_name, "leader_position": e.leader_position,
        "original_due": e.due_date, "unit": measure.get("unit"), "target": measure.get("target"),
        "value": None, "value_on": None,
        "categories": json.dumps(category_counts(e.subitems, e.categories), ensure_ascii=False),
        "subitems": json.dumps(e.subitems, ensure_ascii=False), "pending_moves": "{}",
        "assessed_on": None, "met_on_time": None, "follows": e.follows or None,
        "followed_by": None, "reports": 0, "position": position}


@handles("ProgressReported")
def _reported(batch: _Batch, e: Any, position: int) -> None:
    key = str(e.originator_id)
    row = batch.row(key)
    if row is None:
        return
    row["reports"] += 1
    row["pending_moves"] = json.dumps(e.moves, ensure_ascii=False)
    batch.points.append({"commitment_id": key, "n": row["reports"],
                         "council_session": e.council_session, "as_of": e.as_of,
                         "value": e.value, "state": "pending", "text": e.text})
    _refresh_value(batch, row)


def _reviewed(batch: _Batch, e: Any, state: str) -> Row | None:
    """Mark the last report ``state``; return the commitment's row (None if unknown)."""
    key = str(e.originator_id)
    row, point = batch.row(key), batch.last_point(key)
    if row is None or point is None:
        return None
    point["state"] = state
    return row


@handles("ReportAccepted")
def _accepted(batch: _Batch, e: Any, position: int) -> None:
    row = _reviewed(batch, e, "accepted")
    if row is None:
        return
    moves = json.loads(row["pending_moves"])
    subitems = [dict(s, category=moves.get(s["ref"], s["category"]))
                for s in json.loads(row["subitems"])]
    names = [c["category"] for c in json.loads(row["categories"])]
    row["subitems"] = json.dumps(subitems, ensure_ascii=False)
    row["categories"] = json.dumps(category_counts(subitems, names), ensure_ascii=False)
    row["pending_moves"] = "{}"
    _refresh_value(batch, row)


@handles("ReportReturned")
def _returned(batch: _Batch, e: Any, position: int) -> None:
    row = _reviewed(batch, e, "returned")
    if row is None:
        return
    row["pending_moves"] = "{}"
    _refresh_value(batch, row)


def _refresh_value(batch: _Batch, row: Row) -> None:
    """Set the row's value to the last reported value not sent back (as the aggregate does)."""
    key = row["id"]
    c = commitment_points.c
    stored = {r.n: dict(r._mapping) for r in batch.conn.execute(
        select(commitment_points).where(c.commitment_id == key))}
    stored.update({p["n"]: p for p in batch.points if p["commitment_id"] == key})
    kept = [stored[n] for n in sorted(stored)
            if stored[n]["state"] != "returned" and stored[n]["value"] is not None]
    row["value"] = kept[-1]["value"] if kept else None
    row["value_on"] = kept[-1]["as_of"] if kept else None


@handles("CommitmentAssessed")
def _assessed(batch: _Batch, e: Any, position: int) -> None:
    row = batch.row(str(e.originator_id))
    if row is not None:
        row["assessed_on"] = e.assessed_on
        row["met_on_time"] = bool(e.on_time)


@handles("CommitmentRequestioned")
def _requestioned(batch: _Batch, e: Any, position: int) -> None:
    row = batch.row(str(e.originator_id))
    if row is not None:
        row["followed_by"] = e.new_code


class CommitmentsProjection:
    """Applies commitment and questioning-session events to the commitments views."""

    name = "commitments"

    def wants(self, topic: str) -> bool:
        """Tell whether ``topic`` is an event this view reads (its own aggregates' only)."""
        return topic.startswith(TOPIC_PREFIX)

    def apply(self, conn: Connection, events: list[tuple[int, Any]], ctx: Any) -> None:
        """Apply ``(position, event)`` pairs in order inside the caller's transaction."""
        batch = _Batch(conn, {}, [], {})
        touched: set[str] = set()
        for position, event in events:
            handler = HANDLERS.get(type(event).__name__)
            if handler is None:
                continue
            handler(batch, event, position)
            key = str(event.originator_id)
            if key in batch.rows:
                batch.rows[key]["position"] = position
                touched.add(key)
        upsert(conn, questioning_view, list(batch.sessions.values()), ["code"])
        upsert(conn, commitments_view, [batch.rows[k] for k in sorted(touched)], ["id"])
        upsert(conn, commitment_points, batch.points, ["commitment_id", "n"])

    def clear(self, conn: Connection) -> None:
        """Delete every row this projection wrote (before a rebuild)."""
        for table in (commitment_points, commitments_view, questioning_view):
            conn.execute(table.delete())


# -- the one classification every screen counts with -------------------------------------------
MET_ON_TIME, MET_LATE, PARTLY_MET, NOT_MET = "met_on_time", "met_late", "partly_met", "not_met"
OVERDUE, OPEN, DROPPED = "overdue", "open", "dropped"
RESULTS = (MET_ON_TIME, MET_LATE, PARTLY_MET, NOT_MET, OVERDUE, OPEN, DROPPED)


def result_of(row: Row, today: date) -> str:
    """Return where a commitment stands for the board: met on time, late, not met, open …

    Re-questioned counts as not met (the promise was not kept by its date); dropped,
    withdrawn and closed ones are left out of the rate.
    """
    status = row["status"]
    if status == "met":
        return MET_ON_TIME if row.get("met_on_time") else MET_LATE
    if status == "partly_met":
        return PARTLY_MET
    if status in ("not_met", "requestioned"):
        return NOT_MET
    if row["is_open"]:
        # A report under review or a parked commitment owes nothing meanwhile, as any item.
        paused = status in REGISTRY.get("commitment").paused
        return OVERDUE if (not paused and row["due_date"] and row["due_date"] < today) else OPEN
    return DROPPED


def kept_rate(counts: Counter[str] | dict[str, int]) -> float | None:
    """Share (%) of the assessed commitments met by their target date; None when none assessed."""
    assessed = sum(counts.get(k, 0) for k in (MET_ON_TIME, MET_LATE, PARTLY_MET, NOT_MET))
    return round(100 * counts.get(MET_ON_TIME, 0) / assessed, 1) if assessed else None


# -- queries ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CommitmentFilter:
    """Filters of the register; empty values mean "any"."""

    council_session: str = ""
    questioning: str = ""
    agency: str = ""
    leader: str = ""
    status: str = ""
    due_from: date | None = None
    due_to: date | None = None


_JOINED = [*commitments_view.c, items_view.c.status, items_view.c.is_open,
           items_view.c.due_date, items_view.c.escalation_level, items_view.c.closed_on]


def list_commitments(conn: Connection, f: CommitmentFilter, *, today: date,
                     limit: int = 1000) -> list[Row]:
    """Return the commitments matching ``f`` by due date, each with its board result."""
    c, i = commitments_view.c, items_view.c
    conds = []
    for column, value in ((c.council_session, f.council_session),
                          (c.questioning_code, f.questioning), (c.agency, f.agency),
                          (c.leader_name, f.leader), (i.status, f.status)):
        if value:
            conds.append(column == value)
    if f.due_from:
        conds.append(i.due_date >= f.due_from)
    if f.due_to:
        conds.append(i.due_date <= f.due_to)
    query = (select(*_JOINED).select_from(commitments_view.join(items_view, i.id == c.id))
             .where(*conds).order_by(i.due_date, c.code).limit(limit))
    return [_with_result(dict(r._mapping), today) for r in conn.execute(query)]


def _with_result(row: Row, today: date) -> Row:
    row["result"] = result_of(row, today)
    row["categories"] = json.loads(row["categories"])
    row.pop("subitems", None)
    row.pop("pending_moves", None)
    return row


def get_commitment(conn: Connection, code: str, *, today: date) -> Row | None:
    """Return one commitment's row (with its sub-items), or None."""
    c, i = commitments_view.c, items_view.c
    found = conn.execute(select(*_JOINED).select_from(
        commitments_view.join(items_view, i.id == c.id)).where(c.code == code)).first()
    if found is None:
        return None
    row = dict(found._mapping)
    subitems = json.loads(row["subitems"])
    row = _with_result(row, today)
    row["subitems"] = subitems
    return row


def measure_points(conn: Connection, commitment_id: str) -> list[Row]:
    """Return a commitment's reported values, oldest first (the chart's points)."""
    c = commitment_points.c
    return [dict(r._mapping) for r in conn.execute(
        select(commitment_points).where(c.commitment_id == str(commitment_id)).order_by(c.n))]


def board(conn: Connection, by: str, *, today: date, council_session: str = "") -> list[Row]:
    """Count "commitments kept" per agency (``by="agency"``) or leader, with the kept rate."""
    rows = list_commitments(conn, CommitmentFilter(council_session=council_session),
                            today=today, limit=100_000)
    grouped: dict[tuple[str, ...], Counter[str]] = {}
    for row in rows:
        key = (row["agency"],) if by == "agency" else (row["leader_name"], row["agency"])
        grouped.setdefault(key, Counter())[row["result"]] += 1
    lines = []
    for key, counts in grouped.items():
        lines.append({"key": key, "total": sum(counts.values()),
                      **{name: counts.get(name, 0) for name in RESULTS},
                      "rate": kept_rate(counts)})
    lines.sort(key=lambda r: (-r["total"], r["key"]))
    return lines


def questioning_sessions(conn: Connection, council_session: str = "") -> list[Row]:
    """Return the questioning and explanation sessions, newest first."""
    q = questioning_view.c
    query = select(questioning_view).order_by(q.held_on.desc(), q.code)
    if council_session:
        query = query.where(q.council_session == council_session)
    rows = []
    for r in conn.execute(query):
        row = dict(r._mapping)
        row["deputies"] = json.loads(row["deputies"])
        rows.append(row)
    return rows


def leaders(conn: Connection) -> list[str]:
    """Return the names of the leaders who made commitments (for the register's filter)."""
    c = commitments_view.c
    return [n for (n,) in conn.execute(select(c.leader_name).distinct().order_by(c.leader_name))]
