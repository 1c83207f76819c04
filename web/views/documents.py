"""The document register, files and previews, attaching files, and urging letters (issue 17).

Files are served only through the application's checks: whoever may not see the item (or
its personal data, for a personal file) gets 404, as for an item outside their scope.
Downloads are ``attachment`` with the type found in the content, never rendered inline
except the PNG previews, and never cached.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request, url_for,
)
from flask_babel import gettext
from marshmallow import ValidationError, validate

from domain.document import DOCUMENT_TYPES, DIRECTIONS, PURPOSES
from domain.errors import InvalidInput, N_
from petitions import permissions
from petitions.documents import DocumentNotFound
from petitions.errors import ItemNotFound
from projections.items import ItemFilter
from web import queries
from web.context import actor, after_command, requires, runtime, tracker
from web.forms import FormError, submit, submitted
from web.i18n import field_errors
from web.schemas import BaseSchema, Code, DateField, Flag, Text
from web.uploads import uploaded

bp = Blueprint("documents", __name__)
MAX_REF = 64


class RegisterFilterSchema(BaseSchema):
    """Filters of the register page."""

    q = Text(load_default="")
    direction = Code(load_default="", validate=validate.OneOf(("", *DIRECTIONS)))
    doc_type = Code(load_default="", validate=validate.OneOf(("", *DOCUMENT_TYPES)))
    code = Code(load_default="")


class DocumentSchema(BaseSchema):
    """A document typed into the register, with the codes of the items it concerns."""

    number = Text()
    sign = Text(load_default="")
    issued_on = DateField(load_default=None)
    issuer = Text()
    doc_type = Code()
    direction = Code()
    summary = Text()
    signer = Text(load_default="")
    item_codes = Text()
    purpose = Code(load_default="other", validate=validate.OneOf(PURPOSES))
    personal = Flag()


class AttachSchema(BaseSchema):
    """A file attached to an item (or one of its answers or notes)."""

    to = Code(load_default="item")
    personal = Flag()


class UrgeSchema(BaseSchema):
    """The items an urging letter names, and its last paragraph."""

    note = Text(load_default="")
    signer = Text(load_default="")


def _codes(text: str) -> list[str]:
    return [c for c in text.replace(",", " ").replace(";", " ").split() if c]


@bp.get("/documents")
@requires(permissions.may_see_documents)
def register_page() -> Any:
    """List and search the documents of the register the user may see."""
    try:
        query = RegisterFilterSchema().load(request.args)
    except ValidationError as err:
        flash(gettext("Some filters are not valid."), "error")
        return render_template("documents/list.html", rows=[], args=request.args,
                               errors=field_errors(err.messages)), 400
    rows = tracker().list_documents(actor(), words=query["q"], direction=query["direction"],
                                    doc_type=query["doc_type"], code=query["code"].upper())
    return render_template("documents/list.html", rows=rows, args=request.args, errors={})


@bp.route("/documents/new", methods=["GET", "POST"])
@requires(permissions.may_register_documents)
def register() -> Any:
    """Register a document (a decision, a reply, a report) with its file."""
    if request.method == "GET":
        data = {"direction": "incoming", "issued_on": tracker().today().isoformat(),
                "item_codes": request.args.get("code", "")[:MAX_REF]}
        return render_template("documents/new.html", data=data, errors={})
    me = actor()
    try:
        doc = submit(DocumentSchema(), lambda data: register_with(me, data, uploaded()))
    except FormError as err:
        flash(err.message, "error")
        return render_template("documents/new.html", data=submitted(), errors=err.errors), \
            err.status
    after_command(doc["position"])
    flash(gettext("Document {reference} registered.").format(reference=doc["reference"]),
          "success")
    return redirect(url_for("documents.show", document_id=doc["id"]), 303)


def register_with(me: Any, data: dict[str, Any], file: dict[str, Any]) -> dict[str, Any]:
    """Register a document from the register form's fields and file (the API's twin too)."""
    purpose, personal = data.pop("purpose"), data.pop("personal")
    data["item_codes"] = [c.upper() for c in _codes(data.get("item_codes") or "")]
    return tracker().register_document(me, data, file_data=file.get("file_data"),
                                       filename=file.get("filename", ""),
                                       purpose=purpose, personal=personal)


@bp.get("/documents/<document_id>")
@requires(permissions.may_see_documents)
def show(document_id: str) -> Any:
    """Show one document: its facts, its file's preview and the items it concerns."""
    doc = _document(document_id)
    return render_template("documents/show.html", doc=doc)


@bp.get("/documents/<document_id>/file")
@requires(permissions.may_see_documents)
def document_file(document_id: str) -> Any:
    """Download a document's file."""
    return _send(lambda: tracker().document_file(actor(), _short(document_id)))


@bp.get("/documents/<document_id>/preview")
@requires(permissions.may_see_documents)
def document_preview(document_id: str) -> Any:
    """Show the first page of a document's file as a picture."""
    return _send(lambda: tracker().document_file(actor(), _short(document_id), preview=True),
                 inline=True)


