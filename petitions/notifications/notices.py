"""Notices to people: followers, the unit that logged an item, the responsible agency.

The events that matter (answered, accepted, returned, escalated, handed over, deadline
moved, assigned) are fanned out by ``NoticesProjection`` inside the projector's
transaction: one row per (event position, user), so each person gets each change once,
however often the log is applied (the unique key) and whoever is following at that moment.
A row is the in-app notice; its ``email_status`` says whether it still has to be emailed
(``pending``), waits for the daily summary (``digest``), or needs no email (``none``).
The rows are not a view: a rebuild never clears them, so nothing is announced twice.

Each user chooses per kind of change: ``email`` (in-app and email), ``in_app``,
``digest`` (in-app and one summary email a day) or ``none``.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column, DateTime, Index, Integer, MetaData, String, Table, Text, UniqueConstraint, and_,
    func, or_, select, update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from domain.errors import N_

notices_metadata = MetaData()

notices = Table(
    "notices", notices_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("item_id", String(36), nullable=False),
    Column("code", String(32), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("title", Text, nullable=False),
    Column("reason", String(16), nullable=False),       # follower | unit | agency
    Column("actor", String(64)),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True)),
    Column("email_status", String(10), nullable=False),  # none|pending|digest|sent|failed|…
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("position", "username", name="uq_notice_position_user"),
    Index("ix_notices_user", "username", "id"),
    Index("ix_notices_email", "email_status", "next_attempt_at"),
)

notification_settings = Table(
    "notification_settings", notices_metadata,
    Column("username", String(64), primary_key=True),
    Column("email", String(254), nullable=False, default=""),
    Column("prefs", Text, nullable=False, default="{}"),
)

# Kinds of change people are told about, and the events that are each (by event name).
KINDS: dict[str, str] = {
    "answered": N_("Answered"),
    "accepted": N_("Answer accepted"),
    "returned": N_("Returned"),
    "escalated": N_("Escalated"),
    "handed_over": N_("Handed over"),
    "deadline_moved": N_("Deadline moved"),
    "assigned": N_("Assigned"),
}
EVENT_KINDS: dict[str, str] = {
    "AnswerRecorded": "answered", "DecisionIssued": "answered",
    "ResultNoticeRecorded": "answered",
    "AnswerAccepted": "accepted", "ComplaintAccepted": "accepted",
    "AnswerReturned": "returned", "ReturnedNotCompetent": "returned",
    "ComplaintReturned": "returned",
    "Escalated": "escalated",
    "UnitHandedOver": "handed_over",
    "DeadlineExtended": "deadline_moved", "DeadlineRecomputed": "deadline_moved",
    "AgencyAssigned": "assigned",
}
# Who hears of what: a follower of every change; the unit that logged the item of how its
# voters' item moves; the responsible agency of what it must act on.
AUDIENCE: dict[str, frozenset[str]] = {
    "follower": frozenset(KINDS),
    "unit": frozenset({"answered", "accepted", "returned", "escalated", "handed_over"}),
    "agency": frozenset({"assigned", "returned", "escalated", "deadline_moved",
                         "handed_over"}),
}
CHANNELS: dict[str, str] = {
    "email": N_("Email and in the app"),
    "in_app": N_("In the app only"),
    "digest": N_("Daily summary email and in the app"),
    "none": N_("Not at all"),
}
DEFAULT_CHANNEL = "in_app"

NONE, PENDING, DIGEST, SENT, FAILED, SKIPPED, SUMMARISED = (
    "none", "pending", "digest", "sent", "failed", "skipped", "summarised")


def create_notices(engine: Engine) -> None:
    """Create the notice tables if missing."""
    notices_metadata.create_all(engine)


def event_name(topic_or_event: Any) -> str:
    """Return an event's class name (``AnswerRecorded``) from the event or its topic."""
    if isinstance(topic_or_event, str):
        return topic_or_event.rsplit(".", 1)[-1]
    return type(topic_or_event).__name__


