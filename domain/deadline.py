"""Deadline policy as data: statutory limits, units (calendar or working days), the ladder.

A computed ``Deadline`` keeps how it was computed (start, amount, unit, days skipped,
legal basis) so every screen can explain a due date.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from enum import Enum
from typing import Any

from domain.calendar import WorkingCalendar

CALENDAR_DAYS = "calendar_days"
WORKING_DAYS = "working_days"


class Complexity(str, Enum):
    """How complex a complaint or denunciation is; it selects the statutory limit."""

    NORMAL = "normal"
    COMPLEX = "complex"
    ESPECIALLY_COMPLEX = "especially_complex"


@dataclass(frozen=True)
class Limit:
    """One statutory or policy time limit."""

    amount: int
    unit: str
    basis: str
    # True where no statute sets the limit and the council's practice does (labelled so).
    practice: bool = False

    def __post_init__(self) -> None:
        if self.unit not in (CALENDAR_DAYS, WORKING_DAYS):
            raise ValueError(f"unknown unit {self.unit!r}")
        if self.amount <= 0:
            raise ValueError("a limit must be positive")


@dataclass(frozen=True)
class Deadline:
    """A due date together with the facts it was computed from."""

    start: date
    amount: int
    unit: str
    due: date
    basis: str
    skipped: tuple[date, ...] = ()
    rolled_over: bool = False
    # The limit's key and the policy version it was judged by (None: a date a person chose);
    # why each skipped day is off (a holiday's name and document, or "weekend"); whether the
    # limit is council practice rather than statute.
    rule: str | None = None
    version: str | None = None
    reasons: tuple[str, ...] = ()
    practice: bool = False
    # The council session the date was set by (a voter petition answered before it opens).
    session: str | None = None
    session_opens_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the deadline as plain data for an event (the session only when one set it)."""
        data = {
            "start": self.start, "amount": self.amount, "unit": self.unit, "due": self.due,
            "basis": self.basis, "skipped": list(self.skipped), "rolled_over": self.rolled_over,
            "rule": self.rule, "version": self.version, "reasons": list(self.reasons),
            "practice": self.practice,
        }
        if self.session is not None:
            data.update(session=self.session, session_opens_on=self.session_opens_on)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deadline:
        """Rebuild a deadline stored in an event (older events lack the later fields)."""
        return cls(
            start=data["start"], amount=data["amount"], unit=data["unit"], due=data["due"],
            basis=data["basis"], skipped=tuple(data.get("skipped", ())),
            rolled_over=data.get("rolled_over", False), rule=data.get("rule"),
            version=data.get("version"), reasons=tuple(data.get("reasons", ())),
            practice=data.get("practice", False), session=data.get("session"),
            session_opens_on=data.get("session_opens_on"),
        )

    @classmethod
    def fixed(cls, start: date, due: date, basis: str) -> Deadline:
        """Describe a due date chosen by a person rather than computed from a limit."""
        return cls(start=start, amount=(due - start).days, unit=CALENDAR_DAYS, due=due, basis=basis)


@dataclass(frozen=True)
class RegularSession:
    """A regular council session (kỳ họp thường lệ) and the day it opens; the application
    reads them from the reference data and passes them in."""

    code: str
    opens_on: date


@dataclass(frozen=True)
class Phrase:
    """Words for one idea in each language the app speaks (policy data names itself)."""

    vi: str
    en: str

    def in_language(self, language: str) -> str:
        """Return the words in ``language`` ("vi" or "en"); Vietnamese for any other."""
        return self.en if language == "en" else self.vi


# Mailboxes a ladder step can tell; ``RecipientDirectory`` turns each into an address.
AGENCY = "agency"
AGENCY_HEAD = "agency_head"
DISTRICT_OFFICE = "district_office"
CITY_OFFICE = "city_office"
STANDING_COMMITTEE = "standing_committee"


@dataclass(frozen=True)
class EscalationStep:
    """One rung of the ladder: ``offset`` working days from the due date (negative = before).

    ``notify`` names who is chased (stored on the ``Escalated`` event); ``label`` says what
    the level means and ``notified`` who it goes to, in the words every screen, digest and
    email shows; ``recipients`` lists the mailboxes told, in order.
    """

    level: int
    offset: int
    notify: str
    label: Phrase
    notified: Phrase
    recipients: tuple[str, ...]


