"""Stock reports (báo cáo tồn đọng): what is outstanding at the end of a period, split several
ways, compared with the previous report, and the items carried over from it.

A period is a council session, a half year, a year or any range; it ends on a day (the
report's "Số liệu tính đến ngày") and is compared with the stock at the end of another day:

- a session: the day before it opens, against the day before the previous session opened
  (session vs session: what each session was told);
- a half year, a year, a range: its last day, against the day before it starts (mid-year vs
  year end, year vs year);
- ``compare="last-year"``: the same day a year before (same period last year); or any day.

Items carried over (tồn đọng từ kỳ trước) are those outstanding at both days. Every figure is
read from the items' versions as of those days (``projections.stock``), never today's rows.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from projections import figures
from projections.stock import DIMENSIONS, NO_CATEGORY, Stock, carried_over, stock_at
from petitions.digest import labels

Reference = Mapping[str, Mapping[str, Mapping[str, Any]]]
PERIODS = ("session", "half", "year", "range")
STATUS_GROUP = {"open": "Chưa trả lời", "awaiting_review": "Đã trả lời, chờ xem xét",
                "answered_in_progress": "Đang giải quyết theo lộ trình",
                "concluded": "Đã kết thúc"}
TITLES = {"status_group": "Theo nhóm trạng thái", "kind": "Theo loại",
          "field": "Theo lĩnh vực", "agency": "Theo cơ quan có trách nhiệm giải quyết",
          "district": "Theo địa bàn", "session": "Theo kỳ họp tiếp nhận",
          "category": "Theo nhóm vướng mắc"}


class StockUnavailable(LookupError):
    """The period cannot be read: unknown session, a malformed range, a day after today."""


@dataclass(frozen=True)
class StockRequest:
    """Which stock to report: a period, optionally one unit, and what to compare with."""

    period: str = "year"          # session | half | year | range
    session: str = ""
    year: int = 0
    half: int = 0                 # 1 or 2
    start: date | None = None     # a range's first and last day
    end: date | None = None
    compare: str = "previous"     # previous | last-year | YYYY-MM-DD
    district: str = ""


@dataclass
class StockRow:
    """One group of the stock: its count, share of the stock, and the previous report's."""

    key: str
    label: str
    count: int
    share: float | None
    previous: int
    # Only for agencies: working days held per finished hand-off, answers sent back.
    average_held_days: float | None = None
    returns: int | None = None

    @property
    def change(self) -> int:
        """Return the count minus the previous report's."""
        return self.count - self.previous


@dataclass
class StockReport:
    """A stock report as plain data (no personal data: codes, titles, units, agencies)."""

    title: str
    period_label: str
    start: date
    as_of: date
    previous_as_of: date
    total: int
    previous_total: int
    tables: dict[str, list[StockRow]]
    carried_over: list[dict[str, Any]] = field(default_factory=list)
    carried_over_total: int = 0
    district: str = ""

    @property
    def change(self) -> int:
        """Return the stock minus the previous report's."""
        return self.total - self.previous_total

    @property
    def change_pct(self) -> float | None:
        """Return the change as a share of the previous stock."""
        return figures.rate(self.change, self.previous_total)


def period_of(reference: Reference, request: StockRequest, today: date) -> tuple[str, date, date]:
    """Return the period's label, first day and last day (capped at ``today``)."""
    if request.period == "session":
        sessions = reference.get("council_sessions", {})
        if request.session not in sessions:
            raise StockUnavailable(f"unknown council session {request.session!r}")
        order = sorted(sessions, key=lambda c: str(sessions[c].get("opens_on") or ""))
        opens = _day(sessions[request.session].get("opens_on"))
        index = order.index(request.session)
        before = _day(sessions[order[index - 1]].get("opens_on")) if index else None
        if opens is None:
            raise StockUnavailable(f"session {request.session!r} has no opening date")
        label = "Báo cáo gửi " + labels.ref_name(reference, "council_sessions", request.session)
        start, end = before or date(opens.year, 1, 1), opens - timedelta(days=1)
    elif request.period in ("half", "year"):
        if not 2000 <= request.year <= 2100:
            raise StockUnavailable("give the year, e.g. 2025")
        if request.period == "year":
            label, start, end = (f"Năm {request.year}", date(request.year, 1, 1),
                                 date(request.year, 12, 31))
        elif request.half in (1, 2):
            first = request.half == 1
            label = f"{'6 tháng đầu' if first else '6 tháng cuối'} năm {request.year}"
            start = date(request.year, 1 if first else 7, 1)
            end = date(request.year, 6, 30) if first else date(request.year, 12, 31)
        else:
            raise StockUnavailable("the half year is 1 or 2")
    elif request.period == "range":
        if request.start is None or request.end is None or request.start > request.end:
            raise StockUnavailable("give the range's first and last day, in that order")
        start, end = request.start, request.end
        label = f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
    else:
        raise StockUnavailable(f"unknown period {request.period!r}")
    if start > today:
        raise StockUnavailable("the period has not started yet")
    return label, start, min(end, today)


