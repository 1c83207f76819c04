"""District staff log voter petitions raised at voter meetings."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext

from domain.actor import Role
from web.context import actor, after_command, own_district, roles_required, tracker
from web.forms import FormError, submit, submitted
from web.schemas.items import PetitionSchema

bp = Blueprint("petitions", __name__, url_prefix="/petitions")
LOGGERS = (Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.ADMIN)


def _defaults() -> dict[str, Any]:
    today = tracker().today().isoformat()
    me = actor()
    group = me.deputy_group or ""
    if not group and me.district:
        # The deputy group elected in the staff member's district is the usual choice.
        groups = tracker().reference().get("deputy_groups", {})
        group = next((code for code, g in groups.items()
                      if me.district in g.get("units", ())), "")
    return {"received_on": today, "meeting_date": today, "district": me.district or "",
            "deputy_group": group}


@bp.get("/new")
@roles_required(*LOGGERS)
def new() -> Any:
    """Show the form to log a voter petition."""
    return render_template("forms/petition.html", data=_defaults(), errors={})


@bp.post("/new")
@roles_required(*LOGGERS)
def create() -> Any:
    """Log the petition, then show its page."""
    try:
        receipt = submit(PetitionSchema(), lambda data: tracker().log_petition(actor(), **own_district(data)))
    except FormError as err:
        flash(err.message, "error")
        return render_template("forms/petition.html", data=submitted(),
                               errors=err.errors), err.status
    after_command(receipt)
    flash(gettext("Petition {code} was logged.").format(code=receipt.code), "success")
    return redirect(url_for("items.show", ref=receipt.code), 303)
