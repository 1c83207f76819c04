"""Assemble the plain data of a digest from the read models (never by replaying aggregates).

The result is a tree of dataclasses holding only strings, numbers and dates, ready for a
template. Reference data (names, session dates) is passed in by the caller; item data comes
only from ``projections.digest_queries``, which never selects personal data.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.deadline import DEFAULT_POLICY, DeadlinePolicy
from projections import digest_queries as q
from projections import as_of as as_of_views
from projections import positions
from projections.positions import AtPosition
from projections import figures
from projections.chain import ChainHead, chain_head
from projections.store import Views
from petitions.digest import labels
from petitions.digest.commitments import commitments_section

Reference = Mapping[str, Mapping[str, Mapping[str, Any]]]
# Rows of the answer-result table that always show (complaint results and "ended without an
# answer" only when present): the four petition outcomes, awaiting review, not answered yet.
ALWAYS_SHOWN_RESULTS = ("resolved", "being_resolved", "explained", "not_resolved",
                        figures.AWAITING_REVIEW, figures.NOT_ANSWERED)


class DigestUnavailable(LookupError):
    """The requested session, district or deputy group is unknown, or the scope is ambiguous."""


@dataclass(frozen=True)
class DigestRequest:
    """What to print: a council session, and optionally one district or one deputy group."""

    session: str
    district: str = ""
    deputy_group: str = ""
    # The figures as they stood at the end of this day (Hanoi time); None: today.
    as_of: date | None = None


@dataclass
class Comparison:
    """One line of a table comparing this session's count with the previous session's."""

    label: str
    current: int
    previous: int | None = None
    current_pct: float | None = None
    previous_pct: float | None = None

    @property
    def change(self) -> int | None:
        """Return current minus previous (None when there is no previous session)."""
        return None if self.previous is None else self.current - self.previous


@dataclass
class HandlingRow:
    """How one agency handled the session's items: the working days it held each (per hand-off
    that ended), how often its answers were sent back, the rounds until one was accepted."""

    label: str
    hand_offs: int                      # hand-offs to it that have ended (lượt nhận)
    average_held_days: float | None     # working days held, per such hand-off
    answered: int
    returned_items: int                 # answered items whose answer was sent back at least once
    returned_rate: float | None         # returned_items / answered, in per cent
    accepted: int                       # voter petitions whose answer was accepted
    average_rounds: float | None        # answers until acceptance, per accepted petition


@dataclass
class BreakdownRow:
    """One field, agency or district: its counts this session and last session's total."""

    label: str
    total: int                 # raised (merged duplicates counted once)
    answered: int
    answered_on_time: int
    resolved: int
    open: int
    overdue: int
    past_roadmap: int
    previous_total: int | None
    resolved_pct: float | None = None   # figures.resolved_rate
    on_time_pct: float | None = None    # figures.on_time_rate


@dataclass
class ItemLine:
    """One item in a list (overdue and escalated, or resolved): no personal data."""

    code: str
    title: str
    kind: str
    district: str
    agency: str
    due_date: date | None
    days_late: int | None
    level: int
    level_label: str
    outcome: str
    closed_on: date | None


@dataclass
class ItemList:
    """Items of one list, and how many there are in all (the list may be cut short)."""

    lines: list[ItemLine] = field(default_factory=list)
    total: int = 0

    @property
    def omitted(self) -> int:
        """Items counted but not printed."""
        return self.total - len(self.lines)


