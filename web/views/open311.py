"""Open311 GeoReport v2, read-only (issue 18): services = fields, requests = published items.

https://wiki.open311.org/GeoReport_v2 — ``GET /open311/v2/services.json``,
``/requests.json`` (``service_code``, ``status`` open|closed, ``start_date``, ``end_date``,
ISO 8601) and ``/requests/<code>.json``. Public: only items whose answer the office
published, never denunciations, never personal data, titles or contents (the published
answer is the ``status_notes``). JSON only; no writes (POST is not offered).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Blueprint, jsonify, request

from petitions.published import published_requests
from web.context import runtime
from web.labels import ref_name

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")


def _error(status: int, description: str) -> Any:
    return jsonify([{"code": status, "description": description}]), status


def _when(name: str) -> datetime | None | str:
    raw = request.args.get(name, "")
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw[:40].replace("Z", "+00:00"))
    except ValueError:
        return "bad"
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _iso(moment: Any) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()
    return datetime(moment.year, moment.month, moment.day, tzinfo=timezone.utc).isoformat()


def _request(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "service_request_id": row["code"], "status": "open" if row["is_open"] else "closed",
        "status_notes": row["text"], "service_code": row["field"] or "other",
        "service_name": ref_name("fields", row["field"]) or row["field"],
        "agency_responsible": ref_name("agencies", row["agency"]) if row["agency"] else None,
        "service_notice": None, "requested_datetime": _iso(row["received_on"]),
        "updated_datetime": _iso(row["published_at"]),
        "expected_datetime": _iso(row["due_date"]), "address": None, "zipcode": None,
        "lat": None, "long": None, "media_url": None,
    }


@bp.get("/services.json")
def services() -> Any:
    """The fields (lĩnh vực) as services."""
    fields = runtime().tracker.reference().get("fields", {})
    return jsonify([{"service_code": code, "service_name": ref_name("fields", code),
                     "description": ref_name("fields", code), "metadata": False,
                     "type": "realtime", "keywords": "", "group": "Hà Nội"}
                    for code in sorted(fields)])


@bp.get("/requests.json")
def requests() -> Any:
    """Published items, newest first, at most 1000."""
    status = request.args.get("status", "")
    if status not in ("", "open", "closed"):
        return _error(400, "status must be open or closed")
    start, end = _when("start_date"), _when("end_date")
    if "bad" in (start, end):
        return _error(400, "dates must be ISO 8601 (e.g. 2025-03-01T00:00:00Z)")
    rows = published_requests(runtime().views.engine,
                              field=request.args.get("service_code", "")[:64] or None,
                              is_open=None if not status else status == "open",
                              start=start, end=end)  # type: ignore[arg-type]
    return jsonify([_request(r) for r in rows])


@bp.get("/requests/<ref>.json")
def one(ref: str) -> Any:
    """One published item by its code."""
    rows = published_requests(runtime().views.engine, code=ref[:32].upper())
    if not rows:
        return _error(404, "no such published request")
    return jsonify([_request(rows[0])])
