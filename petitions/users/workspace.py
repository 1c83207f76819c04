"""A user's workspace: when they last looked at each queue, and their saved searches.

Kept beside the accounts in the views database (not a view: no event makes them). A saved
search is only a name and a query string of the search page's own filters; what it finds
is always narrowed to the user's scope when it runs.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    Column, DateTime, Engine, Integer, MetaData, String, Table, delete, func, insert, select,
    update,
)

from domain.errors import InvalidInput, N_
from domain.text import text_problem

metadata = MetaData()
SAVED_MAX = 20
NAME_MAX = 80
QUERY_MAX = 1000

queue_visits_table = Table(
    "queue_visits", metadata,
    Column("username", String(64), primary_key=True),
    Column("queue", String(32), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

saved_searches_table = Table(
    "saved_searches", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, index=True),
    Column("name", String(NAME_MAX), nullable=False),
    Column("query", String(QUERY_MAX), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite gives naive times back: they were stored in UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def visit_queue(engine: Engine, username: str, queue: str, at: datetime) -> datetime | None:
    """Record a visit of ``queue`` now; return the previous visit's time (None: the first)."""
    t = queue_visits_table
    with engine.begin() as conn:
        before = conn.execute(select(t.c.seen_at).where(
            t.c.username == username, t.c.queue == queue)).scalar()
        if before is None:
            conn.execute(insert(t).values(username=username, queue=queue, seen_at=at))
        else:
            conn.execute(update(t).where(t.c.username == username, t.c.queue == queue)
                         .values(seen_at=at))
    return _aware(before)


def last_visit(engine: Engine, username: str, queue: str) -> datetime | None:
    """The time of the user's last visit of ``queue`` (None: never)."""
    t = queue_visits_table
    with engine.connect() as conn:
        return _aware(conn.execute(select(t.c.seen_at).where(
            t.c.username == username, t.c.queue == queue)).scalar())


def saved_searches(engine: Engine, username: str) -> list[dict[str, Any]]:
    """The user's saved searches, in the order saved."""
    t = saved_searches_table
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.id, t.c.name, t.c.query).where(t.c.username == username)
                            .order_by(t.c.id)).mappings()
        return [dict(r) for r in rows]


def save_search(engine: Engine, username: str, name: Any, query: str) -> int:
    """Save the search ``query`` under ``name``; refuse a bad name or a full list."""
    errors: dict[str, list[str]] = {}
    if problem := text_problem(name, max_length=NAME_MAX, required=True):
        errors["name"] = [problem]
    if len(query) > QUERY_MAX:
        errors["name"] = [N_("This search has too many filters to save.")]
    t = saved_searches_table
    with engine.begin() as conn:
        held = conn.execute(select(func.count()).select_from(t)
                            .where(t.c.username == username)).scalar() or 0
        if held >= SAVED_MAX:
            errors["name"] = [N_("You have saved 20 searches, the most kept: delete one first.")]
        if errors:
            raise InvalidInput(errors)
        result = conn.execute(insert(t).values(username=username, name=str(name).strip(),
                                               query=query, saved_at=datetime.now(timezone.utc)))
        return int(result.inserted_primary_key[0])


def delete_search(engine: Engine, username: str, search_id: int) -> bool:
    """Delete one of the user's saved searches; False when it is not theirs or gone."""
    t = saved_searches_table
    with engine.begin() as conn:
        result = conn.execute(delete(t).where(t.c.id == search_id, t.c.username == username))
    return bool(result.rowcount)
