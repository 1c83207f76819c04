"""Commitments (issue 15): questioning sessions, the register, the board, and the measure chart.

The commitment's own page is the item page (``items/_facts_commitment.html`` adds its
measure, chart, sub-items and reports); its lifecycle actions are the item page's forms.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError

from domain.commitment import UNITS, format_measure
from petitions import permissions
from petitions.errors import ItemNotFound
from projections import commitments as q
from web.context import actor, after_command, requires, runtime, tracker
from web.forms import FormError, submit, submitted
from web.i18n import field_errors, format_date
from web.schemas import BaseSchema, Code, DateField, Text
from web.schemas.commitments import CommitmentSchema, ConclusionSchema, QuestioningSchema

bp = Blueprint("commitments", __name__, url_prefix="/commitments")
MAX_CODE = 40


class RegisterFilterSchema(BaseSchema):
    """The register's filters (every one optional)."""

    council_session = Code(load_default="")
    questioning = Code(load_default="")
    agency = Code(load_default="")
    leader = Text(load_default="", max_length=200)
    status = Code(load_default="")
    due_from = DateField(load_default=None)
    due_to = DateField(load_default=None)


def _read(query: Any, *args: Any, **kwargs: Any) -> Any:
    with runtime().views.connect() as conn:
        return query(conn, *args, **kwargs)


def _own_agency() -> str:
    """Return the agency a scoped user is narrowed to ("" for the city roles)."""
    scope = permissions.scope_filter(actor())
    return (scope.code or permissions.NOWHERE) if scope.narrows("agency") else ""


@bp.get("")
@requires(permissions.may_see_commitments)
def register() -> Any:
    """List the commitments by due date, filtered by session, agency, leader, status, due."""
    try:
        f = RegisterFilterSchema().load(request.args)
    except ValidationError as err:
        flash(gettext("Some filters are not valid."), "error")
        return _register_page([], field_errors(err.messages)), 400
    if _own_agency():
        f["agency"] = _own_agency()
    rows = _read(q.list_commitments, q.CommitmentFilter(**f), today=tracker().today())
    return _register_page(rows, {})


def _register_page(rows: list[dict[str, Any]], errors: dict[str, Any]) -> str:
    return render_template(
        "commitments/register.html", rows=rows, args=request.args, errors=errors,
        sessions=_read(q.questioning_sessions), leaders=_read(q.leaders),
        measure=row_measure, city_wide=not _own_agency())


def row_measure(row: dict[str, Any]) -> str:
    """Say a register row's measure in the reader's language ("04/08 dự án")."""
    if row.get("unit"):
        return format_measure(row.get("value"), row.get("target"), gettext(UNITS[row["unit"]]),
                              **_marks())
    return "; ".join(f"{c['category']}: {c['count']}" for c in row.get("categories") or []
                     if c["count"])


@bp.get("/board")
@requires(permissions.may_see_commitments)
def board() -> Any:
    """Show "commitments kept" per agency and per leader: on time, late, not met, the rate."""
    session = request.args.get("council_session", "")[:MAX_CODE]
    today = tracker().today()
    own = _own_agency()
    by_agency = _read(q.board, "agency", today=today, council_session=session)
    by_leader = _read(q.board, "leader", today=today, council_session=session)
    if own:
        by_agency = [r for r in by_agency if r["key"][0] == own]
        by_leader = [r for r in by_leader if r["key"][1] == own]
    return render_template("commitments/board.html", by_agency=by_agency, by_leader=by_leader,
                           session=session, sessions=_council_sessions())


def _council_sessions() -> list[str]:
    return sorted({s["council_session"] for s in _read(q.questioning_sessions)})


@bp.get("/questioning/new")
@requires(permissions.may_log, "commitment")
def new_questioning() -> Any:
    """Show the form to record a questioning or explanation session."""
    return render_template("commitments/questioning_new.html", errors={},
                           data={"kind": "questioning", "held_on": tracker().today().isoformat()})


@bp.post("/questioning/new")
@requires(permissions.may_log, "commitment")
def create_questioning() -> Any:
    """Record the session, then show it (to record the commitments made there)."""
    try:
        receipt = submit(QuestioningSchema(),
                         lambda data: tracker().hold_questioning_session(actor(), **data))
    except FormError as err:
        flash(err.message, "error")
        return render_template("commitments/questioning_new.html", data=submitted(),
                               errors=err.errors), err.status
    after_command(receipt)
    flash(gettext("Session {code} was recorded.").format(code=receipt.code), "success")
    return redirect(url_for("commitments.questioning", code=receipt.code), 303)


