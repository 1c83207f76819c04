"""The signed-in user's own account (two-factor sign-in), and setting a password from a reset link."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from domain.errors import DomainError, InvalidInput
from petitions.users.accounts import ResetLinkInvalid
from web.context import accounts
from web.i18n import error_text, field_errors
from web.security import client_address
from web.views.auth import enrolment_step

bp = Blueprint("account", __name__)


@bp.get("/account")
@login_required
def show() -> Any:
    """Show the user's two-factor sign-in status."""
    me = current_user.username
    return render_template("auth/account.html", second_factor=accounts().has_second_factor(me),
                           recovery_codes_left=accounts().unused_recovery_codes(me))


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor() -> Any:
    """Turn on two-factor sign-in (optional for roles that do not require it)."""
    result = enrolment_step(current_user.username)
    if not isinstance(result, list):
        return result
    return render_template("auth/recovery_codes.html", codes=result,
                           target=url_for("account.show"))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> Any:
    """Set a new password with the one-time link an administrator gave."""
    try:
        username = accounts().reset_target(token)
    except ResetLinkInvalid as err:
        flash(error_text(err), "error")
        return render_template("auth/reset.html", username=None, errors={}), 404
    if request.method == "GET":
        return render_template("auth/reset.html", username=username, errors={})
    password = request.form.get("password", "")
    if password != request.form.get("password_again", ""):
        errors = {"password_again": [gettext("The passwords differ.")]}
        flash(gettext("Some fields are not valid."), "error")
        return render_template("auth/reset.html", username=username, errors=errors), 422
    try:
        accounts().reset_password(token, password, client_address())
    except InvalidInput as err:
        flash(error_text(err), "error")
        return render_template("auth/reset.html", username=username,
                               errors=field_errors(err.errors)), 422
    except DomainError as err:
        flash(error_text(err), "error")
        return render_template("auth/reset.html", username=None, errors={}), 404
    flash(gettext("Your password was changed. Sign in with it."), "success")
    return redirect(url_for("auth.login"), 303)
