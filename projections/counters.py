"""Counters kept beside the items view so boards cost the same at 10k and at 1M items.

Each board module registers a function that lists what one item row contributes
(``(board, key1, key2, metric) → amount``). When a row changes, its old contributions
are subtracted and its new ones added, in the same transaction as the row.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import BigInteger, Column, String, Table, select
from sqlalchemy.engine import Connection

from projections.store import add_counts, metadata

ALL = "*"

board_counts = Table(
    "board_counts", metadata,
    Column("board", String(16), primary_key=True),
    Column("k1", String(96), primary_key=True),
    Column("k2", String(96), primary_key=True),
    Column("metric", String(64), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

Key = tuple[str, str, str, str]
Contribution = Callable[[dict[str, Any]], Iterable[tuple[Key, int]]]
CONTRIBUTIONS: list[Contribution] = []


def contributes(func: Contribution) -> Contribution:
    """Register a board's contribution function."""
    CONTRIBUTIONS.append(func)
    return func


def row_counts(row: dict[str, Any] | None) -> Counter[Key]:
    """Return everything one item row adds to the boards."""
    totals: Counter[Key] = Counter()
    if row is None:
        return totals
    for func in CONTRIBUTIONS:
        for key, amount in func(row):
            totals[key] += amount
    return totals


def apply_changes(conn: Connection, changes: Iterable[tuple[dict[str, Any] | None,
                                                            dict[str, Any] | None]]) -> None:
    """Update the counters for rows that changed from ``old`` to ``new``."""
    # Summed straight into one dict: building a Counter per row and merging them cost
    # more than the contributions themselves during a rebuild.
    deltas: dict[Key, int] = {}
    get = deltas.get
    for old, new in changes:
        for row, sign in ((new, 1), (old, -1)):
            if row is None:
                continue
            for func in CONTRIBUTIONS:
                for key, amount in func(row):
                    deltas[key] = get(key, 0) + sign * amount
    add_counts(conn, board_counts, deltas, ["board", "k1", "k2", "metric"])


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


def board_by_key(conn: Connection, board: str, session: str, rates: Rates) -> dict[str, dict[str, Any]]:
    """Return ``{key: counts with rates}`` for every key of ``board`` in ``session``."""
    raw = read_board(conn, board, k2=session)
    return {k1: rates(counts) for (k1, _), counts in raw.items()}


def board_for(conn: Connection, board: str, key: str, session: str, rates: Rates) -> dict[str, Any]:
    """Return one key's counts with rates in ``session`` (empty counts if none)."""
    raw = read_board(conn, board, k1=key, k2=session)
    return rates(raw.get((key, session), {}))


def rate(part: int, whole: int) -> float | None:
    """Return ``part / whole`` as a percentage, or None when there is nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else None
