"""Digests and issued reports: choose a session and a scope, queue the rendering, follow its
progress, download the PDF, Word or Excel file; the office issues numbered reports and the
register lists them (secretariat, deputies, administrators who support the office, district
staff for their own district).

No view renders a document: each request only queues a job (``petitions.render_jobs``), which
the scheduler's process or ``petitions worker`` runs, so web threads never wait on WeasyPrint.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from petitions import permissions
from petitions.digest import FORMATS, DigestRequest
from petitions.digest.data import ordered_sessions
from petitions.digest.document import DEFAULT_ISSUER, ISSUERS
from petitions.render_jobs import MAX_ACTIVE_PER_USER, JobNotFound, RenderQueue, TooManyJobs
from petitions.reports import (
    ReportNotFound, issued_file, issued_report, issued_reports, read_file,
)
from web import queries
from web.context import actor, parse_day, requires, runtime
from web.labels import reference

bp = Blueprint("digests", __name__, url_prefix="/digests")
SIGNER_MAX = 100


def _queue() -> RenderQueue:
    return RenderQueue(runtime().views.engine)


def _default_session(sessions: list[str]) -> str:
    """The newest session with petitions (the newest in the reference may still be empty)."""
    with_data = queries.sessions_with_data(runtime(), sessions)
    return with_data[-1] if with_data else (sessions[-1] if sessions else "")


def _request_for(values: Any) -> DigestRequest:
    """Read session and scope from ``values``, within what the signed-in user may print."""
    session = values.get("session", "")
    ref = reference()
    if not session:
        session = _default_session(ordered_sessions(ref) if ref else [])
    district = values.get("district", "")[:64]
    group = values.get("group", "")[:64]
    me = actor()
    own = permissions.scope_filter(me)
    if own.narrows("district") and not district:
        district = own.code or ""  # district staff's blank choice is their own district
    if not permissions.may_download_digest(me, district, group):
        abort(403)
    if district and group:
        abort(400)
    if session not in (ref or {}).get("council_sessions", {}):
        abort(404)
    return DigestRequest(session=session[:32], district=district, deputy_group=group)


def _as_of(values: Any) -> str:
    """Return the "Tính đến ngày" date as ISO text ("" for today), or "#N" for just after
    event N (checked now: a job never waits for a position out of reach); else abort 400."""
    raw = values.get("as_of", "").strip()
    if not raw:
        return ""
    if raw.startswith("#"):
        from web.context import position_arg
        return f"#{position_arg(raw).n}"
    day = parse_day(raw)
    if day is None or day > runtime().tracker.today():
        abort(400)
    return day.isoformat()


def _params(wanted: DigestRequest, fmt: str, as_of: str) -> dict[str, Any]:
    return {"session": wanted.session, "district": wanted.district,
            "deputy_group": wanted.deputy_group, "fmt": fmt, "as_of": as_of}


def _queue_and_follow(kind: str, params: dict[str, Any]) -> Any:
    """Queue (or join) the job and send the user to its progress page."""
    try:
        job = _queue().request(actor(), kind, params, position=runtime().tracker.position())
    except TooManyJobs:
        flash(_("You already have %(n)s documents being prepared; wait for one to finish.",
                n=MAX_ACTIVE_PER_USER), "error")
        return _index(status=429)
    return redirect(url_for("digests.job", job_id=job.id), code=303)


def _index(status: int = 200) -> Any:
    ref = reference()
    sessions = ordered_sessions(ref) if ref else []
    own = permissions.scope_filter(actor())
    scoped = own.narrows("district")
    return render_template(
        "digests/index.html", sessions=list(reversed(sessions)), chosen=_default_session(sessions),
        districts=[own.code] if scoped else list(ref.get("units", {})),
        groups=[] if scoped else list(ref.get("deputy_groups", {})),
        scoped=scoped, formats=FORMATS, issuers=ISSUERS, default_issuer=DEFAULT_ISSUER,
        today=runtime().tracker.today(),
    ), status


@bp.get("")
@requires(permissions.may_download_digests)
def index() -> Any:
    """Show the form that chooses a session, a scope, an as-of date and a format."""
    return _index()


@bp.get("/pdf")
@requires(permissions.may_download_digests)
def download() -> Any:
    """Queue the draft PDF of the query string's digest (a link that can be bookmarked)."""
    wanted = _request_for(request.args)
    return _queue_and_follow("draft", _params(wanted, "pdf", _as_of(request.args)))


