"""Agency board: per responsible agency, assigned, answered, overdue, days to answer."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.engine import Connection

from projections.counters import ALL, Key, board_by_key, board_for, contributes, rate

BOARD = "agency"


@contributes
def _agency_counts(row: dict[str, Any]) -> Iterable[tuple[Key, int]]:
    if not row["agency"]:
        return
    counts: list[tuple[str, int]] = [("assigned", 1)]
    if row["is_open"]:
        counts.append(("open", 1))
    if row["overdue"]:
        counts.append(("overdue", 1))
    if row["escalation_level"] >= 1:
        counts.append(("escalated", 1))
    if row["answered_on"] is not None:
        counts.append(("answered", 1))
        counts.append(("days_to_answer", row["days_to_answer"] or 0))
        if row["answered_on_time"]:
            counts.append(("answered_on_time", 1))
    if row["outcome"]:
        counts.append((f"outcome:{row['outcome']}", 1))
    session = row["session"] or "-"
    for agency in (row["agency"], ALL):
        for sess in (session, ALL):
            for metric, amount in counts:
                yield (BOARD, agency, sess, metric), amount


def agency_board(conn: Connection, session: str = ALL) -> dict[str, dict[str, Any]]:
    """Return every agency's counts for ``session``, with on-time rate and average days."""
    return board_by_key(conn, BOARD, session, _with_rates)


def agency_summary(conn: Connection, agency: str, session: str = ALL) -> dict[str, Any]:
    """Return one agency's counts for ``session``."""
    return board_for(conn, BOARD, agency, session, _with_rates)


def _with_rates(counts: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = dict(counts)
    answered = counts.get("answered", 0)
    result["on_time_rate"] = rate(counts.get("answered_on_time", 0), answered)
    result["average_days"] = (
        round(counts.get("days_to_answer", 0) / answered, 1) if answered else None)
    return result
