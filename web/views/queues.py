"""Work queues: the secretariat's (new, unclassified, answers to review) and the agency's."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request

from domain.item_types import REGISTRY, StatusGroup
from projections.items import ItemFilter
from web import queries
from petitions import permissions
from web.context import actor, requires, runtime

bp = Blueprint("queues", __name__, url_prefix="/queues")
QUEUE_SIZE = 25
_PETITION, _COMPLAINT = REGISTRY.get("petition"), REGISTRY.get("complaint")
# Each queue follows the lifecycle tables: new items are in their type's first status; a
# classified petition waits for assignment; answers wait in the "awaiting review" group.
SECRETARIAT_SECTIONS = (
    ("new", ItemFilter(status=(_PETITION.initial,), kind="petition", order="recent")),
    ("to_assign", ItemFilter(
        status=(_PETITION.transition("classify").resulting(_PETITION.initial),),
        kind="petition", order="recent")),
    ("unclassified", ItemFilter(status=(_COMPLAINT.initial,), order="due")),
    ("sent_back", ItemFilter(status=("sent_back",), order="due")),
    ("review", ItemFilter(status=tuple(REGISTRY.statuses_in(StatusGroup.AWAITING_REVIEW)),
                          order="recent")),
    ("overdue", ItemFilter(overdue=True, order="due")),
)


@bp.get("/secretariat")
@requires(permissions.may_work_office_queue)
def secretariat() -> Any:
    """Show new petitions, đơn to classify, answers awaiting review and overdue items."""
    me = actor()
    sections = [(name, queries.items(runtime(), me, f, None, QUEUE_SIZE))
                for name, f in SECRETARIAT_SECTIONS]
    return render_template("queues/secretariat.html", sections=sections)


@bp.get("/agency")
@requires(permissions.may_work_agency_queue)
def agency() -> Any:
    """Show what is assigned to the agency and still open, earliest due date first."""
    me = actor()
    own = permissions.scope_filter(me)
    # Agency staff see their own agency's queue; the office picks one.
    code = own.code if own.narrows("agency") else request.args.get("agency", "")
    if not code or len(code) > 100:
        if own.narrows("agency"):
            abort(403)
        return render_template("queues/agency.html", page=None, agency="")
    cursor = request.args.get("after")
    if cursor is not None and len(cursor) > 200:
        cursor = None
    page = queries.items(runtime(), me, ItemFilter(agency=code, open_only=True, order="due"),
                         cursor, QUEUE_SIZE * 2)
    # Items another agency leads, on which this one co-operates (phối hợp): first page only.
    partner = queries.items(runtime(), me, ItemFilter(cooperating=code, open_only=True,
                                                      order="due"), None, QUEUE_SIZE)
    return render_template("queues/agency.html", page=page, agency=code, partner=partner)
