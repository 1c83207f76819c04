"""Read-model queries for lists, queues and boards, always narrowed to the user's scope."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from domain.actor import Actor, Role
from projections import agency_board, district_board, session_board
from projections.counters import ALL, read_board
from projections.items import ItemFilter, Page, get_row, list_items, similar_items


def scoped(actor: Actor, f: ItemFilter) -> ItemFilter:
    """Force a scoped user's district or agency onto the filter."""
    if actor.role is Role.DISTRICT_STAFF:
        return replace(f, district=actor.district or "\x00")
    if actor.role is Role.AGENCY_STAFF:
        return replace(f, agency=actor.agency or "\x00")
    return f


def items(runtime: Any, actor: Actor, f: ItemFilter, cursor: str | None = None,
          limit: int = 50) -> Page:
    """Return one page of items the actor may see; "overdue" means past due today."""
    f = replace(scoped(actor, f), today=runtime.tracker.today())
    with runtime.views.connect() as conn:
        return list_items(conn, f, cursor, limit)


def similar(runtime: Any, text: str, exclude: str) -> list[dict[str, Any]]:
    """Suggest open petitions that may be duplicates of ``text``."""
    with runtime.views.connect() as conn:
        return similar_items(conn, text, exclude=exclude)


def districts(runtime: Any, session: str = ALL) -> dict[str, dict[str, Any]]:
    """Counts per district (city-wide under ``*``)."""
    with runtime.views.connect() as conn:
        return district_board.district_board(conn, session)


def district(runtime: Any, code: str, session: str = ALL) -> dict[str, Any]:
    """Counts of one district."""
    with runtime.views.connect() as conn:
        return district_board.district_summary(conn, code, session)


def agencies(runtime: Any, session: str = ALL) -> dict[str, dict[str, Any]]:
    """Counts per agency (all agencies under ``*``)."""
    with runtime.views.connect() as conn:
        return agency_board.agency_board(conn, session)


def agency(runtime: Any, code: str, session: str = ALL) -> dict[str, Any]:
    """Counts of one agency."""
    with runtime.views.connect() as conn:
        return agency_board.agency_summary(conn, code, session)


def session(runtime: Any, code: str) -> dict[str, dict[str, Any]]:
    """Counts per deputy group for one council session."""
    with runtime.views.connect() as conn:
        return session_board.session_board(conn, code)


def row(runtime: Any, item_id: Any) -> dict[str, Any] | None:
    """Return the item's row in the items view (None until projected)."""
    with runtime.views.connect() as conn:
        return get_row(conn, str(item_id))


def sessions_with_data(runtime: Any, ordered: list[str]) -> list[str]:
    """Return the sessions of ``ordered`` (same order) that have petitions on the session board."""
    with runtime.views.connect() as conn:
        raw = read_board(conn, session_board.BOARD, k2=ALL)
    raised = {k1 for (k1, _), counts in raw.items() if counts.get("raised")}
    return [code for code in ordered if code in raised]
