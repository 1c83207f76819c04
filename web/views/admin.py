"""Administration: the list of users and a form to create one (admin only)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext

from petitions import permissions
from web.context import requires, tracker, users
from web.forms import FormError, submit, submitted
from web.schemas.users import NewUserSchema

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@requires(permissions.may_manage_users)
def user_list() -> Any:
    """List every user with role and scope, and the form to add one."""
    return render_template("admin/users.html", accounts=users().all(), data={}, errors={})


@bp.post("/users")
@requires(permissions.may_manage_users)
def user_add() -> Any:
    """Create a user."""
    try:
        user = submit(NewUserSchema(), lambda data: users().add(
            data["username"] or "", data["password"] or "", data["role"] or "",
            district=data["district"], agency=data["agency"],
            deputy_group=data["deputy_group"], display_name=data["display_name"],
            language=data["language"], reference=tracker().reference()))
    except FormError as err:
        flash(err.message, "error")
        form = submitted()
        form.pop("password", None)  # never echo a password back
        return render_template("admin/users.html", accounts=users().all(), data=form,
                               errors=err.errors), err.status
    flash(gettext("User {name} was created.").format(name=user.username), "success")
    return redirect(url_for("admin.user_list"), 303)