@bp.post("/jobs")
@requires(permissions.may_download_digests)
def queue_draft() -> Any:
    """Queue a draft digest in the chosen format."""
    fmt = request.form.get("fmt", "pdf")
    if fmt not in FORMATS:
        abort(400)
    wanted = _request_for(request.form)
    return _queue_and_follow("draft", _params(wanted, fmt, _as_of(request.form)))


@bp.post("/issue")
@requires(permissions.may_issue_reports)
def issue() -> Any:
    """Queue the issuing of a numbered report (its PDF is shown when done)."""
    issuer = request.form.get("issuer", DEFAULT_ISSUER)
    signer = request.form.get("signer", "").strip()
    if issuer not in ISSUERS or len(signer) > SIGNER_MAX:
        abort(400)
    wanted = _request_for(request.form)
    params = _params(wanted, "pdf", _as_of(request.form))
    params.update(issuer=issuer, signer=signer)
    return _queue_and_follow("issue", params)


def _own_job(job_id: int) -> Any:
    try:
        job = _queue().get(job_id)
    except JobNotFound:
        abort(404)
    wanted = job.request
    if not permissions.may_download_digest(actor(), wanted.district, wanted.deputy_group):
        abort(404)  # the job's existence does not leak beyond its scope
    return job


@bp.get("/jobs/<int:job_id>")
@requires(permissions.may_download_digests)
def job(job_id: int) -> Any:
    """Show a job's progress (the page reloads itself until the file is ready)."""
    found = _own_job(job_id)
    steps = {"figures": _("reading the figures"), "layout": _("laying out the pages"),
             "writing": _("writing the file"), "": _("starting")}
    return render_template("digests/job.html", job=found, formats=FORMATS, steps=steps)


@bp.get("/jobs/<int:job_id>/file")
@requires(permissions.may_download_digests)
def job_file(job_id: int) -> Any:
    """Send a finished job's file; before that, back to its progress page."""
    found = _own_job(job_id)
    if found.status != "done" or not found.result:
        return redirect(url_for("digests.job", job_id=job_id))
    try:
        body = read_file(runtime().views.engine, found.result)
    except ReportNotFound:
        abort(404)
    fmt = found.params.get("fmt", "pdf")
    pins = {"X-Views-Position": str(found.outcome.get("position", "")),
            "X-Chain-Head": str(found.outcome.get("chain", ""))}  # position:hash, as printed
    return _send(body, fmt, found.result_name or f"bao-cao.{fmt}", **pins)


def _send(body: bytes, fmt: str, name: str, **headers: str) -> Response:
    response = Response(body, mimetype=FORMATS[fmt][0])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(headers)
    return response


@bp.get("/register")
@requires(permissions.may_download_digests)
def register() -> Any:
    """List the issued reports the user may read, newest first."""
    me = actor()
    shown = [r for r in issued_reports(runtime().tracker)
             if permissions.may_download_digest(me, r.scope.get("district", ""),
                                                r.scope.get("deputy_group", ""))]
    return render_template("digests/register.html", reports=shown, formats=FORMATS,
                           issuers=ISSUERS)


@bp.get("/issued/<issuer>/<int:year>/<int:number>/<fmt>")
@requires(permissions.may_download_digests)
def issued(issuer: str, year: int, number: int, fmt: str) -> Any:
    """Send an issued report's file exactly as it was issued."""
    from petitions.digest import filename

    if fmt not in FORMATS:
        abort(404)
    try:
        report = issued_report(runtime().tracker, issuer, year, number)
        if not permissions.may_download_digest(actor(), report.scope.get("district", ""),
                                               report.scope.get("deputy_group", "")):
            abort(404)
        body = issued_file(runtime(), report, fmt)
    except ReportNotFound:
        abort(404)
    return _send(body, fmt, filename(report.request, fmt, sign=report.sign),
                 **{"X-Report-Number": report.sign, "X-Chain-Head": report.chain})
