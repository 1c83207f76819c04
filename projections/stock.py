"""Stock (tồn đọng) at the end of a day: outstanding items grouped several ways.

Outstanding means raised (a merged duplicate is not) and not concluded: the board's "open"
figure (``projections.figures``), so a stock total equals the board's open count as of the
same day. Read from the items' versions valid that day (``projections.as_of``).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from domain.item_types import REGISTRY
from projections import figures
from projections.as_of import versions_at
from projections.items import items_view, unpack_agencies

# How a stock can be split; "category" counts an item under each of its categories (and
# under "" when it has none), so that table's shares may add up to more than 100 %.
DIMENSIONS = ("status_group", "kind", "field", "agency", "district", "session", "category")
NO_CATEGORY = ""


@dataclass
class Stock:
    """Outstanding items at the end of one day, counted per dimension."""

    day: date
    total: int = 0
    by: dict[str, Counter[str]] = field(default_factory=lambda: {d: Counter() for d in DIMENSIONS})
    # Per agency holding the item: working days held in finished spells and their count,
    # answers sent back, and (for items whose answer was accepted) the rounds it took.
    held_days: Counter[str] = field(default_factory=Counter)
    hand_offs: Counter[str] = field(default_factory=Counter)
    returns: Counter[str] = field(default_factory=Counter)


def outstanding(c: Any) -> Any:
    """Return the condition "outstanding" (raised and not concluded) over view-like columns."""
    return and_(figures.raised_sql(c), ~c.status.in_(figures.concluded_values()))


def _scope(c: Any, district: str) -> list[Any]:
    return [c.district == district] if district else []


def stock_at(conn: Connection, day: date, *, district: str = "") -> Stock:
    """Count the items outstanding at the end of ``day`` (within one unit, if given)."""
    v = versions_at(day)
    c = v.c
    groups = (c.status, c.kind, c.field, c.agency, c.district, c.session, c.categories)
    query = (select(*groups, func.count()).where(outstanding(c), *_scope(c, district))
             .group_by(*groups))
    stock = Stock(day)
    for status, kind, field_, agency, unit, session, categories, n in conn.execute(query):
        n = int(n)
        stock.total += n
        keys = {"status_group": REGISTRY.group_of(status).value, "kind": kind,
                "field": field_ or "", "agency": agency or "", "district": unit,
                "session": session or ""}
        for dimension, key in keys.items():
            stock.by[dimension][key] += n
        for category in unpack_agencies(categories) or [NO_CATEGORY]:
            stock.by["category"][category] += n
    held = select(c.held, c.agency, c.returns).where(outstanding(c), *_scope(c, district))
    for packed, agency, returns in conn.execute(held):
        for holder, (days, count) in json.loads(packed or "{}").items():
            stock.held_days[holder] += days
            stock.hand_offs[holder] += count
        if agency and returns:
            stock.returns[agency] += returns
    return stock


def carried_over(conn: Connection, day: date, since: date, *, district: str = "",
                 limit: int = 2000) -> tuple[list[dict[str, Any]], int]:
    """Return the items outstanding at the end of ``day`` that were already outstanding at
    the end of ``since`` (the previous report's stock), oldest first, and their count."""
    now, then = versions_at(day, "stock_now"), versions_at(since, "stock_then")
    c = now.c
    source = now.join(then, then.c.id == c.id).join(items_view, items_view.c.id == c.id)
    conds = [outstanding(c), outstanding(then.c), *_scope(c, district)]
    total = conn.execute(select(func.count()).select_from(source).where(*conds)).scalar_one()
    query = (select(c.code, items_view.c.title, c.kind, c.session, c.district, c.agency,
                    c.received_on, c.status, c.categories)
             .select_from(source).where(*conds)
             .order_by(c.received_on, c.code).limit(limit))
    rows = []
    for r in conn.execute(query):
        row = dict(r._mapping)
        row["categories"] = unpack_agencies(row["categories"])
        rows.append(row)
    return rows, int(total)
