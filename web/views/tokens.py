"""API tokens (issue 18): a user makes and revokes their own; an administrator anyone's.

The secret is shown once, on the page that answers the creation; only its hash is kept.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from marshmallow import ValidationError

from domain.errors import InvalidInput
from petitions import permissions
from petitions.users.tokens import TokenStore
from web.context import actor, requires, tracker
from web.i18n import error_text, field_errors
from web.schemas import BaseSchema, Code, DateField, Text

bp = Blueprint("tokens", __name__)


class NewTokenSchema(BaseSchema):
    """A token's name (what it is for), an optional expiry date, and (admin) whose it is."""

    name = Text(load_default="", max_length=200)
    expires_on = DateField(load_default=None)
    username = Code()


def _tokens() -> TokenStore:
    return current_app.extensions["petitions_tokens"]


def _now() -> Any:
    clock = current_app.config.get("AUTH_CLOCK")
    return clock() if clock else tracker().now()


def _page(template: str, *, owner: str | None, status: int = 200, **context: Any) -> Any:
    rows = _tokens().list(owner)
    return render_template(template, tokens=rows, errors=context.pop("errors", {}),
                           data=context.pop("data", {}), **context), status


def _create(owner: str | None, template: str) -> Any:
    try:
        data = NewTokenSchema().load(request.form)
        username = owner or data["username"] or ""
        made = _tokens().create(username, data["name"] or "", created_by=actor().username,
                                now=_now(), expires_on=data["expires_on"],
                                today=tracker().today())
    except ValidationError as err:
        flash(gettext("Some fields are not valid."), "error")
        return _page(template, owner=owner, status=422, errors=field_errors(err.messages),
                     data=request.form)
    except InvalidInput as err:
        flash(error_text(err), "error")
        return _page(template, owner=owner, status=422, errors=field_errors(err.errors),
                     data=request.form)
    flash(gettext("The token was made. Copy it now: it is shown only this once."), "success")
    return _page(template, owner=owner, status=201, secret=made.secret)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def mine() -> Any:
    """List, and make, the signed-in user's API tokens."""
    if request.method == "POST":
        return _create(current_user.username, "account/tokens.html")
    return _page("account/tokens.html", owner=current_user.username)


@bp.post("/account/tokens/<token_id>/revoke")
@login_required
def revoke_mine(token_id: str) -> Any:
    """Revoke one of the user's own tokens."""
    if not _tokens().revoke(token_id, by=current_user.username, now=_now(),
                            owner=current_user.username):
        abort(404)
    flash(gettext("The token was revoked."), "success")
    return redirect(url_for("tokens.mine"), 303)


@bp.route("/admin/tokens", methods=["GET", "POST"])
@requires(permissions.may_manage_integrations)
def every() -> Any:
    """List every user's tokens; make one for a user."""
    if request.method == "POST":
        return _create(None, "admin/tokens.html")
    return _page("admin/tokens.html", owner=None)


@bp.post("/admin/tokens/<token_id>/revoke")
@requires(permissions.may_manage_integrations)
def revoke_any(token_id: str) -> Any:
    """Revoke any user's token."""
    if not _tokens().revoke(token_id, by=current_user.username, now=_now()):
        abort(404)
    flash(gettext("The token was revoked."), "success")
    return redirect(url_for("tokens.every"), 303)
