"""Bulk hand-over of the open items of abolished units: the plan shown before confirming.

The plan lists what would move (every open item of each abolished unit, to the chosen
successor or to its lineage main successor) with counts per pair of units; confirming runs
the same plan item by item through the aggregate, which refuses anything the rules do not
allow, so a stale list cannot move a closed item or an item twice.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from projections.items import items_view


@dataclass(frozen=True)
class Move:
    """One item that would go (or went) from one unit to another."""

    item_id: str
    code: str
    kind: str
    title: str
    status: str
    from_unit: str
    to_unit: str


@dataclass
class HandoverPlan:
    """What a bulk hand-over moves (or, after confirming, moved)."""

    today: date
    by_lineage: bool
    moves: list[Move] = field(default_factory=list)
    # Abolished units with open items but no successor to give them to (lineage has none).
    unresolved: dict[str, int] = field(default_factory=dict)
    skipped: int = 0        # planned, but closed or moved meanwhile (on confirming)
    conflicts: int = 0      # changed by someone else while saving (on confirming)
    done: bool = False

    def counts(self) -> list[tuple[str, str, int]]:
        """Return ``(from unit, to unit, items)`` for every pair, largest first."""
        pairs = Counter((m.from_unit, m.to_unit) for m in self.moves)
        return sorted(((a, b, n) for (a, b), n in pairs.items()),
                      key=lambda t: (-t[2], t[0], t[1]))

    def to_dict(self) -> dict[str, Any]:
        """Return the plan as plain data (CLI --json, API)."""
        return {
            "today": self.today.isoformat(), "by_lineage": self.by_lineage, "done": self.done,
            "total": len(self.moves), "skipped": self.skipped, "conflicts": self.conflicts,
            "counts": [{"from_unit": a, "to_unit": b, "items": n} for a, b, n in self.counts()],
            "unresolved": dict(self.unresolved),
            "items": [{"code": m.code, "from_unit": m.from_unit, "to_unit": m.to_unit}
                      for m in self.moves],
        }


def open_items_of(conn: Connection, units: list[str]) -> list[dict[str, Any]]:
    """Return the open items that are with ``units`` now, oldest first."""
    c = items_view.c
    query = (select(c.id, c.code, c.kind, c.title, c.status, c.district)
             .where(c.district.in_(units), c.is_open.is_(True)).order_by(c.seq))
    return [dict(r._mapping) for r in conn.execute(query)]


def units_with_open_items(conn: Connection) -> dict[str, int]:
    """Return ``{unit: open items}`` for every unit that has open items now."""
    from sqlalchemy import func

    c = items_view.c
    query = (select(c.district, func.count()).where(c.is_open.is_(True))
             .group_by(c.district))
    return {unit: int(n) for unit, n in conn.execute(query)}
