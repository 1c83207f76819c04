"""The escalation ladder's recipients, set by the administrator (issue 18).

Before, the addresses came from reference data and an undocumented JSON file in the
instance folder; this page sets them (``ladder_recipients``) and they win over both.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError, fields, validate

from domain.errors import N_
from petitions import permissions
from petitions.notifications.recipients import (
    MAILBOX_KINDS, RecipientDirectory, ladder_addresses, set_ladder_address,
)
from web.context import actor, requires, runtime, tracker
from web.i18n import field_errors
from web.schemas import BaseSchema, Code

bp = Blueprint("recipients", __name__, url_prefix="/admin/recipients")

KIND_LABELS = {
    "city_office": N_("Council office (city)"),
    "standing_committee": N_("Standing committee of the council"),
    "agency": N_("An agency's mailbox"),
    "agency_head": N_("An agency head's mailbox"),
    "district_office": N_("A unit's People's Committee office"),
}


class RecipientSchema(BaseSchema):
    """One mailbox of the ladder: its kind, the agency or unit, and the address."""

    kind = Code(required=True,
                validate=validate.OneOf(list(MAILBOX_KINDS), error=N_("Unknown value.")))
    code = Code(load_default="")
    # No default address: "" is not an email to the OpenAPI description (None reads as empty).
    email = fields.Email(load_default=None, error_messages={
        "invalid": N_("Not a valid email address.")})


def _page(status: int = 200, errors: Any = None, data: Any = None) -> Any:
    reference = tracker().reference()
    directory = RecipientDirectory.load(reference.get("agencies", {}),
                                        runtime().settings.instance,
                                        units=reference.get("units", {}),
                                        engine=runtime().views.engine)
    return render_template("admin/recipients.html", rows=ladder_addresses(
        runtime().views.engine), directory=directory, kinds=KIND_LABELS,
        errors=errors or {}, data=data or {}), status


@bp.get("")
@requires(permissions.may_manage_integrations)
def show() -> Any:
    """List the addresses set here and the city-wide mailboxes in force."""
    return _page()


@bp.post("")
@requires(permissions.may_manage_integrations)
def change() -> Any:
    """Set one mailbox's address (an empty address goes back to the default)."""
    try:
        data = RecipientSchema().load(request.form)
    except ValidationError as err:
        flash(gettext("Some fields are not valid."), "error")
        return _page(422, field_errors(err.messages), request.form)  # type: ignore[arg-type]
    section = MAILBOX_KINDS[data["kind"]]
    code = data["code"] or ""
    if section is None:
        code = ""
    elif code not in tracker().reference().get(section, {}):
        flash(gettext("Some fields are not valid."), "error")
        return _page(422, {"code": [gettext("Unknown value.")]}, request.form)
    set_ladder_address(runtime().views.engine, data["kind"], code, data["email"] or "",
                       by=actor().username, at=tracker().now())
    flash(gettext("Saved."), "success")
    return redirect(url_for("recipients.show"), 303)
