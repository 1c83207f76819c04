"""Session board: per council session and deputy group, petitions raised and answered.

Every count and rate is one of ``projections.figures``: a petition merged into another is
not raised (the survivor is), so a petition raised at several meetings counts once.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from projections import figures
from projections.counters import ALL, Key, contributes, read_board

BOARD = "session"


@contributes
def _session_counts(row: dict[str, Any]) -> Iterable[tuple[Key, int]]:
    if row["kind"] != figures.PETITION or not row["session"]:
        return
    groups = (row["deputy_group"] or "-", ALL)
    if not figures.is_raised(row):
        for group in groups:
            yield (BOARD, row["session"], group, figures.MERGED), 1
        return
    metrics = [*figures.item_counts(row), f"field:{row['field']}", f"status:{row['status']}"]
    if row["outcome"]:
        metrics.append(f"outcome:{row['outcome']}")
    for group in groups:
        for metric in metrics:
            yield (BOARD, row["session"], group, metric), 1


def session_board(conn: Connection, session: str,
                  as_of: date | None = None) -> dict[str, dict[str, Any]]:
    """Return counts per deputy group for ``session`` (the whole session under ``*``), now
    or at the end of the day ``as_of``."""
    if as_of is not None:
        from projections.as_of import read_board_at
        raw = read_board_at(conn, BOARD, as_of, k1=session)
    else:
        raw = read_board(conn, BOARD, k1=session)
    return {group: figures.with_rates(counts) for (_, group), counts in raw.items()}
