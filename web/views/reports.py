"""Stock reports (báo cáo tồn đọng) on the web: pick a period, see the stock and its change.

The same roles as digests: the secretariat, deputies and administrators city-wide, district
staff for their own unit. No personal data (codes, titles, units, agencies).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext

from petitions import permissions
from petitions.digest.data import ordered_sessions
from petitions.stock import StockRequest, StockUnavailable, build_stock
from web.context import actor, parse_day, requires, runtime, tracker
from web.labels import reference

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _request() -> tuple[StockRequest, dict[str, str]]:
    """Read the period from the query string; return it and the fields that are wrong."""
    args, errors = request.args, {}
    period = args.get("period", "year")
    if period not in ("session", "half", "year", "range"):
        errors["period"] = [gettext("Unknown value.")]

    def number(name: str, default: int) -> int:
        raw = args.get(name, "").strip()
        if not raw:
            return default
        if not raw.isdigit() or len(raw) > 4:
            errors[name] = [gettext("Enter a number.")]
            return default
        return int(raw)

    def day(name: str) -> date | None:
        raw = args.get(name, "").strip()
        if not raw:
            return None
        parsed = parse_day(raw)
        if parsed is None:
            errors[name] = [gettext("Enter the day as dd/mm/yyyy.")]
        return parsed

    district = args.get("district", "")[:64]
    own = permissions.scope_filter(actor())
    if own.narrows("district") and not district:
        district = own.code or ""
    if not permissions.may_download_digest(actor(), district):
        abort(403)
    today = tracker().today()
    wanted = StockRequest(
        period=period, session=args.get("session", "")[:32],
        year=number("year", today.year), half=number("half", 1 if today.month <= 6 else 2),
        start=day("start"), end=day("end"), compare=args.get("compare", "previous")[:10],
        district=district)
    return wanted, errors


@bp.get("/stock")
@requires(permissions.may_download_digests)
def stock() -> Any:
    """Show the stock at the end of the chosen period against the previous report."""
    wanted, errors = _request()
    report, status = None, 200
    if not errors:
        try:
            report = build_stock(runtime().views, reference(), wanted, today=tracker().today())
        except StockUnavailable as exc:
            errors["period"] = [gettext("This stock cannot be reported: %(why)s.", why=str(exc))]
    if errors:
        status = 400
    ref = reference()
    own = permissions.scope_filter(actor())
    return render_template(
        "reports/stock.html", report=report, wanted=wanted, errors=errors, titles=_titles(),
        sessions=list(reversed(ordered_sessions(ref))),
        districts=[own.code] if own.narrows("district") else sorted(ref.get("units", {})),
        scoped=own.narrows("district"),
    ), status


def _titles() -> dict[str, str]:
    """The headings of the stock's tables, in the user's language."""
    return {"status_group": gettext("By status group"), "kind": gettext("By kind"),
            "field": gettext("By field"), "agency": gettext("By responsible agency"),
            "district": gettext("By unit"), "session": gettext("By council session of origin"),
            "category": gettext("By category (obstacle)")}
