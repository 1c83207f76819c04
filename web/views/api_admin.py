"""API twins of the admin pages (issue 18): reference data, the deadline policy, webhooks,
the ladder's recipients, sending failed emails again.

Each twin loads what its form sends through a marshmallow schema (the recipients form's
own), calls the same function as the page and answers as every write endpoint does
(``web.views.api_write._run``): 201/200, 422 with a field map, 403 for a role that may
never, 404 for a webhook that does not exist.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify
from marshmallow import fields, validate

from domain.errors import N_, InvalidInput
from petitions import permissions, webhooks
from petitions.notifications.recipients import MAILBOX_KINDS, set_ladder_address
from petitions.notifications.sender import retry_now
from web.context import actor, runtime, tracker
from web.schemas import MESSAGES, BaseSchema, Code, Text
from web.schemas.policy import PolicyVersionSchema
from web.schemas.reference import EndEntrySchema, ReferenceEntrySchema
from web.views.api_twins import require_user
from web.views.api_write import _run
from web.views.policy_admin import LIMIT_FIELDS
from web.views.recipients import RecipientSchema
from web.views.reference_admin import SECTIONS, _field_map, _section, entry_of

bp = Blueprint("api_admin", __name__, url_prefix="/api/admin")


bp.before_request(require_user)  # 401 in JSON for visitors, as every API blueprint


class WebhookSchema(BaseSchema):
    """A webhook to register: where to deliver, and the kinds of change it wants."""

    url = Text(load_default="", max_length=2000)
    kinds = fields.List(Code(), load_default=list, error_messages=MESSAGES,
                        validate=validate.Length(max=20))


class ActiveSchema(BaseSchema):
    """A webhook turned off (nothing more is queued for it) or on again."""

    active = fields.Boolean(required=True, error_messages=MESSAGES)


class RetrySchema(BaseSchema):
    """One outbox row to send again, or (no ``id``) every failed and skipped one."""

    id = fields.Integer(load_default=None, error_messages=MESSAGES,
                        validate=validate.Range(1, 10**9))


class PolicyRequestSchema(PolicyVersionSchema):
    """A policy version and its limits, ``{key: {"amount", "unit", "basis"}}`` (the form
    sends them as ``limits.<key>.<field>`` inputs)."""

    limits = fields.Dict(
        keys=Text(max_length=64),
        values=fields.Dict(keys=fields.String(validate=validate.OneOf(LIMIT_FIELDS)),
                           values=Text(max_length=500), error_messages=MESSAGES),
        load_default=dict, error_messages=MESSAGES)


def _allowed(check: Any) -> None:
    if not check(actor()):
        abort(403)


def _unchanged_log(result: Any) -> Any:
    # These are rows of the views database, not events: nothing for the views to catch up.
    return result, tracker().position()


# -- reference data and the deadline policy (events: the views catch up with the position) ---
def _renamed(call: Any, field_map: dict[str, str]) -> Any:
    """Run ``call`` naming the fields as the schema does (the domain says "name" for name_vi)."""
    def run(data: dict[str, Any]) -> Any:
        try:
            return call(data)
        except InvalidInput as err:
            raise InvalidInput({field_map.get(k, k): v for k, v in err.errors.items()}) from None
    return run


def _entry_answer(section: str) -> Any:
    def answer(code: str) -> Any:
        return ({"section": section, "entry": tracker().reference()[section][code]},
                tracker().position())
    return answer


def _known(section: str, code: str) -> str:
    if len(code) > 96 or code not in tracker().reference().get(section, {}):
        abort(404)
    return code


@bp.post("/reference/<section>")
def add_reference(section: str) -> Any:
    """Add an entry to a section (the form /admin/reference/<section>/new)."""
    _section(section)  # 404 unknown section, 403 a section the role does not keep

    def add(d: dict[str, Any]) -> str:
        return tracker().add_reference(actor(), section, entry_of(section, d, with_code=True),
                                       reason=d.get("reason") or "")["code"]
    return _run(ReferenceEntrySchema(), _renamed(add, _field_map(section)), 201,
                answer=_entry_answer(section))


@bp.post("/reference/<section>/<code>")
def change_reference(section: str, code: str) -> Any:
    """Change an entry's fields (its code stays); the reason is recorded with the change."""
    _section(section)
    code = _known(section, code)

    def change(d: dict[str, Any]) -> str:
        tracker().change_reference(actor(), section, code, entry_of(section, d, with_code=False),
                                   reason=d.get("reason") or "")
        return code
    return _run(ReferenceEntrySchema(), _renamed(change, _field_map(section)),
                answer=_entry_answer(section))


@bp.post("/reference/<section>/<code>/end")
def end_reference(section: str, code: str) -> Any:
    """End an entry on its last valid day."""
    _section(section)
    code = _known(section, code)

    def end(d: dict[str, Any]) -> str:
        if d.get("valid_to") is None:
            raise InvalidInput({"valid_to": [N_("This field is required.")]})
        tracker().end_reference(actor(), section, code, d["valid_to"],
                                reason=d.get("reason") or "")
        return code
    return _run(EndEntrySchema(), end, answer=_entry_answer(section))


@bp.post("/policy")
def add_policy_version() -> Any:
    """Add a deadline policy version in force from its date; answer the deadlines it moved."""
    _allowed(permissions.may_manage_policy)
    return _run(PolicyRequestSchema(), lambda d: tracker().add_policy_version(actor(), d), 201,
                answer=lambda moved: ({"moved": len(moved)}, tracker().position()))


