"""Work queues: the secretariat's (answers to review, new, to classify …) and the agency's.

Each section is complete: its heading gives the total, and it pages on its own (its cursor
is ``p_<section>`` in the URL, so paging one keeps the others where they were). Sections
come in the order work is done: what waits for this user's decision first.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, abort, render_template, request

from domain.item_types import REGISTRY, StatusGroup
from projections.items import ItemFilter
from web import queries
from petitions import permissions
from petitions.users import workspace
from web.context import actor, requires, runtime, users

bp = Blueprint("queues", __name__, url_prefix="/queues")
QUEUE_SIZE = 25
NEW_ASSIGNMENT_DAYS = 7
_PETITION, _COMPLAINT = REGISTRY.get("petition"), REGISTRY.get("complaint")
# Each queue follows the lifecycle tables: new items are in their type's first status; a
# classified petition waits for assignment; answers wait in the "awaiting review" group.
# Work the office decides on comes oldest first (waiting longest); deadlines soonest first.
SECRETARIAT_SECTIONS = (
    ("review", ItemFilter(status=tuple(REGISTRY.statuses_in(StatusGroup.AWAITING_REVIEW)),
                          order="oldest")),
    ("new", ItemFilter(status=(_PETITION.initial,), kind="petition", order="oldest")),
    ("to_assign", ItemFilter(
        status=(_PETITION.transition("classify").resulting(_PETITION.initial),),
        kind="petition", order="oldest")),
    ("unclassified", ItemFilter(status=(_COMPLAINT.initial,), order="due")),
    ("sent_back", ItemFilter(status=("sent_back",), order="due")),
    ("overdue", ItemFilter(overdue=True, order="due")),
)


@dataclass
class Section:
    """One queue section as the ``queue_section`` macro shows it."""

    name: str
    page: Any
    count: int
    start: int  # the position of the page's first row (1-based)


def _sections(me: Any, wanted: list[tuple[str, ItemFilter]]) -> list[Section]:
    out = []
    for name, f in wanted:
        cursor = request.args.get(f"p_{name}") or None
        if cursor is not None and len(cursor) > 200:
            cursor = None
        start = request.args.get(f"n_{name}", "1")
        start_at = int(start) if start.isdigit() and cursor and len(start) < 9 else 1
        page = queries.items(runtime(), me, f, cursor, QUEUE_SIZE)
        out.append(Section(name, page, queries.count(runtime(), me, f), start_at))
    return out


def _last_visit(me: Any, queue: str) -> datetime | None:
    """When the user last opened this queue before now (rows changed since are marked new).

    Paging within a section is the same visit: it reads the mark without moving it.
    """
    engine = users().engine
    if any(key.startswith("p_") for key in request.args):
        return workspace.last_visit(engine, me.username, queue)
    return workspace.visit_queue(engine, me.username, queue, runtime().tracker.now())


@bp.get("/secretariat")
@requires(permissions.may_work_office_queue)
def secretariat() -> Any:
    """Show answers awaiting review, new petitions, đơn to classify and overdue items."""
    me = actor()
    sections = _sections(me, list(SECRETARIAT_SECTIONS))
    return render_template("queues/secretariat.html", sections=sections,
                           seen=_last_visit(me, "secretariat"), args=request.args.to_dict())


@bp.get("/agency")
@requires(permissions.may_work_agency_queue)
def agency() -> Any:
    """Show what the agency must act on: new assignments, then everything open by due date."""
    me = actor()
    own = permissions.scope_filter(me)
    # Agency staff see their own agency's queue; the office picks one.
    code = own.code if own.narrows("agency") else request.args.get("agency", "")
    if not code or len(code) > 100:
        if own.narrows("agency"):
            abort(403)
        return render_template("queues/agency.html", sections=None, agency="", args={})
    since = runtime().tracker.today() - timedelta(days=NEW_ASSIGNMENT_DAYS)
    mine = ItemFilter(agency=code, open_only=True, order="due")
    sections = _sections(me, [
        ("new", replace(mine, assigned_since=since, order="recent")),
        ("open", mine),
        # Items another agency leads, on which this one co-operates (phối hợp).
        ("partner", ItemFilter(cooperating=code, open_only=True, order="due")),
    ])
    return render_template("queues/agency.html", sections=sections, agency=code,
                           seen=_last_visit(me, "agency"), args=request.args.to_dict(),
                           new_days=NEW_ASSIGNMENT_DAYS)
