"""Signing in and out, the home page, and the language switch."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user

from domain.actor import Role
from web.context import users
from web.i18n import LANGUAGES
from web.login import SignedInUser

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    Role.DISTRICT_STAFF: "items.search", Role.SECRETARIAT: "queues.secretariat",
    Role.AGENCY_STAFF: "queues.agency", Role.DEPUTY: "items.search", Role.ADMIN: "boards.city",
}


@bp.get("/")
def home() -> Any:
    """Send signed-in users to their work list, visitors to the sign-in page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(HOME_BY_ROLE.get(current_user.role, "items.search")))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Show the sign-in form and check the password (rate-limited in ``web.security``)."""
    if request.method == "GET":
        return render_template("auth/login.html", username="")
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    user = users().authenticate(username[:64], password[:256])
    if user is None:
        current_app.logger.warning("failed sign-in for %r from %s", username[:64],
                                   request.remote_addr)
        flash(gettext("Wrong user name or password."), "error")
        return render_template("auth/login.html", username=username[:64]), 401
    chosen = session.get("lang")
    session.clear()  # a fresh session on sign-in: no fixation
    if chosen in LANGUAGES:
        # The language picked on the sign-in page is the user's latest choice: keep it.
        session["lang"] = chosen
        if chosen != user.language:
            users().set_language(user.username, chosen)
    login_user(SignedInUser.of(user))
    target = request.args.get("next", "")
    if not _is_local(target):
        target = url_for("auth.home")
    return redirect(target)


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Sign out."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> Any:
    """Switch the language: saved on the user's account, or in the visitor's session."""
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        flash(gettext("Unknown language."), "error")
        return redirect(url_for("auth.home")), 303
    if current_user.is_authenticated:
        users().set_language(current_user.username, lang)
    session["lang"] = lang
    target = request.form.get("next", "")
    return redirect(target if _is_local(target) else url_for("auth.home"), 303)


def _is_local(target: str) -> bool:
    """Allow only same-site, one-line paths as redirect targets."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if not target.isprintable():  # a line break would split the Location header
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
