"""API twins of the forms (issue 18): commitments, documents, bulk actions, admin pages.

Each twin loads the form's own marshmallow schema (plus, where JSON needs it, the list or
file a form sends as repeated fields or multipart), calls the same application method and
answers as the other write endpoints (``web.views.api_write._run``): 201/200, 422 with a
field map, 404 out of scope, 403 for a role that may never. Lists are paged with
``offset``/``limit`` and filtered like their pages.
"""
from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user
from marshmallow import ValidationError, fields, missing, validate

from domain.errors import N_, DomainError, PermissionDenied
from petitions import permissions
from petitions.bulk import BULK_ACTIONS, offered, run_bulk
from petitions.errors import ItemNotFound
from projections import commitments as q
from web.context import accounts, actor, runtime, tracker
from web.i18n import error_text, field_errors, translate
from web.schemas import MESSAGES, BaseSchema, Code, Text
from web.schemas.bulk import BulkParamsSchema
from web.schemas.commitments import CommitmentSchema, ConclusionSchema, QuestioningSchema
from web.schemas.users import NewUserSchema, RoleSchema
from web.security import client_address
from web.views.api import plain
from web.views.api_write import _invalid, _run
from web.views.commitments import MAX_CODE, RegisterFilterSchema, _own_agency
from web.views.documents import (
    DocumentSchema, RegisterFilterSchema as DocumentFilterSchema, UrgeSchema, register_with,
)

bp = Blueprint("api_twins", __name__, url_prefix="/api")
MAX_PAGE = 100


@bp.before_request
def require_user() -> Any:
    """Answer 401 in JSON for visitors."""
    if not current_user.is_authenticated:
        return jsonify({"error": "unauthorized", "reason": "token_required"}), 401
    return None


# -- request schemas: the forms' own, plus what JSON carries differently ---------------------
class PageSchema(BaseSchema):
    """A page of a list: skip ``offset`` rows, show at most ``limit``."""

    offset = fields.Integer(load_default=0, error_messages=MESSAGES,
                            validate=validate.Range(0, 10**6))
    limit = fields.Integer(load_default=50, error_messages=MESSAGES,
                           validate=validate.Range(1, MAX_PAGE))


class CommitmentQuerySchema(RegisterFilterSchema, PageSchema):
    """The commitments register's filters, paged."""


class DocumentQuerySchema(DocumentFilterSchema, PageSchema):
    """The document register's filters, paged."""


class Base64File(fields.String):
    """A file's bytes sent base64-encoded in JSON (the form sends them as multipart)."""

    default_error_messages = {**MESSAGES, "invalid": N_("Send the file base64-encoded.")}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bytes:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise self.make_error("invalid") from None


class DocumentUploadSchema(DocumentSchema):
    """The register form's fields, and its file base64-encoded with its name."""

    file = Base64File(load_default=None)
    filename = Text(load_default="", max_length=255)