@bp.get("/questioning/<code>")
@requires(permissions.may_see_commitments)
def questioning(code: str, status: int = 200, errors: Any = None, data: Any = None) -> Any:
    """Show a questioning session, its conclusion and the commitments recorded from it."""
    if len(code) > MAX_CODE:
        abort(404)
    try:
        record = tracker().questioning_session(code)
    except ItemNotFound:
        abort(404)
    f = q.CommitmentFilter(questioning=code, agency=_own_agency())
    rows = _read(q.list_commitments, f, today=tracker().today())
    defaults = {"agency": record["agency"], "leader_name": record["leader"]["name"],
                "leader_position": record["leader"]["position"], "field": "other"}
    return render_template("commitments/questioning.html", record=record, rows=rows,
                           measure=row_measure, errors=errors or {},
                           data=data if data is not None else defaults), status


@bp.post("/questioning/<code>/conclusion")
@requires(permissions.may_log, "commitment")
def conclude(code: str) -> Any:
    """Record the conclusion or resolution of a session."""
    if len(code) > MAX_CODE:
        abort(404)
    try:
        receipt = submit(ConclusionSchema(),
                         lambda data: tracker().record_conclusion(actor(), code, **data))
    except FormError as err:
        flash(err.message, "error")
        return questioning(code, err.status, err.errors, submitted())
    except ItemNotFound:
        abort(404)
    after_command(receipt)
    flash(gettext("Saved."), "success")
    return redirect(url_for("commitments.questioning", code=code), 303)


@bp.post("/new")
@requires(permissions.may_log, "commitment")
def create() -> Any:
    """Record a commitment from a questioning session, then show its page."""
    code = request.form.get("questioning", "")[:MAX_CODE]
    try:
        receipt = submit(CommitmentSchema(), lambda data: tracker().record_commitment(
            actor(), **data))
    except FormError as err:
        flash(err.message, "error")
        if not code:
            abort(400)
        return questioning(code, err.status, err.errors, submitted())
    after_command(receipt)
    flash(gettext("Commitment {code} was recorded.").format(code=receipt.code), "success")
    return redirect(url_for("items.show", ref=receipt.code), 303)


@bp.app_template_global()
def commitment_chart(item: dict[str, Any]) -> str | None:
    """Return the measure chart of a commitment's page as a data URI (None without a measure)."""
    from web.charts import measure_line

    measure = item.get("measure")
    points = [r for r in item.get("reports") or [] if r.get("value") is not None]
    if not measure or not points:
        return None
    unit = gettext(UNITS.get(measure["unit"], ""))
    kept = [r for r in points if r["state"] != "returned"]
    if not kept:
        return None
    return measure_line(
        gettext("Measure over time ({unit})").format(unit=unit),
        [format_date(r["as_of"]) for r in kept], [r["value"] for r in kept],
        measure["target"], gettext("Value reached"), gettext("Target"))


@bp.app_template_global()
def commitment_measure(item: dict[str, Any]) -> str:
    """Say a commitment page's measure: the value reached over the target ("04/08 dự án")."""
    measure = item.get("measure")
    if not measure:
        return ""
    return format_measure(item.get("measure_value"), measure["target"],
                          gettext(UNITS.get(measure["unit"], "")), **_marks())


def _marks() -> dict[str, str]:
    """Return the reader's thousands and decimal marks (Vietnamese "." ","; English "," ".")."""
    from flask_babel import get_locale

    return {"thousands": ",", "decimal": "."} if str(get_locale()) == "en" else {}


@bp.app_template_global()
def unit_choices() -> list[tuple[str, str]]:
    """Return the measure units as (value, label) pairs for a select."""
    return [(value, gettext(text)) for value, text in UNITS.items()]


@bp.app_template_global()
def choices_for_commitments() -> list[tuple[str, str]]:
    """Return the commitment type's statuses as (value, label) pairs, in declaration order."""
    from domain.item_types import REGISTRY

    return [(s.value, gettext(s.label)) for s in REGISTRY.get("commitment").statuses]
