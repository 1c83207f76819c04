"""Session board: per council session and deputy group, petitions raised and answered."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.engine import Connection

from projections.counters import ALL, Key, contributes, rate, read_board

BOARD = "session"


@contributes
def _session_counts(row: dict[str, Any]) -> Iterable[tuple[Key, int]]:
    if row["kind"] != "petition" or not row["session"]:
        return
    metrics = ["raised", f"field:{row['field']}", f"status:{row['status']}"]
    if row["answered_on"] is not None:
        metrics.append("answered")
    if row["is_open"]:
        metrics.append("outstanding")
    if row["outcome"]:
        metrics.append(f"outcome:{row['outcome']}")
    for group in (row["deputy_group"] or "-", ALL):
        for metric in metrics:
            yield (BOARD, row["session"], group, metric), 1


def session_board(conn: Connection, session: str) -> dict[str, dict[str, Any]]:
    """Return counts per deputy group for ``session`` (the whole session under ``*``)."""
    raw = read_board(conn, BOARD, k1=session)
    return {group: _with_rates(counts) for (_, group), counts in raw.items()}


def _with_rates(counts: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = dict(counts)
    result["answered_rate"] = rate(counts.get("answered", 0), counts.get("raised", 0))
    return result
