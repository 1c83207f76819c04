"""Commitments (cam kết, lời hứa) made at questioning and explanation sessions.

A questioning session (phiên chất vấn, at a council session) or an explanation session
(phiên giải trình, of the standing committee) is a record: when, on what, who was
questioned, which deputies asked, and its conclusion. A commitment recorded from it is a
tracked item like a petition: a code (``CK-YYYY-NNNNN``), an agency and leader responsible,
a target date on the same escalation ladder, progress reported at every session and
reviewed by the council office, then assessed met, partly met or not met, dropped with a
reason, or re-questioned at a later session (a new commitment linked to this one).

It may carry a measure (a unit and a target: "04/08 dự án") and sub-items (one line per
project of a list), each in one of the commitment's categories ("đưa ra khỏi danh mục",
"đang xử lý", "thu hồi" …), counted with their share of the whole.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.actor import Actor, Role
from domain.codes import item_id_for_code
from domain.deadline import Deadline, beyond_horizon
from domain.errors import DomainError, InvalidInput, N_
from domain.item import HANDLERS, OFFICE, shared_lifecycle
from domain.item import TrackedItem
from domain.item_types import BY_OUTCOME, REGISTRY, ItemType, StatusGroup, StatusSpec, Transition
from domain.reference import KnownCodes
from domain.text import NAME_MAX, TEXT_MAX, TITLE_MAX, FieldCheck

# Units a measure is counted in (value -> label msgid). "items" counts targets or tasks
# ("8/15 chỉ tiêu").
UNITS: dict[str, str] = {
    "projects": N_("projects"),
    "hectares": N_("hectares"),
    "billion_dong": N_("billion đồng"),
    "percent": N_("percent"),
    "items": N_("targets"),
}
SOURCE_KINDS: dict[str, str] = {
    "questioning": N_("questioning session"),
    "explanation": N_("explanation session"),
}
MAX_SUBITEMS = 5000
MAX_CATEGORIES = 12
MAX_DEPUTIES = 50


class CommitmentError(DomainError):
    """A refused action on a commitment."""


class CommitmentStatus(str, Enum):
    """Where a commitment is: its own statuses and those the shared commands lead to."""

    RECORDED = "recorded"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"          # a progress report awaits the office's review
    PARKED = "parked"
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    DROPPED = "dropped"
    REQUESTIONED = "requestioned"  # questioned again: a new commitment follows it
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


class Assessment(str, Enum):
    """The office's judgement of a commitment at its target date."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"


