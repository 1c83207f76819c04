"""Boards: city-wide, per district, per agency, per session, with charts and comparisons.

Every count and rate shown is one of ``projections.figures`` (overdue as of today); none is
computed here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required

from domain.actor import Actor
from petitions import permissions
from petitions.lineage import ROLLUP_RULE
from projections.counters import ALL
from web import charts, queries
from web.context import actor, as_of_arg, requires, runtime
from web.labels import label, ref_name, reference, status_group_counts
from web.units import is_new_unit

bp = Blueprint("boards", __name__, url_prefix="/boards")
OUTCOMES = ("resolved", "being_resolved", "explained", "not_resolved")


def _sessions() -> list[str]:
    entries = reference().get("council_sessions", {})
    return sorted(entries, key=lambda code: str(entries[code].get("opens_on", "")))


def _recent_sessions(count: int = 3) -> list[str]:
    """The newest sessions that have data (the newest in the reference may be still empty)."""
    return queries.sessions_with_data(runtime(), _sessions())[-count:]


def _session_arg() -> tuple[str, str | None]:
    """Return the chosen session (ALL when none) and the previous one to compare with."""
    chosen = request.args.get("session", "")
    sessions = _sessions()
    if chosen not in sessions:
        return ALL, None
    index = sessions.index(chosen)
    return chosen, sessions[index - 1] if index > 0 else None


def _scoped_board(code: str, section: str, may_see: Callable[[Actor, str], bool],
                  read: Callable[[Any, str, str], dict[str, Any]]) -> dict[str, Any]:
    """Check the code and the user's scope, then read this session's and the previous counts.

    A scoped user sees only their own district's or agency's board (``may_see``); anything
    else is "not found", like an item outside their scope.
    """
    if not may_see(actor(), code):
        abort(404)
    if code not in reference().get(section, {}):
        abort(404)
    session, previous = _session_arg()
    as_of = as_of_arg()
    return {"code": code, "counts": read(runtime(), code, session, as_of),
            "before": read(runtime(), code, previous, as_of) if previous else None,
            "session": session, "previous": previous, "sessions": _sessions(),
            "as_of": as_of}


def _summary_chart(counts: dict[str, Any], title: str) -> str | None:
    """The status pie, or None when there are no items (the rates alone are not data)."""
    if not counts.get("raised"):
        return None
    return charts.pie(title, status_group_counts(counts))


@bp.get("")
@requires(permissions.may_see_boards)
def city() -> Any:
    """City-wide board, one row per district; scoped users go to their own board."""
    own = permissions.scope_filter(actor())
    if own.narrows("district"):
        return redirect(url_for("boards.district", code=own.code))
    if own.narrows("agency"):
        return redirect(url_for("boards.agency", code=own.code))
    session, previous = _session_arg()
    as_of = as_of_arg()
    rows = queries.districts(runtime(), session, as_of)
    total = rows.pop(ALL, {})
    before = queries.district(runtime(), ALL, previous, as_of) if previous else None
    ordered = sorted(rows.items(), key=lambda kv: -kv[1].get("raised", 0))
    # Two eras: the communes and wards since 1 July 2025, the districts before.
    wards = [(code, r) for code, r in ordered if is_new_unit(code)]
    districts = [(code, r) for code, r in ordered if not is_new_unit(code)]
    return render_template(
        "boards/city.html", wards=wards, districts=districts, total=total, before=before,
        session=session, previous=previous, sessions=_sessions(), recent=_recent_sessions(),
        as_of=as_of,
        chart=_units_chart(gettext("Items per commune and ward (top 30)"), wards[:30]),
        districts_chart=_units_chart(gettext("Items per district (before 1 July 2025)"),
                                     districts),
        status_chart=_summary_chart(total, gettext("Items by status")),
    )


def _units_chart(title: str, rows: list[tuple[str, dict[str, Any]]]) -> str | None:
    """Bars of items, open and overdue per unit, or None when there are no rows."""
    if not rows:
        return None
    return charts.bars(
        title, [ref_name("units", code) for code, _ in rows],
        {gettext("Total"): [r.get("raised", 0) for _, r in rows],
         gettext("Open"): [r.get("open", 0) for _, r in rows],
         gettext("Overdue"): [r.get("overdue", 0) for _, r in rows]}, horizontal=True,
    )


@bp.get("/rollup")
@requires(permissions.may_see_city_boards)
def rollup() -> Any:
    """Former districts continued: each commune and ward counted under the district it
    mostly came from, so a district's figures run on across 1 July 2025."""
    session, _ = _session_arg()
    as_of = as_of_arg()
    rows = queries.district_rollup(runtime(), session, as_of)
    ordered = sorted(rows.items(), key=lambda kv: -kv[1].get("raised", 0))
    return render_template(
        "boards/rollup.html", rows=ordered, session=session, sessions=_sessions(), as_of=as_of,
        rule=ROLLUP_RULE,
        chart=_units_chart(gettext("Items per former district, communes and wards included"),
                           ordered),
    )


