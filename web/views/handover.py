"""Hand-over of the open items of abolished units to their successors (council office).

The page shows which abolished units still hold open items and where the lineage would send
them; the office picks a unit and a successor (or the lineage), previews what would move,
and confirms. Each item gets an event; nothing moves before the confirmation.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext

from domain.handover import HandoverError
from petitions import permissions
from petitions.lineage import HANDOVER_RULE
from web.context import actor, after_command, requires, tracker
from web.forms import FormError, ref_error, submit, submitted
from web.i18n import format_count
from web.schemas.items import BulkHandOverSchema

bp = Blueprint("handover", __name__, url_prefix="/handover")
PREVIEW_ROWS = 200


def _plan(data: dict[str, Any], confirm: bool) -> Any:
    """Run the application's preview or hand-over with the form's data."""
    try:
        if confirm:
            return tracker().hand_over_bulk(actor(), **data)
        data.pop("reason", None)
        return tracker().plan_hand_over(actor(), **data)
    except HandoverError as err:
        raise ref_error(err.field, err) from None


def _page(status: int = 200, *, preview: Any = None, errors: Any = None,
          data: Any = None) -> Any:
    overview = tracker().plan_hand_over(actor(), by_lineage=True)
    sources = sorted({*(m.from_unit for m in overview.moves), *overview.unresolved})
    return render_template(
        "handover/index.html", overview=overview, sources=sources, preview=preview,
        preview_rows=PREVIEW_ROWS, errors=errors or {}, data=data or {}, rule=HANDOVER_RULE,
    ), status


@bp.get("")
@requires(permissions.may_hand_over)
def index() -> Any:
    """The abolished units with open items, and the form to hand them over."""
    return _page()


def _submitted(confirm: bool) -> tuple[Any, Any]:
    """Run the posted form; return (plan, None), or (None, the page with its errors)."""
    try:
        return submit(BulkHandOverSchema(), lambda data: _plan(data, confirm=confirm)), None
    except FormError as err:
        flash(err.message, "error")
        return None, _page(err.status, errors=err.errors, data=submitted())


@bp.post("/preview")
@requires(permissions.may_hand_over)
def preview() -> Any:
    """Show what the chosen hand-over would move; nothing is stored."""
    plan, refused = _submitted(confirm=False)
    return refused or _page(preview=plan, data=submitted())


@bp.post("/confirm")
@requires(permissions.may_hand_over)
def confirm() -> Any:
    """Hand over what the preview showed (items closed or moved since are skipped)."""
    plan, refused = _submitted(confirm=True)
    if refused:
        return refused
    after_command(tracker().position())
    flash(gettext("{count} items handed over.").format(count=format_count(len(plan.moves))),
          "success")
    if plan.skipped:
        flash(gettext("{count} items were closed or moved meanwhile and stayed where they "
                      "were.").format(count=format_count(plan.skipped)), "info")
    return redirect(url_for("handover.index"), 303)
