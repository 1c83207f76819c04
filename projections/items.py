"""The items view: one row per petition or complaint, shaped for lists, queues and scans.

Handlers, one per event type, turn an event into changes of the item's row; derived
columns (open, active, overdue, next escalation date) are recomputed after each event.
"""
from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger, Boolean, Column, Date, DateTime, Index, Integer, String, Table, Text, and_,
    func, literal_column, or_, select,
)
from sqlalchemy.engine import Connection

from domain.calendar import WorkingCalendar
from domain.deadline import DeadlinePolicy
from domain.item_types import REGISTRY, ItemType
from domain.responsibility import OFFICE, Holds, hold_facts
from projections import agency_board, counters, district_board, figures, session_board  # noqa: F401
from projections import search_index
from projections.search_text import BLIND_MARK, blind, blinded, fold, words
from projections.store import metadata, upsert

SEARCH_CONTENT_CHARS = 4000

items_view = Table(
    "items_view", metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("is_open", Boolean, nullable=False),
    Column("active", Boolean, nullable=False),
    # The unit the item is with now (boards count it there) and the one it was logged
    # under, which a hand-over never changes (NULL in rows projected before it existed).
    Column("district", String(64), nullable=False),
    Column("origin_district", String(64)),
    Column("deputy_group", String(64)),
    Column("session", String(32)),
    Column("field", String(64)),
    Column("competence", String(32)),
    Column("agency", String(96)),
    # The co-operating agencies as "|code|code|" (empty: none), so one LIKE finds an agency's.
    Column("cooperating", Text),
    # Who holds the item now and since when; finished spells per agency as JSON
    # {agency: [working days, hand-offs]} (``domain.responsibility``).
    Column("holder", String(96)),
    Column("held_since", Date),
    Column("held", Text),
    # Categories the office tagged the item with ("|land|capital|"; the obstacle, …) and
    # how many times its answers were sent back (NULL in rows projected before they existed).
    Column("categories", Text),
    Column("returns", Integer),
    Column("outcome", String(20)),
    Column("channel", String(20)),
    Column("anonymous", Boolean),
    Column("round_no", Integer),
    Column("received_on", Date, nullable=False),
    Column("assigned_on", Date),
    Column("due_date", Date),
    Column("answered_on", Date),
    Column("answered_on_time", Boolean),
    Column("days_to_answer", Integer),
    Column("closed_on", Date),
    Column("escalation_level", Integer, nullable=False),
    Column("overdue", Boolean, nullable=False),
    Column("next_escalation_on", Date),
    Column("merged_into", String(32)),
    Column("extensions", Integer, nullable=False),
    # A denunciation forwarded after its forwarding limit (5 working days, Luật Tố cáo 2018,
    # art. 24); NULL in rows projected before the column existed (a rebuild fills it).
    Column("forwarded_late", Boolean),
    Column("pending_outcome", String(20)),
    Column("pending_due", Date),
    Column("status_before_pause", String(20)),
    Column("search_text", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_items_seq", "seq"),
    Index("ix_items_district_seq", "district", "seq"),
    Index("ix_items_origin_seq", "origin_district", "seq"),
    Index("ix_items_agency_seq", "agency", "seq"),
    Index("ix_items_session_seq", "session", "seq"),
    Index("ix_items_group_seq", "deputy_group", "seq"),
    Index("ix_items_field_seq", "field", "seq"),
    Index("ix_items_status_seq", "status", "seq"),
    Index("ix_items_agency_open_due", "agency", "is_open", "due_date", "seq"),
    Index("ix_items_status_due", "status", "due_date", "seq"),
    Index("ix_items_active_due", "active", "due_date", "seq"),
    # Covers the escalation scan (no table look-ups) and serves ``due_page`` in index order;
    # it replaced ix_items_next_escalation (active, next_escalation_on), its own prefix,
    # which every write paid for (``RETIRED_INDEXES``).
    Index("ix_items_escalation_scan", "active", "next_escalation_on", "id"),
)

# Dropped from existing views at start (superseded; every write paid for them).
RETIRED_INDEXES = ("ix_items_next_escalation", "ix_item_versions_session")
COLUMNS = [c.name for c in items_view.columns]
# What lists return: every column but the folded search text (up to 4,000 characters a
# row that no list shows; reading it made a page of 50 rows several times dearer).
LIST_COLUMNS = [c for c in items_view.columns if c.name != "search_text"]


@dataclass
class Context:
    """What handlers need besides the event: policy, calendar, time zone, log position."""

    policy: DeadlinePolicy
    calendar: WorkingCalendar
    zone: ZoneInfo
    position: int = 0
    # Set with a cipher key: content words are kept as tokens (``search_text``).
    search_key: bytes | None = field(default=None, repr=False)

    _steps: dict[tuple[date, int], date | None] = field(default_factory=dict, repr=False)

    def local_date(self, moment: datetime) -> date:
        """Return the council's calendar date of ``moment``."""
        return moment.astimezone(self.zone).date()

    def next_step_date(self, due: date, level: int) -> date | None:
        """Return the date of the ladder step after ``level`` for ``due`` (memoised).

        Every event recomputes it and many items share a due date; the working-day walk
        behind it was the largest single cost of a rebuild.
        """
        key = (due, level)
        if key not in self._steps:
            if len(self._steps) > 50_000:
                self._steps.clear()
            self._steps[key] = self.policy.next_step_date(due, level, self.calendar)
        return self._steps[key]


Row = dict[str, Any]
Handler = Callable[[Row, Any, Context], None]
# Handlers fill the columns an event changes; the status comes from the item type's
# lifecycle table (``_status_after``), never from a handler.
HANDLERS: dict[str, Handler] = {}
# Columns a creation event may carry besides the common ones (code, title, district, …).
OPTIONAL_ON_CREATION = ("deputy_group", "session", "channel", "anonymous", "round_no",
                        "due_date", "agency")


def handles(*names: str) -> Callable[[Handler], Handler]:
    """Register a handler for the events with these class names."""
    def register(func: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = func
        return func
    return register


def _new_row(event: Any, ctx: Context, item_type: ItemType) -> Row:
    # A type with one kind stores no kind in its events: the kind is the type's.
    kind = getattr(event, "kind", None) or next(iter(item_type.kinds))
    row = {
        "id": str(event.originator_id), "code": event.code, "kind": kind,
        "title": event.title, "status": item_type.initial, "is_open": True, "active": False,
        "district": event.district, "origin_district": event.district, "deputy_group": None,
        "session": None, "field": event.field, "competence": None, "agency": None,
        "cooperating": "", "holder": OFFICE, "held_since": ctx.local_date(event.at), "held": "{}",
        "categories": "", "returns": 0, "outcome": None,
        "channel": None, "anonymous": None, "round_no": None,
        "received_on": event.received_on, "assigned_on": None, "due_date": None,
        "answered_on": None, "answered_on_time": None, "days_to_answer": None,
        "closed_on": None, "escalation_level": -1, "overdue": False,
        "next_escalation_on": None, "merged_into": None, "extensions": 0,
        "forwarded_late": False, "pending_outcome": None, "pending_due": None, "status_before_pause": None,
        "search_text": _search(event, ctx.search_key), "seq": ctx.position,
        "position": ctx.position,
        "version": 0, "updated_at": event.at,
    }
    for name in OPTIONAL_ON_CREATION:
        if hasattr(event, name):
            row[name] = getattr(event, name)
    return row


def _search(event: Any, key: bytes | None = None) -> str:
    # Personal data (voters, petitioner) is deliberately left out of the search text; with
    # a key, so are the content's words in clear (``projections.search_text``).
    # The blind mark is kept for blinded tokens alone (the index reads it as part of a word).
    content = event.content[:SEARCH_CONTENT_CHARS].replace(BLIND_MARK, " ")
    title = event.title.replace(BLIND_MARK, " ")
    if key is None:
        return fold(" ".join([event.code, title, content]))
    return fold(f"{event.code} {title}") + " " + blinded(content, key)


@handles("PetitionClassified")
def _classified(row: Row, event: Any, ctx: Context) -> None:
    row["field"] = event.field
    row["competence"] = event.competence


@handles("PetitionMergedInto")
def _merged_into(row: Row, event: Any, ctx: Context) -> None:
    row["merged_into"] = event.survivor_code


@handles("AgencyAssigned")
def _assigned(row: Row, event: Any, ctx: Context) -> None:
    row["agency"] = event.agency
    row["cooperating"] = pack_agencies(event.cooperating)
    row["assigned_on"] = ctx.local_date(event.at)
    _set_due(row, event.due_date)


@handles("ReturnedNotCompetent")
def _returned_not_competent(row: Row, event: Any, ctx: Context) -> None:
    row["agency"] = None
    row["cooperating"] = ""
    _set_due(row, event.due_date)


def pack_agencies(codes: Any) -> str:
    """Return co-operating agency codes as stored in the view ("|a|b|"; "" for none)."""
    codes = [c for c in (codes or ()) if c]
    return f"|{'|'.join(codes)}|" if codes else ""


def unpack_agencies(packed: str | None) -> list[str]:
    """Return the co-operating agency codes of a view row."""
    return [c for c in (packed or "").split("|") if c]


def _follow_holder(row: Row, event: Any, ctx: Context) -> None:
    """Move the item's holder as ``domain.responsibility`` says; add a finished agency spell."""
    holds = Holds(holder=row.get("holder"), since=row.get("held_since"), lead=row["agency"])
    ended = holds.apply(type(event).__name__, ctx.local_date(event.at), hold_facts(event),
                        ctx.calendar)
    row["holder"], row["held_since"] = holds.holder, holds.since
    if ended is not None and ended.holder != OFFICE:
        held = json.loads(row.get("held") or "{}")
        days, count = held.get(ended.holder, [0, 0])
        held[ended.holder] = [days + ended.working_days, count + 1]
        row["held"] = json.dumps(held, sort_keys=True)


@handles("AnswerRecorded")
def _answer_recorded(row: Row, event: Any, ctx: Context) -> None:
    # A follow-up report after an accepted answer (a roadmap, "not resolved") keeps the
    # answer's own figures: it is judged against the roadmap date, not as a late answer.
    if row["outcome"] is None:
        _answered(row, ctx.local_date(event.at))
    row["pending_outcome"] = event.outcome
    row["pending_due"] = event.new_due_date


@handles("AnswerAccepted")
def _answer_accepted(row: Row, event: Any, ctx: Context) -> None:
    row["outcome"] = event.outcome
    if event.outcome == "being_resolved" and row.get("pending_due"):
        _set_due(row, row["pending_due"])
    row["pending_outcome"] = None
    row["pending_due"] = None


@handles("AnswerReturned")
def _answer_returned(row: Row, event: Any, ctx: Context) -> None:
    row["returns"] = (row.get("returns") or 0) + 1
    row["pending_outcome"] = None
    row["pending_due"] = None


@handles("CategoriesChanged")
def _categorised(row: Row, event: Any, ctx: Context) -> None:
    row["categories"] = pack_agencies(event.categories)


@handles("DeadlineExtended")
def _extended(row: Row, event: Any, ctx: Context) -> None:
    _set_due(row, event.new_due_date)
    row["extensions"] += 1


@handles("DeadlineRecomputed")
def _recomputed(row: Row, event: Any, ctx: Context) -> None:
    _set_due(row, event.new_due_date)


@handles("UnitHandedOver")
def _handed_over(row: Row, event: Any, ctx: Context) -> None:
    # The counters follow the row: the item leaves the old unit's board for the new one's.
    row["origin_district"] = row.get("origin_district") or row["district"]
    row["district"] = event.to_unit


@handles("Escalated")
def _escalated(row: Row, event: Any, ctx: Context) -> None:
    row["escalation_level"] = event.level


@handles("Parked")
def _parked(row: Row, event: Any, ctx: Context) -> None:
    row["status_before_pause"] = row["status"]


@handles("Resumed")
def _resumed(row: Row, event: Any, ctx: Context) -> None:
    row["status_before_pause"] = None
    # A pause that stopped the clock moved the due date (v1 events moved nothing).
    if getattr(event, "days_suspended", 0) and event.new_due_date is not None:
        _set_due(row, event.new_due_date)


@handles("ComplaintAccepted")
def _complaint_accepted(row: Row, event: Any, ctx: Context) -> None:
    row["agency"] = event.agency
    row["assigned_on"] = ctx.local_date(event.at)
    _set_due(row, event.due_date)


@handles("ComplaintForwarded")
def _complaint_forwarded(row: Row, event: Any, ctx: Context) -> None:
    _set_due(row, getattr(event, "due_date", None))  # followed until the result notice
    row["forwarded_late"] = bool(getattr(event, "late", False))


@handles("DecisionIssued")
def _decided(row: Row, event: Any, ctx: Context) -> None:
    row["outcome"] = event.result
    _answered(row, event.decided_on)


def _answered(row: Row, day: date) -> None:
    row["answered_on"] = day
    due = row["due_date"]
    row["answered_on_time"] = None if due is None else day <= due
    start = row["assigned_on"] or row["received_on"]
    row["days_to_answer"] = (day - start).days


def _set_due(row: Row, due: date | None) -> None:
    if due != row["due_date"]:
        row["escalation_level"] = -1  # a new due date starts a new ladder
    row["due_date"] = due


def apply_event(row: Row | None, event: Any, ctx: Context) -> Row | None:
    """Apply one event to the item's row (None before creation); return the new row."""
    name = type(event).__name__
    if row is None:
        item_type = REGISTRY.for_event(event)
        if item_type is None or name != item_type.created_by:
            return None
        row = _new_row(event, ctx, item_type)
    else:
        item_type = REGISTRY.for_kind(row["kind"])
        row = dict(row)
        before, paused_from = row["status"], row["status_before_pause"]
        _follow_holder(row, event, ctx)
        handler = HANDLERS.get(name)
        if handler is not None:
            handler(row, event, ctx)
        _status_after(row, event, item_type, before, paused_from, ctx)
    row["version"] = event.originator_version
    row["position"] = ctx.position
    row["updated_at"] = getattr(event, "at", None) or event.timestamp
    _derive(row, item_type, ctx)
    return row


def _status_after(row: Row, event: Any, item_type: ItemType, before: str,
                  paused_from: str | None, ctx: Context) -> None:
    """Move the row's status as the lifecycle table says the event's action does."""
    transition = item_type.transition_for_event(type(event).__name__)
    if transition is None:
        return
    row["status"] = transition.resulting(
        before, before_pause=paused_from,
        outcome_status=item_type.outcome_statuses.get(getattr(event, "outcome", None) or ""))
    if not item_type.is_open(row["status"]) and item_type.is_open(before):
        row["closed_on"] = ctx.local_date(event.at)


def _derive(row: Row, item_type: ItemType, ctx: Context) -> None:
    status = row["status"]
    row["is_open"] = item_type.is_open(status)
    # "Active" means the deadline runs: exactly where the ladder may escalate.
    row["active"] = item_type.allows("escalate", status, row["kind"], row["due_date"] is not None)
    # Overdue depends on today, so a flag stored now would be stale tomorrow: the column is
    # kept for the schema only; lists and boards ask ``projections.figures`` instead.
    row["overdue"] = False
    if row["active"]:
        row["next_escalation_on"] = ctx.next_step_date(row["due_date"], row["escalation_level"])
    else:
        row["next_escalation_on"] = None


# -- queries ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemFilter:
    """Filters of the item lists; empty values mean "any"."""

    district: str = ""          # the unit the item is with now
    origin_district: str = ""   # the unit it was logged under (before any hand-over)
    session: str = ""
    deputy_group: str = ""
    field: str = ""
    agency: str = ""
    # Items an agency leads or co-operates on (an agency's own lists); co-operates on only.
    involving: str = ""
    cooperating: str = ""
    status: tuple[str, ...] = ()
    outcome: str = ""
    kind: str = ""
    overdue: bool | None = None
    escalated: bool | None = None
    open_only: bool = False
    text: str = ""
    order: str = "recent"   # "recent" (newest first), "oldest" or "due" (``list_items``)
    assigned_since: date | None = None  # assigned (or reassigned) on or after this day
    # The day "overdue" is judged on (``projections.figures``); needed to filter on it, and
    # with it every row returned carries its overdue and past-roadmap flags for that day.
    today: date | None = None
    # The views' search key (``Runtime.search_key``) when content words are blinded.
    # (``dataclasses.field`` in full: this class has a field named ``field``.)
    search_key: bytes | None = dataclasses.field(default=None, repr=False)
    # The items as they stood at the end of this day (``projections.as_of``); None: now.
    # "Overdue" is then judged on that day.
    as_of: date | None = None


@dataclass
class Page:
    """One page of rows and the cursor of the next page (None on the last page)."""

    rows: list[Row] = field(default_factory=list)
    next_cursor: str | None = None


def _conditions(f: ItemFilter, c: Any = None) -> list[Any]:
    # ``c``: the columns filtered on (the items view, or its versions as of a day); the
    # text is always the items view's (it never changes).
    c = items_view.c if c is None else c
    conds: list[Any] = []
    for name in ("district", "session", "deputy_group", "field", "agency", "outcome", "kind"):
        value = getattr(f, name)
        if value:
            conds.append(c[name] == value)
    if f.origin_district:
        conds.append(func.coalesce(c.origin_district, c.district) == f.origin_district)
    if f.involving:
        conds.append(or_(c.agency == f.involving, _cooperates(c, f.involving)))
    if f.cooperating:
        conds.append(_cooperates(c, f.cooperating))
    if f.status:
        conds.append(c.status.in_(f.status))
    if f.overdue is not None:
        if f.today is None:
            raise ValueError("the overdue filter needs the day to judge it on (today)")
        conds.append(figures.overdue_sql(c, f.today) if f.overdue
                     else figures.not_overdue_sql(c, f.today))
    if f.escalated is not None:
        conds.append(figures.escalated_sql(c) if f.escalated else ~figures.escalated_sql(c))
    if f.open_only:
        conds.append(c.is_open.is_(True))
    if f.assigned_since is not None:
        conds.append(items_view.c.assigned_on >= f.assigned_since)
    return conds


def _cooperates(c: Any, agency: str) -> Any:
    escaped = agency.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return c.cooperating.like(f"%|{escaped}|%", escape="\\")


def encode_cursor(values: list[Any]) -> str:
    """Encode keyset values as an opaque URL-safe cursor."""
    plain = [v.isoformat() if isinstance(v, date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any] | None:
    """Decode a cursor; None if it is malformed (treated as the first page)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return None
    return values if isinstance(values, list) else None


@dataclass(frozen=True)
class _Source:
    """What a list reads: today's rows or the versions of a past day, narrowed by the
    full-text index when words are searched; ``seq`` is the column newest-first reads."""

    filter: ItemFilter
    table: Any
    c: Any
    columns: list[Any]
    conds: list[Any]
    seq: Any


def _source(conn: Connection, f: ItemFilter) -> _Source:
    """Return where ``f``'s items are read from and the conditions that pick them."""
    c, table, columns = items_view.c, items_view, LIST_COLUMNS
    if f.as_of is not None:
        from projections.as_of import versions_at
        versions = versions_at(f.as_of)
        c = versions.c
        table = versions.join(items_view, items_view.c.id == c.id)
        columns = [c[col.name] if col.name in c else col for col in LIST_COLUMNS]
        f = dataclasses.replace(f, today=f.as_of)
    conds = _conditions(f, c)
    seq = c.seq
    search = search_index.searched(conn, f.text, f.search_key) if f.text.strip() else None
    if search is not None:
        # Only the items the full-text index names; on SQLite the index leads (its rowid
        # is the seq), newest first, and stops at the page's end.
        for index, index_seq in search.joins:
            table = table.join(index, index_seq == items_view.c.seq)
        conds.extend(search.matches)
        if conn.dialect.name == "sqlite" and f.as_of is None:
            seq = search.seq
    return _Source(f, table, c, columns, conds, seq)


def list_items(conn: Connection, f: ItemFilter, cursor: str | None = None,
               limit: int = 50) -> Page:
    """Return one page of items matching ``f``; page 1 and page 1,000 cost the same.

    With ``f.as_of``, the items as they stood at the end of that day: the same filters over
    the versions valid then (items not recorded yet are not listed).

    Orders: "recent" (newest first), "oldest" (waiting longest first: the office works its
    queues from the oldest) and "due" (earliest due date first, then the items without a
    due date, oldest first, so none is out of reach).
    """
    s = _source(conn, f)
    f = s.filter
    after = decode_cursor(cursor) if cursor else None
    if f.order == "due":
        rows = _due_rows(conn, s, after, limit + 1)
    else:
        conds = list(s.conds)
        if after and len(after) == 1 and isinstance(after[0], int):
            conds.append(s.seq > after[0] if f.order == "oldest" else s.seq < after[0])
        order = s.seq.asc() if f.order == "oldest" else s.seq.desc()
        rows = _fetch(conn, select(*s.columns).select_from(s.table).where(*conds)
                      .order_by(order).limit(_page_size(limit + 1)))
    for row in rows:
        if f.today is None:
            row.pop("overdue", None)  # the stored column means nothing (see ``_derive``)
        else:
            row.update(figures.row_flags(row, f.today))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(
            [last["due_date"], last["seq"]] if f.order == "due" else [last["seq"]])
    return Page(rows, next_cursor)


def _page_size(rows: int) -> Any:
    # The page size is written into the statement, not bound: psycopg prepares a statement
    # run five times, and PostgreSQL's generic plan of an unknown LIMIT read a search's
    # whole list in seq order (6.2 ms for a rare phrase at 10,000 items; 0.4 ms planned
    # with its LIMIT). A handful of page sizes exist, so the statements stay few.
    return literal_column(str(int(rows)))


def _fetch(conn: Connection, query: Any) -> list[Row]:
    return [dict(r._mapping) for r in conn.execute(query)]


def _due_rows(conn: Connection, s: _Source, after: list[Any] | None, wanted: int) -> list[Row]:
    """Dated rows by due date (the indexes' order), then undated ones by age: two queries."""
    c = s.c
    rows: list[Row] = []
    undated_after: int | None = None
    if after and len(after) == 2 and after[0] is None:
        try:
            undated_after = int(after[1])
        except (TypeError, ValueError):
            pass
    else:
        conds = list(s.conds) + [c.due_date.is_not(None)]
        if after and len(after) == 2:
            try:
                due, seq = date.fromisoformat(after[0]), int(after[1])
                conds.append(or_(c.due_date > due, and_(c.due_date == due, c.seq > seq)))
            except (TypeError, ValueError):
                pass
        rows = _fetch(conn, select(*s.columns).select_from(s.table).where(*conds)
                      .order_by(c.due_date.asc(), c.seq.asc()).limit(_page_size(wanted)))
    if len(rows) < wanted:
        conds = list(s.conds) + [c.due_date.is_(None)]
        if undated_after is not None:
            conds.append(c.seq > undated_after)
        rows += _fetch(conn, select(*s.columns).select_from(s.table).where(*conds)
                       .order_by(c.seq.asc()).limit(_page_size(wanted - len(rows))))
    return rows


def count_items(conn: Connection, f: ItemFilter) -> int:
    """Count the items matching ``f`` (what every page of ``list_items`` lists together)."""
    s = _source(conn, f)
    query = select(func.count()).select_from(s.table).where(*s.conds)
    return int(conn.execute(query).scalar() or 0)


def get_row(conn: Connection, ref: UUID | str) -> Row | None:
    """Return the row of an item by id or code."""
    c = items_view.c
    key = str(ref)
    query = select(items_view).where(c.code == key if "-" in key and len(key) < 20 else c.id == key)
    found = conn.execute(query).first()
    return dict(found._mapping) if found else None


def due_for_escalation(conn: Connection, today: date, limit: int = 500,
                       after_id: str = "") -> list[UUID]:
    """Return ids of items whose next ladder step falls on or before ``today``."""
    c = items_view.c
    query = (
        select(c.id)
        .where(c.active.is_(True), c.next_escalation_on <= today, c.id > after_id)
        .order_by(c.id).limit(limit)
    )
    return [UUID(value) for value in conn.execute(query).scalars()]


def open_due_from(conn: Connection, day: date, limit: int = 500,
                  after_id: str = "") -> list[UUID]:
    """Return ids of open items due on or after ``day`` (those a calendar change can move)."""
    c = items_view.c
    query = (
        select(c.id)
        .where(c.is_open.is_(True), c.due_date >= day, c.id > after_id)
        .order_by(c.id).limit(limit)
    )
    return [UUID(value) for value in conn.execute(query).scalars()]


def due_page(conn: Connection, today: date, limit: int = 500,
             cursor: str = "") -> tuple[list[UUID], str]:
    """Return one page of items due for escalation by ``today`` and the next page's cursor.

    Unlike ``due_for_escalation`` (ordered by id, so every page sorts all the items due),
    pages follow the index on (next escalation date, id): a page costs the same however
    many items are due. Items escalated meanwhile move past ``today`` and drop out; the
    cursor holds the last (date, id) returned, so no due item is skipped. The cursor is
    empty after the last page.
    """
    c = items_view.c
    conds = [c.active.is_(True), c.next_escalation_on <= today]
    after = decode_cursor(cursor) if cursor else None
    if after and len(after) == 2:
        try:
            day, last = date.fromisoformat(after[0]), str(after[1])
            conds.append(or_(c.next_escalation_on > day,
                             and_(c.next_escalation_on == day, c.id > last)))
        except (TypeError, ValueError):
            pass
    query = (select(c.id, c.next_escalation_on).where(*conds)
             .order_by(c.next_escalation_on, c.id).limit(limit))
    rows = conn.execute(query).all()
    next_cursor = encode_cursor([rows[-1][1], rows[-1][0]]) if len(rows) == limit else ""
    return [UUID(r[0]) for r in rows], next_cursor


def similar_items(conn: Connection, text: str, *, exclude: str = "", district: str = "",
                  limit: int = 8, pool: int = 300, search_key: bytes | None = None) -> list[Row]:
    """Suggest open petitions that share the most words with ``text`` (merge candidates)."""
    c = items_view.c
    wanted = {w for w in words(text) if len(w) >= 4}
    if not wanted:
        return []
    longest = sorted(wanted, key=len, reverse=True)[:3]
    # With blinded contents a word is found as itself (title) or as its token (content).
    forms = {w: {w} | ({blind(w, search_key)} if search_key else set()) for w in wanted}
    # Only items whose type can be merged are candidates (voter petitions).
    mergeable = [kind for t in REGISTRY if t.has_action("merge") for kind in t.kinds]
    conds = [c.kind.in_(mergeable), c.is_open.is_(True), c.code != exclude,
             or_(*[c.search_text.like(f"%{form}%") for w in longest for form in forms[w]])]
    if district:
        conds.append(c.district == district)
    query = select(items_view).where(*conds).order_by(c.seq.desc()).limit(pool)
    scored = []
    for r in conn.execute(query):
        held = set(r.search_text.split())
        shared = sum(1 for w in wanted if forms[w] & held)
        scored.append((shared, r.seq, dict(r._mapping)))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [row for shared, _, row in scored[:limit] if shared >= 2]


class ItemsProjection:
    """Applies item events to ``items_view`` and the board counters, a batch at a time."""

    name = "items"
    def wants(self, topic: str) -> bool:
        """Tell whether events of ``topic`` concern this view: those of every item type."""
        return REGISTRY.records(topic)

    def apply(self, conn: Connection, events: list[tuple[int, Any]], ctx: Context) -> None:
        """Apply ``(position, event)`` pairs in order inside the caller's transaction."""
        if not events:
            return
        from projections import as_of  # it reads this module's table
        ids = sorted({str(e.originator_id) for _, e in events})
        before: dict[str, Row] = {}
        for chunk in _chunks(ids, 500):
            for r in conn.execute(select(items_view).where(items_view.c.id.in_(chunk))):
                before[r.id] = dict(r._mapping)
        after: dict[str, Row | None] = dict(before)
        # Per item, the day being applied and the row at its start: each day's change is
        # kept for the state "as of" that day (``projections.as_of``).
        days: dict[str, tuple[date, Row | None]] = {}
        day_changes: list[as_of.DayChange] = []
        for position, event in events:
            key = str(event.originator_id)
            current = after.get(key)
            if current is not None and event.originator_version <= current["version"]:
                continue  # already applied (the row is ahead of this event)
            ctx.position = position
            day = ctx.local_date(getattr(event, "at", None) or event.timestamp)
            started = days.get(key)
            if started is None:
                days[key] = (day, current)
            elif day > started[0]:
                day_changes.append((started[0], started[1], current))
                days[key] = (day, current)
            after[key] = apply_event(current, event, ctx)
        day_changes += [(day, start, after[key]) for key, (day, start) in days.items()]
        day_changes = [(d, old, new) for d, old, new in day_changes if new != old]
        changed = [row for key, row in after.items()
                   if row is not None and row != before.get(key)]
        upsert(conn, items_view, [_columns_only(r) for r in changed], ["id"])
        # The words are indexed when the item is created; its text never changes after (a
        # handler that changed it would have its old words taken out here).
        rewritten = [(old, r) for r in changed if (old := before.get(r["id"])) is not None
                     and old["search_text"] != r["search_text"]]
        search_index.add(
            conn, [(r["seq"], r["search_text"]) for r in changed if r["id"] not in before]
            + [(r["seq"], r["search_text"]) for _, r in rewritten],
            replaced=[(old["seq"], old["search_text"]) for old, _ in rewritten])
        by_day = as_of.changes_by_day(day_changes, counters.RowCounts())
        counters.add_deltas(conn, as_of.net_of_days(by_day))
        as_of.record_days(conn, day_changes, by_day)

    def clear(self, conn: Connection) -> None:
        """Delete every row this projection wrote (before a rebuild)."""
        search_index.clear(conn)
        conn.execute(items_view.delete())
        conn.execute(counters.board_counts.delete())
        conn.execute(counters.due_counts.delete())
        from projections import as_of, positions
        as_of.clear(conn)
        positions.clear(conn)


def _columns_only(row: Row) -> Row:
    return {name: row.get(name) for name in COLUMNS}


def _chunks(values: list[str], size: int) -> list[list[str]]:
    return [values[i:i + size] for i in range(0, len(values), size)]
