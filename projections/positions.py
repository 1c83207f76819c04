"""The state just after a given event: "as of" an event position instead of the end of a day.

A printed digest says which event its figures were read at ("sự kiện số 21.443"); a deputy
asks what the council's figures were at that moment, not at the end of that day. Day
versions (``projections.as_of``) cannot say it: a day folds every event recorded that day.

The state at position ``n`` is today's, with the items changed after ``n`` put back as they
were: each such item is replayed from its own events up to its last version at ``n``
(absent if it was created after ``n``). Those rows are kept in ``position_rows`` (a cache:
an item's row at ``n`` never changes, since history is never rewritten), with
``position_marks`` saying up to which views position the set of changed items is complete;
a later request only adds the items changed since. Lists and digests read the live rows
of the other items and these rows in their place (``rows_at``); a board adds to today's
counters what each changed item counted then minus what it counts now (``counts_at``,
``dated_at``).

The cost is the events recorded after ``n``, not the store's size: recent positions (a
digest printed this session) are cheap; for older ones the day is the fast path, and a
position more than ``REACH`` events back is refused with a message saying so.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from datetime import date, datetime
from typing import Any, Callable, Iterable
from uuid import UUID

from sqlalchemy import BigInteger, Boolean, Column, Integer, Table, Text, exists, null, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Subquery

from domain.item_types import REGISTRY
from projections import figures
from projections.as_of import VERSION_COLUMNS, drop_zeros
from projections.counters import net_change
from projections.items import items_view
from projections.store import metadata, read_position, upsert

# How many events after the position a request may replay. Past it, "as of a day" answers
# in bounded time; replaying a whole year's changes inside a web request would not.
REACH = 200_000
ITEMS = "items"  # the projection whose position the live rows are at


class AtPosition(date):
    """The state just after the event at log position ``n``.

    As a day it is the day that event was recorded (Hanoi time): overdue is judged on it,
    and every reader that only knows days reads it as that day. Arithmetic and ``replace``
    give plain days; it equals only the same position.
    """

    n: int

    def __new__(cls, day: date, n: int) -> AtPosition:
        self = super().__new__(cls, day.year, day.month, day.day)
        self.n = n
        return self

    def plain(self) -> date:
        """Return the day alone."""
        return date(self.year, self.month, self.day)

    def __add__(self, other: Any) -> date:
        return self.plain() + other

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        return self.plain() - (other.plain() if isinstance(other, AtPosition) else other)

    def replace(self, *args: Any, **kwargs: Any) -> date:
        return self.plain().replace(*args, **kwargs)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, AtPosition):
            return self.n == other.n and self.plain() == other.plain()
        return False if isinstance(other, date) else NotImplemented

    def __ne__(self, other: Any) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((self.plain(), self.n))

    def __reduce__(self) -> Any:
        return (_at_position, (self.year, self.month, self.day, self.n))

    def __repr__(self) -> str:
        return f"AtPosition({self.plain().isoformat()}, n={self.n})"


def _at_position(year: int, month: int, day: int, n: int) -> AtPosition:
    return AtPosition(date(year, month, day), n)


class PositionOutOfReach(ValueError):
    """The position is not in the log yet, not projected yet, or too far back to replay."""

    def __init__(self, reason: str, position: int, head: int) -> None:
        super().__init__(f"{reason}: position {position}, views at {head}")
        self.reason = reason  # "unknown" | "too_old"
        self.position = position
        self.head = head


class PositionMoved(RuntimeError):
    """The projector applied new events while a read "as of" a position ran: the rows kept
    for it no longer complete today's; prepare again and read again (``read_at``)."""


def read_at(moment: AtPosition, prepare: Callable[[int], AtPosition], views: Any,
            read: Callable[[Connection], Any], attempts: int = 5) -> Any:
    """Run ``read(conn)`` with the rows of ``moment`` complete for the views it reads.

    The live rows and the rows kept for the position must be at the same views position: a
    batch projected between ``prepare`` and the read (or during it) is seen by checking the
    views position after the read, and the read is done again after preparing again.
    """
    for _ in range(attempts):
        with views.connect() as conn:
            result = read(conn)
            if current(conn, moment):
                return result
        prepare(moment.n)
    raise PositionMoved(f"the views kept moving while reading position {moment.n}")


position_marks = Table(
    "position_marks", metadata,
    Column("position", BigInteger, primary_key=True),
    Column("upto", BigInteger, nullable=False),  # the changed items after it are known to here
)

# The version columns of an item at a position, the row whole (for the boards' counters),
# and whether it existed then (False: created after the position).
position_rows = Table(
    "position_rows", metadata,
    Column("position", BigInteger, primary_key=True),
    Column("id", items_view.c.id.type, primary_key=True),
    Column("present", Boolean, nullable=False),
    Column("version", Integer),
    Column("row_json", Text),
    *[Column(c.name, c.type, nullable=True) for c in items_view.columns
      if c.name != "id" and c.name in VERSION_COLUMNS],
)