class NoticesProjection:
    """Fan each event that matters out to the people it concerns, once per person."""

    name = "notices"
    rebuilt = False  # announcements already made are never made again

    def wants(self, topic: str) -> bool:
        """Tell whether events of ``topic`` are changes people are told about."""
        return event_name(topic) in EVENT_KINDS

    def apply(self, conn: Connection, events: list[tuple[int, Any]], ctx: Any) -> None:
        """Insert one notice per concerned user and event; rows already there stay."""
        from projections.items import items_view

        rows: list[dict[str, Any]] = []
        prefs_cache: dict[str, tuple[str, dict[str, str]]] = {}
        for position, event in events:
            kind = EVENT_KINDS[event_name(event)]
            item = conn.execute(select(items_view).where(
                items_view.c.id == str(event.originator_id))).mappings().first()
            if item is None:
                continue
            at = _utc(getattr(event, "at", None) or event.timestamp)
            actor = getattr(event, "actor", None)
            for username, reason in _audience(conn, item, event, kind).items():
                if username == actor:
                    continue  # nobody is told of what they did themselves
                email, prefs = _prefs(conn, username, prefs_cache)
                channel = prefs.get(kind, DEFAULT_CHANNEL)
                if channel == "none":
                    continue
                status = (PENDING if channel == "email" and email
                          else DIGEST if channel == "digest" and email else NONE)
                rows.append({
                    "username": username, "position": position,
                    "item_id": str(event.originator_id), "code": item["code"], "kind": kind,
                    "title": item["title"], "reason": reason, "actor": actor, "at": at,
                    "email_status": status, "attempts": 0, "next_attempt_at": at,
                })
        if rows:
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            conn.execute(dialect.insert(notices).on_conflict_do_nothing(
                index_elements=["position", "username"]), rows)

    def clear(self, conn: Connection) -> None:
        """Keep every notice on a rebuild."""


def _audience(conn: Connection, item: Any, event: Any, kind: str) -> dict[str, str]:
    """Return the users concerned by ``kind`` on ``item``, each with why (first reason wins)."""
    from petitions.users.store import follows_table, users_table

    found: dict[str, str] = {}
    for (username,) in conn.execute(select(follows_table.c.username).where(
            follows_table.c.item_id == item["id"])):
        found.setdefault(username, "follower")
    u = users_table.c
    if kind in AUDIENCE["unit"]:
        units = {item["district"], item.get("origin_district")} - {None, ""}
        # A hand-over tells the unit it left too: the event names it.
        units |= {getattr(event, "from_unit", None)} - {None}
        for (username,) in conn.execute(select(u.username).where(
                u.role == "district_staff", u.active.is_(True), u.district.in_(units))):
            found.setdefault(username, "unit")
    agency = getattr(event, "agency", None) or item["agency"]
    if kind in AUDIENCE["agency"] and agency:
        for (username,) in conn.execute(select(u.username).where(
                u.role == "agency_staff", u.active.is_(True), u.agency == agency)):
            found.setdefault(username, "agency")
    return found


def _prefs(conn: Connection, username: str,
           cache: dict[str, tuple[str, dict[str, str]]]) -> tuple[str, dict[str, str]]:
    if username not in cache:
        row = conn.execute(select(notification_settings).where(
            notification_settings.c.username == username)).mappings().first()
        cache[username] = ((row["email"] or "", _load_prefs(row["prefs"])) if row
                           else ("", {}))
    return cache[username]


def _load_prefs(text: str | None) -> dict[str, str]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return {k: v for k, v in data.items() if k in KINDS and v in CHANNELS}


def _utc(moment: datetime) -> datetime:
    from projections.outbox import utc

    return utc(moment)


# -- preferences --------------------------------------------------------------------------------
def get_settings(engine: Engine, username: str) -> dict[str, Any]:
    """Return a user's email address and channel per kind (defaults filled in)."""
    with engine.connect() as conn:
        email, prefs = _prefs(conn, username, {})
    return {"email": email, "prefs": {k: prefs.get(k, DEFAULT_CHANNEL) for k in KINDS}}


