"""Deadline policy as data: statutory limits, units (calendar or working days), the ladder.

A computed ``Deadline`` keeps how it was computed (start, amount, unit, days skipped,
legal basis) so every screen can explain a due date.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
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

    def to_dict(self) -> dict[str, Any]:
        """Return the deadline as plain data for an event."""
        return {
            "start": self.start, "amount": self.amount, "unit": self.unit, "due": self.due,
            "basis": self.basis, "skipped": list(self.skipped), "rolled_over": self.rolled_over,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deadline:
        """Rebuild a deadline stored in an event."""
        return cls(
            start=data["start"], amount=data["amount"], unit=data["unit"], due=data["due"],
            basis=data["basis"], skipped=tuple(data.get("skipped", ())),
            rolled_over=data.get("rolled_over", False),
        )

    @classmethod
    def fixed(cls, start: date, due: date, basis: str) -> Deadline:
        """Describe a due date chosen by a person rather than computed from a limit."""
        return cls(start=start, amount=(due - start).days, unit=CALENDAR_DAYS, due=due, basis=basis)


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


def _limits(**rules: tuple[int, str, str]) -> dict[str, Limit]:
    return {key: Limit(*value) for key, value in rules.items()}


DEFAULT_LIMITS: dict[str, Limit] = _limits(
    classify=(10, WORKING_DAYS, "Thông tư 05/2021/TT-TTCP"),
    complaint_accept=(10, CALENDAR_DAYS, "Luật Khiếu nại 2011, Điều 27"),
    complaint_resolve_1=(30, CALENDAR_DAYS, "Luật Khiếu nại 2011, Điều 28"),
    complaint_resolve_1_complex=(45, CALENDAR_DAYS, "Luật Khiếu nại 2011, Điều 28"),
    complaint_resolve_1_remote=(45, CALENDAR_DAYS, "Luật Khiếu nại 2011, Điều 28"),
    complaint_resolve_1_remote_complex=(60, CALENDAR_DAYS, "Luật Khiếu nại 2011, Điều 28"),
    complaint_resolve_2=(45, CALENDAR_DAYS, "Luật Khiếu nại 2011, Điều 37"),
    complaint_resolve_2_complex=(60, CALENDAR_DAYS, "Luật Khiếu nại 2011, Điều 37"),
    complaint_resolve_2_remote=(60, CALENDAR_DAYS, "Luật Khiếu nại 2011, Điều 37"),
    complaint_resolve_2_remote_complex=(70, CALENDAR_DAYS, "Luật Khiếu nại 2011, Điều 37"),
    complaint_filing_window=(90, CALENDAR_DAYS, "Luật Khiếu nại 2011, Điều 9"),
    denunciation_initial=(7, WORKING_DAYS, "Luật Tố cáo 2018, Điều 24"),
    denunciation_initial_several_places=(10, WORKING_DAYS, "Luật Tố cáo 2018, Điều 24"),
    denunciation_forward=(5, WORKING_DAYS, "Luật Tố cáo 2018, Điều 24"),
    denunciation_resolve=(30, CALENDAR_DAYS, "Luật Tố cáo 2018, Điều 30"),
    denunciation_extension=(30, CALENDAR_DAYS, "Luật Tố cáo 2018, Điều 30"),
    petition_answer=(30, CALENDAR_DAYS, "Nghị quyết liên tịch 72/2025/NQLT"),
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
    """The configurable table of limits and the escalation ladder."""

    limits: dict[str, Limit] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    ladder: tuple[EscalationStep, ...] = DEFAULT_LADDER
    denunciation_extensions: dict[Complexity, int] = field(
        default_factory=lambda: dict(DEFAULT_DENUNCIATION_EXTENSIONS)
    )

    def with_limit(self, key: str, limit: Limit) -> DeadlinePolicy:
        """Return a copy of the policy with one limit changed."""
        if key not in self.limits:
            raise KeyError(key)
        return replace(self, limits={**self.limits, key: limit})

    def compute(self, key: str, start: date, calendar: WorkingCalendar) -> Deadline:
        """Compute the deadline for limit ``key`` counted from ``start``.

        Calendar-day limits whose last day falls on a day off end on the next working day
        (Civil Code art. 148); working-day limits skip weekends and public holidays.
        """
        limit = self.limits[key]
        if limit.unit == WORKING_DAYS:
            due, skipped = calendar.add_working_days(start, limit.amount)
            return Deadline(start, limit.amount, limit.unit, due, limit.basis, tuple(skipped))
        raw_due = start + timedelta(days=limit.amount)
        due, skipped = calendar.next_working_day(raw_due)
        return Deadline(
            start, limit.amount, limit.unit, due, limit.basis, tuple(skipped), due != raw_due
        )

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
