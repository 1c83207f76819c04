"""District board: per district and council session, counts by status and outcome.

Every count and rate is one of ``projections.figures``; merged duplicates are counted only
under ``merged`` (they are not raised).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from projections import figures
from projections.counters import (
    ALL, Key, board_by_key, board_for, contributes, dated, read_with_dated,
)

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
                   today: date, as_of: bool = False) -> dict[str, dict[str, Any]]:
    """Return every district's counts for ``session`` (ALL = every session), city-wide under
    ``*`` (at the end of the day ``today`` with ``as_of``)."""
    return board_by_key(conn, BOARD, session, today, figures.with_rates, as_of=as_of)


def district_summary(conn: Connection, district: str, session: str = ALL, *,
                     today: date, as_of: bool = False) -> dict[str, Any]:
    """Return one district's counts for ``session`` as of ``today``."""
    return board_for(conn, BOARD, district, session, today, figures.with_rates, as_of=as_of)


# -- across the 1 July 2025 reform ------------------------------------------------------------
# The counters stay per unit (the unit an item is with now). A former district's series is
# read by adding up the counts of the communes and wards it is rolled up to, at read time:
# the lineage is reference data and may be corrected without rebuilding any view.
def _add(into: dict[str, int], counts: Mapping[str, Any]) -> None:
    for metric, n in counts.items():
        if isinstance(n, int):
            into[metric] = into.get(metric, 0) + n


def district_rollup(conn: Connection, session: str = ALL, *, today: date,
                    rolled_up_to: Mapping[str, str], as_of: bool = False
                    ) -> dict[str, dict[str, Any]]:
    """Return the counts per former district, each commune or ward added to the district in
    ``rolled_up_to`` (its main predecessor); units not in it count under their own code."""
    totals: dict[str, dict[str, int]] = {}
    for (unit, _), counts in read_with_dated(conn, BOARD, today, k2=session, as_of=as_of).items():
        if unit != ALL:
            _add(totals.setdefault(rolled_up_to.get(unit, unit), {}), counts)
    return {key: figures.with_rates(counts) for key, counts in totals.items()}


@dataclass(frozen=True)
class SeriesRow:
    """One council session of a former district's series: its own items, its successors'."""

    session: str
    own: dict[str, Any]          # items still under the district (logged before the reform)
    successors: dict[str, Any]   # items under the communes and wards rolled up to it
    together: dict[str, Any]


def district_series(conn: Connection, district: str, members: Iterable[str],
                    sessions: Iterable[str], *, today: date,
                    as_of: bool = False) -> list[SeriesRow]:
    """Return the district's counts per session, its own and its ``members``' (communes and
    wards rolled up to it), so the series runs on across the reform."""
    members = set(members) - {district}
    raw = read_with_dated(conn, BOARD, today, as_of=as_of)
    rows = []
    for session in sessions:
        own: dict[str, int] = dict(raw.get((district, session), {}))
        successors: dict[str, int] = {}
        for unit in members:
            _add(successors, raw.get((unit, session), {}))
        together = dict(own)
        _add(together, successors)
        rows.append(SeriesRow(session, figures.with_rates(own), figures.with_rates(successors),
                              figures.with_rates(together)))
    return rows