# -- preparing (replaying the items changed since) --------------------------------------------
def prepare(app: Any, views: Any, ctx: Any, n: int) -> AtPosition:
    """Make the rows of position ``n`` complete up to the views' current position; return it.

    ``app`` is the event-sourced application (its recorder and event store), ``ctx`` the
    projector's context (policy, calendar, zone). Raises ``PositionOutOfReach``.
    """
    from projections.items import apply_event

    with views.connect() as conn:
        head = read_position(conn, ITEMS)
        mark = conn.execute(select(position_marks.c.upto)
                            .where(position_marks.c.position == n)).scalar()
    if n < 1 or n > head:
        raise PositionOutOfReach("unknown", n, head)
    start = n if mark is None else int(mark)
    if mark is None and head - n > REACH:
        raise PositionOutOfReach("too_old", n, head)
    day = _day_of(app, ctx, n)
    if start >= head:
        return AtPosition(day, n)
    # The first version each item reached after ``n``, among those not kept yet.
    with views.connect() as conn:
        kept = {r for (r,) in conn.execute(select(position_rows.c.id)
                                           .where(position_rows.c.position == n))}
    first_after: dict[str, int] = {}
    cursor = start
    while cursor < head:
        page = list(app.recorder.select_notifications(
            start=cursor, limit=2_000, stop=head, inclusive_of_start=False))
        if not page:
            break
        for note in page:
            key = str(note.originator_id)
            if REGISTRY.records(note.topic) and key not in kept and key not in first_after:
                first_after[key] = note.originator_version
        cursor = page[-1].id
    rows = []
    with views.connect() as conn:
        live = {}
        ids = sorted(first_after)
        for i in range(0, len(ids), 500):
            for r in conn.execute(select(items_view.c.id, items_view.c.seq)
                                  .where(items_view.c.id.in_(ids[i:i + 500]))):
                live[r.id] = r.seq
    for key, version in first_after.items():
        row = None
        if version > 1:
            for event in app.events.get(UUID(key), lte=version - 1):
                ctx.position = 0
                row = apply_event(row, event, ctx)
        record: dict[str, Any] = {name: None for name in VERSION_COLUMNS}
        record.update(position=n, id=key, present=row is not None, version=None, row_json=None)
        if row is not None:
            row["seq"] = live.get(key, row.get("seq"))  # the position it was created at
            record.update({name: row.get(name) for name in VERSION_COLUMNS})
            record.update(version=version - 1, row_json=json.dumps(row, default=_plain))
        rows.append(record)
    with views.begin() as conn:
        for i in range(0, len(rows), 500):
            upsert(conn, position_rows, rows[i:i + 500], ["position", "id"])
        upsert(conn, position_marks, [{"position": n, "upto": head}], ["position"])
    return AtPosition(day, n)


def current(conn: Connection, moment: AtPosition) -> bool:
    """Tell whether the rows of ``moment`` are complete for the views as they are now
    (False: the projector moved on since ``prepare``; prepare again and read again)."""
    mark = conn.execute(select(position_marks.c.upto)
                        .where(position_marks.c.position == moment.n)).scalar()
    return mark is not None and int(mark) == read_position(conn, ITEMS)


def item_version(conn: Connection, moment: AtPosition, item_id: str) -> int | None | bool:
    """Return the item's version at ``moment``: a number, None if it did not exist yet, or
    True if it has not changed since (its current version)."""
    r = conn.execute(select(position_rows.c.present, position_rows.c.version).where(
        position_rows.c.position == moment.n, position_rows.c.id == item_id)).first()
    if r is None:
        return True
    return int(r.version) if r.present else None


def _day_of(app: Any, ctx: Any, n: int) -> date:
    note = list(app.recorder.select_notifications(start=n, limit=1))
    event = app.mapper.to_domain_event(note[0])
    moment: datetime = getattr(event, "at", None) or event.timestamp
    return ctx.local_date(moment)


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return {"__date__" if type(value) is date else "__datetime__": value.isoformat()}
    raise TypeError(type(value).__name__)


def _revive(value: Any) -> Any:
    if isinstance(value, dict):
        if "__date__" in value:
            return date.fromisoformat(value["__date__"])
        if "__datetime__" in value:
            return datetime.fromisoformat(value["__datetime__"])
    return value


def _row(text: str) -> dict[str, Any]:
    return json.loads(text, object_hook=_revive)


