"""District staff record received complaints, denunciations and reflections (đơn thư)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from domain.errors import N_
from petitions import permissions
from petitions.errors import ItemNotFound
from web.context import actor, own_district, requires, tracker
from web.forms import create_item, ref_error
from web.schemas.items import ComplaintSchema

bp = Blueprint("complaints", __name__, url_prefix="/complaints")


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
@requires(permissions.may_log, "complaint")
def new() -> Any:
    """Show the form to record a received đơn."""
    data = {"received_on": tracker().today().isoformat(), "district": actor().district or "",
            "channel": "direct", "kind": "complaint"}
    return render_template("forms/complaint.html", data=data, errors={})


@bp.post("/new")
@requires(permissions.may_log, "complaint")
def create() -> Any:
    """Record the đơn, then show its page."""
    return create_item(ComplaintSchema(), receive, "forms/complaint.html",
                       N_("Đơn {code} was recorded."))
