"""API twins of the work forms (issue 18): attach a file, issue an urging letter, hand over
the open items of abolished units (preview, then confirm).

They call the same application methods as the forms, which check the file's content, the
item's scope (404 outside it) and ``expected_version`` (409), and answer as every write
endpoint does (``web.views.api_write._run``).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify
from flask_login import current_user
from marshmallow import fields, validate

from domain.errors import N_, InvalidInput
from domain.handover import HandoverError
from petitions import permissions
from web.context import actor, tracker
from web.schemas import MESSAGES, Text
from web.views.api_twins import Base64File
from web.views.api_write import MAX_REF, _run
from web.forms import ref_error
from web.schemas.items import BulkHandOverSchema
from web.views.documents import AttachSchema, UrgeSchema
from web.views.handover import PREVIEW_ROWS

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


# -- hand-over of abolished units' items (council office) -------------------------------------
def _hand_over(confirm: bool) -> Any:
    if not permissions.may_hand_over(actor()):
        abort(403)

    def call(d: dict[str, Any]) -> Any:
        try:
            if confirm:
                return tracker().hand_over_bulk(actor(), **d)
            d.pop("reason", None)
            return tracker().plan_hand_over(actor(), **d)
        except HandoverError as err:
            raise ref_error(err.field, err) from None

    def answer(plan: Any) -> Any:
        # The page's preview: every pair's count, and the first rows (titles, no personal data).
        return ({"done": plan.done, "today": plan.today.isoformat(),
                 "by_lineage": plan.by_lineage, "total": len(plan.moves),
                 "counts": [{"from_unit": a, "to_unit": b, "items": n}
                            for a, b, n in plan.counts()],
                 "moves": [{"code": m.code, "kind": m.kind, "title": m.title,
                            "status": m.status, "from_unit": m.from_unit, "to_unit": m.to_unit}
                           for m in plan.moves[:PREVIEW_ROWS]],
                 "unresolved": plan.unresolved, "skipped": plan.skipped,
                 "conflicts": plan.conflicts}, tracker().position())
    return _run(BulkHandOverSchema(), call, answer=answer)


@bp.post("/handover/preview")
def hand_over_preview() -> Any:
    """Say what a hand-over would move; nothing is stored."""
    return _hand_over(confirm=False)


@bp.post("/handover")
def hand_over() -> Any:
    """Hand the items over (one event each); items closed or moved since are skipped."""
    return _hand_over(confirm=True)


def describe(spec: Any, answers: Any, body: Any, security: list[Any]) -> None:
    """Add these twins to the OpenAPI description."""
    from web.openapi import REF

    spec.components.schema("AttachRequest", schema=AttachRequestSchema)
    spec.components.schema("UrgeOne", schema=UrgeSchema)
    spec.components.schema("HandOver", schema=BulkHandOverSchema)
    for path, op, summary in (
            ("/api/handover/preview", "previewHandOver", "What a hand-over would move"),
            ("/api/handover", "handOver", "Hand over the open items of abolished units")):
        spec.path(path=path, operations={"post": {
            "operationId": op, "summary": summary, "security": security,
            "requestBody": body("HandOver"),
            "responses": answers(200, {"type": "object"}, 403, 422)}})
    spec.path(path="/api/items/{ref}/attachments", operations={"post": {
        "operationId": "attachFile", "summary": "Attach a file (base64) to an item",
        "security": security, "parameters": [REF], "requestBody": body("AttachRequest"),
        "responses": answers(201, {"$ref": "#/components/schemas/Saved"},
                             400, 403, 404, 409, 422)}})
    spec.path(path="/api/items/{ref}/urging-letter", operations={"post": {
        "operationId": "issueUrgingLetter", "summary": "Issue an urging letter for an item",
        "security": security, "parameters": [REF], "requestBody": body("UrgeOne"),
        "responses": answers(201, {"type": "object"}, 400, 403, 404, 422)}})
