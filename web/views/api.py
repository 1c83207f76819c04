"""A read-only JSON API over the same queries and schemas as the HTML pages.

Decision: the API only reads. It uses the signed-in session (cookie), so it needs no
CSRF token; every change goes through the HTML forms, which are CSRF-protected.
Personal data is masked exactly as on the pages (``tracker.get_item`` decides).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user
from marshmallow import ValidationError

from web import queries
from petitions import permissions
from petitions.lineage import ROLLUP_RULE
from projections.counters import ALL
from web.context import actor, as_of_arg, runtime, tracker
from web.labels import reference
from web.i18n import field_errors
from web.schemas.api import ItemRowSchema
from web.schemas.filters import FilterSchema

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.before_request
def require_login() -> Any:
    """Answer 401 in JSON rather than redirecting to the sign-in page."""
    if not current_user.is_authenticated:
        return jsonify({"error": "unauthorized"}), 401
    return None


def plain(value: Any) -> Any:
    """Turn dates, ids and nested data into JSON values (ISO dates)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


@bp.get("/items")
def items() -> Any:
    """List items the user may see, with the same filters as the search page."""
    try:
        query = FilterSchema().load(request.args)
    except ValidationError as err:
        return jsonify({"error": "invalid", "errors": field_errors(err.messages)}), 422
    page = queries.items(runtime(), actor(), query["filter"], query["after"],
                         current_app.config["PAGE_SIZE"], as_of=as_of_arg())
    return jsonify({"items": ItemRowSchema(many=True).dump(page.rows),
                    "next": page.next_cursor})


@bp.get("/items/<ref>")
def item(ref: str) -> Any:
    """Return one item's current state."""
    return jsonify(plain(tracker().get_item(actor(), ref[:64], as_of=as_of_arg())))


@bp.get("/items/<ref>/history")
def history(ref: str) -> Any:
    """Return the item's events, oldest first."""
    return jsonify(plain(tracker().history(actor(), ref[:64], as_of=as_of_arg())))


@bp.get("/boards/districts")
def district_board() -> Any:
    """Counts per district (city-wide under ``*``) for the city roles."""
    if not permissions.may_see_city_boards(actor()):
        abort(403)
    session = request.args.get("session", ALL)[:32]
    return jsonify(queries.districts(runtime(), session, as_of_arg()))


@bp.get("/boards/rollup")
def district_rollup() -> Any:
    """Counts per former district, its communes and wards added in, with the rule used."""
    if not permissions.may_see_city_boards(actor()):
        abort(403)
    session = request.args.get("session", ALL)[:32]
    return jsonify({"rule": ROLLUP_RULE, "session": session,
                    "districts": queries.district_rollup(runtime(), session, as_of_arg())})


@bp.get("/boards/district/<code>")
def one_district(code: str) -> Any:
    """One district's counts; district staff only for their own district."""
    me = actor()
    if not permissions.may_see_district_boards(me):
        abort(403)
    if not permissions.may_see_district_board(me, code) \
            or code not in reference().get("units", {}):
        abort(404)
    session = request.args.get("session", ALL)[:32]
    return jsonify(queries.district(runtime(), code, session, as_of_arg()))