class Codes(fields.List):
    """The items ticked on a list (repeated ``codes`` fields in the forms)."""

    default_error_messages = {**MESSAGES, "invalid": N_("Send a list of item codes.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", list)
        super().__init__(Code(load_default=missing), validate=validate.Length(max=1000), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[str]:
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as err:  # one message for the field, not one per position
            if isinstance(err.messages, dict):
                raise ValidationError(N_("Send a list of item codes.")) from None
            raise


class UrgeRequestSchema(UrgeSchema):
    """The urging-letter form: the items it names, its last paragraph, the signer."""

    codes = Codes()


class BulkRequestSchema(BaseSchema):
    """A bulk action of the work queues: the ticked items and the action's parameters."""

    codes = Codes()
    params = fields.Nested(BulkParamsSchema, load_default=dict)


# -- commitments ------------------------------------------------------------------------------
def _may_log_commitments() -> None:
    if not permissions.may_log(actor(), "commitment"):
        abort(403)


def _may_see_commitments() -> None:
    if not permissions.may_see_commitments(actor()):
        abort(403)


def _code(code: str) -> str:
    if len(code) > MAX_CODE:
        abort(404)
    return code


@bp.post("/commitments/questioning")
def hold_questioning() -> Any:
    """Record a questioning or explanation session (the form /commitments/questioning/new)."""
    _may_log_commitments()
    return _run(QuestioningSchema(),
                lambda d: tracker().hold_questioning_session(actor(), **d), 201)


@bp.post("/commitments/questioning/<code>/conclusion")
def conclude(code: str) -> Any:
    """Record the conclusion or resolution of a session."""
    _may_log_commitments()
    code = _code(code)
    return _run(ConclusionSchema(),
                lambda d: tracker().record_conclusion(actor(), code, **d))


@bp.post("/commitments")
def record_commitment() -> Any:
    """Record a commitment made at a questioning session."""
    _may_log_commitments()
    return _run(CommitmentSchema(), lambda d: tracker().record_commitment(actor(), **d), 201)


@bp.get("/commitments/questioning/<code>")
def questioning(code: str) -> Any:
    """One questioning session and the commitments recorded from it (in the user's scope)."""
    _may_see_commitments()
    code = _code(code)
    try:
        record = tracker().questioning_session(code)
    except ItemNotFound:
        abort(404)
    f = q.CommitmentFilter(questioning=code, agency=_own_agency())
    with runtime().views.connect() as conn:
        rows = q.list_commitments(conn, f, today=tracker().today())
    return jsonify(plain({**record, "commitments": rows}))


@bp.get("/commitments")
def commitments() -> Any:
    """The commitments register by due date, with the page's filters; an agency sees its own."""
    _may_see_commitments()
    f = _query(CommitmentQuerySchema())
    if not isinstance(f, dict):
        return f
    offset, limit = f.pop("offset"), f.pop("limit")
    if _own_agency():
        f["agency"] = _own_agency()
    with runtime().views.connect() as conn:
        rows = q.list_commitments(conn, q.CommitmentFilter(**f), today=tracker().today(),
                                  limit=offset + limit + 1)
    return _page("commitments", rows, offset, limit)


def _query(schema: Any) -> Any:
    """Load the query string with ``schema``, or answer 422 with the field map."""
    try:
        return schema.load(request.args)
    except ValidationError as err:
        return _invalid(field_errors(err.messages))  # type: ignore[arg-type]


def _page(name: str, rows: list[Any], offset: int, limit: int) -> Any:
    more = len(rows) > offset + limit
    return jsonify({name: plain(rows[offset:offset + limit]),
                    "next": offset + limit if more else None})


# -- the document register --------------------------------------------------------------------
def _may_register_documents() -> None:
    if not permissions.may_register_documents(actor()):
        abort(403)


@bp.post("/documents")
def register_document() -> Any:
    """Register a document with its file (base64) and link it to the items it concerns."""
    _may_register_documents()
    me = actor()

    def call(data: dict[str, Any]) -> Any:
        file = {"file_data": data.pop("file"), "filename": data.pop("filename")}
        return register_with(me, data, file if file["file_data"] else {})
    return _run(DocumentUploadSchema(), call, 201,
                answer=lambda doc: (plain(doc), doc["position"]))


@bp.get("/documents")
def documents() -> Any:
    """The document register the user may see (scoped as the page), newest first."""
    if not permissions.may_see_documents(actor()):
        abort(403)
    f = _query(DocumentQuerySchema())
    if not isinstance(f, dict):
        return f
    rows = tracker().list_documents(actor(), words=f["q"], direction=f["direction"],
                                    doc_type=f["doc_type"], code=f["code"].upper())
    return _page("documents", rows, f["offset"], f["limit"])


@bp.post("/documents/urge")
def urge() -> Any:
    """Issue urging letters (one per agency) for the listed items; say which were refused."""
    _may_register_documents()
    me = actor()

    def call(data: dict[str, Any]) -> Any:
        codes = [c[:MAX_CODE] for c in data.pop("codes")]
        return tracker().issue_urging_letters(me, codes, **data)

    def answer(result: dict[str, Any]) -> Any:
        issued = [{k: doc.get(k) for k in ("id", "reference", "item_codes", "position")}
                  for doc in result["issued"]]
        refused = [{"code": r["code"], "reason": translate(r["reason"])}
                   for r in result["refused"]]
        return plain({"issued": issued, "refused": refused}), tracker().position()
    return _run(UrgeRequestSchema(), call, answer=answer)


# -- bulk actions of the work queues -----------------------------------------------------------
@bp.post("/bulk/<name>")
def bulk(name: str) -> Any:
    """Run one bulk action on the listed items; one outcome per code, done or refused and why."""
    from web.views.queues import _reason

    chosen = BULK_ACTIONS.get(name)
    if chosen is None:
        abort(404)
    me = actor()
    if chosen not in offered(me):
        abort(403)

    def answer(outcomes: list[Any]) -> Any:
        shown = [{"code": o.code, "done": o.done,
                  "reason": None if o.done else _reason(o, error_text, field_errors)}
                 for o in outcomes]
        return {"action": name, "outcomes": shown}, tracker().position()
    return _run(BulkRequestSchema(),
                lambda d: run_bulk(tracker(), me, name, d["codes"], d["params"]),
                answer=answer)


def describe(spec: Any, answers: Any, body: Any, security: list[Any]) -> None:
    """Add the twins' schemas and operations to the OpenAPI description (``web.openapi``)."""
    for schema in (QuestioningSchema, ConclusionSchema, CommitmentSchema, DocumentUploadSchema,
                   UrgeRequestSchema, BulkRequestSchema):
        spec.components.schema(schema.__name__.removesuffix("Schema"), schema=schema)
    saved = {"$ref": "#/components/schemas/Saved"}
    obj = {"type": "object"}
    code = {"name": "code", "in": "path", "required": True, "example": "XVI-19-CV1",
            "schema": {"type": "string", "maxLength": MAX_CODE},
            "description": "questioning session code, e.g. XVI-19-CV1"}
    name = {"name": "name", "in": "path", "required": True,
            "schema": {"type": "string", "enum": sorted(BULK_ACTIONS)}}

    def post(op: str, summary: str, schema: str, ok: int, ok_schema: Any, *extra: int,
             parameters: Any = ()) -> dict[str, Any]:
        return {"post": {"operationId": op, "summary": summary, "security": security,
                         "parameters": list(parameters), "requestBody": body(schema),
                         "responses": answers(ok, ok_schema, 403, *extra, 422)}}

    def get(op: str, summary: str, parameters: Any, *extra: int) -> dict[str, Any]:
        return {"get": {"operationId": op, "summary": summary, "security": security,
                        "parameters": parameters, "responses": answers(200, obj, 403, *extra)}}
    spec.path(path="/api/commitments/questioning", operations=post(
        "holdQuestioning", "Record a questioning or explanation session", "Questioning",
        201, saved, 400, 409))
    spec.path(path="/api/commitments/questioning/{code}", operations=get(
        "getQuestioning", "One questioning session and its commitments", [code], 404))
    spec.path(path="/api/commitments/questioning/{code}/conclusion", operations=post(
        "recordConclusion", "Record a session's conclusion", "Conclusion", 200, saved,
        400, 404, parameters=[code]))
    spec.path(path="/api/commitments", operations={
        **post("recordCommitment", "Record a commitment", "Commitment", 201, saved, 400),
        **get("listCommitments", "The commitments register (paged)",
              [{"in": "query", "schema": CommitmentQuerySchema}], 422)})
    spec.path(path="/api/documents", operations={
        **post("registerDocument", "Register a document (its file base64)", "DocumentUpload",
               201, obj, 400),
        **get("listDocuments", "The document register (paged)",
              [{"in": "query", "schema": DocumentQuerySchema}], 422)})
    spec.path(path="/api/documents/urge", operations=post(
        "issueUrgingLetters", "Issue urging letters for listed items", "UrgeRequest", 200, obj,
        400))
    spec.path(path="/api/bulk/{name}", operations=post(
        "bulkAction", "Run a work-queue bulk action on listed items", "BulkRequest", 200, obj,
        400, 404, parameters=[name]))


# -- the holiday calendar (admin) --------------------------------------
def _may_manage_policy() -> None:
    if not permissions.may_manage_policy(actor()):
        abort(403)


def _moved(moved: list[dict[str, Any]]) -> Any:
    return {"moved": len(moved)}, tracker().position()


@bp.post("/admin/calendar")
def record_calendar_day() -> Any:
    """Record a day off or a working day announced by a document (the form /admin/calendar)."""
    from web.schemas.policy import CalendarDaySchema

    _may_manage_policy()
    return _run(CalendarDaySchema(), lambda d: tracker().record_calendar_day(actor(), d), 201,
                answer=_moved)


# -- user accounts (admin) ---------------------------------------------------------------------
def _may_manage_users() -> None:
    if not permissions.may_manage_users(actor()):
        abort(403)


def _account(user: Any) -> dict[str, Any]:
    """Show an account as the admin page does (never its password or second factor)."""
    return {"username": user.username, "display_name": user.display_name,
            "role": user.role.value, "district": user.district, "agency": user.agency,
            "deputy_group": user.deputy_group, "language": user.language,
            "active": user.active}


def _shown(username: str) -> Any:
    # Accounts are rows, not events: nothing for the views to catch up with.
    return lambda _: (_account(accounts().account(username)["account"]), tracker().position())


def _account_change(username: str, change: Any) -> Any:
    """Run a lifecycle action without a body; answer the account, or why it was refused."""
    try:
        change()
    except (ItemNotFound, PermissionDenied):
        raise  # 404 / 403 in JSON (web.errors)
    except DomainError as err:  # e.g. an admin deactivating their own account
        return jsonify({"error": "refused", "message": error_text(err)}), 400
    return jsonify(_account(accounts().account(username)["account"]))


@bp.post("/admin/users")
def create_user() -> Any:
    """Create an account (the form /admin/users); the password is never echoed."""
    _may_manage_users()

    def create(d: dict[str, Any]) -> Any:
        return accounts().create(
            actor(), client_address(), username=d["username"] or "",
            password=d["password"] or "", role=d["role"] or "", district=d["district"],
            agency=d["agency"], deputy_group=d["deputy_group"], display_name=d["display_name"],
            language=d["language"], reference=tracker().reference(), today=tracker().today())
    return _run(NewUserSchema(), create, 201,
                answer=lambda user: (_account(user), tracker().position()))


@bp.post("/admin/users/<username>/role")
def change_user_role(username: str) -> Any:
    """Give an account another role or scope; its sessions end (the form on its page)."""
    _may_manage_users()
    return _run(RoleSchema(), lambda d: accounts().change_role(
        actor(), username, d["role"], district=d["district"], agency=d["agency"],
        deputy_group=d["deputy_group"], reference=tracker().reference(),
        today=tracker().today(), address=client_address()), answer=_shown(username))


@bp.post("/admin/users/<username>/deactivate")
def deactivate_user(username: str) -> Any:
    """Deactivate an account: no more sign-ins, every session ends."""
    _may_manage_users()
    return _account_change(username, lambda: accounts().deactivate(
        actor(), username, client_address()))


@bp.post("/admin/users/<username>/reactivate")
def reactivate_user(username: str) -> Any:
    """Let a deactivated account sign in again."""
    _may_manage_users()
    return _account_change(username, lambda: accounts().reactivate(
        actor(), username, client_address()))


@bp.post("/admin/users/<username>/two-factor-reset")
def reset_user_two_factor(username: str) -> Any:
    """Remove an account's two-factor setup (a lost phone); it enrols again at sign-in."""
    _may_manage_users()
    return _account_change(username, lambda: accounts().reset_two_factor(
        actor(), username, client_address()))


def describe_admin(spec: Any, answers: Any, body: Any, security: list[Any]) -> None:
    """Add the admin twins (the calendar, user accounts) to the OpenAPI description."""
    from web.schemas.policy import CalendarDaySchema

    spec.components.schema("CalendarDay", schema=CalendarDaySchema)
    obj = {"type": "object"}
    spec.path(path="/api/admin/calendar", operations={"post": {
        "operationId": "recordCalendarDay", "summary": "Record an official day off or working day",
        "security": security, "requestBody": body("CalendarDay"),
        "responses": answers(201, obj, 400, 403, 422)}})
    spec.components.schema("NewUser", schema=NewUserSchema)
    spec.components.schema("RoleChange", schema=RoleSchema)
    username = {"name": "username", "in": "path", "required": True, "example": "thu.ky",
                "schema": {"type": "string"}}
    spec.path(path="/api/admin/users", operations={"post": {
        "operationId": "createUser", "summary": "Create an account (its first password)",
        "security": security, "requestBody": body("NewUser"),
        "responses": answers(201, obj, 400, 403, 422)}})
    spec.path(path="/api/admin/users/{username}/role", operations={"post": {
        "operationId": "changeUserRole", "summary": "Give an account another role or scope",
        "security": security, "parameters": [username], "requestBody": body("RoleChange"),
        "responses": answers(200, obj, 400, 403, 404, 422)}})
    for action, op, summary in (
            ("deactivate", "deactivateUser", "Deactivate an account; its sessions end"),
            ("reactivate", "reactivateUser", "Let a deactivated account sign in again"),
            ("two-factor-reset", "resetUserTwoFactor", "Remove an account's two-factor setup")):
        spec.path(path=f"/api/admin/users/{{username}}/{action}", operations={"post": {
            "operationId": op, "summary": summary, "security": security,
            "parameters": [username], "responses": answers(200, obj, 400, 403, 404)}})
