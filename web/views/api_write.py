"""The write API (issue 18): every item form as JSON, with the forms' schemas and rules.

Each endpoint loads the same marshmallow schema as its HTML form, calls the same
application method, and answers JSON: 201/200 with the item's code and version, 422 with
``{"error": "invalid", "errors": {field: [messages]}}``, 409 when ``expected_version`` is
stale, 404 for an item out of the token's scope, 403 for a role that may never do it.
Requests need an API token (``web.api_auth``); the description is ``/api/openapi.json``.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext
from flask_login import current_user
from marshmallow import ValidationError

from domain.errors import DomainError, InvalidInput, PermissionDenied
from petitions import permissions
from petitions.errors import ConflictError, ItemNotFound
from petitions.notifications import notices
from web.actions import FORMS, offered_anywhere
from web.context import actor, after_command, own_district, runtime, tracker, users
from web.i18n import error_text, field_errors
from web.schemas.items import ComplaintSchema, PetitionSchema
from web.schemas.notices import NotificationPrefsSchema

bp = Blueprint("api_write", __name__, url_prefix="/api")
MAX_REF = 64


@bp.before_request
def require_user() -> Any:
    """Answer 401 in JSON for visitors (the docs and description are public)."""
    if request.endpoint in ("api_write.openapi", "api_write.docs"):
        return None
    if not current_user.is_authenticated:
        return jsonify({"error": "unauthorized", "reason": "token_required"}), 401
    return None


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if request.mimetype != "application/json" or not isinstance(data, dict):
        raise InvalidInput({"_": ["Send a JSON object (Content-Type: application/json)."]})
    return data


def _saved(receipt: Any) -> tuple[dict[str, Any], Any]:
    return {"code": receipt.code, "version": receipt.version,
            "position": receipt.position}, receipt


def _run(schema: Any, call: Any, status: int = 200, answer: Any = _saved) -> Any:
    """Validate the JSON body with ``schema``, run ``call``, answer JSON.

    ``answer`` turns what ``call`` returned into the JSON body and what to wait for
    (a receipt or a position), so every twin refuses alike whatever it returns.
    """
    try:
        data = schema.load(_body())
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {"_": err.messages}
        return _invalid(field_errors(messages))
    except InvalidInput as err:
        return _invalid(err.errors)
    try:
        receipt = call(data)
    except InvalidInput as err:
        return _invalid(field_errors(err.errors))
    except ConflictError as err:
        return jsonify({"error": "conflict", "message": error_text(err)}), 409
    except (ItemNotFound, PermissionDenied):
        raise  # 404 / 403 in JSON (web.errors)
    except DomainError as err:
        return jsonify({"error": "refused", "message": error_text(err)}), 400
    body, wait = answer(receipt)
    after_command(wait)
    return jsonify(body), status


def _invalid(errors: dict[str, list[str]]) -> Any:
    return jsonify({"error": "invalid", "message": gettext("Some fields are not valid."),
                    "errors": errors}), 422


def _ref(ref: str) -> str:
    if len(ref) > MAX_REF:
        abort(404)
    return ref


@bp.post("/petitions")
def log_petition() -> Any:
    """Log a voter petition (the form /petitions/new)."""
    if not permissions.may_log(actor(), "petition"):
        abort(403)
    return _run(PetitionSchema(), lambda d: tracker().log_petition(actor(), **own_district(d)),
                201)


@bp.post("/complaints")
def receive_complaint() -> Any:
    """Record a đơn (the form /complaints/new)."""
    from web.views.complaints import receive

    if not permissions.may_log(actor(), "complaint"):
        abort(403)
    return _run(ComplaintSchema(), receive, 201)


@bp.post("/items/<ref>/actions/<name>")
def act(ref: str, name: str) -> Any:
    """Take one lifecycle action on an item (the item page's forms)."""
    form = FORMS.get(name)
    if form is None:
        abort(404)
    me = actor()
    if not offered_anywhere(me, name):
        abort(403)
    ref = _ref(ref)
    return _run(form.schema(), lambda d: form.call(tracker(), me, ref, d))


@bp.post("/items/<ref>/publish")
def publish(ref: str) -> Any:
    """Publish the answer shown on the public lookup page (the secretariat)."""
    from web.schemas.public import PublishSchema

    if not permissions.may_publish_answer(actor()):
        abort(403)
    ref = _ref(ref)
    return _run(PublishSchema(), lambda d: tracker().publish_answer(actor(), ref, **d))


@bp.post("/items/<ref>/follow")
def follow(ref: str) -> Any:
    """Follow an item (deputies)."""
    if not permissions.may_follow(actor()):
        abort(403)
    item = tracker().get_item(actor(), _ref(ref))
    users().follow(actor().username, item["id"], item["code"])
    return jsonify({"code": item["code"], "following": True})


@bp.delete("/items/<ref>/follow")
def unfollow(ref: str) -> Any:
    """Stop following an item."""
    if not permissions.may_follow(actor()):
        abort(403)
    item = tracker().get_item(actor(), _ref(ref))
    users().unfollow(actor().username, item["id"])
    return jsonify({"code": item["code"], "following": False})


@bp.get("/notices")
def inbox() -> Any:
    """The user's notices, newest first; ``before`` (an id) pages back, ``limit`` ≤ 100."""
    from web.views.notices import row_id

    before = row_id(request.args.get("before"))
    limit = max(1, min(row_id(request.args.get("limit")) or 50, 100))
    rows = notices.inbox(runtime().views.engine, actor().username, limit=limit + 1,
                         before=before)
    shown = [{"id": r["id"], "code": r["code"], "kind": r["kind"], "title": r["title"],
              "at": r["at"].isoformat(), "read": r["read_at"] is not None} for r in rows[:limit]]
    return jsonify({"notices": shown,
                    "next": rows[limit - 1]["id"] if len(rows) > limit else None,
                    "unread": notices.unread_count(runtime().views.engine, actor().username)})


@bp.put("/notices/preferences")
def preferences() -> Any:
    """Set how the user is told of each kind of change."""
    try:
        data = NotificationPrefsSchema().load(_body())
    except ValidationError as err:
        return _invalid(field_errors(err.messages))  # type: ignore[arg-type]
    email = data.pop("email") or ""
    if any(v in ("email", "digest") for v in data.values()) and not email:
        return _invalid({"email": [gettext("Give an address to be told by email.")]})
    notices.save_settings(runtime().views.engine, actor().username, email, data)
    return jsonify(notices.get_settings(runtime().views.engine, actor().username))


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3 description of this API, generated from the schemas."""
    from web.openapi import build_spec

    return jsonify(build_spec(runtime().settings.base_url))


@bp.get("/docs")
def docs() -> Any:
    """A page listing every operation of the API, from the same description."""
    from flask import render_template

    from web.openapi import build_spec, operations

    return render_template("api/docs.html", operations=operations(build_spec("")))
