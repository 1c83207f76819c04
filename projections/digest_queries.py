"""Queries over the items view shaped for the PDF digests (city, district, deputy group).

Every query filters on an indexed column first (session, district, deputy group, or status
with due date), so a digest costs about the same however large the rest of the store is.
Only columns without personal data are selected: the items view holds none, and the digest
must not start to depend on any that might be added later.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from domain.item_types import REGISTRY
from projections import figures
from projections.as_of import versions_at
from projections.items import items_view
from projections.store import read_position

# Columns a digest may print about one item.
ITEM_COLUMNS = ("code", "kind", "title", "district", "deputy_group", "session", "field",
                "agency", "status", "outcome", "due_date", "closed_on", "escalation_level")


@dataclass(frozen=True)
class DigestScope:
    """Which items a digest covers: city-wide (both empty), one district or one deputy group."""

    district: str = ""
    deputy_group: str = ""

    def conditions(self, c: Any = None) -> list[Any]:
        """Return the SQL conditions that narrow the items view (or ``c``) to this scope."""
        c = items_view.c if c is None else c
        conds: list[Any] = []
        if self.district:
            conds.append(c.district == self.district)
        if self.deputy_group:
            conds.append(c.deputy_group == self.deputy_group)
        return conds


@dataclass
class Tally:
    """Counts for one group of items (a whole session, one field, agency, district).

    Each count is the figure of the same name in ``projections.figures`` (``raised``
    leaves merged duplicates out, and so does every other count).
    """

    raised: int = 0
    petitions: int = 0
    open: int = 0
    answered: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    resolved: int = 0
    overdue: int = 0
    past_roadmap: int = 0
    escalated: int = 0
    forwarded_late: int = 0
    assigned: int = 0
    merged: int = 0  # merged duplicates: not raised, shown only to explain the difference

    def add(self, other: Tally) -> None:
        """Add ``other``'s counts to this tally."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def counts(self) -> dict[str, int]:
        """Return the counts by figure name, for the rate functions of ``projections.figures``."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class SessionSummary:
    """Counts of the items of one council session within a scope, broken down several ways."""

    totals: Tally = field(default_factory=Tally)
    # One row per raised item: its accepted outcome, or awaiting review, not answered yet,
    # ended without an answer (``figures.answer_result``), so the rows add up to the total.
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_field: dict[str, Tally] = field(default_factory=dict)
    by_agency: dict[str, Tally] = field(default_factory=dict)  # "" = not assigned yet
    by_district: dict[str, Tally] = field(default_factory=dict)


def session_summary(conn: Connection, session: str, scope: DigestScope, *,
                    today: date, as_of: bool = False) -> SessionSummary:
    """Count the items recorded for ``session`` within ``scope`` as of ``today``, several ways.

    With ``as_of``, the items as they stood at the end of the day ``today``
    (``projections.as_of``): the same query over the versions valid that day.
    """
    source = versions_at(today) if as_of else items_view
    c = source.c
    sums = figures.tally_columns(c, today)
    result = figures.answer_result_sql(c).label("result")
    groups = (c.district, c.field, c.agency, result)
    query = (
        select(*groups, *sums.values())
        .where(c.session == session, figures.raised_sql(c), *scope.conditions(c))
        .group_by(*groups)
    )
    summary = SessionSummary()
    for district, field_, agency, outcome, *numbers in conn.execute(query):
        values = {name: int(n or 0) for name, n in zip(sums, numbers)}
        tally = Tally(**values, assigned=values[figures.RAISED] if agency else 0)
        summary.totals.add(tally)
        summary.by_outcome[outcome] += tally.raised
        for key, table in ((field_ or "", summary.by_field), (agency or "", summary.by_agency),
                           (district, summary.by_district)):
            table.setdefault(key, Tally()).add(tally)
    merged = select(func.count()).select_from(source).where(
        c.session == session, ~figures.raised_sql(c), *scope.conditions(c))
    summary.totals.merged = int(conn.execute(merged).scalar_one())
    return summary


def _listed(as_of: date | None) -> tuple[Any, Any, list[Any]]:
    """Return the rows to list from (now, or as they stood at the end of ``as_of``), their
    columns, and the printed columns (the title is read from the items view: it never changes)."""
    if as_of is None:
        c = items_view.c
        return items_view, c, [c[name] for name in ITEM_COLUMNS]
    versions = versions_at(as_of)
    c = versions.c
    source = versions.join(items_view, items_view.c.id == c.id)
    return source, c, [items_view.c.title if name == "title" else c[name]
                       for name in ITEM_COLUMNS]


def escalated_items(conn: Connection, scope: DigestScope, *, limit: int = 2000,
                    as_of: date | None = None) -> tuple[list[dict[str, Any]], int]:
    """Return open items within ``scope`` escalated past their due date (any session), and their count.

    Ordered by ladder level (highest first), then due date: the standing committee's items
    (level 3) head the list. At most ``limit`` rows are returned; the count is the full number.
    With ``as_of``, the items as they stood at the end of that day.
    """
    source, c, columns = _listed(as_of)
    # status and due date come first so the (status, due_date) index narrows the scan.
    conds = [c.status.in_(figures.open_values()), c.due_date.is_not(None), figures.escalated_sql(c),
             *scope.conditions(c)]
    total = conn.execute(select(func.count()).select_from(source).where(*conds)).scalar_one()
    query = (
        select(*columns).select_from(source).where(*conds)
        .order_by(c.escalation_level.desc(), c.due_date.asc(), c.code.asc()).limit(limit)
    )
    return [dict(r._mapping) for r in conn.execute(query)], int(total)


def resolved_since(conn: Connection, scope: DigestScope, since: date | None, *,
                   until: date | None = None, limit: int = 2000,
                   as_of: date | None = None) -> tuple[list[dict[str, Any]], int]:
    """Return items within ``scope`` concluded with an answer or decision on or after ``since``.

    ``since`` None means from the start; ``until`` (inclusive) bounds the other end. At most
    ``limit`` rows are returned, oldest first; the count is the full number. With
    ``as_of``, the items as they stood at the end of that day.
    """
    source, c, columns = _listed(as_of)
    # Ended with an answer or a decision, as opposed to merged, withdrawn, forwarded, …
    conds = [c.status.in_(REGISTRY.answered_endings()), c.closed_on.is_not(None),
             *scope.conditions(c)]
    if since is not None:
        conds.append(c.closed_on >= since)
    if until is not None:
        conds.append(c.closed_on <= until)
    total = conn.execute(
        select(func.count()).select_from(source).where(and_(*conds))).scalar_one()
    query = (
        select(*columns).select_from(source).where(*conds)
        .order_by(c.closed_on.asc(), c.code.asc()).limit(limit)
    )
    return [dict(r._mapping) for r in conn.execute(query)], int(total)


def views_position(conn: Connection) -> int:
    """Return the event-log position the items view (and its counters) reflect."""
    return read_position(conn, "items")
