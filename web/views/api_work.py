"""API twins of the work forms (issue 18): attach a file, issue an urging letter, hand over
the open items of abolished units (preview, then confirm), queue a digest or issue a report
(202 and a job to follow, as the page's progress screen does), check and import a spreadsheet.

They call the same application methods as the forms, which check the file's content, the
item's scope (404 outside it) and ``expected_version`` (409), and answer as every write
endpoint does (``web.views.api_write._run``).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, url_for
from flask_babel import gettext
from marshmallow import fields, validate

from domain.errors import N_, InvalidInput
from petitions import permissions
from petitions.digest import FORMATS
from petitions.digest.document import DEFAULT_ISSUER, ISSUERS
from petitions.intake import MAX_ROWS, IntakeFileError
from petitions.render_jobs import DONE, MAX_ACTIVE_PER_USER, TooManyJobs
from web.context import actor, tracker
from web.i18n import error_text, translate
from web.schemas import MESSAGES, BaseSchema, Code, DateField, Text
from web.schemas.items import BulkHandOverSchema
from web.views.api_twins import Base64File, require_user
from web.views.api_write import MAX_REF, _run
from web.views.digests import SIGNER_MAX
from web.views.documents import AttachSchema, UrgeSchema
from web.views.handover import PREVIEW_ROWS, _plan

bp = Blueprint("api_work", __name__, url_prefix="/api")


bp.before_request(require_user)  # 401 in JSON for visitors, as every API blueprint


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
    return _run(BulkHandOverSchema(), lambda d: _plan(d, confirm=confirm), answer=answer)


@bp.post("/handover/preview")
def hand_over_preview() -> Any:
    """Say what a hand-over would move; nothing is stored."""
    return _hand_over(confirm=False)


@bp.post("/handover")
def hand_over() -> Any:
    """Hand the items over (one event each); items closed or moved since are skipped."""
    return _hand_over(confirm=True)


# -- digests and issued reports (rendered in the background) -----------------------------------
class DigestJobSchema(BaseSchema):
    """A digest to render: the session, one scope (a unit or a deputy group), the format and
    the "Tính đến ngày" day (today when absent)."""

    session = Code(load_default="")
    district = Code(load_default="")
    group = Code(load_default="")
    fmt = Code(load_default="pdf", validate=validate.OneOf(list(FORMATS),
                                                           error=N_("Unknown value.")))
    as_of = DateField(load_default=None)
    # Just after this event of the log (the "sự kiện số" a digest prints), instead of a day.
    position = fields.Integer(load_default=None, strict=True,
                              validate=validate.Range(min=1, error=N_("Unknown value.")))


class IssueSchema(DigestJobSchema):
    """A numbered report to issue (PDF): who issues it and who signs."""

    issuer = Code(load_default=DEFAULT_ISSUER,
                  validate=validate.OneOf(list(ISSUERS), error=N_("Unknown value.")))
    signer = Text(load_default="", max_length=SIGNER_MAX)


def _position(n: int) -> Any:
    """The moment just after event ``n``, or the refusal named on the ``position`` field."""
    from web.context import position_arg

    try:
        return position_arg(str(n))
    except InvalidInput as e:
        raise InvalidInput({"position": e.errors["as_of"]}) from None


def _digest_job(kind: str, schema: DigestJobSchema) -> Any:
    from web.views import digests

    if not permissions.may_download_digests(actor()) or (
            kind == "issue" and not permissions.may_issue_reports(actor())):
        abort(403)

    def call(d: dict[str, Any]) -> Any:
        if d["district"] and d["group"]:
            raise InvalidInput({"group": [N_("Choose a unit or a deputy group, not both.")]})
        if d["as_of"] is not None and d["as_of"] > tracker().today():
            raise InvalidInput({"as_of": [N_("The date cannot be in the future.")]})
        if d["position"] is not None and d["as_of"] is not None:
            raise InvalidInput({"position": [N_("Give a day or an event number, not both.")]})
        wanted = digests._request_for(d)  # the page's scope rules: 403 outside, 404 session
        as_of = d["as_of"].isoformat() if d["as_of"] else ""
        if d["position"] is not None:
            as_of = f"#{_position(d['position']).n}"
        params = digests._params(wanted, "pdf" if kind == "issue" else d["fmt"], as_of)
        if kind == "issue":
            params.update(issuer=d["issuer"], signer=d["signer"].strip())
        return digests._queue().request(actor(), kind, params, position=tracker().position())
    try:
        return _run(schema, call, 202, answer=lambda job: (_job(job), tracker().position()))
    except TooManyJobs:
        return jsonify({"error": "too_many_jobs", "message": gettext(
            "You already have %(n)s documents being prepared; wait for one to finish.",
            n=MAX_ACTIVE_PER_USER)}), 429


def _job(job: Any) -> dict[str, Any]:
    done = job.status == DONE and bool(job.result)
    return {"id": job.id, "kind": job.kind, "status": job.status, "progress": job.progress,
            "step": job.step, "params": job.params,
            "url": url_for("api_work.digest_job", job_id=job.id),
            "file": url_for("api_work.digest_job_file", job_id=job.id) if done else None}


@bp.post("/digests")
def queue_digest() -> Any:
    """Queue a draft digest (PDF, DOCX or XLSX); answer 202 with the job to follow."""
    return _digest_job("draft", DigestJobSchema())


@bp.post("/digests/issue")
def issue_report() -> Any:
    """Queue the issuing of a numbered report; the job's file is the issued PDF."""
    return _digest_job("issue", IssueSchema())


