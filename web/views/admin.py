"""Administration of accounts (admin only): list, create, and each account's lifecycle —
deactivate, reactivate, role and scope, password reset link, two-factor reset — with its
history of changes and sign-ins."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext

from petitions import permissions
from web.context import accounts, actor, requires, runtime, tracker
from web.forms import FormError, submit, submitted
from web.schemas.users import NewUserSchema, RoleSchema
from web.security import client_address

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@requires(permissions.may_manage_users)
def user_list() -> Any:
    """List every user with role, scope and sign-in state, and the form to add one."""
    return render_template("admin/users.html", accounts=accounts().overview(), data={}, errors={})


@bp.post("/users")
@requires(permissions.may_manage_users)
def user_add() -> Any:
    """Create a user."""
    try:
        user = submit(NewUserSchema(), lambda data: accounts().create(
            actor(), client_address(), username=data["username"] or "",
            password=data["password"] or "", role=data["role"] or "",
            district=data["district"], agency=data["agency"],
            deputy_group=data["deputy_group"], display_name=data["display_name"],
            language=data["language"], reference=tracker().reference(),
            today=tracker().today()))
    except FormError as err:
        flash(err.message, "error")
        form = submitted()
        form.pop("password", None)  # never echo a password back
        return render_template("admin/users.html", accounts=accounts().overview(), data=form,
                               errors=err.errors), err.status
    flash(gettext("User {name} was created.").format(name=user.username), "success")
    return redirect(url_for("admin.user_show", username=user.username), 303)


@bp.get("/users/<username>")
@requires(permissions.may_manage_users)
def user_show(username: str) -> Any:
    """One account: its facts, the lifecycle actions, and its history."""
    return _page(username)


@bp.post("/users/<username>/role")
@requires(permissions.may_manage_users)
def user_role(username: str) -> Any:
    """Give the account another role or scope."""
    try:
        submit(RoleSchema(), lambda data: accounts().change_role(
            actor(), username, data["role"], district=data["district"], agency=data["agency"],
            deputy_group=data["deputy_group"], reference=tracker().reference(),
            today=tracker().today(), address=client_address()))
    except FormError as err:
        flash(err.message, "error")
        return _page(username, role_data=submitted(), role_errors=err.errors, status=err.status)
    flash(gettext("The role of {name} was changed; their sessions ended.").format(name=username),
          "success")
    return redirect(url_for("admin.user_show", username=username), 303)


@bp.post("/users/<username>/deactivate")
@requires(permissions.may_manage_users)
def user_deactivate(username: str) -> Any:
    """Deactivate the account: no more sign-ins, every session ends."""
    accounts().deactivate(actor(), username, client_address())
    flash(gettext("{name} was deactivated; their sessions ended.").format(name=username), "success")
    return redirect(url_for("admin.user_show", username=username), 303)


@bp.post("/users/<username>/reactivate")
@requires(permissions.may_manage_users)
def user_reactivate(username: str) -> Any:
    """Let the account sign in again."""
    accounts().reactivate(actor(), username, client_address())
    flash(gettext("{name} can sign in again.").format(name=username), "success")
    return redirect(url_for("admin.user_show", username=username), 303)


@bp.post("/users/<username>/password-reset")
@requires(permissions.may_manage_users)
def user_password_reset(username: str) -> Any:
    """Issue a one-time link to set a new password, shown once on this page."""
    token = accounts().issue_password_reset(actor(), username, client_address())
    link = runtime().settings.base_url.rstrip("/") + url_for("account.reset", token=token)
    return _page(username, reset_link=link)


@bp.post("/users/<username>/two-factor-reset")
@requires(permissions.may_manage_users)
def user_two_factor_reset(username: str) -> Any:
    """Remove the account's two-factor setup (a lost phone); it enrols again at sign-in."""
    accounts().reset_two_factor(actor(), username, client_address())
    flash(gettext("Two-factor sign-in of {name} was reset; their sessions ended.").format(
        name=username), "success")
    return redirect(url_for("admin.user_show", username=username), 303)


def _page(username: str, *, role_data: dict[str, Any] | None = None,
          role_errors: dict[str, list[str]] | None = None, reset_link: str | None = None,
          status: int = 200) -> Any:
    details = accounts().account(username)
    current = details["account"]
    data = role_data or {"role": current.role.value, "district": current.district or "",
                         "agency": current.agency or "", "deputy_group": current.deputy_group or ""}
    return render_template("admin/user.html", **details, data=data, errors=role_errors or {},
                           reset_link=reset_link,
                           is_me=current.username == actor().username), status
