"""District board: per district and council session, counts by status and outcome.

Every count and rate is one of ``projections.figures``; merged duplicates are counted only
under ``merged`` (they are not raised).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from projections import figures
from projections.counters import ALL, Key, board_by_key, board_for, contributes, dated

BOARD = "district"


@contributes
def _district_counts(row: dict[str, Any]) -> Iterable[tuple[Key, int]]:
    session = row["session"] or "-"
    keys = [(district, sess) for district in (row["district"], ALL) for sess in (session, ALL)]
    if not figures.is_raised(row):
        for district, sess in keys:
            yield (BOARD, district, sess, figures.MERGED), 1
        return
    metrics = [*figures.item_counts(row), f"status:{row['status']}", f"kind:{row['kind']}"]
    if row["outcome"]:
        metrics.append(f"outcome:{row['outcome']}")
    for district, sess in keys:
        for metric in metrics:
            yield (BOARD, district, sess, metric), 1
    yield from dated(BOARD, (row["district"], ALL), (session, ALL), row)


def district_board(conn: Connection, session: str = ALL, *,
                   today: date) -> dict[str, dict[str, Any]]:
    """Return every district's counts for ``session`` (ALL = every session), city-wide under ``*``."""
    return board_by_key(conn, BOARD, session, today, figures.with_rates)


def district_summary(conn: Connection, district: str, session: str = ALL, *,
                     today: date) -> dict[str, Any]:
    """Return one district's counts for ``session`` as of ``today``."""
    return board_for(conn, BOARD, district, session, today, figures.with_rates)
