"""Counters kept beside the items view so boards cost the same at 10k and at 1M items.

Each board module registers a function that lists what one item row contributes:
``(board, key1, key2, metric) → amount`` for plain counts, and
``(board, key1, key2, figure, bucket) → amount`` for the figures that depend on today
(overdue, past roadmap date), counted per due year, month and day and summed for the dates
before today when read (``projections.figures`` says why). When a row changes, its old
contributions are subtracted and its new ones added, in the same transaction as the row.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from datetime import date

from sqlalchemy import BigInteger, Column, Index, String, Table, select, union_all
from sqlalchemy.engine import Connection

from projections import figures
from projections.store import add_counts, metadata

ALL = "*"

board_counts = Table(
    "board_counts", metadata,
    Column("board", String(16), primary_key=True),
    Column("k1", String(96), primary_key=True),
    Column("k2", String(96), primary_key=True),
    Column("metric", String(64), primary_key=True),
    Column("n", BigInteger, nullable=False),
    sqlite_with_rowid=False,  # one B-tree (the key) instead of a rowid table beside it
)

# Primary key first by session-like key and bucket, so "every key of a board for a session,
# due before today" reads three contiguous ranges; the index serves one key's read.
due_counts = Table(
    "board_due_counts", metadata,
    Column("board", String(16), primary_key=True),
    Column("k2", String(96), primary_key=True),
    Column("figure", String(16), primary_key=True),
    Column("bucket", String(12), primary_key=True),
    Column("k1", String(96), primary_key=True),
    Column("n", BigInteger, nullable=False),
    Index("ix_board_due_counts_key", "board", "k1", "k2", "figure", "bucket"),
    sqlite_with_rowid=False,  # one B-tree (the key) instead of a rowid table beside it
)
DUE_KEYS = ["board", "k1", "k2", "figure", "bucket"]

Key = tuple[str, ...]  # (board, k1, k2, metric) or (board, k1, k2, figure, bucket)
Contribution = Callable[[dict[str, Any]], Iterable[tuple[Key, int]]]
CONTRIBUTIONS: list[Contribution] = []


def contributes(func: Contribution) -> Contribution:
    """Register a board's contribution function."""
    CONTRIBUTIONS.append(func)
    return func


def row_counts(row: dict[str, Any] | None) -> dict[Key, int]:
    """Return everything one item row adds to the boards."""
    totals: dict[Key, int] = {}
    if row is None:
        return totals
    get = totals.get
    for func in CONTRIBUTIONS:
        for key, amount in func(row):
            totals[key] = get(key, 0) + amount
    return totals


class RowCounts:
    """``row_counts`` computed once per row while the rows of one batch are alive.

    A batch's rows form a chain per item (before the batch, the end of each day, after it),
    and each day's change compares two neighbours of that chain: a row between two days
    would be counted twice.
    """

    def __init__(self) -> None:
        # Keyed by id(); the row is kept beside its counts so its id cannot be reused.
        self._seen: dict[int, tuple[Any, dict[Key, int]]] = {}

    def __call__(self, row: dict[str, Any] | None) -> dict[Key, int]:
        seen = self._seen.get(id(row))
        if seen is None:
            seen = self._seen[id(row)] = (row, row_counts(row))
        return seen[1]


def diff(old: dict[Key, int], new: dict[Key, int]) -> Iterable[tuple[Key, int]]:
    """Yield what changes from the counts ``old`` to ``new`` (a counter whose amount changed
    comes twice: its new amount added, its old one taken away)."""
    # The set differences of the items run in C; most of a row's ~60 counters are the same
    # on both sides and are never touched in Python.
    for key, amount in new.items() - old.items():
        yield key, amount
    for key, amount in old.items() - new.items():
        yield key, -amount


def net_change(changes: Iterable[tuple[dict[str, Any] | None, dict[str, Any] | None]]
               ) -> dict[Key, int]:
    """Return what rows changing from ``old`` to ``new`` change on the boards, by counter
    (the new rows' contributions minus the old rows'; counters left as they were are 0 or
    absent)."""
    deltas: dict[Key, int] = {}
    get = deltas.get
    for old, new in changes:
        for key, amount in diff(row_counts(old), row_counts(new)):
            deltas[key] = get(key, 0) + amount
    return deltas


def add_deltas(conn: Connection, deltas: dict[Key, int]) -> None:
    """Add ``deltas`` (``net_change``'s result) to the live counters."""
    plain = {key: n for key, n in deltas.items() if len(key) == 4}
    by_due = {key: n for key, n in deltas.items() if len(key) == 5}
    add_counts(conn, board_counts, plain, ["board", "k1", "k2", "metric"])
    add_counts(conn, due_counts, by_due, DUE_KEYS)


