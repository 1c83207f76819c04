"""Spreadsheet intake: download the template, upload a file, preview every row, import.

The uploaded file is staged in the shared stores (``petitions.intake.staging``: the attachment
store and the views database, so any web process may answer the next step), named by its
SHA-256 (``upload`` in the URLs): the preview, the import and the result file all refer to
exactly the bytes that were checked, and only the uploader can reach them.
Nothing is imported before the preview's confirmation; the import checks every row again.
"""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

from flask import (
    Blueprint, abort, flash, redirect, render_template, request, send_file, url_for,
)
from flask_babel import gettext

from domain.errors import DomainError
from petitions import permissions
from petitions.intake import SPECS, IntakeFileError, MAX_ROWS
from petitions.intake.sheets import MAX_BYTES
from petitions.intake.template import write_result, write_template
from web.context import actor, after_command, requires, runtime, tracker
from web.i18n import error_text, translate

bp = Blueprint("intake", __name__, url_prefix="/intake")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD = re.compile(r"^[0-9a-f]{64}$")
PREVIEW_ROWS = 200
HEADERS = {c.field: c.header for spec in SPECS for c in spec.columns}


def may_take_in(user: Any) -> bool:
    """Tell whether the user may import spreadsheets (whoever may log petitions or đơn)."""
    return permissions.may_log(user, "petition") or permissions.may_log(user, "complaint")


@bp.record_once
def _allow_large_uploads(state: Any) -> None:
    # The app's 1 MB request limit suits forms; a 10,000-row workbook is larger. The limit
    # is raised for the upload alone, before the input check and CSRF read the form.
    def raise_limit() -> None:
        if request.endpoint == "intake.preview":
            request.max_content_length = MAX_BYTES + 64 * 1024
        elif request.endpoint in ("api_work.intake_preview", "api_work.intake_import"):
            request.max_content_length = MAX_BYTES * 4 // 3 + 64 * 1024  # base64 in JSON

    state.app.before_request_funcs.setdefault(None, []).insert(0, raise_limit)


def _owner() -> str:
    # Uploads are the signed-in user's own (the staging key is this and the file's hash).
    return hashlib.sha256(actor().username.encode("utf-8")).hexdigest()[:32]


def _stored(upload: str) -> tuple[bytes, str]:
    """Return the bytes and name of one of the user's uploads, or 404."""
    if not UPLOAD.match(upload):
        abort(404)
    kept = runtime().staging.get(_owner(), upload)
    if kept is None:
        abort(404)
    return kept


def _store(content: bytes, filename: str) -> str:
    # In the shared stores, not this machine's disk: the import may reach another worker.
    return runtime().staging.stage(_owner(), content, filename)


def _similar(row: Any) -> list[dict[str, Any]]:
    """Suggest open petitions the row may repeat, among those the user may see."""
    from web import queries

    if not getattr(runtime(), "views", None):
        return []
    me = actor()
    found = queries.similar(runtime(), f"{row.data.get('title', '')} "
                                        f"{row.data.get('content', '')}", exclude="")
    return [r for r in found if permissions.can_view(me, r.get("district"), r.get("agency"))][:3]


def _page(status: int = 200, **context: Any) -> Any:
    return render_template("intake/index.html", max_rows=MAX_ROWS,
                           max_mb=MAX_BYTES // (1024 * 1024), headers=HEADERS,
                           preview_rows=PREVIEW_ROWS, **context), status


@bp.get("")
@requires(may_take_in)
def index() -> Any:
    """Show the template link and the upload form."""
    return _page()


@bp.get("/template.xlsx")
@requires(may_take_in)
def template() -> Any:
    """Download the template with the lists in force today."""
    from io import BytesIO

    content = write_template(tracker().reference(), tracker().today())
    return send_file(BytesIO(content), mimetype=XLSX, as_attachment=True,
                     download_name="mau-nhap-kien-nghi-don-thu.xlsx")


@bp.post("/preview")
@requires(may_take_in)
def preview() -> Any:
    """Check every row of the uploaded file and show the errors; nothing is imported."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(gettext("Choose a spreadsheet file (.xlsx or .csv)."), "error")
        return _page(400, errors={"file": [gettext("Choose a spreadsheet file (.xlsx or .csv).")]})
    content = upload.read(MAX_BYTES + 1)
    name = Path(upload.filename).name[:200] or "bang-tinh"
    try:
        report = tracker().check_intake(actor(), content, name, similar=_similar)
    except DomainError as err:
        message = error_text(err)
        flash(message, "error")
        return _page(422 if isinstance(err, IntakeFileError) else 400,
                     errors={"file": [message]})
    return _page(report=report, upload=_store(content, name), translate_error=translate)


@bp.post("/<upload>/import")
@requires(may_take_in)
def run(upload: str) -> Any:
    """Import the valid rows of a previewed file (checked again), then show the result."""
    content, name = _stored(upload)
    try:
        report = tracker().import_intake(actor(), content, name)
    except DomainError as err:
        flash(error_text(err), "error")
        return redirect(url_for("intake.index"), 303)
    after_command(tracker().position())
    counts = report.summary()
    # What this import did, kept for the result page (a later check would see "already").
    done = {"filename": report.filename, "counts": counts, "invalid": [
        {"sheet": r.sheet, "row": r.row, "title": r.title,
         "errors": [[HEADERS.get(f, f), translate(m)] for f, ms in r.errors.items() for m in ms]}
        for r in report.invalid[:PREVIEW_ROWS]]}
    runtime().staging.keep_result(_owner(), upload, write_result(report, translate), done)
    flash(gettext("{imported} rows imported, {already} imported before, {invalid} with errors.")
          .format(**counts), "success")
    return redirect(url_for("intake.result", upload=upload), 303)


@bp.get("/<upload>/result")
@requires(may_take_in)
def result(upload: str) -> Any:
    """Show what the import did, with the result file to download."""
    _stored(upload)
    kept = runtime().staging.result(_owner(), upload)
    if kept is None:
        abort(404)
    return _page(done=kept[0], upload=upload)


@bp.get("/<upload>/result.xlsx")
@requires(may_take_in)
def result_file(upload: str) -> Any:
    """Download the result workbook: every row, what became of it, its errors."""
    _, name = _stored(upload)
    kept = runtime().staging.result(_owner(), upload)
    if kept is None:
        abort(404)
    return send_file(io.BytesIO(kept[1]), mimetype=XLSX, as_attachment=True,
                     download_name=f"ket-qua-{Path(name).stem[:60]}.xlsx")
