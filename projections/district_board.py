"""District board: per district and council session, counts by status and outcome."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.engine import Connection

from projections.counters import ALL, Key, board_by_key, board_for, contributes, rate

BOARD = "district"


@contributes
def _district_counts(row: dict[str, Any]) -> Iterable[tuple[Key, int]]:
    metrics = ["total", f"status:{row['status']}", f"kind:{row['kind']}"]
    if row["outcome"]:
        metrics.append(f"outcome:{row['outcome']}")
    if row["is_open"]:
        metrics.append("open")
    if row["overdue"]:
        metrics.append("overdue")
    if row["escalation_level"] >= 1:
        metrics.append("escalated")
    if row["answered_on"] is not None:
        metrics.append("answered")
        if row["answered_on_time"]:
            metrics.append("answered_on_time")
    session = row["session"] or "-"
    for district in (row["district"], ALL):
        for sess in (session, ALL):
            for metric in metrics:
                yield (BOARD, district, sess, metric), 1


def district_board(conn: Connection, session: str = ALL) -> dict[str, dict[str, Any]]:
    """Return every district's counts for ``session`` (ALL = every session), city-wide under ``*``."""
    return board_by_key(conn, BOARD, session, _with_rates)


def district_summary(conn: Connection, district: str, session: str = ALL) -> dict[str, Any]:
    """Return one district's counts for ``session``."""
    return board_for(conn, BOARD, district, session, _with_rates)


def _with_rates(counts: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = dict(counts)
    answered = counts.get("answered", 0)
    result["on_time_rate"] = rate(counts.get("answered_on_time", 0), answered)
    result["resolved_rate"] = rate(counts.get("outcome:resolved", 0), counts.get("total", 0))
    return result
