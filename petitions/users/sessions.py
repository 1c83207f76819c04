"""Server-side session records: the cookie carries a token, this table says whether it still works.

Finding 3 of issue 14: a signed cookie alone cannot be revoked. Each sign-in now starts a
record here; signing out, deactivation and a password change end every record of the user
at once, and a record expires 10 hours after sign-in (absolute, whatever the activity) or
after ``PETITIONS_SESSION_IDLE_MINUTES`` without a request. Only a hash of the token is
stored, so a copy of the database opens no session.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column, Connection, DateTime, Engine, Index, MetaData, String, Table, delete, insert, select,
    update,
)

metadata = MetaData()

ABSOLUTE_LIMIT = timedelta(hours=10)
# Writing the last request's time on every request would cost a write per page; a minute's
# precision is plenty for an idle limit counted in minutes.
TOUCH_EVERY = timedelta(minutes=1)
# Ended sessions stay a day for the admin's page, then go.
KEEP_ENDED = timedelta(days=1)

sessions_table = Table(
    "user_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("address", String(64), nullable=False, default=""),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Column("end_reason", String(32), nullable=True),
    Index("ix_user_sessions_username", "username"),
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    """Start, resolve and end users' sessions."""

    def __init__(self, engine: Engine, idle: timedelta) -> None:
        self.engine = engine
        self.idle = idle
        metadata.create_all(engine)

    def start(self, username: str, address: str, now: datetime) -> str:
        """Start a session; return the token for the cookie."""
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            # Sessions past their absolute limit can never work again; the account history
            # keeps the sign-ins themselves.
            conn.execute(delete(sessions_table).where(
                sessions_table.c.started_at < now - ABSOLUTE_LIMIT - KEEP_ENDED))
            conn.execute(insert(sessions_table).values(
                token_hash=_hash(token), username=username, started_at=now, last_seen_at=now,
                address=(address or "")[:64]))
        return token

    def resolve(self, token: Any, now: datetime) -> str | None:
        """Return the user name of a live session, or None (ended, expired or unknown)."""
        if not isinstance(token, str) or not token or len(token) > 100:
            return None
        t = sessions_table
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.token_hash == _hash(token))).mappings().first()
        if row is None or row["ended_at"] is not None:
            return None
        started, seen = _aware(row["started_at"], now), _aware(row["last_seen_at"], now)
        if now >= started + ABSOLUTE_LIMIT or now >= seen + self.idle:
            self.end(token, now, "expired")
            return None
        if now - seen >= TOUCH_EVERY:
            with self.engine.begin() as conn:
                conn.execute(update(t).where(t.c.token_hash == row["token_hash"])
                             .values(last_seen_at=now))
        return row["username"]

    def end(self, token: str, now: datetime, reason: str) -> None:
        """End one session."""
        t = sessions_table
        with self.engine.begin() as conn:
            conn.execute(update(t).where(t.c.token_hash == _hash(token), t.c.ended_at.is_(None))
                         .values(ended_at=now, end_reason=reason))

    def username_of(self, token: str) -> str | None:
        """Return whose session ``token`` is (live or not), or None."""
        with self.engine.connect() as conn:
            return conn.execute(select(sessions_table.c.username).where(
                sessions_table.c.token_hash == _hash(token))).scalar()

    @staticmethod
    def end_all(conn: Connection, username: str, now: datetime, reason: str) -> int:
        """End every live session of ``username`` inside the caller's transaction."""
        t = sessions_table
        result = conn.execute(update(t).where(t.c.username == username, t.c.ended_at.is_(None))
                              .values(ended_at=now, end_reason=reason))
        return result.rowcount or 0

    def live(self, username: str, now: datetime) -> list[dict[str, Any]]:
        """Return the user's live sessions, newest first (for the admin's page)."""
        t = sessions_table
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.username == username, t.c.ended_at.is_(None))
                                .order_by(t.c.started_at.desc())).mappings().all()
        return [dict(r) for r in rows
                if now < _aware(r["started_at"], now) + ABSOLUTE_LIMIT
                and now < _aware(r["last_seen_at"], now) + self.idle]


def _aware(value: datetime, like: datetime) -> datetime:
    """SQLite returns naive datetimes: they were stored in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=like.tzinfo)
