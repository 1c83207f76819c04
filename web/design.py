"""Template helpers of the design system: status groups, days left, dd/mm/yyyy dates.

Each one is a dictionary look-up or one subtraction per row, so a list page of 50 rows
costs no more than before (the list page's render time is benchmarked).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any

from flask import g
from flask_babel import gettext

from web.i18n import format_count

from domain.item_types import REGISTRY

# Every status's group, once: the badge's colour follows the group (``style.css``).
_GROUPS = {spec.value: spec.group.value for spec in REGISTRY.statuses()}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A due date within this many days shows as "soon" (amber) on the deadline chip.
SOON_DAYS = 7


def status_group(status: str | None) -> str:
    """Return the status's group (open, awaiting_review, …), "" when unknown."""
    return _GROUPS.get(status or "", "")


def today() -> date:
    """Today in the council's time zone, read once per request."""
    cached = getattr(g, "_design_today", None)
    if cached is None:
        from web.context import runtime

        cached = g._design_today = runtime().tracker.today()
    return cached


def days_left(due: Any) -> int | None:
    """Days from today to ``due`` (negative: past it); None without a date."""
    if isinstance(due, str):
        try:
            due = date.fromisoformat(due[:10])
        except ValueError:
            return None
    if isinstance(due, datetime):
        due = due.date()
    if not isinstance(due, date):
        return None
    return (due - today()).days


def deadline_state(days: int | None) -> str:
    """The chip's colour: late, soon (within a week) or ok."""
    if days is None:
        return ""
    if days < 0:
        return "late"
    return "soon" if days <= SOON_DAYS else "ok"


def days_text(days: int | None) -> str:
    """Say the days left (or past) in words."""
    if days is None:
        return ""
    if days == 0:
        return gettext("due today")
    n = format_count(abs(days))
    if days < 0:
        return gettext("1 day overdue") if days == -1 else gettext("{n} days overdue").format(n=n)
    return gettext("1 day left") if days == 1 else gettext("{n} days left").format(n=n)


def changed_since(value: Any, seen: datetime | None) -> bool:
    """Tell whether a row's ``updated_at`` is after the user's previous visit."""
    if seen is None or not isinstance(value, datetime):
        return False
    if value.tzinfo is None:  # SQLite gives UTC times back without their zone
        value = value.replace(tzinfo=timezone.utc)
    return value > seen


def dmy(value: Any) -> str:
    """Show a stored ISO date as dd/mm/yyyy in a date field; anything typed stays as typed."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if _ISO.match(text):
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text
