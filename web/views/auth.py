"""Signing in and out, the home page, and the language switch."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user

from domain.actor import Role
from domain.errors import DomainError
from petitions.users.attempts import SignInUnavailable, TooManyAttempts
from petitions.users.store import User
from web.context import accounts, users
from web.i18n import LANGUAGES, error_text
from web.login import SignedInUser
from web.security import client_address

bp = Blueprint("auth", __name__)

# The password step is remembered this long while the second factor is asked.
PENDING = "pending_sign_in"
PENDING_FOR = timedelta(minutes=5)

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
    """Show the sign-in form and check the password, within the sign-in limits."""
    if request.method == "GET":
        return render_template("auth/login.html", username="")
    username = request.form.get("username", "")
    try:
        checked = accounts().check_password(username, request.form.get("password", ""),
                                            client_address())
    except (TooManyAttempts, SignInUnavailable) as err:
        flash(error_text(err), "error")
        return render_template("auth/login.html", username=username[:64]), _status(err)
    if checked.user is None:
        current_app.logger.warning("failed sign-in for %r from %s", username[:64],
                                   client_address())
        flash(gettext("Wrong user name or password."), "error")
        return render_template("auth/login.html", username=username[:64]), 401
    if checked.next_step == "session":
        return _signed_in(checked.user, second=False)
    # The password was right; the session starts only after the second factor.
    _keep_language_and_clear()
    session[PENDING] = {"user": checked.user.username, "step": checked.next_step,
                        "at": accounts().clock().isoformat()}
    endpoint = "auth.second_factor" if checked.next_step == "code" else "auth.enrol"
    return redirect(url_for(endpoint, next=_next_target()))


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor() -> Any:
    """Ask for the code of the authenticator app (or a recovery code)."""
    username = _pending("code")
    if username is None:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("auth/code.html")
    try:
        ok = accounts().check_code(username, request.form.get("code", ""), client_address())
    except (TooManyAttempts, SignInUnavailable) as err:
        flash(error_text(err), "error")
        return render_template("auth/code.html"), _status(err)
    user = users().get(username) if ok else None
    if user is None:
        flash(gettext("Wrong code. Type the 6 digits your app shows now, or a recovery code."),
              "error")
        return render_template("auth/code.html"), 401
    return _signed_in(user, second=True)


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol() -> Any:
    """Set up two-factor sign-in at first sign-in (required for the user's role)."""
    username = _pending("enrol")
    if username is None:
        return redirect(url_for("auth.login"))
    result = enrolment_step(username)
    if not isinstance(result, list):
        return result
    user = users().get(username)
    if user is None:
        return redirect(url_for("auth.login"))
    _signed_in(user, second=True)
    return render_template("auth/recovery_codes.html", codes=result, target=_next_target())


def enrolment_step(username: str) -> Any:
    """Show the QR code, or check the code typed: the recovery codes once it is right."""
    try:
        enrolment = accounts().begin_enrolment(username)
    except DomainError as err:
        flash(error_text(err), "error")
        return redirect(url_for("auth.home"))
    if request.method == "GET":
        return render_template("auth/enrol.html", enrolment=enrolment)
    try:
        codes = accounts().confirm_enrolment(username, request.form.get("code", ""),
                                             client_address())
    except (TooManyAttempts, SignInUnavailable) as err:
        flash(error_text(err), "error")
        return render_template("auth/enrol.html", enrolment=enrolment), _status(err)
    if codes is None:
        flash(gettext("Wrong code. Type the 6 digits your app shows now."), "error")
        return render_template("auth/enrol.html", enrolment=enrolment), 401
    return codes


def _status(err: DomainError) -> int:
    """429 past a limit; 503 when the limit's store does not answer."""
    return 429 if isinstance(err, TooManyAttempts) else 503


def _signed_in(user: User, second: bool) -> Any:
    """Start the session (a fresh one: no fixation) and go where the user was going."""
    chosen = _keep_language_and_clear()
    if chosen is not None and chosen != user.language:
        users().set_language(user.username, chosen)
    token = accounts().start_session(user, client_address(), second)
    login_user(SignedInUser.of(user, token))
    return redirect(_next_target())


def _keep_language_and_clear() -> str | None:
    """Clear the session, keeping the language picked on the sign-in page."""
    chosen = session.get("lang")
    session.clear()
    if chosen in LANGUAGES:
        # The language picked on the sign-in page is the user's latest choice: keep it.
        session["lang"] = chosen
        return chosen
    return None


def _pending(step: str) -> str | None:
    """Return the user whose password was right a few minutes ago, awaiting ``step``."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or pending.get("step") != step:
        return None
    try:
        since = datetime.fromisoformat(pending["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if accounts().clock() - since > PENDING_FOR:
        session.pop(PENDING, None)
        flash(gettext("The sign-in took too long. Start again."), "error")
        return None
    return pending.get("user")


def _next_target() -> str:
    target = request.args.get("next", "")
    return target if _is_local(target) else url_for("auth.home")


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Sign out: every session of the user ends, on every device."""
    accounts().sign_out(current_user.session_token, client_address())
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
