"""Agency board: per responsible agency, assigned, answered, overdue, days to answer.

Every count and rate is one of ``projections.figures``; "assigned" is the raised items the
agency is responsible for.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from projections import figures
from projections.counters import ALL, Key, board_by_key, board_for, contributes, dated

BOARD = "agency"
HELD_DAYS, HAND_OFFS = "held_days", "hand_offs"
RETURNS, RETURNED_ITEMS, ACCEPTED, ROUNDS = "returns", "returned_items", "accepted", "rounds"


@contributes
def _agency_counts(row: dict[str, Any]) -> Iterable[tuple[Key, int]]:
    if not figures.is_raised(row):
        return
    session = row["session"] or "-"
    # How long each agency held the item, per finished hand-off ("3 rõ"): counted for the
    # agencies that held it, including one that sent it back and is no longer its lead.
    for holder, (days, hand_offs) in json.loads(row.get("held") or "{}").items():
        for agency in (holder, ALL):
            for sess in (session, ALL):
                yield (BOARD, agency, sess, HELD_DAYS), days
                yield (BOARD, agency, sess, HAND_OFFS), hand_offs
    if not row["agency"]:
        return
    counts: list[tuple[str, int]] = [("assigned", 1)]
    counts += [(name, 1) for name in figures.item_counts(row) if name != figures.RAISED]
    if figures.is_answered(row):
        counts.append(("days_to_answer", row["days_to_answer"] or 0))
    if row["outcome"]:
        counts.append((f"outcome:{row['outcome']}", 1))
    # How often the office sent the agency's answers back, and the rounds until one was
    # accepted (an accepted voter petition's answer: the returns before it, plus one).
    returns = row.get("returns") or 0
    if returns:
        counts += [(RETURNS, returns), (RETURNED_ITEMS, 1)]
    if row["outcome"] and row["kind"] == figures.PETITION:
        counts += [(ACCEPTED, 1), (ROUNDS, returns + 1)]
    for agency in (row["agency"], ALL):
        for sess in (session, ALL):
            for metric, amount in counts:
                yield (BOARD, agency, sess, metric), amount
    yield from dated(BOARD, (row["agency"], ALL), (session, ALL), row)


def agency_board(conn: Connection, session: str = ALL, *,
                 today: date, as_of: bool = False) -> dict[str, dict[str, Any]]:
    """Return every agency's counts for ``session``, with on-time rate and average days
    (at the end of the day ``today`` with ``as_of``)."""
    return board_by_key(conn, BOARD, session, today, _with_rates, as_of=as_of)


def agency_summary(conn: Connection, agency: str, session: str = ALL, *,
                   today: date, as_of: bool = False) -> dict[str, Any]:
    """Return one agency's counts for ``session`` as of ``today``."""
    return board_for(conn, BOARD, agency, session, today, _with_rates, as_of=as_of)


def _with_rates(counts: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = dict(counts)
    answered = counts.get(figures.ANSWERED, 0)
    result["on_time_rate"] = figures.on_time_rate(counts)
    result["resolved_rate"] = figures.resolved_rate(counts)
    # An average, not a rate: days from assignment to answer per answered item.
    result["average_days"] = (
        round(counts.get("days_to_answer", 0) / answered, 1) if answered else None)
    # Working days the agency held an item, per hand-off to it that has ended.
    hand_offs = counts.get(HAND_OFFS, 0)
    result["average_held_days"] = (
        round(counts.get(HELD_DAYS, 0) / hand_offs, 1) if hand_offs else None)
    # Answered items whose answer was sent back at least once / answered; rounds per
    # accepted answer (1.0: every answer accepted the first time).
    result["returned_rate"] = figures.rate(counts.get(RETURNED_ITEMS, 0), answered)
    accepted = counts.get(ACCEPTED, 0)
    result["average_rounds"] = round(counts.get(ROUNDS, 0) / accepted, 2) if accepted else None
    return result
