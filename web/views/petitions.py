"""District staff log voter petitions raised at voter meetings."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from domain.errors import N_
from domain.reference import group_of_unit, next_session
from petitions import permissions
from web.context import actor, own_district, requires, tracker
from web.forms import create_item
from web.schemas.items import PetitionSchema

bp = Blueprint("petitions", __name__, url_prefix="/petitions")


def _defaults() -> dict[str, Any]:
    today = tracker().today()
    me = actor()
    entries = tracker().reference()
    group = me.deputy_group or ""
    if not group and me.district:
        # The deputy group elected in the staff member's unit is the usual choice.
        group = group_of_unit(entries, me.district, today)
    return {"received_on": today.isoformat(), "meeting_date": today.isoformat(),
            "district": me.district or "", "deputy_group": group,
            "session": next_session(entries, today)}


@bp.get("/new")
@requires(permissions.may_log, "petition")
def new() -> Any:
    """Show the form to log a voter petition."""
    return render_template("forms/petition.html", data=_defaults(), errors={})


@bp.post("/new")
@requires(permissions.may_log, "petition")
def create() -> Any:
    """Log the petition, then show its page."""
    return create_item(PetitionSchema(),
                       lambda data: tracker().log_petition(actor(), **own_district(data)),
                       "forms/petition.html", N_("Petition {code} was logged."))
