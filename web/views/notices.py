"""The in-app inbox of notices and the user's notification preferences (issue 18)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from marshmallow import ValidationError

from petitions.notifications import notices
from web.context import runtime
from web.i18n import field_errors
from web.schemas.notices import NotificationPrefsSchema

bp = Blueprint("notices", __name__)
PAGE = 50


def row_id(value: str | None) -> int | None:
    """Read a row id from a form or query (None unless 1-9 digits: no database overflow)."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _engine() -> Any:
    return runtime().views.engine


@bp.get("/inbox")
@login_required
def inbox() -> Any:
    """List the user's notices, newest first, a page at a time (``before``: an id)."""
    before = row_id(request.args.get("before"))
    rows = notices.inbox(_engine(), current_user.username, limit=PAGE + 1, before=before)
    more = rows[PAGE]["id"] + 1 if len(rows) > PAGE else None
    return render_template("notices/inbox.html", notices=rows[:PAGE], more=more,
                           kinds=notices.KINDS)


@bp.post("/inbox/read")
@login_required
def mark_read() -> Any:
    """Mark one notice (``id``) or all of them read."""
    one = row_id(request.form.get("id"))
    notices.mark_read(_engine(), current_user.username, runtime().tracker.now(),
                      ids=[one] if one is not None else None)
    target = request.form.get("open", "")
    if one is not None and target:
        # Open the item the notice is about (a code, never a URL: no open redirect).
        return redirect(url_for("items.show", ref=target[:32]))
    return redirect(url_for("notices.inbox"))


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences() -> Any:
    """Show and change how the user is told of each kind of change."""
    me = current_user.username
    current = notices.get_settings(_engine(), me)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            data = NotificationPrefsSchema().load(request.form)
        except ValidationError as err:
            errors = field_errors(err.messages)  # type: ignore[arg-type]
            flash(gettext("Some fields are not valid."), "error")
            current = {"email": request.form.get("email", ""),
                       "prefs": {k: request.form.get(k, "") for k in notices.KINDS}}
        else:
            email = data.pop("email") or ""
            needs_address = any(v in ("email", "digest") for v in data.values())
            if needs_address and not email:
                errors = {"email": [gettext("Give an address to be told by email.")]}
                flash(gettext("Some fields are not valid."), "error")
                current = {"email": "", "prefs": data}
            else:
                notices.save_settings(_engine(), me, email, data)
                flash(gettext("Your notification settings were saved."), "success")
                return redirect(url_for("notices.preferences"))
    status = 422 if errors else 200
    return render_template("notices/preferences.html", settings=current, errors=errors,
                           kinds=notices.KINDS,
                           channel_options=[(k, gettext(v)) for k, v in notices.CHANNELS.items()]
                           ), status


def unread() -> int:
    """Count the signed-in user's unread notices (0 for visitors) for the menu."""
    if not current_user.is_authenticated:
        return 0
    try:
        return notices.unread_count(_engine(), current_user.username)
    except Exception:  # noqa: BLE001 - the menu never fails a page; the outage page handles it
        return 0