@bp.get("/items/<ref>/files/<sha256>")
@requires(permissions.may_see_documents)
def item_file(ref: str, sha256: str) -> Any:
    """Download a file attached to an item (or to a document linked to it)."""
    return _send(lambda: tracker().item_file(actor(), _short(ref), _short(sha256)))


@bp.get("/items/<ref>/files/<sha256>/preview")
@requires(permissions.may_see_documents)
def item_file_preview(ref: str, sha256: str) -> Any:
    """Show the first page of an item's file as a picture."""
    return _send(lambda: tracker().item_file(actor(), _short(ref), _short(sha256),
                                             preview=True), inline=True)


@bp.post("/items/<ref>/attach")
@requires(lambda me: permissions.may(me, "attach"))
def attach(ref: str) -> Any:
    """Attach a file to the item; show the item again with the result."""
    from web.views.items import render_item

    me, ref = actor(), _short(ref)

    def call(data: dict[str, Any]) -> Any:
        file = uploaded()
        if not file:
            raise InvalidInput({"file": [N_("Choose a file.")]})
        return tracker().attach_file(me, ref, data=file["file_data"], filename=file["filename"],
                                     to=data["to"], personal=data["personal"] or None,
                                     expected_version=_version())
    try:
        receipt = submit(AttachSchema(), call)
    except FormError as err:
        flash(err.message, "error")
        return render_item(ref, err.status, action="attach", errors=err.errors,
                           data=submitted())
    after_command(receipt)
    flash(gettext("File attached."), "success")
    return redirect(url_for("items.show", ref=receipt.code) + "#documents-title", 303)


@bp.post("/items/<ref>/urge")
@requires(permissions.may_register_documents)
def urge_item(ref: str) -> Any:
    """Issue an urging letter for this item to its agency."""
    me = actor()
    return _issue(ref, lambda code, data: tracker().issue_urging_letter(me, code, **data),
                  N_("Urging letter {reference} issued."))


@bp.post("/items/<ref>/transfer-slip")
@requires(permissions.may_register_documents)
def transfer_slip(ref: str) -> Any:
    """Issue the numbered transfer slip of a forwarded đơn."""
    me = actor()
    return _issue(ref, lambda code, data: tracker().issue_transfer_slip(
        me, code, signer=data["signer"]), N_("Transfer slip {reference} issued."))


def _issue(ref: str, issue: Any, saved: str) -> Any:
    """Issue an outgoing document for the item; show it, or the item with the refusal."""
    ref = _short(ref)
    try:
        doc = submit(UrgeSchema(), lambda data: issue(ref, data))
    except FormError as err:
        flash(err.message, "error")
        return redirect(url_for("items.show", ref=ref), 303)
    after_command(doc["position"])
    flash(gettext(saved).format(reference=doc["reference"]), "success")
    return redirect(url_for("documents.show", document_id=doc["id"]), 303)


@bp.route("/documents/urge", methods=["GET", "POST"])
@requires(permissions.may_register_documents)
def urge() -> Any:
    """List an agency's overdue items; issue one urging letter naming those ticked."""
    me = actor()
    agency = request.values.get("agency", "")[:MAX_REF]
    if request.method == "POST":
        codes = [c[:MAX_REF] for c in request.form.getlist("codes")][:200]
        try:
            result = submit(UrgeSchema(), lambda data: tracker().issue_urging_letters(
                me, codes, **data))
        except FormError as err:
            flash(err.message, "error")
            return _urge_page(agency, err.status)
        for refused in result["refused"]:
            flash(f"{refused['code']}: {gettext(refused['reason'])}", "error")
        for letter in result["issued"]:
            after_command(letter["position"])
            flash(gettext("Urging letter {reference} issued.").format(
                reference=letter["reference"]), "success")
        if len(result["issued"]) == 1:
            return redirect(url_for("documents.show", document_id=result["issued"][0]["id"]),
                            303)
        return redirect(url_for("documents.register_page", direction="outgoing"), 303)
    return _urge_page(agency)


def _urge_page(agency: str, status: int = 200) -> Any:
    rows = []
    if agency:
        rows = queries.items(runtime(), actor(), ItemFilter(agency=agency, overdue=True,
                                                           open_only=True, order="due"),
                             None, 200).rows
    return render_template("documents/urge.html", agency=agency, rows=rows), status


# -- helpers ---------------------------------------------------------------------------------
def _short(value: str) -> str:
    if len(value) > MAX_REF:
        abort(404)
    return value


def _version() -> int | None:
    raw = request.form.get("expected_version", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _document(document_id: str) -> dict[str, Any]:
    try:
        return tracker().get_document(actor(), _short(document_id))
    except DocumentNotFound:
        abort(404)


def _send(fetch: Any, *, inline: bool = False) -> Any:
    """Send a file's bytes, or 404 if the application says the user may not have them."""
    try:
        data, media_type, filename = fetch()
    except (DocumentNotFound, ItemNotFound, KeyError):
        abort(404)
    disposition = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    headers = {
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        # A file is never a page: it may not run scripts or be framed, even if a browser
        # were to render it.
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    return current_app.response_class(data, mimetype=media_type, headers=headers)