def _limits(**rules: tuple[Any, ...]) -> dict[str, Limit]:
    return {key: Limit(*value) for key, value in rules.items()}


LKN = "Luật Khiếu nại 2011"
LTC = "Luật Tố cáo 2018"
# Voter petitions: NQLT 72/2025 sets no limit for answering an HĐND-level petition; the
# council's practice is an answer reported at the next regular session.
PRACTICE_PETITION = ("Thực tiễn của HĐND thành phố (Nghị quyết liên tịch 72/2025/NQLT không "
                     "quy định số ngày): 30 ngày khi chưa biết kỳ họp thường lệ tiếp theo")
# The answer by the next regular session: council practice under the joint resolution, which
# sets no day count (research: no "N days" for HĐND-level answers was found in 72/2025).
PRACTICE_SESSION = ("Thực tiễn của HĐND thành phố theo Nghị quyết liên tịch 72/2025/NQLT "
                    "(không quy định số ngày): trả lời trước kỳ họp thường lệ {session} khai "
                    "mạc ngày {opens_on}")
SESSION_RULE = "petition_answer_session"

DEFAULT_LIMITS: dict[str, Limit] = _limits(
    # Office processing of a received đơn (xử lý đơn), whatever its kind.
    classify=(10, WORKING_DAYS, "Thông tư 05/2021/TT-TTCP"),
    # Acceptance (thụ lý) by the competent body, not by the council's office.
    complaint_accept=(10, CALENDAR_DAYS, f"{LKN}, Điều 27"),
    complaint_resolve_1=(30, CALENDAR_DAYS, f"{LKN}, Điều 28"),
    complaint_resolve_1_complex=(45, CALENDAR_DAYS, f"{LKN}, Điều 28"),
    complaint_resolve_1_remote=(45, CALENDAR_DAYS, f"{LKN}, Điều 28"),
    complaint_resolve_1_remote_complex=(60, CALENDAR_DAYS, f"{LKN}, Điều 28"),
    complaint_resolve_2=(45, CALENDAR_DAYS, f"{LKN}, Điều 37"),
    complaint_resolve_2_complex=(60, CALENDAR_DAYS, f"{LKN}, Điều 37"),
    complaint_resolve_2_remote=(60, CALENDAR_DAYS, f"{LKN}, Điều 37"),
    complaint_resolve_2_remote_complex=(70, CALENDAR_DAYS, f"{LKN}, Điều 37"),
    # From the day the complainant learned of the decision or act.
    complaint_filing_window=(90, CALENDAR_DAYS, f"{LKN}, Điều 9"),
    # From the day the first-round decision was received (or its time limit ran out).
    second_round_window=(30, CALENDAR_DAYS, f"{LKN}, Điều 33"),
    second_round_window_remote=(45, CALENDAR_DAYS, f"{LKN}, Điều 33"),
    denunciation_initial=(7, WORKING_DAYS, f"{LTC}, Điều 24"),
    denunciation_initial_several_places=(10, WORKING_DAYS, f"{LTC}, Điều 24"),
    denunciation_forward=(5, WORKING_DAYS, f"{LTC}, Điều 24"),
    denunciation_resolve=(30, CALENDAR_DAYS, f"{LTC}, Điều 30"),
    denunciation_extension=(30, CALENDAR_DAYS, f"{LTC}, Điều 30"),
    # Following a forwarded đơn until the competent body's result notice: no statute sets
    # the number of days, the office's practice does.
    forward_result_notice=(30, CALENDAR_DAYS,
                           "Thực tiễn của Văn phòng: theo dõi đơn đã chuyển đến khi có "
                           "thông báo kết quả (Thông tư 05/2021/TT-TTCP)", True),
    petition_answer=(30, CALENDAR_DAYS, PRACTICE_PETITION, True),
    # Voters' petitions the National Assembly forwards: 60 days from receipt to answer, the
    # answer sent to the city's NA delegation. Whether it still stands after NQLT 72/2025
    # was not verified.
    na_petition_answer=(60, CALENDAR_DAYS,
                        "Quyết định 33/2017/QĐ-TTg, Điều 12 (sửa đổi bởi Quyết định "
                        "30/2020/QĐ-TTg, hiệu lực 01/10/2020)"),
)


