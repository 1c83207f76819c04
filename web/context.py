"""Request helpers shared by the blueprints: the runtime, the acting user, permission guards."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, request
from flask_login import current_user

from domain.actor import Actor
from domain.errors import N_, InvalidInput
from petitions import permissions
from petitions.users.store import UserStore

F = TypeVar("F", bound=Callable[..., Any])


def runtime() -> Any:
    """Return the runtime stored by ``create_app``."""
    return current_app.extensions["petitions"]


def tracker() -> Any:
    """Return the tracker application."""
    return runtime().tracker


def users() -> UserStore:
    """Return the user store."""
    return current_app.extensions["petitions_users"]


def accounts() -> Any:
    """Return the account use cases (sign-in, sessions, the administrator's actions)."""
    return current_app.extensions["petitions_accounts"]


def actor() -> Actor:
    """Return the signed-in user as an Actor (call only behind ``login_required``)."""
    return current_user.actor()


def requires(capability: Callable[..., bool], *args: Any) -> Callable[[F], F]:
    """Refuse with 403 unless ``capability(user, *args)`` holds (a ``permissions.may_…``)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*view_args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not capability(actor(), *args):
                abort(403)
            return view(*view_args, **kwargs)
        return wrapper  # type: ignore[return-value]
    return decorate


def can(capability: str, *args: Any) -> bool:
    """Tell whether the signed-in user has the named capability (templates: ``can('log')``)."""
    me = actor() if current_user.is_authenticated else None
    return permissions.can(me, capability, *args)


def scope() -> permissions.Scope | None:
    """Return what the signed-in user's lists are narrowed to (None for visitors)."""
    return permissions.scope_filter(actor()) if current_user.is_authenticated else None


def after_command(receipt: Any) -> None:
    """Wait until the read models include the command (read-your-writes)."""
    try:
        runtime().wait_for(receipt)
    except Exception:  # the command is saved: a lagging or failing view must not hide that
        # The item page reads the event store directly; lists catch up a moment later.
        current_app.logger.exception("views did not catch up with %s", receipt)


def own_district(data: dict[str, Any]) -> dict[str, Any]:
    """Fill in a district staff member's own district when the form left it empty."""
    own = permissions.scope_filter(actor())
    if own.narrows("district") and not data.get("district"):
        data["district"] = own.code
    return data


# The first day a figure can be asked for: before it the store holds nothing.
FIRST_AS_OF = date(2000, 1, 1)


def parse_day(text: str) -> date | None:
    """Read a day typed dd/mm/yyyy (the office's habit) or yyyy-mm-dd (links, the API)."""
    from datetime import datetime

    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text[:10], fmt).date() if len(text) <= 10 else None
        except ValueError:
            continue
    return None


def position_arg(raw: str) -> Any:
    """Return the moment just after the event numbered ``raw`` ("#21443" or "21443", the
    number a digest prints), its rows prepared (``Runtime.at_position``); refused with the
    field named when it is not a number, not recorded yet, or too far back to replay."""
    from projections.positions import PositionOutOfReach

    digits = raw.lstrip("#").replace(".", "").replace(",", "").strip()
    if not digits.isdigit() or len(digits) > 12:
        raise InvalidInput({"as_of": [N_("Enter a day as dd/mm/yyyy or an event number as #12345.")]})
    try:
        return runtime().at_position(int(digits))
    except PositionOutOfReach as e:
        if e.reason == "too_old":
            raise InvalidInput({"as_of": [N_(
                "That event is too far back to replay; pick its day instead.")]}) from None
        raise InvalidInput({"as_of": [N_("No event with that number has been recorded yet.")]}
                           ) from None


def as_of_arg() -> date | None:
    """Return the day picked as "Tính đến ngày" (``?as_of=``, dd/mm/yyyy or YYYY-MM-DD); None: today.

    ``?as_of=#N`` (or ``?position=N``) is the moment just after event N instead
    (``position_arg``).

    A value that is not a day, or a day after today, is refused with the field named
    (``InvalidInput``: a JSON 422 on the API, a message page otherwise); nothing is read.
    """
    raw = request.args.get("as_of", "").strip()
    position = request.args.get("position", "").strip()
    if position or raw.startswith("#"):
        return position_arg(position or raw)
    if not raw:
        return None
    day = parse_day(raw)
    if day is None:
        raise InvalidInput({"as_of": [N_("Enter the day as dd/mm/yyyy.")]})
    today = tracker().today()
    if day > today:
        raise InvalidInput({"as_of": [N_("Pick a day up to today.")]})
    if day < FIRST_AS_OF:
        raise InvalidInput({"as_of": [N_("Pick a day from 2000 on.")]})
    return None if day == today else day