def compare_day(request: StockRequest, start: date, end: date) -> date:
    """Return the day the stock is compared with (see the module's description)."""
    if request.compare in ("", "previous"):
        return start - timedelta(days=1)
    if request.compare == "last-year":
        try:
            return end.replace(year=end.year - 1)
        except ValueError:  # 29 February
            return end.replace(year=end.year - 1, day=28)
    try:
        day = date.fromisoformat(request.compare)
    except ValueError:
        raise StockUnavailable("compare with previous, last-year or a day YYYY-MM-DD") from None
    if day > end:
        raise StockUnavailable("the day compared with must not be after the report's day")
    return day


def build_stock(views: Any, reference: Reference, request: StockRequest, *,
                today: date, list_limit: int = 2000) -> StockReport:
    """Read the stock at the end of the period and at the day compared with."""
    if request.district and request.district not in reference.get("units", {}):
        raise StockUnavailable(f"unknown unit {request.district!r}")
    label, start, end = period_of(reference, request, today)
    before = compare_day(request, start, end)
    with views.begin() as conn:  # one read transaction: both days from the same log position
        now = stock_at(conn, end, district=request.district)
        then = stock_at(conn, before, district=request.district)
        listed, listed_total = carried_over(conn, end, before, district=request.district,
                                            limit=list_limit)
    scope = labels.unit_name(reference, request.district, with_kind=True) \
        if request.district else labels.CITY
    return StockReport(
        title=f"Báo cáo kiến nghị cử tri, đơn thư tồn đọng — {scope}",
        period_label=label, start=start, as_of=end, previous_as_of=before,
        total=now.total, previous_total=then.total,
        tables={d: _rows(reference, d, now, then) for d in DIMENSIONS},
        carried_over=listed, carried_over_total=listed_total, district=request.district,
    )


def _rows(reference: Reference, dimension: str, now: Stock, then: Stock) -> list[StockRow]:
    rows = []
    for key in set(now.by[dimension]) | set(then.by[dimension]):
        count = now.by[dimension].get(key, 0)
        row = StockRow(key=key, label=label_of(reference, dimension, key), count=count,
                       share=figures.rate(count, now.total),
                       previous=then.by[dimension].get(key, 0))
        if dimension == "agency" and key:
            hand_offs = now.hand_offs.get(key, 0)
            row.average_held_days = (round(now.held_days[key] / hand_offs, 1)
                                     if hand_offs else None)
            row.returns = now.returns.get(key, 0)
        rows.append(row)
    rows.sort(key=lambda r: (-r.count, -r.previous, r.label))
    return rows


def label_of(reference: Reference, dimension: str, key: str) -> str:
    """Return the Vietnamese label of one group."""
    if dimension == "status_group":
        return STATUS_GROUP.get(key, key)
    if dimension == "kind":
        return labels.KIND.get(key, key)
    if dimension == "field":
        return labels.ref_name(reference, "fields", key, labels.NO_FIELD)
    if dimension == "agency":
        return labels.ref_name(reference, "agencies", key, labels.NO_AGENCY)
    if dimension == "district":
        return labels.unit_name(reference, key)
    if dimension == "session":
        return labels.ref_name(reference, "council_sessions", key, "Không gắn kỳ họp (đơn thư)")
    return key if key != NO_CATEGORY else "Chưa phân loại vướng mắc"


def _day(value: Any) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))
