"""Work queues: the secretariat's (new, unclassified, answers to review) and the agency's."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from domain.errors import N_
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
    return render_template("queues/secretariat.html", sections=sections,
                           bulk_actions=_bulk_actions())


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
    return render_template("queues/agency.html", page=page, agency=code, partner=partner,
                           bulk_actions=_bulk_actions())


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