@dataclass
class Digest:
    """Everything a digest prints, as plain data."""

    title: str
    scope_label: str
    scope_kind: str                      # "city", "district" or "group"
    session_code: str
    session_name: str
    session_opens_on: date | None
    previous_code: str | None
    previous_name: str | None
    previous_opens_on: date | None
    generated_at: datetime
    today: date                          # the day the figures are judged on (the as-of day)
    position: int
    chain: ChainHead                     # the hash chain's head at ``position``: pins the log
    headline: list[Comparison]
    by_outcome: list[Comparison]
    merged: int
    by_field: list[BreakdownRow]
    by_agency: list[BreakdownRow]
    by_district: list[BreakdownRow]
    escalated: ItemList
    resolved: ItemList
    resolved_since: date | None
    # "Cam kết, lời hứa đến hạn" (``petitions.digest.commitments``; its own partial).
    commitments: Any = field(default_factory=list)
    # Per agency, days held and answers sent back (city-wide digests: an agency's handling is
    # not split by unit); ``handling_total`` is every agency together.
    handling: list[HandlingRow] = field(default_factory=list)
    handling_total: HandlingRow | None = None
    area_label: str = labels.AREA_ANY    # the heading of the table of units, by their kind
    # "Số liệu tính đến ngày": every figure is the state at the end of this day; the
    # previous session's column is read as of ``previous_as_of`` (see ``previous_cut``).
    as_of: date | None = None
    previous_as_of: date | None = None


def ordered_sessions(reference: Reference) -> list[str]:
    """Return the council sessions' codes in the order they open."""
    sessions = reference.get("council_sessions", {})
    return sorted(sessions, key=lambda code: (str(sessions[code].get("opens_on") or ""), code))


def previous_session(reference: Reference, session: str) -> str | None:
    """Return the session that opened before ``session`` (None for the first one)."""
    order = ordered_sessions(reference)
    index = order.index(session)
    return order[index - 1] if index > 0 else None


def previous_cut(reference: Reference, session: str, as_of: date) -> date:
    """Return the day the previous session's column is read as of, for a digest of ``session``.

    The day before ``session`` opened (what was reported to it about the previous session's
    items), or ``as_of`` if earlier: once the session has opened the column is fixed, so a
    digest printed again later shows the same previous figures.
    """
    opens = _as_date(reference["council_sessions"][session].get("opens_on"))
    if opens is None:
        return as_of
    return min(as_of, opens - timedelta(days=1))


def build_digest(views: Views, reference: Reference, request: DigestRequest, *,
                 now: datetime, zone: ZoneInfo, list_limit: int = 2000,
                 policy: DeadlinePolicy = DEFAULT_POLICY) -> Digest:
    """Read the views and return the digest's data for ``request`` as of ``now``, or as of
    the end of ``request.as_of`` (every figure and list as the events then said)."""
    _check(reference, request)
    scope = q.DigestScope(district=request.district, deputy_group=request.deputy_group)
    previous = previous_session(reference, request.session)
    sessions = reference["council_sessions"]
    since = _as_date(sessions[previous].get("opens_on")) if previous else None
    local_now = now.astimezone(zone)
    today = min(request.as_of, local_now.date()) if request.as_of else local_now.date()
    at_event = isinstance(request.as_of, AtPosition)
    past = request.as_of is not None and _before_now(today, local_now.date())
    before_day = previous_cut(reference, request.session, today) if previous else None
    # One connection (one read transaction on PostgreSQL) so every number matches one position.
    with views.begin() as conn:
        position = request.as_of.n if at_event else q.views_position(conn)
        chain = chain_head(conn, at_most=position)
        dated = as_of_views.known(conn)  # False until a store projected before is rebuilt
        current = q.session_summary(conn, request.session, scope, today=today,
                                    as_of=past and dated)
        before = q.session_summary(conn, previous, scope, today=before_day,
                                   as_of=dated and _before_now(before_day, local_now.date())
                                   ) if previous and before_day else None
        listed = today if past and dated else None
        escalated_rows, escalated_total = q.escalated_items(conn, scope, limit=list_limit,
                                                            as_of=listed)
        resolved_rows, resolved_total = q.resolved_since(
            conn, scope, since, until=today, limit=list_limit, as_of=listed)
        handling, handling_total = (
            _handling(conn, reference, request.session, today, past and dated)
            if not (request.district or request.deputy_group) else ([], None))
        commitments = commitments_section(
            conn, reference, opens_on=_as_date(sessions[request.session].get("opens_on")),
            since=since, today=today)
        if at_event and not positions.current(conn, request.as_of):
            raise positions.PositionMoved(f"views moved while reading #{request.as_of.n}")
    kind = "district" if request.district else "group" if request.deputy_group else "city"
    return Digest(
        title="Báo cáo tình hình giải quyết kiến nghị cử tri và đơn thư",
        scope_label=_scope_label(reference, request),
        scope_kind=kind,
        session_code=request.session,
        session_name=labels.ref_name(reference, "council_sessions", request.session),
        session_opens_on=_as_date(sessions[request.session].get("opens_on")),
        previous_code=previous,
        previous_name=labels.ref_name(reference, "council_sessions", previous) if previous else None,
        previous_opens_on=since,
        generated_at=local_now,
        today=today,
        position=position,
        chain=chain,
        headline=_headline(current, before),
        by_outcome=_outcomes(current, before),
        merged=current.totals.merged,
        by_field=_breakdown(current.by_field, before.by_field if before else None,
                            lambda code: labels.ref_name(reference, "fields", code, labels.NO_FIELD)),
        by_agency=_breakdown(current.by_agency, before.by_agency if before else None,
                             lambda code: labels.ref_name(reference, "agencies", code,
                                                          labels.NO_AGENCY)),
        by_district=[] if kind == "district" else _breakdown(
            current.by_district, before.by_district if before else None,
            lambda code: labels.unit_name(reference, code)),
        escalated=ItemList([_line(reference, policy, r, today) for r in escalated_rows],
                           escalated_total),
        resolved=ItemList([_line(reference, policy, r, today) for r in resolved_rows],
                          resolved_total),
        resolved_since=since,
        commitments=commitments,
        handling=handling,
        handling_total=handling_total,
        area_label=labels.area_label(
            (reference.get("units", {}).get(code) or {}).get("kind")
            for code in {*current.by_district, *(before.by_district if before else ())}),
        as_of=today,
        previous_as_of=before_day,
    )


