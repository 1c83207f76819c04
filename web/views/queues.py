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
from flask_login import login_required

from domain.errors import N_
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
                           seen=_last_visit(me, "secretariat"), args=request.args.to_dict(),
                           bulk_actions=_bulk_actions())


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
                           new_days=NEW_ASSIGNMENT_DAYS, bulk_actions=_bulk_actions())


# -- bulk actions (issue 17) --------------------------------------------------------------------
BULK_FIELDS = {"codes": N_("Items"), "agency": N_("Lead agency"), "due_date": N_("Due date"),
               "new_due_date": N_("New due date"), "reason": N_("Reason"),
               "to_unit": N_("To the successor unit"), "decision_date": N_("Decision date"),
               "decision_no": N_("Decision number"), "comment": N_("Comment"), "note": N_("Note")}


def _bulk_actions() -> list[Any]:
    from petitions.bulk import offered

    return offered(actor())


@bp.post("/bulk")
@login_required
def bulk() -> Any:
    """Run one bulk action on the ticked items; list what was done and what was refused."""
    from flask import flash, url_for
    from flask_babel import gettext
    from marshmallow import ValidationError

    from domain.errors import InvalidInput
    from petitions.bulk import BULK_ACTIONS, run_bulk
    from web.context import after_command, tracker
    from web.i18n import error_text, field_errors
    from web.schemas.bulk import BulkParamsSchema

    me = actor()
    name = request.form.get("action", "")
    chosen = BULK_ACTIONS.get(name)
    if chosen is None or chosen not in _bulk_actions():
        abort(403 if chosen is not None else 400)
    back = (url_for("queues.agency", agency=request.args.get("agency", "")[:100])
            if request.args.get("back") == "agency" else url_for("queues.secretariat"))
    raw = {p: request.form.get(f"{name}-{p}", "") for p in chosen.params}
    try:
        params = BulkParamsSchema().load(raw)
        outcomes = run_bulk(tracker(), me, name, request.form.getlist("codes"), params)
    except ValidationError as err:
        return _bulk_refused(back, field_errors(err.messages))
    except InvalidInput as err:
        return _bulk_refused(back, field_errors(err.errors))
    after_command(tracker().position())
    reasons = {o.code: _reason(o, error_text, field_errors) for o in outcomes if not o.done}
    return render_template("queues/bulk_result.html", bulk=chosen, outcomes=outcomes,
                           reasons=reasons, back=back)


def _bulk_refused(back: str, errors: dict[str, list[str]]) -> Any:
    """Nothing was done: say why (the missing fields, or no item ticked) on the result page."""
    from flask import flash
    from flask_babel import gettext

    for field, messages in errors.items():
        flash(f"{gettext(BULK_FIELDS.get(field, field))}: {' '.join(messages)}", "error")
    return render_template("queues/bulk_result.html", bulk=None, outcomes=[], reasons={},
                           back=back), 422


def _reason(outcome: Any, error_text: Any, field_errors: Any) -> str:
    from domain.errors import InvalidInput
    from web.i18n import translate

    if outcome.error is None:
        return translate(outcome.message)
    if isinstance(outcome.error, InvalidInput):
        return " ".join(m for msgs in field_errors(outcome.error.errors).values() for m in msgs)
    return error_text(outcome.error)
