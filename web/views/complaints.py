"""District staff record received complaints, denunciations and reflections (đơn thư)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext

from domain.actor import Role
from petitions.errors import ItemNotFound
from web.context import actor, after_command, own_district, roles_required, tracker
from web.forms import FormError, ref_error, submit, submitted
from web.schemas.items import ComplaintSchema

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
RECEIVERS = (Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.ADMIN)


def receive(data: dict[str, Any]) -> Any:
    """Record the đơn; a second round names a first-round complaint the user may see."""
    first = data.get("first_round")
    if first:
        try:
            data["first_round"] = tracker().get_item(actor(), first)["code"]
        except ItemNotFound as err:
            raise ref_error("first_round", err) from None
    return tracker().receive_complaint(actor(), **own_district(data))


@bp.get("/new")
@roles_required(*RECEIVERS)
def new() -> Any:
    """Show the form to record a received đơn."""
    data = {"received_on": tracker().today().isoformat(), "district": actor().district or "",
            "channel": "direct", "kind": "complaint"}
    return render_template("forms/complaint.html", data=data, errors={})


@bp.post("/new")
@roles_required(*RECEIVERS)
def create() -> Any:
    """Record the đơn, then show its page."""
    try:
        receipt = submit(ComplaintSchema(), receive)
    except FormError as err:
        flash(err.message, "error")
        return render_template("forms/complaint.html", data=submitted(),
                               errors=err.errors), err.status
    after_command(receipt)
    flash(gettext("Đơn {code} was recorded.").format(code=receipt.code), "success")
    return redirect(url_for("items.show", ref=receipt.code), 303)