def _check(reference: Reference, request: DigestRequest) -> None:
    if request.session not in reference.get("council_sessions", {}):
        raise DigestUnavailable(f"unknown council session {request.session!r}")
    if request.district and request.deputy_group:
        raise DigestUnavailable("choose a district or a deputy group, not both")
    if request.district and request.district not in reference.get("units", {}):
        raise DigestUnavailable(f"unknown district {request.district!r}")
    if request.deputy_group and request.deputy_group not in reference.get("deputy_groups", {}):
        raise DigestUnavailable(f"unknown deputy group {request.deputy_group!r}")


def _scope_label(reference: Reference, request: DigestRequest) -> str:
    if request.district:
        return labels.unit_name(reference, request.district, with_kind=True)
    if request.deputy_group:
        return labels.ref_name(reference, "deputy_groups", request.deputy_group)
    return labels.CITY


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# Headline lines: label, count, and the figure that gives its percentage.
HEADLINE = [
    ("Tổng số kiến nghị của kỳ họp", figures.RAISED, lambda t: figures.share(t, figures.RAISED)),
    ("Đã được trả lời", figures.ANSWERED, figures.answered_rate),
    ("Trả lời đúng hạn", figures.ON_TIME, figures.on_time_rate),
    ("Trả lời quá hạn", figures.LATE, lambda t: figures.rate(t.get(figures.LATE, 0),
                                                            t.get(figures.ANSWERED, 0))),
    ("Đã giải quyết xong", figures.RESOLVED, figures.resolved_rate),
    ("Chưa kết thúc", figures.OPEN, lambda t: figures.share(t, figures.OPEN)),
    ("Quá hạn", figures.OVERDUE, lambda t: figures.share(t, figures.OVERDUE)),
    ("Quá hạn lộ trình", figures.PAST_ROADMAP, lambda t: figures.share(t, figures.PAST_ROADMAP)),
    ("Đã đôn đốc, báo cấp trên", figures.ESCALATED, lambda t: figures.share(t, figures.ESCALATED)),
]


