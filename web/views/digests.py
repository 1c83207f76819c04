"""Digests: pick a council session and a scope, download the PDF (secretariat, deputies,
administrators who support the office, district staff for their own district)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from domain.actor import Role
from petitions.digest import DigestRequest, DigestUnavailable, filename, make_digest
from petitions.digest.data import ordered_sessions
from web import queries
from web.context import actor, roles_required, runtime
from web.labels import reference

bp = Blueprint("digests", __name__, url_prefix="/digests")
ALLOWED = (Role.SECRETARIAT, Role.DEPUTY, Role.ADMIN, Role.DISTRICT_STAFF)


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
    if me.role is Role.DISTRICT_STAFF:
        # District staff print their own district's digest and nothing wider.
        if group or district not in ("", me.district):
            abort(403)
        district = me.district or ""
    return DigestRequest(session=session[:32], district=district, deputy_group=group)


@bp.get("")
@roles_required(*ALLOWED)
def index() -> Any:
    """Show the form that chooses a session and a scope."""
    ref = reference()
    sessions = ordered_sessions(ref) if ref else []
    me = actor()
    return render_template(
        "digests/index.html", sessions=list(reversed(sessions)), chosen=_default_session(sessions),
        districts=[me.district] if me.role is Role.DISTRICT_STAFF else list(ref.get("units", {})),
        groups=[] if me.role is Role.DISTRICT_STAFF else list(ref.get("deputy_groups", {})),
        scoped=me.role is Role.DISTRICT_STAFF,
    )


@bp.get("/pdf")
@roles_required(*ALLOWED)
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
    return response
