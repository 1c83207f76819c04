"""The state of things at the end of a past day, kept by the projector as it goes.

Two read models, both written in the same transaction as the items view:

- ``item_versions_view``: one row per item per day on which it changed, with the columns
  the figures, lists and stock reports group by, valid from that day to the next change.
  "As of D" is the rows with ``from_day <= D < to_day`` (``to_day`` NULL: still current).
  Lists, digests and stock reports at a date are the same GROUP BY queries as today's,
  over these rows instead of the items view.
- ``board_count_changes`` / ``board_due_changes``: every change of a board counter, summed
  by the day it happened in year, month and day buckets (as ``board_due_counts`` does for
  due dates). A board as of D adds up the earlier years, the earlier months of D's year
  and the days of D's month up to D: at most about 45 rows a counter, however many items
  or years the store holds, so a board at a date costs a bounded multiple of today's board
  and nothing grows with the item count. The dated figures (overdue, past roadmap) are
  kept by due bucket and change bucket, and read "due before D" × "changed by D".

Everything is derived from the event log: a rebuild recomputes it, and a day's versions
and counters say exactly what the events recorded by the end of that day (Hanoi time) say.
"""
from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Any, Callable, Iterable

from sqlalchemy import (
    BigInteger, Column, Date, Index, String, Table, bindparam, func, select, union_all, update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Subquery

from projections import figures
from projections.counters import diff, row_counts
from projections.items import items_view
from projections.store import add_counts, metadata, upsert

# The columns a version keeps: what figures, filters and stock reports read (no title or
# search text, which do not change and are read from the items view; no personal data).
VERSION_COLUMNS = (
    "code", "kind", "status", "is_open", "district", "origin_district", "deputy_group",
    "session", "field", "competence", "agency", "cooperating", "holder", "held_since", "held",
    "outcome", "received_on", "assigned_on", "due_date", "answered_on", "answered_on_time",
    "days_to_answer", "closed_on", "escalation_level", "forwarded_late", "extensions",
    "categories", "returns", "seq",
)

def _version_columns() -> list[Column]:
    # The same names, types and nullability as the items view (one definition of each).
    return [Column(c.name, c.type, nullable=c.nullable) for c in items_view.columns
            if c.name in VERSION_COLUMNS]


item_versions = Table(
    "item_versions_view", metadata,
    Column("id", String(36), primary_key=True),
    Column("from_day", Date, primary_key=True),
    Column("to_day", Date),          # the next version's day (NULL: the current version)
    *_version_columns(),
    # "Valid on D" is read as two ranges (``versions_at``): still current, or ended after D.
    Index("ix_item_versions_session_to", "session", "to_day", "from_day"),
    Index("ix_item_versions_to_day", "to_day", "from_day"),
    Index("ix_item_versions_open", "is_open", "to_day", "from_day"),
)

# Primary keys start with the session-like key and the change bucket, so a board for one
# session as of a day reads three contiguous ranges (earlier years, months, days).
count_changes = Table(
    "board_count_changes", metadata,
    Column("board", String(16), primary_key=True),
    Column("k2", String(96), primary_key=True),
    Column("bucket", String(12), primary_key=True),
    Column("k1", String(96), primary_key=True),
    Column("metric", String(64), primary_key=True),
    Column("n", BigInteger, nullable=False),
    Index("ix_board_count_changes_key", "board", "k1", "k2", "bucket"),
    sqlite_with_rowid=False,  # one B-tree (the key) instead of a rowid table beside it
)
COUNT_KEYS = ["board", "k1", "k2", "metric", "bucket"]

due_changes = Table(
    "board_due_changes", metadata,
    Column("board", String(16), primary_key=True),
    Column("k2", String(96), primary_key=True),
    Column("bucket", String(12), primary_key=True),
    Column("due", String(12), primary_key=True),
    Column("figure", String(16), primary_key=True),
    Column("k1", String(96), primary_key=True),
    Column("n", BigInteger, nullable=False),
    Index("ix_board_due_changes_key", "board", "k1", "k2", "bucket", "due"),
    sqlite_with_rowid=False,  # one B-tree (the key) instead of a rowid table beside it
)
DUE_KEYS = ["board", "k1", "k2", "figure", "due", "bucket"]

Row = dict[str, Any]
DayChange = tuple[date, "Row | None", "Row | None"]   # (day, row before the day, row after)


# -- writing (the projector) ------------------------------------------------------------------
ByDay = dict[tuple[Any, date], int]   # ((counter key), day) → change of that day


def changes_by_day(changes: list[DayChange],
                   counts: Callable[[Row | None], dict[Any, int]] = row_counts) -> ByDay:
    """Return what each day of ``changes`` changed on the boards, by counter and day."""
    # Summed by (counter, day) first, then spread over the day's buckets when written: many
    # items change the same counters on the same day.
    by_day: ByDay = {}
    get = by_day.get
    for day, old, new in changes:
        for key, amount in diff(counts(old), counts(new)):
            k = (key, day)
            by_day[k] = get(k, 0) + amount
    return by_day


def net_of_days(by_day: ByDay) -> dict[Any, int]:
    """Return the change of the live counters over all those days.

    An item's days form a chain from its row before the batch to its row after it, so their
    changes add up to the batch's change (the live counters need no comparison of their own).
    """
    net: dict[Any, int] = {}
    get = net.get
    for (key, _), amount in by_day.items():
        net[key] = get(key, 0) + amount
    return net


def record_days(conn: Connection, changes: list[DayChange], by_day: ByDay) -> None:
    """Write the versions and the dated counter changes of ``changes`` (in log order).

    A day's change (``changes_by_day``) is added in the buckets of that day.
    """
    plain: dict[tuple[Any, ...], int] = {}
    dated: dict[tuple[Any, ...], int] = {}
    buckets_of = functools.lru_cache(maxsize=None)(figures.due_buckets)
    for (key, day), amount in by_day.items():
        if not amount:
            continue
        target = plain if len(key) == 4 else dated
        for bucket in buckets_of(day):
            k = (*key, bucket)
            target[k] = target.get(k, 0) + amount
    add_counts(conn, count_changes, plain, COUNT_KEYS)
    add_counts(conn, due_changes, dated, DUE_KEYS)
    _write_versions(conn, [(day, new) for day, _, new in changes if new is not None])


def _write_versions(conn: Connection, days: list[tuple[date, Row]]) -> None:
    # Per item: the batch's versions in day order, each valid until the next one; the
    # version current before the batch ends on the batch's first day for that item.
    by_item: dict[str, dict[date, Row]] = {}
    for day, row in days:
        by_item.setdefault(row["id"], {})[day] = row
    rows, firsts = [], []
    for item_id, versions in by_item.items():
        ordered = sorted(versions)
        firsts.append({"i": item_id, "d": ordered[0]})
        for i, day in enumerate(ordered):
            row = versions[day]
            version = {name: row.get(name) for name in VERSION_COLUMNS}
            version.update(id=item_id, from_day=day,
                           to_day=ordered[i + 1] if i + 1 < len(ordered) else None)
            rows.append(version)
    if not rows:
        return
    c = item_versions.c
    conn.execute(update(item_versions)
                 .where(c.id == bindparam("i"), c.to_day.is_(None), c.from_day < bindparam("d"))
                 .values(to_day=bindparam("d")), firsts)
    upsert(conn, item_versions, rows, ["id", "from_day"])


def clear(conn: Connection) -> None:
    """Delete every version and dated counter (before a rebuild)."""
    for table in (item_versions, count_changes, due_changes):
        conn.execute(table.delete())


# -- reading ----------------------------------------------------------------------------------
def versions_at(day: date, name: str = "items_as_of") -> Subquery:
    """Return the items as they stood at the end of ``day``, as a subquery shaped like the view
    (just after an event, for a ``positions.AtPosition``)."""
    from projections import positions
    if isinstance(day, positions.AtPosition):
        return positions.rows_at(day, name)
    c = item_versions.c
    # Two ranges, not one OR: "still current" and "ended after the day" each read an index
    # range on (…, to_day, from_day), where the OR made the planner read every version
    # that began by the day (at 1M items, 2.3 s → 0.9 s for one session's summary).
    return union_all(
        select(item_versions).where(c.to_day.is_(None), c.from_day <= day),
        select(item_versions).where(c.to_day > day, c.from_day <= day),
    ).subquery(name)


def read_board_at(conn: Connection, board: str, day: date, k1: str | None = None,
                  k2: str | None = None) -> dict[tuple[str, str], dict[str, int]]:
    """Return ``{(k1, k2): {metric: n}}`` for a board as it stood at the end of ``day``."""
    from projections import positions
    if isinstance(day, positions.AtPosition):
        return positions.counts_at(conn, board, day, k1=k1, k2=k2)
    c = count_changes.c
    parts = []
    for low, high in figures.before(day + timedelta(days=1)):
        query = select(c.k1, c.k2, c.metric, c.n).where(
            c.board == board, c.bucket >= low, c.bucket < high)
        parts.append(_narrow(query, c, k1, k2))
    return _sum(conn.execute(union_all(*parts)))


def read_dated_at(conn: Connection, board: str, day: date, k1: str | None = None,
                  k2: str | None = None) -> dict[tuple[str, str], dict[str, int]]:
    """Return ``{(k1, k2): {figure: n}}``: items owing an answer (or a roadmap) at the end of
    ``day`` whose due date is before ``day`` (overdue as judged on that day)."""
    from projections import positions
    if isinstance(day, positions.AtPosition):
        return positions.dated_at(conn, board, day, k1=k1, k2=k2)
    c = due_changes.c
    parts = []
    for low, high in figures.before(day + timedelta(days=1)):
        for due_low, due_high in figures.before(day):
            query = select(c.k1, c.k2, c.figure, c.n).where(
                c.board == board, c.bucket >= low, c.bucket < high,
                c.due >= due_low, c.due < due_high)
            parts.append(_narrow(query, c, k1, k2))
    return _sum(conn.execute(union_all(*parts)))


def _narrow(query: Any, c: Any, k1: str | None, k2: str | None) -> Any:
    if k1 is not None:
        query = query.where(c.k1 == k1)
    if k2 is not None:
        query = query.where(c.k2 == k2)
    return query


def _sum(rows: Iterable[Any]) -> dict[tuple[str, str], dict[str, int]]:
    result: dict[tuple[str, str], dict[str, int]] = {}
    for k1, k2, name, n in rows:
        if n:
            counts = result.setdefault((k1, k2), {})
            counts[name] = counts.get(name, 0) + int(n)
    return drop_zeros(result)


def drop_zeros(result: dict[tuple[str, str], dict[str, int]]
               ) -> dict[tuple[str, str], dict[str, int]]:
    """Leave out the counters that came back to zero, and keys left with none, as today's
    boards do."""
    for key in list(result):
        result[key] = {name: n for name, n in result[key].items() if n}
        if not result[key]:
            del result[key]
    return result


def known(conn: Connection) -> bool:
    """Tell whether the dated read models hold anything (a store projected before they
    existed needs ``projections rebuild``)."""
    return conn.execute(select(item_versions.c.id).limit(1)).first() is not None


def first_day(conn: Connection) -> date | None:
    """Return the first day anything was recorded (None: nothing yet)."""
    value = conn.execute(select(func.min(item_versions.c.from_day))).scalar()
    return value

