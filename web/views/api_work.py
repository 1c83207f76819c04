"""API twins of an item's document forms (issue 18): attach a file, issue an urging letter.

They call the same application methods as the forms on the item page, which check the
file's content, the item's scope (404 outside it) and ``expected_version`` (409), and answer
as every write endpoint does (``web.views.api_write._run``).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify
from flask_login import current_user
from marshmallow import fields, validate

from domain.errors import N_, InvalidInput
from petitions import permissions
from web.context import actor, tracker
from web.schemas import MESSAGES, Text
from web.views.api_twins import Base64File
from web.views.api_write import MAX_REF, _run
from web.views.documents import AttachSchema, UrgeSchema

bp = Blueprint("api_work", __name__, url_prefix="/api")


@bp.before_request
def require_user() -> Any:
    """Answer 401 in JSON for visitors."""
    if not current_user.is_authenticated:
        return jsonify({"error": "unauthorized", "reason": "token_required"}), 401
    return None


class AttachRequestSchema(AttachSchema):
    """The attach form's fields, its file base64-encoded with its name, and the version seen."""

    file = Base64File(load_default=None)
    filename = Text(load_default="", max_length=255)
    expected_version = fields.Integer(load_default=None, error_messages=MESSAGES,
                                      validate=validate.Range(0, 10**9))


def _ref(ref: str) -> str:
    if len(ref) > MAX_REF:
        abort(404)
    return ref


@bp.post("/items/<ref>/attachments")
def attach(ref: str) -> Any:
    """Attach a file to an item, one of its answers or notes, or a document."""
    me, ref = actor(), _ref(ref)
    if not permissions.may(me, "attach"):
        abort(403)

    def call(d: dict[str, Any]) -> Any:
        if not d["file"]:
            raise InvalidInput({"file": [N_("Choose a file.")]})
        return tracker().attach_file(me, ref, data=d["file"], filename=d["filename"],
                                     to=d["to"], personal=d["personal"] or None,
                                     expected_version=d["expected_version"])
    return _run(AttachRequestSchema(), call, 201)


@bp.post("/items/<ref>/urging-letter")
def urge_item(ref: str) -> Any:
    """Issue a numbered urging letter for this item to its agency; answer the document."""
    me, ref = actor(), _ref(ref)
    if not permissions.may_register_documents(me):
        abort(403)

    def answer(doc: dict[str, Any]) -> Any:
        return ({k: doc.get(k) for k in ("id", "reference", "item_codes", "position")},
                doc["position"])
    return _run(UrgeSchema(), lambda d: tracker().issue_urging_letter(me, ref, **d), 201,
                answer=answer)


def describe(spec: Any, answers: Any, body: Any, security: list[Any]) -> None:
    """Add these twins to the OpenAPI description."""
    from web.openapi import REF

    spec.components.schema("AttachRequest", schema=AttachRequestSchema)
    spec.components.schema("UrgeOne", schema=UrgeSchema)
    spec.path(path="/api/items/{ref}/attachments", operations={"post": {
        "operationId": "attachFile", "summary": "Attach a file (base64) to an item",
        "security": security, "parameters": [REF], "requestBody": body("AttachRequest"),
        "responses": answers(201, {"$ref": "#/components/schemas/Saved"},
                             400, 403, 404, 409, 422)}})
    spec.path(path="/api/items/{ref}/urging-letter", operations={"post": {
        "operationId": "issueUrgingLetter", "summary": "Issue an urging letter for an item",
        "security": security, "parameters": [REF], "requestBody": body("UrgeOne"),
        "responses": answers(201, {"type": "object"}, 400, 403, 404, 422)}})