@bp.get("/district/<code>")
@requires(permissions.may_see_district_boards)
def district(code: str) -> Any:
    """One district's board; district staff see only their own district."""
    board = _scoped_board(code, "units", permissions.may_see_district_board, queries.district)
    counts, before = board["counts"], board["before"]
    outcome_chart = charts.bars(
        gettext("Answers by outcome"), [label("outcome", o) for o in OUTCOMES],
        {gettext("This period"): [counts.get(f"outcome:{o}", 0) for o in OUTCOMES],
         **({gettext("Previous session"): [before.get(f"outcome:{o}", 0) for o in OUTCOMES]}
            if before else {})},
    )
    series = None if is_new_unit(code) else queries.district_series(
        runtime(), code, queries.sessions_with_data(runtime(), board["sessions"]),
        board["as_of"])
    return render_template(
        "boards/district.html", **board, outcome_chart=outcome_chart,
        status_chart=_summary_chart(counts, gettext("Items by status")),
        series=series, members=queries.rolled_up_members(runtime(), code) if series else [],
        rolled_up_to=queries.rolled_up_to(runtime(), code), rule=ROLLUP_RULE,
    )


@bp.get("/agencies")
@requires(permissions.may_see_city_boards)
def agencies() -> Any:
    """Every agency: assigned, answered, on time, overdue, average days to answer."""
    session, previous = _session_arg()
    as_of = as_of_arg()
    rows = queries.agencies(runtime(), session, as_of)
    rows.pop(ALL, None)
    ordered = sorted(rows.items(), key=lambda kv: -kv[1].get("assigned", 0))[:40]
    chart = charts.bars(
        gettext("On-time answers per agency (%)"), [ref_name("agencies", a) for a, _ in ordered],
        {gettext("On time"): [r.get("on_time_rate") for _, r in ordered]}, horizontal=True,
        percent=True,
    ) if ordered else None
    return render_template("boards/agencies.html", rows=ordered, session=session,
                           sessions=_sessions(), chart=chart, as_of=as_of)


@bp.get("/agency/<code>")
@requires(permissions.may_see_agency_boards)
def agency(code: str) -> Any:
    """One agency's board; agency staff see only their own agency."""
    board = _scoped_board(code, "agencies", permissions.may_see_agency_board, queries.agency)
    # The outcome mix across sessions: how this agency's answers came out, session by session.
    mix = [(s, queries.agency(runtime(), code, s, board["as_of"]))
           for s in queries.sessions_with_data(runtime(), board["sessions"])]
    return render_template("boards/agency.html", **board, OUTCOMES=OUTCOMES,
                           mix=[(s, counts) for s, counts in mix if counts.get("assigned")])


@bp.get("/session/<code>")
@login_required
@requires(permissions.may_see_city_boards)
def session_board(code: str) -> Any:
    """One council session: petitions raised and answered per deputy group, vs the previous."""
    sessions = _sessions()
    if code not in sessions:
        abort(404)
    index = sessions.index(code)
    previous = sessions[index - 1] if index > 0 else None
    as_of = as_of_arg()
    rows = queries.session(runtime(), code, as_of)
    total = rows.pop(ALL, {})
    before = queries.session(runtime(), previous, as_of).get(ALL, {}) if previous else None
    ordered = sorted(rows.items())
    chart = charts.bars(
        gettext("Petitions raised and answered per deputy group"),
        [g.removeprefix("to-") for g, _ in ordered],
        {gettext("Raised"): [r.get("raised", 0) for _, r in ordered],
         gettext("Answered"): [r.get("answered", 0) for _, r in ordered]},
        x_title=gettext("Deputy group"),
    ) if ordered else None
    return render_template("boards/session.html", code=code, rows=ordered, total=total,
                           before=before, previous=previous, chart=chart, as_of=as_of)
