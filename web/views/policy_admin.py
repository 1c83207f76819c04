"""Administration of the official holiday calendar and the dated deadline policy (admin only).

Each change is recorded as an event with its actor; the open items whose due dates it
moves are recomputed on record, and the page says how many moved.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from petitions import permissions
from web.context import actor, requires, tracker
from web.forms import FormError, submit, submitted
from web.schemas.policy import CalendarDaySchema, PolicyVersionSchema

bp = Blueprint("policy_admin", __name__, url_prefix="/admin")
LIMIT_FIELDS = ("amount", "unit", "basis")


@bp.app_template_filter("weekday")
def weekday(day: Any) -> str:
    """Show the day of the week of a date in the user's language (Th 6 / Fri)."""
    from flask_babel import format_date

    return format_date(day, "EEE") if day else ""


def _calendar_page(data: dict[str, Any], errors: dict[str, list[str]]) -> str:
    t = tracker()
    return render_template("admin/policy/calendar.html", days=t.calendar_days(),
                           history=t.calendar_history(), data=data, errors=errors)


def _policy_page(data: dict[str, Any], errors: dict[str, list[str]]) -> str:
    t = tracker()
    versions = t.policy_versions()
    if not data:
        # The form starts from the latest version's limits: an admin changes what changed.
        latest = versions[-1]
        data = {f"limits.{key}.{name}": getattr(limit, name)
                for key, limit in latest.limits.items() for name in LIMIT_FIELDS}
    return render_template("admin/policy/policy.html", versions=versions,
                           history=t.policy_history(), limit_keys=list(versions[-1].limits),
                           data=data, errors=errors)


def _moved_message(moved: list[dict[str, Any]]) -> str:
    return gettext("Open items whose due date was computed again: {n}.").format(n=len(moved))


@bp.get("/calendar")
@requires(permissions.may_manage_policy)
def calendar() -> Any:
    """Show the official days (with their documents), the form to add one, and the history."""
    return _calendar_page({}, {})


@bp.post("/calendar")
@requires(permissions.may_manage_policy)
def calendar_add() -> Any:
    """Record a day off or a working day announced by a document."""
    try:
        moved = submit(CalendarDaySchema(),
                       lambda data: tracker().record_calendar_day(actor(), data))
    except FormError as err:
        flash(err.message, "error")
        return _calendar_page(submitted(), err.errors), err.status
    flash(gettext("The day was recorded.") + " " + _moved_message(moved), "success")
    return redirect(url_for("policy_admin.calendar"), 303)


@bp.get("/policy")
@requires(permissions.may_manage_policy)
def policy() -> Any:
    """Show every policy version with its limits, the form to add one, and the history."""
    return _policy_page({}, {})


def _posted_limits() -> dict[str, dict[str, str]]:
    limits: dict[str, dict[str, str]] = {}
    for name, value in request.form.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "limits" and parts[2] in LIMIT_FIELDS:
            limits.setdefault(parts[1], {})[parts[2]] = value
    return limits


@bp.post("/policy")
@requires(permissions.may_manage_policy)
def policy_add() -> Any:
    """Add a policy version in force from its date."""
    try:
        moved = submit(PolicyVersionSchema(), lambda data: tracker().add_policy_version(
            actor(), {**data, "limits": _posted_limits()}))
    except FormError as err:
        flash(err.message, "error")
        return _policy_page(submitted(), err.errors), err.status
    flash(gettext("The policy version was added.") + " " + _moved_message(moved), "success")
    return redirect(url_for("policy_admin.policy"), 303)
