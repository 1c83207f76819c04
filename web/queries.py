"""Read-model queries for lists, queues and boards, always narrowed to the user's scope."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from domain.actor import Actor
from petitions import permissions
from petitions.lineage import Lineage, lineage_of
from projections import agency_board, district_board, session_board
from projections.counters import ALL, read_board
from projections.items import ItemFilter, Page, count_items, get_row, list_items, similar_items
from projections.positions import AtPosition, read_at

T = TypeVar("T")


def scoped(actor: Actor, f: ItemFilter) -> ItemFilter:
    """Force a scoped user's district or agency onto the filter."""
    return replace(f, **permissions.scope_filter(actor).filter())


def _read(runtime: Any, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one read-model query on a fresh connection (read again if it is "as of" an event
    position and the projector moved on meanwhile: ``positions.read_at``)."""
    moment = next((v for v in (*args, *kwargs.values(), *(getattr(a, "as_of", None)
                                                          for a in args))
                   if isinstance(v, AtPosition)), None)
    if moment is not None:
        return read_at(moment, runtime.at_position, runtime.views,
                       lambda conn: query(conn, *args, **kwargs))
    with runtime.views.connect() as conn:
        return query(conn, *args, **kwargs)


def items(runtime: Any, actor: Actor, f: ItemFilter, cursor: str | None = None,
          limit: int = 50, as_of: Any = None) -> Page:
    """Return one page of items the actor may see; "overdue" means past due today."""
    f = replace(scoped(actor, f), today=runtime.tracker.today(), search_key=runtime.search_key,
                as_of=as_of)
    return _read(runtime, list_items, f, cursor, limit)


def count(runtime: Any, actor: Actor, f: ItemFilter) -> int:
    """Count the items of ``f`` the actor may see (a queue section's total)."""
    f = replace(scoped(actor, f), today=runtime.tracker.today(), search_key=runtime.search_key)
    return _read(runtime, count_items, f)


def similar(runtime: Any, text: str, exclude: str) -> list[dict[str, Any]]:
    """Suggest open petitions that may be duplicates of ``text``."""
    return _read(runtime, similar_items, text, exclude=exclude, search_key=runtime.search_key)


def _day(runtime: Any, as_of: Any) -> dict[str, Any]:
    """The day figures are judged on and whether to read them as of a past day."""
    return {"today": as_of or runtime.tracker.today(), "as_of": as_of is not None}


def districts(runtime: Any, session: str = ALL, as_of: Any = None) -> dict[str, dict[str, Any]]:
    """Counts per district (city-wide under ``*``), overdue as of today (or ``as_of``)."""
    return _read(runtime, district_board.district_board, session, **_day(runtime, as_of))


def district(runtime: Any, code: str, session: str = ALL, as_of: Any = None) -> dict[str, Any]:
    """Counts of one district, overdue as of today (or at the end of ``as_of``)."""
    return _read(runtime, district_board.district_summary, code, session,
                 **_day(runtime, as_of))


def agencies(runtime: Any, session: str = ALL, as_of: Any = None) -> dict[str, dict[str, Any]]:
    """Counts per agency (all agencies under ``*``), overdue as of today (or ``as_of``)."""
    return _read(runtime, agency_board.agency_board, session, **_day(runtime, as_of))


def agency(runtime: Any, code: str, session: str = ALL, as_of: Any = None) -> dict[str, Any]:
    """Counts of one agency, overdue as of today (or at the end of ``as_of``)."""
    return _read(runtime, agency_board.agency_summary, code, session, **_day(runtime, as_of))


def session(runtime: Any, code: str, as_of: Any = None) -> dict[str, dict[str, Any]]:
    """Counts per deputy group for one council session (now, or at the end of ``as_of``)."""
    return _read(runtime, session_board.session_board, code, as_of)


def row(runtime: Any, item_id: Any) -> dict[str, Any] | None:
    """Return the item's row in the items view (None until projected)."""
    return _read(runtime, get_row, str(item_id))


def sessions_with_data(runtime: Any, ordered: list[str]) -> list[str]:
    """Return the sessions of ``ordered`` (same order) that have petitions on the session board."""
    raw = _read(runtime, read_board, session_board.BOARD, k2=ALL)
    raised = {k1 for (k1, _), counts in raw.items() if counts.get("raised")}
    return [code for code in ordered if code in raised]


def lineage(runtime: Any) -> Lineage:
    """The reform's lineage as the reference data records it now."""
    return lineage_of(runtime.tracker.reference())


def district_rollup(runtime: Any, session: str = ALL,
                    as_of: Any = None) -> dict[str, dict[str, Any]]:
    """Counts per former district, its communes and wards added in (lineage, main predecessor)."""
    return _read(runtime, district_board.district_rollup, session,
                 rolled_up_to=lineage(runtime).main_predecessors(), **_day(runtime, as_of))


def rolled_up_members(runtime: Any, district: str) -> list[str]:
    """The communes and wards whose main predecessor is ``district`` (by code)."""
    return sorted(unit for unit, old in lineage(runtime).main_predecessors().items()
                  if old == district)


def rolled_up_to(runtime: Any, unit: str) -> str | None:
    """The former district a commune or ward is rolled up to (None: not a new unit)."""
    return lineage(runtime).main_predecessor(unit)


def district_series(runtime: Any, district: str, sessions: list[str],
                    as_of: Any = None) -> list[Any]:
    """The district's counts per session, its own and its communes' and wards'."""
    return _read(runtime, district_board.district_series, district,
                 rolled_up_members(runtime, district), sessions, **_day(runtime, as_of))