def _is_day(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _number(check: FieldCheck, name: str, value: object, *, required: bool) -> float | None:
    if value is None or value == "":
        if required:
            check.add(name, N_("This field is required."))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        check.add(name, N_("Must be a number."))
        return None
    if value < 0:
        check.add(name, N_("Must not be negative."))
        return None
    return float(value)


def format_measure(value: float | None, target: float | None, unit: str, *,
                   thousands: str = ".", decimal: str = ",") -> str:
    """Say a measure as the city's reports do: "04/08 dự án", "5.240/5.000 tỷ đồng".

    Numbers are written the Vietnamese way unless other marks are given (English: "," ".").
    """
    def show(number: float | None) -> str:
        if number is None:
            return "—"
        if float(number).is_integer() and number < 100:
            return f"{int(number):02d}"
        text = f"{number:,.1f}".rstrip("0").rstrip(".")
        return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    space = "" if unit == "%" else " "
    if target is None:
        return f"{show(value)}{space}{unit}".strip()
    return f"{show(value)}/{show(target)}{space}{unit}".strip()


def category_counts(subitems: Iterable[Mapping[str, Any]],
                    categories: Iterable[str]) -> list[dict[str, Any]]:
    """Count the sub-items per category, in the categories' order, with each one's share (%)."""
    counted = Counter(s["category"] for s in subitems)
    total = sum(counted.values())
    return [{"category": c, "count": counted.get(c, 0),
             "percent": round(100 * counted.get(c, 0) / total, 1) if total else None}
            for c in categories]


# -- the questioning or explanation session ------------------------------------------------
class QuestioningSession(Aggregate):
    """A questioning session at a council session, or an explanation session, and its conclusion."""

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        """Derive the id from the record's code ("XVI-22-CV1")."""
        return uuid5(NAMESPACE_URL, f"petitions:questioning:{code}")

    @classmethod
    def hold(cls, *, code: str, kind: str, council_session: str, held_on: date, topic: str,
             leader_name: str, leader_position: str, agency: str, deputies: list[str],
             known: KnownCodes, session_dates: tuple[date, date] | None, today: date,
             by: Actor, at: datetime, conclusion_no: str = "",
             conclusion_date: date | None = None, conclusion_text: str = "") -> QuestioningSession:
        """Check and record a questioning or explanation session held on ``held_on``."""
        check = FieldCheck()
        kind = check.choice("kind", kind, SOURCE_KINDS)
        council_session = check.choice("council_session", council_session, known.sessions)
        topic = check.text("topic", topic, max_length=TITLE_MAX)
        leader_name = check.text("leader_name", leader_name, max_length=NAME_MAX)
        leader_position = check.text("leader_position", leader_position, max_length=NAME_MAX)
        agency = check.choice("agency", agency, known.agencies)
        cleaned = []
        if not isinstance(deputies, (list, tuple)) or len(deputies) > MAX_DEPUTIES:
            check.add("deputies", N_("List at most {max} deputies.").replace(
                "{max}", str(MAX_DEPUTIES)))
        else:
            cleaned = [d for d in (" ".join(str(x).split()) for x in deputies) if d]
            if any(len(d) > NAME_MAX for d in cleaned):
                check.add("deputies", N_("A name is too long."))
        if not _is_day(held_on):
            check.add("held_on", N_("Must be a date."))
        elif held_on > today:
            check.add("held_on", N_("The date cannot be in the future."))
        elif kind == "questioning" and session_dates and not (
                session_dates[0] <= held_on <= session_dates[1]):
            check.add("held_on", N_("A questioning session is held during the council session."))
        conclusion = _conclusion(check, conclusion_no, conclusion_date, conclusion_text,
                                 held_on if _is_day(held_on) else None, today, required=False)
        check.raise_if_any()
        return cls(code=code, kind=kind, council_session=council_session, held_on=held_on,
                   topic=topic, leader_name=leader_name, leader_position=leader_position,
                   agency=agency, deputies=cleaned, conclusion=conclusion, at=at,
                   **by.stamp())

    @event("QuestioningSessionHeld")
    def __init__(self, code: str, kind: str, council_session: str, held_on: date, topic: str,
                 leader_name: str, leader_position: str, agency: str, deputies: list[str],
                 conclusion: dict[str, Any] | None, at: datetime, actor: str,
                 role: str) -> None:
        self.code = code
        self.kind = kind
        self.council_session = council_session
        self.held_on = held_on
        self.topic = topic
        self.leader = {"name": leader_name, "position": leader_position}
        self.agency = agency
        self.deputies = list(deputies)
        self.conclusion = conclusion

    def record_conclusion(self, *, conclusion_no: str, conclusion_date: date | None,
                          conclusion_text: str, today: date, by: Actor, at: datetime) -> None:
        """Record the conclusion or resolution issued after the session (number, date, text)."""
        check = FieldCheck()
        conclusion = _conclusion(check, conclusion_no, conclusion_date, conclusion_text,
                                 self.held_on, today, required=True)
        check.raise_if_any()
        self._concluded(code=self.code, conclusion=conclusion, at=at, **by.stamp())

    @event("ConclusionRecorded")
    def _concluded(self, code: str, conclusion: dict[str, Any], at: datetime, actor: str,
                   role: str) -> None:
        self.conclusion = conclusion

    def facts(self) -> dict[str, Any]:
        """Return what a commitment keeps of the session it came from."""
        return {"code": self.code, "kind": self.kind, "council_session": self.council_session,
                "held_on": self.held_on, "topic": self.topic,
                "conclusion_no": (self.conclusion or {}).get("number", ""),
                "conclusion_date": (self.conclusion or {}).get("date")}


def _conclusion(check: FieldCheck, number: str, day: date | None, text: str,
                held_on: date | None, today: date, *, required: bool) -> dict[str, Any] | None:
    if not required and not (number or day or text):
        return None
    number = check.text("conclusion_no", number, max_length=NAME_MAX)
    text = check.text("conclusion_text", text, max_length=TEXT_MAX, required=False)
    if not _is_day(day):
        check.add("conclusion_date", N_("Must be a date."))
    elif day > today:
        check.add("conclusion_date", N_("The date cannot be in the future."))
    elif held_on is not None and day < held_on:
        check.add("conclusion_date", N_("The conclusion cannot be dated before the session."))
    return {"number": number, "date": day, "text": text}


def deadline_basis(source: Mapping[str, Any]) -> str:
    """Say where the target date comes from, in the office's words (stored with the item)."""
    held = source.get("held_on")
    when = held.strftime("%d/%m/%Y") if _is_day(held) else "?"
    what = "phiên chất vấn" if source.get("kind") == "questioning" else "phiên giải trình"
    if source.get("conclusion_no"):
        return f"Hạn do Kết luận số {source['conclusion_no']} của {what} ngày {when} xác định"
    return f"Hạn theo lời hứa tại {what} ngày {when} (biên bản)"


# -- the commitment ----------------------------------------------------------------------------
class Commitment(TrackedItem):
    """A promise of an agency and its leader, with a target date, measured and reported on."""

    noun = "commitment"
    status_values = CommitmentStatus

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        """Derive the id from the code, as every item does."""
        return item_id_for_code(code)

    @classmethod
    def record(cls, *, code: str, source: Mapping[str, Any], title: str, content: str,
               agency: str, leader_name: str, leader_position: str, field: str,
               target_date: date, known: KnownCodes, today: date, by: Actor, at: datetime,
               unit: str = "", target: float | None = None, categories: list[str] = (),
               subitems: list[Mapping[str, Any]] = (), follows: str = "") -> Commitment:
        """Check and record a commitment made at the session ``source`` describes."""
        check = FieldCheck()
        title = check.text("title", title, max_length=TITLE_MAX)
        content = check.text("content", content, max_length=TEXT_MAX)
        agency = check.choice("agency", agency, known.agencies)
        field = check.choice("field", field, known.fields)
        leader_name = check.text("leader_name", leader_name, max_length=NAME_MAX)
        leader_position = check.text("leader_position", leader_position, max_length=NAME_MAX,
                                     required=False)
        held_on = source["held_on"]
        if not _is_day(target_date):
            check.add("target_date", N_("Must be a date."))
        elif target_date < held_on:
            check.add("target_date", N_("The target date cannot be before the session "
                                        "the commitment was made at."))
        elif beyond_horizon(target_date, held_on):
            check.add("target_date", N_("The date is too far ahead: check the year."))
        measure = None
        if unit or target not in (None, ""):
            unit = check.choice("unit", unit, UNITS)
            number = _number(check, "target", target, required=True)
            if number == 0:
                check.add("target", N_("The target must be more than zero."))
            measure = {"unit": unit, "target": number}
        cats, lines = _check_subitems(check, categories, subitems)
        check.raise_if_any()
        deadline = Deadline.fixed(held_on, target_date, deadline_basis(source)).to_dict()
        return cls(code=code, title=title, content=content, agency=agency, field=field,
                   leader_name=leader_name, leader_position=leader_position,
                   source=dict(source), received_on=held_on, due_date=target_date,
                   deadline=deadline, measure=measure, categories=cats, subitems=lines,
                   follows=follows, district="", at=at, **by.stamp())

    @event("CommitmentRecorded")
    def __init__(self, code: str, title: str, content: str, agency: str, field: str,
                 leader_name: str, leader_position: str, source: dict[str, Any],
                 received_on: date, due_date: date, deadline: dict[str, Any],
                 measure: dict[str, Any] | None, categories: list[str],
                 subitems: list[dict[str, Any]], follows: str, district: str, at: datetime,
                 actor: str, role: str) -> None:
        self.code = code
        self.kind = "commitment"
        self.title = title
        self.content = content
        # A commitment is the city's, not a unit's: no unit (district staff do not see it).
        self.district = district
        self.field = field
        self.received_on = received_on
        self._init_tracking()
        self.agency = agency
        self.leader = {"name": leader_name, "position": leader_position}
        self.source = dict(source)
        self.measure = measure
        self.subitem_categories = list(categories)
        self.subitems = [dict(s) for s in subitems]
        self.follows = follows
        self.followed_by = ""
        self.reports: list[dict[str, Any]] = []
        self.assessment: dict[str, Any] | None = None
        self.status = self.item_type.initial
        self._set_due(due_date, deadline)

    # -- progress reports -----------------------------------------------------------------------
    def report_progress(self, *, council_session: str, as_of: date, text: str,
                        value: float | None = None, unit: str = "", note: str = "",
                        moves: Mapping[str, str] | None = None, known: KnownCodes,
                        today: date, by: Actor, at: datetime) -> None:
        """Record the agency's progress report for ``council_session`` (reviewed by the office).

        ``value`` is the measure reached on ``as_of`` in the measure's ``unit``; ``moves``
        puts sub-items (by their ref) in another category.
        """
        self._require("report_progress")
        check = FieldCheck()
        council_session = check.choice("council_session", council_session, known.sessions)
        text = check.text("text", text, max_length=TEXT_MAX)
        note = check.text("note", note, max_length=TEXT_MAX, required=False)
        self._check_day(check, "as_of", as_of, today)
        number = None
        if self.measure is None:
            if value not in (None, "") or unit:
                check.add("value", N_("This commitment has no measure: report in words."))
        else:
            number = _number(check, "value", value, required=True)
            if unit != self.measure["unit"]:
                check.add("unit", N_("The measure is counted in {unit}: report the value "
                                     "in that unit.").replace("{unit}", self.measure["unit"]))
            elif number is not None and number > self.measure["target"] and not note:
                check.add("note", N_("The value is above the target: say why in a note."))
        moved = self._check_moves(check, moves or {})
        check.raise_if_any()
        self._progress_reported(council_session=council_session, as_of=as_of, text=text,
                                value=number, unit=unit if self.measure else "", note=note,
                                moves=moved, at=at, **by.stamp())

    def _check_moves(self, check: FieldCheck, moves: Mapping[str, str]) -> dict[str, str]:
        if not isinstance(moves, Mapping):
            check.add("moves", N_("Unknown value."))
            return {}
        refs = {s["ref"]: s for s in self.subitems}
        moved: dict[str, str] = {}
        for ref, category in moves.items():
            if ref not in refs:
                check.add("moves", N_("Unknown sub-item {ref}.").replace("{ref}", str(ref)[:40]))
            elif category not in self.subitem_categories:
                check.add("moves", N_("Unknown category {category}.").replace(
                    "{category}", str(category)[:60]))
            elif refs[ref]["category"] != category:
                moved[ref] = category
        return moved

    @event("ProgressReported")
    def _progress_reported(self, council_session: str, as_of: date, text: str,
                           value: float | None, unit: str, note: str, moves: dict[str, str],
                           at: datetime, actor: str, role: str) -> None:
        self.reports = [*self.reports, {
            "council_session": council_session, "as_of": as_of, "value": value,
            "state": "pending", "moves": dict(moves), "by": actor}]
        self._move("report_progress", at)

    def accept_report(self, *, comment: str = "", by: Actor, at: datetime) -> None:
        """Accept the pending progress report: its figures and sub-item moves count."""
        self._require("accept_report")
        check = FieldCheck()
        comment = check.text("comment", comment, max_length=TEXT_MAX, required=False)
        check.raise_if_any()
        self._report_accepted(comment=comment, at=at, **by.stamp())

    @event("ReportAccepted")
    def _report_accepted(self, comment: str, at: datetime, actor: str, role: str) -> None:
        last = dict(self.reports[-1], state="accepted")
        self.reports = [*self.reports[:-1], last]
        moves = last.get("moves") or {}
        self.subitems = [dict(s, category=moves.get(s["ref"], s["category"]))
                         for s in self.subitems]
        self._move("accept_report", at)

    def return_report(self, *, reason: str, by: Actor, at: datetime) -> None:
        """Send the pending report back to the agency: ask again."""
        reason = self._reason_for("return_report", reason)
        self._report_returned(reason=reason, at=at, **by.stamp())

    @event("ReportReturned")
    def _report_returned(self, reason: str, at: datetime, actor: str, role: str) -> None:
        self.reports = [*self.reports[:-1], dict(self.reports[-1], state="returned")]
        self._move("return_report", at)

    # -- endings ----------------------------------------------------------------------------
    def assess(self, *, outcome: str, text: str, assessed_on: date, today: date, by: Actor,
               at: datetime) -> None:
        """Record the office's judgement: met, partly met or not met, on ``assessed_on``."""
        self._require("assess")
        check = FieldCheck()
        outcome = check.choice("outcome", outcome, {a.value: a.value for a in Assessment})
        text = check.text("text", text, max_length=TEXT_MAX)
        self._check_day(check, "assessed_on", assessed_on, today)
        check.raise_if_any()
        on_time = outcome == Assessment.MET.value and assessed_on <= self.due_date
        self._assessed(outcome=outcome, text=text, assessed_on=assessed_on,
                       due_date=self.due_date, on_time=on_time, at=at, **by.stamp())

    @event("CommitmentAssessed")
    def _assessed(self, outcome: str, text: str, assessed_on: date, due_date: date,
                  on_time: bool, at: datetime, actor: str, role: str) -> None:
        self.outcome = outcome
        self.assessment = {"outcome": outcome, "on": assessed_on, "on_time": on_time}
        self._move("assess", at, outcome_status=outcome)

    def drop(self, *, reason: str, by: Actor, at: datetime) -> None:
        """Drop the commitment for a stated reason (superseded, no longer applicable …)."""
        reason = self._reason_for("drop", reason)
        self._dropped(reason=reason, at=at, **by.stamp())

    def _reason_for(self, action: str, reason: str) -> str:
        """Refuse ``action`` unless allowed now and given a reason; return the reason cleaned."""
        self._require(action)
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        check.raise_if_any()
        return reason

    def _check_day(self, check: FieldCheck, name: str, value: object, today: date) -> None:
        """Refuse a date that is not one, in the future, or before the commitment was made."""
        if not _is_day(value):
            check.add(name, N_("Must be a date."))
        elif value > today:  # type: ignore[operator]
            check.add(name, N_("The date cannot be in the future."))
        elif value < self.received_on:  # type: ignore[operator]
            check.add(name, N_("The date cannot be before the session the commitment was "
                               "made at."))

    @event("CommitmentDropped")
    def _dropped(self, reason: str, at: datetime, actor: str, role: str) -> None:
        self._move("drop", at)

    def requestion(self, follow_up: Commitment, *, by: Actor, at: datetime) -> None:
        """Link the new commitment made when this one was questioned again."""
        self._require("requestion")
        if follow_up.follows != self.code:
            raise CommitmentError(N_("{code} does not follow this commitment."),
                                  code=follow_up.code)
        self._requestioned(new_code=follow_up.code, source=follow_up.source, at=at,
                           **by.stamp())

    @event("CommitmentRequestioned")
    def _requestioned(self, new_code: str, source: dict[str, Any], at: datetime, actor: str,
                      role: str) -> None:
        self.followed_by = new_code
        self._move("requestion", at)

    # -- queries ------------------------------------------------------------------------------
    def latest_value(self) -> float | None:
        """Return the measure's last reported value that was not sent back."""
        values = [r["value"] for r in self.reports
                  if r["state"] != "returned" and r["value"] is not None]
        return values[-1] if values else None

    def page_facts(self) -> dict[str, Any]:
        """Return what the item page shows of a commitment beyond the shared facts."""
        return {
            "source": dict(self.source), "measure": self.measure,
            "measure_value": self.latest_value(), "categories": list(self.subitem_categories),
            "category_counts": category_counts(self.subitems, self.subitem_categories),
            "subitems": [dict(s) for s in self.subitems], "follows": self.follows,
            "followed_by": self.followed_by, "reports": [dict(r) for r in self.reports],
            "assessment": self.assessment,
        }


def _check_subitems(check: FieldCheck, categories: object,
                    subitems: object) -> tuple[list[str], list[dict[str, Any]]]:
    if not isinstance(categories, (list, tuple)) or not isinstance(subitems, (list, tuple)):
        check.add("subitems", N_("Unknown value."))
        return [], []
    cats = [" ".join(str(c).split()) for c in categories if str(c).strip()]
    if len(cats) > MAX_CATEGORIES or len(set(cats)) != len(cats) \
            or any(len(c) > NAME_MAX for c in cats):
        check.add("categories", N_("Name at most {max} different categories.").replace(
            "{max}", str(MAX_CATEGORIES)))
        return [], []
    if subitems and not cats:
        check.add("categories", N_("Sub-items need categories to be counted in."))
        return [], []
    if len(subitems) > MAX_SUBITEMS:
        check.add("subitems", N_("At most {max} sub-items.").replace("{max}", str(MAX_SUBITEMS)))
        return [], []
    lines, seen = [], set()
    for n, line in enumerate(subitems, 1):
        ref = str(line.get("ref") or n).strip() if isinstance(line, Mapping) else ""
        name = " ".join(str(line.get("name", "")).split()) if isinstance(line, Mapping) else ""
        category = line.get("category") or (cats[0] if cats else "") \
            if isinstance(line, Mapping) else ""
        if not ref or not name or len(name) > TITLE_MAX or ref in seen or category not in cats:
            check.add("subitems", N_("Line {n} of the sub-items is not valid.").replace(
                "{n}", str(n)))
            return [], []
        seen.add(ref)
        lines.append({"ref": ref, "name": name, "category": category})
    return cats, lines


_OPEN = ("recorded", "in_progress", "reported", "parked")
_RUNNING = ("recorded", "in_progress")
_ENDED, _ST = StatusGroup.CONCLUDED, StatusSpec
COMMITMENT_TYPE = REGISTRY.register(ItemType(
    name="commitment",
    label=N_("commitment"),
    aggregate=Commitment,
    code_prefix="CK",
    kinds={"commitment": N_("commitment")},
    statuses=(
        _ST("recorded", StatusGroup.OPEN, N_("recorded")),
        _ST("in_progress", StatusGroup.OPEN, N_("in progress")),
        # The office reviews the agency's report; the target date does not stop meanwhile
        # in the law's sense, but nothing more is asked of the agency until it decides.
        _ST("reported", StatusGroup.AWAITING_REVIEW, N_("reported, awaiting review"),
            paused=True),
        _ST("parked", StatusGroup.OPEN, N_("parked"), paused=True),
        _ST("met", _ENDED, N_("met"), answered=True),
        _ST("partly_met", _ENDED, N_("partly met"), answered=True),
        _ST("not_met", _ENDED, N_("not met"), answered=True),
        _ST("dropped", _ENDED, N_("dropped")),
        _ST("requestioned", _ENDED, N_("re-questioned")),
        _ST("withdrawn", _ENDED, N_("withdrawn")),
        _ST("closed", _ENDED, N_("closed")),
    ),
    initial="recorded",
    lifecycle=(
        Transition("report_progress", N_("Report progress"), frozenset(_RUNNING), "reported",
                   HANDLERS, ("ProgressReported",), verb="report progress on"),
        Transition("accept_report", N_("Accept the report"), frozenset({"reported"}),
                   "in_progress", OFFICE, ("ReportAccepted",), verb="accept the report of"),
        Transition("return_report", N_("Ask again"), frozenset({"reported"}), "in_progress",
                   OFFICE, ("ReportReturned",), verb="return the report of"),
        Transition("assess", N_("Assess the commitment"),
                   frozenset({"recorded", "in_progress", "reported"}), BY_OUTCOME, OFFICE,
                   ("CommitmentAssessed",)),
        Transition("drop", N_("Drop the commitment"),
                   frozenset({"recorded", "in_progress", "reported", "parked"}), "dropped",
                   OFFICE, ("CommitmentDropped",)),
        # Questioned again at a later session: open, or assessed as not (fully) met.
        Transition("requestion", N_("Question again"),
                   frozenset({"recorded", "in_progress", "reported", "not_met", "partly_met"}),
                   "requestioned", OFFICE, ("CommitmentRequestioned",), verb="question again"),
        *shared_lifecycle(open_statuses=_OPEN, running=_RUNNING, extendable=_RUNNING),
    ),
    create_roles=frozenset({Role.SECRETARIAT, Role.ADMIN}),
    created_by="CommitmentRecorded",
    outcome_statuses={a.value: a.value for a in Assessment},
))