def dated(board: str, k1s: Iterable[str], k2s: Iterable[str], row: dict[str, Any]
          ) -> Iterable[tuple[Key, int]]:
    """Yield the dated counters a row adds to under every (k1, k2) pair, if it has any."""
    figure = figures.dated_figure(row)
    if figure is None:
        return
    buckets = figures.due_buckets(row["due_date"])
    for k1 in k1s:
        for k2 in k2s:
            for bucket in buckets:
                yield (board, k1, k2, figure, bucket), 1


def read_dated(conn: Connection, board: str, today: date, k1: str | None = None,
               k2: str | None = None) -> dict[tuple[str, str], dict[str, int]]:
    """Return ``{(k1, k2): {figure: n}}`` of the dated figures for due dates before ``today``."""
    c = due_counts.c
    parts = []
    for low, high in figures.before(today):
        # The figures named, so each range is a seek on (board, k2, figure, bucket): without
        # them every due bucket of the key was read, future ones and all past days included
        # (62,060 rows for the city-wide district board at 1M items, where 4,700 are due).
        query = select(c.k1, c.k2, c.figure, c.n).where(
            c.board == board, c.figure.in_(figures.DATED), c.bucket >= low, c.bucket < high)
        if k1 is not None:
            query = query.where(c.k1 == k1)
        if k2 is not None:
            query = query.where(c.k2 == k2)
        parts.append(query)
    result: dict[tuple[str, str], dict[str, int]] = {}
    for k1_, k2_, figure, n in conn.execute(union_all(*parts)):
        if n:
            counts = result.setdefault((k1_, k2_), {})
            counts[figure] = counts.get(figure, 0) + int(n)
    return result


def read_board(conn: Connection, board: str, k1: str | None = None,
               k2: str | None = None) -> dict[tuple[str, str], dict[str, int]]:
    """Return ``{(k1, k2): {metric: n}}`` for a board, optionally narrowed by key."""
    c = board_counts.c
    query = select(c.k1, c.k2, c.metric, c.n).where(c.board == board)
    if k1 is not None:
        query = query.where(c.k1 == k1)
    if k2 is not None:
        query = query.where(c.k2 == k2)
    result: dict[tuple[str, str], dict[str, int]] = {}
    for k1_, k2_, metric, n in conn.execute(query):
        if n:
            result.setdefault((k1_, k2_), {})[metric] = int(n)
    return result


Rates = Callable[[dict[str, int]], dict[str, Any]]


def read_with_dated(conn: Connection, board: str, today: date, k1: str | None = None,
                    k2: str | None = None, *, as_of: bool = False
                    ) -> dict[tuple[str, str], dict[str, int]]:
    """Return ``read_board``'s counts with the dated figures as of ``today`` (0 when none).

    With ``as_of``, the counts are those at the end of the day ``today`` instead of now
    (``projections.as_of``), overdue judged on that day.
    """
    if as_of:
        from projections.as_of import read_board_at, read_dated_at
        raw, dated_ = (read_board_at(conn, board, today, k1=k1, k2=k2),
                       read_dated_at(conn, board, today, k1=k1, k2=k2))
    else:
        raw, dated_ = (read_board(conn, board, k1=k1, k2=k2),
                       read_dated(conn, board, today, k1=k1, k2=k2))
    for key, counts in dated_.items():
        raw.setdefault(key, {}).update(counts)
    for counts in raw.values():
        for figure in figures.DATED:
            counts.setdefault(figure, 0)
    return raw


def board_by_key(conn: Connection, board: str, session: str, today: date,
                 rates: Rates, *, as_of: bool = False) -> dict[str, dict[str, Any]]:
    """Return ``{key: counts with rates}`` for every key of ``board`` in ``session``
    (at the end of the day ``today`` with ``as_of``)."""
    raw = read_with_dated(conn, board, today, k2=session, as_of=as_of)
    return {k1: rates(counts) for (k1, _), counts in raw.items()}


def board_for(conn: Connection, board: str, key: str, session: str, today: date,
              rates: Rates, *, as_of: bool = False) -> dict[str, Any]:
    """Return one key's counts with rates in ``session`` (empty counts if none)."""
    raw = read_with_dated(conn, board, today, k1=key, k2=session, as_of=as_of)
    return rates(raw.get((key, session), {figure: 0 for figure in figures.DATED}))