def save_settings(engine: Engine, username: str, email: str, prefs: dict[str, str]) -> None:
    """Store a user's address and channels (values already validated by the caller)."""
    clean = {k: v for k, v in prefs.items() if k in KINDS and v in CHANNELS}
    values = {"username": username, "email": email, "prefs": json.dumps(clean, sort_keys=True)}
    with engine.begin() as conn:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(notification_settings).values(**values)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=["username"], set_={"email": email, "prefs": values["prefs"]}))


# -- the inbox ----------------------------------------------------------------------------------
def inbox(engine: Engine, username: str, *, limit: int = 50,
          before: int | None = None) -> list[dict[str, Any]]:
    """Return the user's notices, newest first (``before``: ids below it, for paging)."""
    c = notices.c
    query = select(notices).where(c.username == username)
    if before is not None:
        query = query.where(c.id < before)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            query.order_by(c.id.desc()).limit(limit)).mappings()]


def unread_count(engine: Engine, username: str) -> int:
    """Count the user's unread notices."""
    c = notices.c
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(
            c.username == username, c.read_at.is_(None))).scalar() or 0)


def mark_read(engine: Engine, username: str, now: datetime,
              ids: list[int] | None = None) -> int:
    """Mark the user's notices ``ids`` (default: all) read; count them."""
    c = notices.c
    query = update(notices).where(c.username == username, c.read_at.is_(None))
    if ids is not None:
        query = query.where(c.id.in_(ids))
    with engine.begin() as conn:
        return conn.execute(query.values(read_at=now)).rowcount


# -- the email queue ----------------------------------------------------------------------------
def due_emails(engine: Engine, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Return pending email notices due at ``now``, oldest first, with the address."""
    c, s = notices.c, notification_settings.c
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(notices, s.email).select_from(notices.outerjoin(
                notification_settings, s.username == c.username))
            .where(c.email_status == PENDING, c.next_attempt_at <= now)
            .order_by(c.next_attempt_at, c.id).limit(limit)).mappings()]


def summary_rows(engine: Engine, before: datetime) -> list[dict[str, Any]]:
    """Return the notices waiting for a daily summary that happened before ``before``."""
    c, s = notices.c, notification_settings.c
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(notices, s.email).select_from(notices.outerjoin(
                notification_settings, s.username == c.username))
            .where(c.email_status == DIGEST, c.at < before)
            .order_by(c.username, c.id)).mappings()]


def set_email_status(engine: Engine, ids: list[int], status: str, **values: Any) -> None:
    """Move the notices ``ids`` to ``status`` (with e.g. ``sent_at``, ``last_error``)."""
    if not ids:
        return
    with engine.begin() as conn:
        conn.execute(update(notices).where(notices.c.id.in_(ids))
                     .values(email_status=status, **values))


def skip_stale_emails(engine: Engine, cutoff: datetime) -> int:
    """Never email notices of changes before ``cutoff`` (history loaded after the fact)."""
    c = notices.c
    with engine.begin() as conn:
        return conn.execute(update(notices).where(
            c.email_status.in_([PENDING, DIGEST]), c.attempts == 0, c.at < cutoff)
            .values(email_status=SKIPPED, last_error="stale: the change is older than "
                                                     "a week")).rowcount


def email_counts(engine: Engine) -> dict[str, int]:
    """Count notices per email state (for the admin outbox page)."""
    c = notices.c
    with engine.connect() as conn:
        return {status: int(n) for status, n in conn.execute(
            select(c.email_status, func.count()).group_by(c.email_status))}


def failed_emails(engine: Engine, limit: int = 200) -> list[dict[str, Any]]:
    """Return notices whose email failed or keeps failing, newest first."""
    c = notices.c
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(notices).where(or_(c.email_status == FAILED,
                                      and_(c.email_status == PENDING, c.attempts > 0)))
            .order_by(c.id.desc()).limit(limit)).mappings()]