@dataclass(frozen=True)
class PolicyVersion:
    """The limits in force from ``effective_from`` (until the next version), with their basis.

    ``clock_stops`` lists the kinds whose suspension (tạm đình chỉ) the law says is not
    counted in the time limit under this version.
    """

    code: str
    name: str
    effective_from: date
    basis: str
    limits: dict[str, Limit]
    clock_stops: tuple[str, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the version as plain data for an event."""
        return {
            "code": self.code, "name": self.name, "effective_from": self.effective_from,
            "basis": self.basis, "clock_stops": list(self.clock_stops), "note": self.note,
            "limits": {key: {"amount": lim.amount, "unit": lim.unit, "basis": lim.basis,
                             "practice": lim.practice} for key, lim in self.limits.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PolicyVersion:
        """Rebuild a version stored in an event."""
        return cls(
            code=data["code"], name=data["name"], effective_from=data["effective_from"],
            basis=data["basis"], clock_stops=tuple(data.get("clock_stops", ())),
            note=data.get("note", ""),
            limits={key: Limit(v["amount"], v["unit"], v["basis"], v.get("practice", False))
                    for key, v in data["limits"].items()},
        )


def _amended_by_136(limits: dict[str, Limit]) -> dict[str, Limit]:
    # Law 136/2025/QH15 changes no day count found in the texts read (research file, §1.6):
    # the limits stay, their basis names the amended laws.
    def amended(lim: Limit) -> Limit:
        if lim.practice or not lim.basis.startswith((LKN, LTC)):
            return lim  # only the two laws it amends
        return replace(lim, basis=f"{lim.basis} (sửa đổi, bổ sung bởi Luật 136/2025/QH15)")
    return {key: amended(lim) for key, lim in limits.items()}


DEFAULT_VERSIONS: tuple[PolicyVersion, ...] = (
    PolicyVersion(
        code="2019", name="Luật Khiếu nại 2011 và Luật Tố cáo 2018",
        effective_from=date(2019, 1, 1),
        basis="Luật Khiếu nại số 02/2011/QH13; Luật Tố cáo số 25/2018/QH14 (hiệu lực 01/01/2019)",
        limits=DEFAULT_LIMITS, clock_stops=("denunciation",),
        note="Tạm đình chỉ giải quyết tố cáo: thời gian tạm đình chỉ không tính (Luật Tố cáo "
             "2018, Điều 34); Luật Khiếu nại 2011 chưa có tạm đình chỉ.",
    ),
    PolicyVersion(
        code="2026-07", name="Luật 136/2025/QH15 (sửa đổi Luật Tiếp công dân, Khiếu nại, Tố cáo)",
        effective_from=date(2026, 7, 1),
        basis="Luật số 136/2025/QH15 ngày 10/12/2025, hiệu lực 01/07/2026",
        limits=_amended_by_136(DEFAULT_LIMITS), clock_stops=("denunciation", "complaint"),
        note="Bổ sung tạm đình chỉ, đình chỉ giải quyết khiếu nại (Luật Khiếu nại, Điều 11a): "
             "thời gian tạm đình chỉ không tính vào thời hạn giải quyết.",
    ),
)

DEFAULT_LADDER: tuple[EscalationStep, ...] = (
    EscalationStep(
        0, -3, "agency",
        Phrase("nhắc trước hạn", "reminder before the due date"),
        Phrase("cơ quan có trách nhiệm giải quyết", "the responsible agency"),
        (AGENCY,)),
    EscalationStep(
        1, 1, "agency_head",
        Phrase("quá hạn: báo thủ trưởng cơ quan", "overdue: the head of the agency"),
        Phrase("thủ trưởng cơ quan", "the head of the agency"),
        (AGENCY_HEAD, AGENCY)),
    EscalationStep(
        2, 5, "office",
        Phrase("quá hạn: báo Văn phòng quận/huyện, thành phố",
               "overdue: the district / city office"),
        Phrase("Văn phòng quận/huyện, thành phố", "the district / city office"),
        (DISTRICT_OFFICE, CITY_OFFICE)),
    EscalationStep(
        3, 10, "standing_committee",
        Phrase("quá hạn: báo Thường trực HĐND", "overdue: the council standing committee"),
        Phrase("Thường trực HĐND", "the council standing committee"),
        (STANDING_COMMITTEE, CITY_OFFICE)),
)

# How many extensions the denunciations law allows, by complexity (art. 30).
DEFAULT_DENUNCIATION_EXTENSIONS = {
    Complexity.NORMAL: 0, Complexity.COMPLEX: 1, Complexity.ESPECIALLY_COMPLEX: 2,
}


# A due date more than three years ahead is a typing slip (9999 for 2025), never a plan.
MAX_HORIZON_DAYS = 1096


def beyond_horizon(day: date, start: date) -> bool:
    """Tell whether ``day`` lies further after ``start`` than any plausible deadline."""
    return (day - start).days > MAX_HORIZON_DAYS


@dataclass(frozen=True)
class DeadlinePolicy:
    """The dated table of limits (one ``PolicyVersion`` per change in the law) and the ladder.

    ``limits`` is the first version's table; an item is judged by the version in force on
    its triggering date (``version_on``).
    """

    limits: dict[str, Limit] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    ladder: tuple[EscalationStep, ...] = DEFAULT_LADDER
    denunciation_extensions: dict[Complexity, int] = field(
        default_factory=lambda: dict(DEFAULT_DENUNCIATION_EXTENSIONS)
    )
    versions: tuple[PolicyVersion, ...] = DEFAULT_VERSIONS

    def with_limit(self, key: str, limit: Limit) -> DeadlinePolicy:
        """Return a copy of the policy with one limit changed (in every version)."""
        if key not in self.limits:
            raise KeyError(key)
        versions = tuple(replace(v, limits={**v.limits, key: limit}) for v in self.versions)
        return replace(self, limits={**self.limits, key: limit}, versions=versions)

    def with_version(self, version: PolicyVersion) -> DeadlinePolicy:
        """Return a copy with ``version`` added (replacing one of the same code)."""
        others = [v for v in self.versions if v.code != version.code]
        ordered = sorted([*others, version], key=lambda v: v.effective_from)
        return replace(self, versions=tuple(ordered))

    def version_on(self, day: date) -> PolicyVersion:
        """Return the version in force on ``day`` (the first one for days before all)."""
        ordered = sorted(self.versions, key=lambda v: v.effective_from)
        if not ordered:
            return PolicyVersion("base", "", date.min, "", self.limits)
        current = ordered[0]
        for version in ordered:
            if version.effective_from <= day:
                current = version
        return current

    def limit(self, key: str, on: date) -> Limit:
        """Return limit ``key`` as the version in force on ``on`` sets it."""
        limits = self.version_on(on).limits
        return limits[key] if key in limits else self.limits[key]

    def compute(self, key: str, start: date, calendar: WorkingCalendar) -> Deadline:
        """Compute the deadline for limit ``key`` counted from ``start`` (its triggering date).

        The version in force on ``start`` applies. Calendar-day limits whose last day falls
        on a day off end on the next working day (Civil Code art. 148); working-day limits
        skip weekends and public holidays.
        """
        version = self.version_on(start)
        limit = self.limit(key, start)
        if limit.unit == WORKING_DAYS:
            due, skipped = calendar.add_working_days(start, limit.amount)
            rolled = False
        else:
            raw_due = start + timedelta(days=limit.amount)
            due, skipped = calendar.next_working_day(raw_due)
            rolled = due != raw_due
        reasons = tuple(calendar.reason_off(day) for day in skipped)
        return Deadline(start, limit.amount, limit.unit, due, limit.basis, tuple(skipped),
                        rolled, rule=key, version=version.code, reasons=reasons,
                        practice=limit.practice)

    def petition_answer(self, start: date, sessions: Iterable[RegularSession],
                        calendar: WorkingCalendar) -> Deadline:
        """Compute when an agency answers a voter petition assigned on ``start``.

        Council practice: before the next regular session opens, so the answer can be
        reported to it. The due date is the last working day before the opening (an answer
        due on the opening day would come too late for the session's report); a session
        leaving no working day after ``start`` is too close, and the next one applies. With
        no later regular session known, the 30-day practice limit applies.
        """
        for session in sorted(sessions, key=lambda s: s.opens_on):
            due = session.opens_on - timedelta(days=1)
            while not calendar.is_working_day(due) and due > start:
                due -= timedelta(days=1)
            if due > start and calendar.is_working_day(due):
                basis = PRACTICE_SESSION.format(session=session.code,
                                                opens_on=f"{session.opens_on:%d/%m/%Y}")
                return Deadline(start, (due - start).days, CALENDAR_DAYS, due, basis,
                                rule=SESSION_RULE, version=self.version_on(start).code,
                                practice=True, session=session.code,
                                session_opens_on=session.opens_on)
        return self.compute("petition_answer", start, calendar)

    def recompute(self, stored: dict[str, Any], calendar: WorkingCalendar) -> Deadline | None:
        """Compute again a deadline stored in an event; None if it cannot be (a chosen date).

        Deadlines stored before the rule was kept are matched to the limit of the same
        amount, unit and basis.
        """
        known = {f.name for f in fields(Deadline)}
        if set(stored) - known:
            return None  # facts this policy does not know (e.g. time suspended): leave it
        rule = stored.get("rule")
        if rule == SESSION_RULE and stored.get("session_opens_on"):
            # The last working day before the same session opens: a day off declared there
            # later moves it earlier.
            session = RegularSession(stored.get("session") or "", stored["session_opens_on"])
            return self.petition_answer(stored["start"], [session], calendar)
        if rule is None:
            rule = next((key for key, lim in self.limits.items()
                         if (lim.amount, lim.unit, lim.basis)
                         == (stored["amount"], stored["unit"], stored["basis"])), None)
        if rule is None or rule not in self.limits:
            return None
        return self.compute(rule, stored["start"], calendar)

    def complaint_resolution_key(self, round_no: int, complexity: Complexity, remote: bool) -> str:
        """Pick the limit for resolving a complaint of the given round and circumstances."""
        key = f"complaint_resolve_{2 if round_no >= 2 else 1}"
        if remote:
            key += "_remote"
        if complexity is not Complexity.NORMAL:
            key += "_complex"
        return key

    def step(self, level: int) -> EscalationStep:
        """Return the ladder step for ``level``."""
        for step in self.ladder:
            if step.level == level:
                return step
        raise KeyError(level)

    def step_notifying(self, notify: str) -> EscalationStep | None:
        """Return the ladder step that chases ``notify`` (as stored on an event), if any."""
        return next((step for step in self.ladder if step.notify == notify), None)

    def recipients(self, notify: str) -> tuple[str, ...]:
        """Return the mailboxes told when ``notify`` is chased (the city office if unknown)."""
        step = self.step_notifying(notify)
        return step.recipients if step is not None else (CITY_OFFICE,)

    def levels_due(
        self, due: date, today: date, calendar: WorkingCalendar, above: int
    ) -> list[EscalationStep]:
        """List the ladder steps reached by ``today`` for an item due on ``due``, above level ``above``."""
        reached = []
        for step in sorted(self.ladder, key=lambda s: s.level):
            if step.level <= above:
                continue
            if today >= self.step_date(step, due, calendar):
                reached.append(step)
        return reached

    def step_date(self, step: EscalationStep, due: date, calendar: WorkingCalendar) -> date:
        """Return the first day on which ``step`` applies to an item due on ``due``."""
        day, _ = calendar.add_working_days(due, step.offset)
        return day

    def next_step_date(self, due: date, above: int, calendar: WorkingCalendar) -> date | None:
        """Return the date the next ladder step above ``above`` applies, if any."""
        pending = [s for s in self.ladder if s.level > above]
        if not pending:
            return None
        return self.step_date(min(pending, key=lambda s: s.level), due, calendar)


DEFAULT_POLICY = DeadlinePolicy()