# -- webhooks, recipients, the outbox (rows of the views database) ----------------------------
@bp.post("/webhooks")
def add_webhook() -> Any:
    """Register a webhook (the form /admin/webhooks); its signing secret is answered once."""
    _allowed(permissions.may_manage_integrations)

    def register(d: dict[str, Any]) -> Any:
        hook_id, secret = webhooks.register_webhook(
            runtime().views.engine, d["url"].strip(), d["kinds"], by=actor().username,
            now=tracker().now(), allow_private=runtime().settings.webhooks_allow_private)
        return {"id": hook_id, "secret": secret}
    return _run(WebhookSchema(), register, 201, answer=_unchanged_log)


@bp.post("/webhooks/<int:hook_id>/active")
def toggle_webhook(hook_id: int) -> Any:
    """Turn a webhook off or on; 404 when there is no such webhook."""
    _allowed(permissions.may_manage_integrations)

    def toggle(d: dict[str, Any]) -> Any:
        if not webhooks.set_active(runtime().views.engine, hook_id, d["active"]):
            abort(404)
        return {"id": hook_id, "active": d["active"]}
    return _run(ActiveSchema(), toggle, answer=_unchanged_log)


@bp.post("/recipients")
def change_recipient() -> Any:
    """Set one mailbox of the escalation ladder (an empty address goes back to the default)."""
    _allowed(permissions.may_manage_integrations)

    def change(d: dict[str, Any]) -> Any:
        section = MAILBOX_KINDS[d["kind"]]
        code = "" if section is None else d["code"] or ""
        if section is not None and code not in tracker().reference().get(section, {}):
            raise InvalidInput({"code": [N_("Unknown value.")]})
        set_ladder_address(runtime().views.engine, d["kind"], code, d["email"] or "",
                           by=actor().username, at=tracker().now())
        return {"kind": d["kind"], "code": code, "email": d["email"] or ""}
    return _run(RecipientSchema(), change, answer=_unchanged_log)


@bp.post("/outbox/retry")
def retry_emails() -> Any:
    """Make one email (``id``) or every failed and skipped one due now; the sender sends it."""
    _allowed(permissions.may_manage_outbox)

    def retry(d: dict[str, Any]) -> Any:
        ids = [d["id"]] if d["id"] is not None else None
        return {"queued": retry_now(runtime().tracker, runtime().views.engine, ids=ids)}
    return _run(RetrySchema(), retry, answer=_unchanged_log)


def describe(spec: Any, answers: Any, body: Any, security: list[Any]) -> None:
    """Add these twins to the OpenAPI description."""
    obj = {"type": "object"}
    spec.components.schema("ReferenceEntry", schema=ReferenceEntrySchema)
    spec.components.schema("ReferenceEnd", schema=EndEntrySchema)
    spec.components.schema("PolicyVersion", schema=PolicyRequestSchema)
    section = {"name": "section", "in": "path", "required": True, "example": "fields",
               "schema": {"type": "string", "enum": list(SECTIONS)}}
    code = {"name": "code", "in": "path", "required": True, "example": "transport",
            "schema": {"type": "string", "maxLength": 96}}
    spec.path(path="/api/admin/reference/{section}", operations={"post": {
        "operationId": "addReferenceEntry", "summary": "Add a reference data entry",
        "security": security, "parameters": [section], "requestBody": body("ReferenceEntry"),
        "responses": answers(201, obj, 400, 403, 404, 422)}})
    spec.path(path="/api/admin/reference/{section}/{code}", operations={"post": {
        "operationId": "changeReferenceEntry", "summary": "Change a reference data entry",
        "security": security, "parameters": [section, code],
        "requestBody": body("ReferenceEntry"),
        "responses": answers(200, obj, 400, 403, 404, 422)}})
    spec.path(path="/api/admin/reference/{section}/{code}/end", operations={"post": {
        "operationId": "endReferenceEntry", "summary": "End a reference data entry on a day",
        "security": security, "parameters": [section, code], "requestBody": body("ReferenceEnd"),
        "responses": answers(200, obj, 400, 403, 404, 422)}})
    spec.path(path="/api/admin/policy", operations={"post": {
        "operationId": "addPolicyVersion", "summary": "Add a deadline policy version",
        "security": security, "requestBody": body("PolicyVersion"),
        "responses": answers(201, obj, 400, 403, 422)}})
    spec.components.schema("Webhook", schema=WebhookSchema)
    spec.components.schema("WebhookActive", schema=ActiveSchema)
    spec.components.schema("Recipient", schema=RecipientSchema)
    spec.components.schema("OutboxRetry", schema=RetrySchema)
    hook = {"name": "hook_id", "in": "path", "required": True, "example": 1,
            "schema": {"type": "integer", "minimum": 0}}
    spec.path(path="/api/admin/webhooks", operations={"post": {
        "operationId": "registerWebhook", "summary": "Register a webhook (secret shown once)",
        "security": security, "requestBody": body("Webhook"),
        "responses": answers(201, obj, 403, 422)}})
    spec.path(path="/api/admin/webhooks/{hook_id}/active", operations={"post": {
        "operationId": "setWebhookActive", "summary": "Turn a webhook off or on",
        "security": security, "parameters": [hook], "requestBody": body("WebhookActive"),
        "responses": answers(200, obj, 403, 404, 422)}})
    spec.path(path="/api/admin/recipients", operations={"post": {
        "operationId": "setLadderRecipient", "summary": "Set a mailbox of the escalation ladder",
        "security": security, "requestBody": body("Recipient"),
        "responses": answers(200, obj, 403, 422)}})
    spec.path(path="/api/admin/outbox/retry", operations={"post": {
        "operationId": "retryEmails", "summary": "Send failed or skipped emails again",
        "security": security, "requestBody": body("OutboxRetry"),
        "responses": answers(200, obj, 403, 422)}})