def _before_now(day: date, today: date) -> bool:
    """Tell whether ``day`` is read from the past's versions: a day before today, or just
    after an event (``positions.AtPosition``), a past moment even on today's date."""
    return isinstance(day, AtPosition) or day < today


def _handling(conn: Any, reference: Reference, session: str, today: date, as_of: bool
              ) -> tuple[list[HandlingRow], HandlingRow | None]:
    """Return each agency's handling of ``session``'s items, and all agencies together (read
    from the agency board's counters, as the agency board page shows them)."""
    from projections.agency_board import agency_board
    from projections.counters import ALL

    board = agency_board(conn, session, today=today, as_of=as_of)

    def row(label: str, c: dict[str, Any]) -> HandlingRow:
        return HandlingRow(label, c.get("hand_offs", 0), c.get("average_held_days"),
                           c.get("answered", 0), c.get("returned_items", 0),
                           c.get("returned_rate"), c.get("accepted", 0), c.get("average_rounds"))

    rows = [row(labels.ref_name(reference, "agencies", code, labels.NO_AGENCY), c)
            for code, c in board.items()
            if code != ALL and (c.get("hand_offs") or c.get("answered"))]
    rows.sort(key=lambda r: (-r.hand_offs, r.label))
    return rows, (row("Tổng cộng", board[ALL]) if rows and ALL in board else None)


def _headline(current: q.SessionSummary, before: q.SessionSummary | None) -> list[Comparison]:
    now_counts = current.totals.counts()
    before_counts = before.totals.counts() if before else None
    result = []
    for text, name, percent in HEADLINE:
        result.append(Comparison(
            text, now_counts[name], before_counts[name] if before_counts else None,
            percent(now_counts), percent(before_counts) if before_counts else None))
    return result


def _outcomes(current: q.SessionSummary, before: q.SessionSummary | None) -> list[Comparison]:
    seen = set(current.by_outcome) | set(before.by_outcome if before else ())
    codes = [code for code in labels.OUTCOME_ORDER
             if code in seen or code in ALWAYS_SHOWN_RESULTS]
    extra = sorted(seen - set(codes))
    rows = []
    for code in codes + extra:
        now_n = current.by_outcome.get(code, 0)
        before_n = before.by_outcome.get(code, 0) if before else None
        rows.append(Comparison(
            labels.OUTCOME.get(code, code), now_n, before_n,
            figures.rate(now_n, current.totals.raised),
            figures.rate(before_n, before.totals.raised) if before else None))
    return rows


def _breakdown(current: dict[str, q.Tally], before: dict[str, q.Tally] | None,
               name: Any) -> list[BreakdownRow]:
    rows = [
        BreakdownRow(
            label=name(code), total=t.raised, answered=t.answered,
            answered_on_time=t.answered_on_time, resolved=t.resolved, open=t.open,
            overdue=t.overdue, past_roadmap=t.past_roadmap,
            previous_total=(before[code].raised if code in before else 0) if before is not None
            else None,
            resolved_pct=figures.resolved_rate(t.counts()),
            on_time_pct=figures.on_time_rate(t.counts()))
        for code, t in current.items()
    ]
    rows.sort(key=lambda r: (-r.total, r.label))
    return rows


def _line(reference: Reference, policy: DeadlinePolicy, row: Mapping[str, Any],
          today: date) -> ItemLine:
    due = row["due_date"]
    level = int(row["escalation_level"])
    return ItemLine(
        code=row["code"], title=row["title"], kind=labels.KIND.get(row["kind"], row["kind"]),
        district=labels.unit_name(reference, row["district"]),
        agency=labels.ref_name(reference, "agencies", row["agency"], labels.NO_AGENCY),
        due_date=due, days_late=max(0, (today - due).days) if due else None,
        level=level, level_label=labels.notified(policy, level),
        outcome=labels.OUTCOME.get(row["outcome"] or "", row["outcome"] or ""),
        closed_on=row["closed_on"],
    )