# -- reading ----------------------------------------------------------------------------------
def rows_at(moment: AtPosition, name: str = "items_at_position") -> Subquery:
    """Return the items as they stood at ``moment``, shaped like ``as_of.versions_at``."""
    p, v = position_rows.c, items_view.c
    changed = exists().where(p.position == moment.n, p.id == v.id)
    unchanged = select(v.id, null().label("from_day"), null().label("to_day"),
                       *[v[name] for name in VERSION_COLUMNS]).where(~changed)
    then = select(p.id, null().label("from_day"), null().label("to_day"),
                  *[p[name] for name in VERSION_COLUMNS]).where(
                      p.position == moment.n, p.present.is_(True))
    # The versions table's columns (``from_day``/``to_day`` empty), so every query written
    # over the versions of a day runs over these rows as is.
    return union_all(unchanged, then).subquery(name)


def _changed(conn: Connection, moment: AtPosition) -> Iterable[tuple[dict[str, Any] | None,
                                                                     dict[str, Any] | None]]:
    """Yield (row then, row now) for every item changed after ``moment``."""
    p = position_rows.c
    then = {r.id: (_row(r.row_json) if r.present else None) for r in conn.execute(
        select(p.id, p.present, p.row_json).where(p.position == moment.n))}
    ids = sorted(then)
    for i in range(0, len(ids), 500):
        for r in conn.execute(select(items_view).where(items_view.c.id.in_(ids[i:i + 500]))):
            now = dict(r._mapping)
            yield then.pop(r.id), now
    for row in then.values():  # changed and not in the items view: not an item row now
        yield row, None


def counts_at(conn: Connection, board: str, moment: AtPosition, k1: str | None = None,
              k2: str | None = None) -> dict[tuple[str, str], dict[str, int]]:
    """Return a board's counts as they stood at ``moment``: today's counters, plus what each
    item changed since counted then, minus what it counts now."""
    from projections.counters import read_board

    counts = read_board(conn, board, k1=k1, k2=k2)
    for b1, b2, metric, amount in _narrowed(_deltas(conn, moment)[0], board, k1, k2):
        cell = counts.setdefault((b1, b2), {})
        cell[metric] = cell.get(metric, 0) + amount
    return drop_zeros(counts)


def dated_at(conn: Connection, board: str, moment: AtPosition, k1: str | None = None,
             k2: str | None = None) -> dict[tuple[str, str], dict[str, int]]:
    """Return a board's dated figures as they stood at ``moment``, overdue judged on the
    position's day as today's boards judge it on today."""
    from projections.counters import read_dated

    dated = read_dated(conn, board, moment.plain(), k1=k1, k2=k2)
    ranges = figures.before(moment.plain())
    for b1, b2, figure, bucket, amount in _narrowed(_deltas(conn, moment)[1], board, k1, k2):
        if any(low <= bucket < high for low, high in ranges):
            cell = dated.setdefault((b1, b2), {})
            cell[figure] = cell.get(figure, 0) + amount
    return drop_zeros(dated)


def _narrowed(deltas: dict[str, list[Any]], board: str, k1: str | None,
              k2: str | None) -> Iterable[tuple[Any, ...]]:
    return (d for d in deltas.get(board, ())
            if (k1 is None or d[0] == k1) and (k2 is None or d[1] == k2))


# The counter changes of a position against the live views, per (database, position, views
# position): a board page reads three boards and a digest a dozen, each would otherwise
# decode every changed item again. Derived data keyed by the views position, so never stale.
_DELTA_CACHE: OrderedDict[tuple[Any, ...], tuple[dict[str, list[Any]], dict[str, list[Any]]]] \
    = OrderedDict()
_DELTA_CACHE_SIZE = 16
_delta_lock = threading.Lock()


def _deltas(conn: Connection, moment: AtPosition
            ) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    upto = conn.execute(select(position_marks.c.upto)
                        .where(position_marks.c.position == moment.n)).scalar()
    key = (str(conn.engine.url), conn.engine.dialect.name, moment.n, upto,
           read_position(conn, ITEMS))
    with _delta_lock:
        if key in _DELTA_CACHE:
            _DELTA_CACHE.move_to_end(key)
            return _DELTA_CACHE[key]
    # Each changed item as it was then "changing" from how it is now: added to today's.
    summed = net_change((now, then) for then, now in _changed(conn, moment))
    plain: dict[str, list[Any]] = {}
    dated: dict[str, list[Any]] = {}
    for k, amount in summed.items():
        if amount:
            (plain if len(k) == 4 else dated).setdefault(k[0], []).append((*k[1:], amount))
    with _delta_lock:
        _DELTA_CACHE[key] = (plain, dated)
        while len(_DELTA_CACHE) > _DELTA_CACHE_SIZE:
            _DELTA_CACHE.popitem(last=False)
    return plain, dated


def clear(conn: Connection) -> None:
    """Forget every position's rows (before a rebuild: they are recomputed on demand)."""
    conn.execute(position_rows.delete())
    conn.execute(position_marks.delete())