@bp.get("/digests/jobs/<int:job_id>")
def digest_job(job_id: int) -> Any:
    """A job's progress; once done, the URL of its file (404 outside the user's scope)."""
    from web.views import digests

    if not permissions.may_download_digests(actor()):
        abort(403)
    return jsonify(_job(digests._own_job(job_id)))


@bp.get("/digests/jobs/<int:job_id>/file")
def digest_job_file(job_id: int) -> Any:
    """A finished job's file, as the page's download gives it; 409 while it is being made."""
    from web.views import digests

    if not permissions.may_download_digests(actor()):
        abort(403)
    found = digests._own_job(job_id)
    if found.status != DONE or not found.result:
        return jsonify({"error": "not_ready", "message": translate(N_("Not ready yet.")),
                        "job": _job(found)}), 409
    return digests.job_file(job_id)


# -- spreadsheet intake --------------------------------------------------------------------------
class IntakeSchema(BaseSchema):
    """A spreadsheet (XLSX or CSV, base64) of voter-meeting petitions or đơn."""

    file = Base64File(load_default=None)
    filename = Text(load_default="bang-tinh.xlsx", max_length=200)


def _intake(do_import: bool) -> Any:
    from web.views.intake import _similar, may_take_in

    me = actor()
    if not may_take_in(me):
        abort(403)

    def call(d: dict[str, Any]) -> Any:
        if not d["file"]:
            raise InvalidInput({"file": [N_("Choose a spreadsheet file (.xlsx or .csv).")]})
        try:
            if do_import:
                return tracker().import_intake(me, d["file"], d["filename"])
            return tracker().check_intake(me, d["file"], d["filename"], similar=_similar)
        except IntakeFileError as err:
            raise InvalidInput({"file": [error_text(err)]}) from None

    def answer(report: Any) -> Any:
        rows = [{"sheet": r.sheet, "row": r.row, "kind": r.kind, "title": r.title,
                 "status": r.status, "code": r.code or None,
                 "errors": {f: [translate(m) for m in ms] for f, ms in r.errors.items()},
                 "similar": [{"code": x.get("code"), "title": x.get("title")}
                             for x in r.similar]}
                for r in report.rows if r.status != "valid" or not do_import][:MAX_ROWS]
        return ({"filename": report.filename, "imported": do_import,
                 "counts": report.summary(), "rows": rows}, tracker().position())
    return _run(IntakeSchema(), call, 201 if do_import else 200, answer=answer)


@bp.post("/intake/preview")
def intake_preview() -> Any:
    """Check every row of a spreadsheet and answer each row's errors; nothing is imported."""
    return _intake(do_import=False)


@bp.post("/intake")
def intake_import() -> Any:
    """Import the valid rows of a spreadsheet (checked again); a second run adds nothing."""
    return _intake(do_import=True)


def describe(spec: Any, answers: Any, body: Any, security: list[Any]) -> None:
    """Add these twins to the OpenAPI description."""
    from web.openapi import REF

    spec.components.schema("AttachRequest", schema=AttachRequestSchema)
    spec.components.schema("UrgeOne", schema=UrgeSchema)
    spec.components.schema("HandOver", schema=BulkHandOverSchema)
    spec.components.schema("DigestJob", schema=DigestJobSchema)
    spec.components.schema("IssueReport", schema=IssueSchema)
    for path, op, summary, schema in (
            ("/api/digests", "queueDigest", "Queue a draft digest (PDF, DOCX, XLSX)", "DigestJob"),
            ("/api/digests/issue", "issueReport", "Queue the issuing of a numbered report",
             "IssueReport")):
        spec.path(path=path, operations={"post": {
            "operationId": op, "summary": summary, "security": security,
            "requestBody": body(schema),
            "responses": {**answers(202, {"type": "object"}, 403, 404, 422),
                          "429": {"description": "the user's jobs are at their limit"}}}})
    spec.components.schema("Intake", schema=IntakeSchema)
    for path, op, summary, ok in (
            ("/api/intake/preview", "previewIntake", "Check every row of a spreadsheet", 200),
            ("/api/intake", "importIntake", "Import the valid rows of a spreadsheet", 201)):
        spec.path(path=path, operations={"post": {
            "operationId": op, "summary": summary, "security": security,
            "requestBody": body("Intake"),
            "responses": answers(ok, {"type": "object"}, 400, 403, 422)}})
    job = {"name": "job_id", "in": "path", "required": True, "example": 1,
           "schema": {"type": "integer", "minimum": 0}}
    spec.path(path="/api/digests/jobs/{job_id}", operations={"get": {
        "operationId": "digestJob", "summary": "A digest job's progress and file URL",
        "security": security, "parameters": [job],
        "responses": answers(200, {"type": "object"}, 403, 404)}})
    spec.path(path="/api/digests/jobs/{job_id}/file", operations={"get": {
        "operationId": "digestJobFile", "summary": "A finished digest job's file",
        "security": security, "parameters": [job],
        "responses": {"200": {"description": "the file"},
                      **answers(409, {"type": "object"}, 403, 404)}}})
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
