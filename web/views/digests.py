"""Digests: pick a council session and a scope, download the PDF (secretariat, deputies,
administrators who support the office, district staff for their own district)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from petitions import permissions
from petitions.digest import DigestRequest, DigestUnavailable, filename, make_digest
from petitions.digest.data import ordered_sessions
from web import queries
from web.context import actor, as_of_arg, requires, runtime
from web.labels import reference

bp = Blueprint("digests", __name__, url_prefix="/digests")


def _default_session(sessions: list[str]) -> str:
    """The newest session with petitions (the newest in the reference may still be empty)."""
    with_data = queries.sessions_with_data(runtime(), sessions)
    return with_data[-1] if with_data else (sessions[-1] if sessions else "")


def _request_for() -> DigestRequest:
    """Read session and scope from the query string, within what the signed-in user may print."""
    session = request.args.get("session", "")
    if not session:
        ref = reference()
        session = _default_session(ordered_sessions(ref) if ref else [])
    district = request.args.get("district", "")[:64]
    group = request.args.get("group", "")[:64]
    me = actor()
    own = permissions.scope_filter(me)
    if own.narrows("district") and not district:
        district = own.code or ""  # district staff's blank choice is their own district
    if not permissions.may_download_digest(me, district, group):
        abort(403)
    return DigestRequest(session=session[:32], district=district, deputy_group=group,
                         as_of=as_of_arg())


@bp.get("")
@requires(permissions.may_download_digests)
def index() -> Any:
    """Show the form that chooses a session and a scope."""
    ref = reference()
    sessions = ordered_sessions(ref) if ref else []
    own = permissions.scope_filter(actor())
    scoped = own.narrows("district")
    return render_template(
        "digests/index.html", sessions=list(reversed(sessions)), chosen=_default_session(sessions),
        districts=[own.code] if scoped else list(ref.get("units", {})),
        groups=[] if scoped else list(ref.get("deputy_groups", {})),
        scoped=scoped,
    )


@bp.get("/pdf")
@requires(permissions.may_download_digests)
def download() -> Any:
    """Render the digest from the read models and send it as a PDF download."""
    wanted = _request_for()
    if wanted.district and wanted.deputy_group:
        abort(400)
    try:
        digest, pdf = make_digest(runtime(), wanted)
    except DigestUnavailable:
        abort(404)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(wanted)}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Views-Position"] = str(digest.position)
    response.headers["X-Chain-Head"] = str(digest.chain)  # position:hash, as printed
    return response
