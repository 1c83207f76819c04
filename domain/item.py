"""What voter petitions and complaints share: assignment, progress, deadlines, escalation.

Public methods check the rule, then trigger an event through a private ``_``-method
decorated with ``@event``; only the private method mutates, so replay stays rule-free.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate, event

from domain.actor import Actor, Role
from domain.calendar import WorkingCalendar
from domain.deadline import CALENDAR_DAYS, Deadline, DeadlinePolicy, beyond_horizon
from domain.errors import DomainError, InvalidInput, InvalidTransition, N_
from domain.handover import check_hand_over
from domain.item_types import (
    RESTORE, SAME, ItemType, StatusGroup, Transition, type_of,
)
from domain.suspension import clock_stop, days_stopped, law_for, moved_due, suspension_record
from domain.text import NAME_MAX, TEXT_MAX, FieldCheck


class Status(str, Enum):
    """Where an item is in its lifecycle; values are stored in events and views."""

    LOGGED = "logged"                  # petition logged, not yet classified
    RECEIVED = "received"              # complaint received, not yet classified
    CLASSIFIED = "classified"
    ACCEPTED = "accepted"              # complaint accepted for resolution (thụ lý)
    ASSIGNED = "assigned"
    SENT_BACK = "sent_back"            # the lead agency sent it back: not its competence
    ANSWERED = "answered"              # answer recorded, awaiting the secretariat's review
    BEING_RESOLVED = "being_resolved"  # answer accepted: being resolved with a roadmap
    NOT_RESOLVED = "not_resolved"      # answer accepted: not resolved yet
    PARKED = "parked"
    RESOLVED = "resolved"
    EXPLAINED = "explained"
    DECIDED = "decided"
    FORWARDED = "forwarded"            # forwarded: followed until the result notice comes
    RESULT_NOTIFIED = "result_notified"  # the competent body's result notice is recorded
    GUIDED = "guided"                  # returned to the sender with guidance
    FILED = "filed"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"



# Who takes the actions every item type shares (the lifecycle rows below).
OFFICE = frozenset({Role.SECRETARIAT, Role.ADMIN})
HANDLERS = frozenset({Role.AGENCY_STAFF, Role.SECRETARIAT, Role.ADMIN})
OFFICE_AND_DISTRICT = frozenset({Role.SECRETARIAT, Role.DISTRICT_STAFF, Role.ADMIN})
CREATORS = frozenset({Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.ADMIN})
SCHEDULER = frozenset({Role.SYSTEM})
CATEGORY_MAX, CATEGORIES_MAX = 64, 8


def shared_lifecycle(
    *, open_statuses: tuple[str, ...], running: tuple[str, ...],
    extendable: tuple[str, ...], extend_kinds: frozenset[str] | None = None,
) -> tuple[Transition, ...]:
    """Return the lifecycle rows of the commands every item shares, in display order.

    ``open_statuses`` are the type's statuses before it ends; ``running`` those in which
    its deadline runs (the ladder escalates); ``extendable`` those in which the office may
    move the deadline.
    """
    parkable = frozenset(s for s in open_statuses if s != Status.PARKED.value)
    opened = frozenset(open_statuses)
    return (
        Transition("progress", N_("Note progress"), opened, SAME, HANDLERS,
                   ("ProgressNoted",), verb="note progress on"),
        Transition("extend", N_("Extend the deadline"), frozenset(extendable), SAME, OFFICE,
                   ("DeadlineExtended",), verb="extend the deadline of", kinds=extend_kinds,
                   needs_due_date=True),
        Transition("park", N_("Pause or suspend"), parkable, Status.PARKED.value, OFFICE,
                   ("Parked",)),
        Transition("resume", N_("Resume"), frozenset({Status.PARKED.value}), RESTORE, OFFICE,
                   ("Resumed",)),
        Transition("withdraw", N_("Record withdrawal"), opened, Status.WITHDRAWN.value,
                   OFFICE_AND_DISTRICT, ("Withdrawn",)),
        Transition("close", N_("Close"), opened, Status.CLOSED.value, OFFICE, ("Closed",)),
        # An open item of an abolished unit goes to a successor; its unit of origin stays.
        Transition("hand_over", N_("Hand over to a successor unit"), opened, SAME, OFFICE,
                   ("UnitHandedOver",), verb="hand over"),
        Transition("escalate", N_("escalate"), frozenset(running), SAME, SCHEDULER,
                   ("Escalated",), needs_due_date=True),
        # What holds an outstanding item up (the obstacle: land, capital, procedure …), as
        # the office classifies it for the stock reports; categories are the office's own.
        Transition("categorise", N_("Tag categories"), opened, SAME, OFFICE,
                   ("CategoriesChanged",), verb="tag the categories of"),
    )


class Outcome(str, Enum):
    """Result of an agency's answer (kết quả trả lời)."""

    RESOLVED = "resolved"
    BEING_RESOLVED = "being_resolved"
    EXPLAINED = "explained"
    NOT_RESOLVED = "not_resolved"


OUTCOME_STATUS = {
    Outcome.RESOLVED: Status.RESOLVED,
    Outcome.BEING_RESOLVED: Status.BEING_RESOLVED,
    Outcome.EXPLAINED: Status.EXPLAINED,
    Outcome.NOT_RESOLVED: Status.NOT_RESOLVED,
}


class ItemError(DomainError):
    """A refused action on a petition or complaint."""


class EscalationError(ItemError):
    """An escalation that is not due or was already recorded."""


class DeadlineError(ItemError):
    """A due date or extension the rules do not allow."""


def is_attach_target(to: object) -> bool:
    """Tell whether ``to`` names the item, one of its answers or notes, or a document."""
    if to == "item":
        return True
    kind, _, ref = str(to).partition(":")
    return kind in ("answer", "note", "progress", "document") and 0 < len(ref) <= 64 \
        and ref.replace("-", "").isalnum()


class TrackedItem(Aggregate):
    """Base of every tracked item; subclasses define how it is created and classified."""

    noun: ClassVar[str] = "item"
    # The declaration of the item's type, set when the type is registered.
    item_type: ClassVar[ItemType]
    # The enum of the type's status values (a type with statuses of its own sets its own).
    status_values: ClassVar[type[Enum]] = Status

    # Status is kept as its plain value so snapshots (JSON) restore it exactly.
    @property
    def status(self) -> Any:
        """The item's current status."""
        return self.status_values(self._status)

    @status.setter
    def status(self, value: Any) -> None:
        self._status = self.status_values(value).value

    @property
    def status_before_pause(self) -> Any:
        """The status a parked item returns to when resumed."""
        value = self._status_before_pause
        return None if value is None else self.status_values(value)

    @status_before_pause.setter
    def status_before_pause(self, value: Any) -> None:
        self._status_before_pause = None if value is None else self.status_values(value).value

    def _init_tracking(self) -> None:
        self.agency = None
        self.cooperating: list[str] = []
        self.leader: dict[str, str] | None = None
        self.due_date = None
        self.deadline = None
        self.outcome = None
        self.escalation_level = -1
        self.escalated_due = None
        self.extensions = 0
        self.answer_rounds = 0
        self.status_before_pause = None
        self.suspension: dict[str, Any] | None = None
        self.suspensions: list[dict[str, Any]] = []
        self.extension_decision: dict[str, Any] | None = None
        self.closed_at: datetime | None = None

    # -- queries -----------------------------------------------------------------------
    @property
    def cooperating_agencies(self) -> list[str]:
        """The co-operating agencies (phối hợp); items stored before they existed have none."""
        return list(getattr(self, "cooperating", []))

    @property
    def responsible_leader(self) -> dict[str, str] | None:
        """The responsible leader named at assignment (name, position), if any."""
        return getattr(self, "leader", None)

    @property
    def is_open(self) -> bool:
        """Tell whether the item still needs work."""
        return type_of(self).is_open(self._status)

    @property
    def is_paused(self) -> bool:
        """Tell whether no deadline runs now (an answer awaits review, or the item is parked)."""
        return self._status in type_of(self).paused

    def is_overdue(self, today: date) -> bool:
        """Tell whether the agency is late on ``today`` (never while paused, answered or closed)."""
        # Same as projections.figures.is_overdue: an accepted answer still being resolved
        # past its roadmap date is "past the roadmap date", not overdue.
        return (
            type_of(self).group(self._status) is StatusGroup.OPEN and not self.is_paused
            and self.due_date is not None and today > self.due_date
        )

    def allows(self, action: str) -> bool:
        """Tell whether the item's lifecycle allows ``action`` now (roles aside)."""
        return type_of(self).allows(action, self._status, self.kind, self.due_date is not None)

    # -- guards ------------------------------------------------------------------------
    def _require(self, action: str) -> Transition:
        """Refuse ``action`` unless the lifecycle table allows it in the current status."""
        row = type_of(self).transition(action)
        if self._status not in row.allowed:
            raise InvalidTransition(action=row.phrase, status=self._status)
        return row

    def _move(self, action: str, at: datetime, **facts: Any) -> None:
        """Set the status the lifecycle table gives ``action`` (run on replay too).

        An item whose status enters the concluded group closes at ``at``, as in the views.
        """
        was_open = self.is_open
        self.status = type_of(self).transition(action).resulting(self._status, **facts)
        if was_open and not self.is_open:
            self.closed_at = at

    # -- shared commands ---------------------------------------------------------------
    def note_progress(self, text: str, *, by: Actor, at: datetime) -> None:
        """Record a progress note from the agency or the secretariat."""
        self._require("progress")
        check = FieldCheck()
        text = check.text("text", text, max_length=TEXT_MAX)
        check.raise_if_any()
        self._progress_noted(text=text, at=at, **by.stamp())

    @event("ProgressNoted")
    def _progress_noted(self, text: str, at: datetime, actor: str, role: str) -> None:
        pass

    @property
    def categories(self) -> list[str]:
        """The categories the office tagged the item with (items stored before have none)."""
        return list(getattr(self, "_categories", []))

    def set_categories(self, categories: list[str], *, by: Actor, at: datetime) -> None:
        """Tag the item with exactly these categories (an empty list removes them all)."""
        self._require("categorise")
        check = FieldCheck()
        cleaned: list[str] = []
        for value in categories:
            label = " ".join(check.text("categories", value, max_length=CATEGORY_MAX).split())
            if "|" in label:
                check.add("categories", N_("A category cannot contain the character |."))
            elif label and label.casefold() not in {c.casefold() for c in cleaned}:
                cleaned.append(label)
        if len(cleaned) > CATEGORIES_MAX:
            check.add("categories", N_("At most {max} categories.").replace(
                "{max}", str(CATEGORIES_MAX)))
        check.raise_if_any()
        if cleaned == self.categories:
            return  # nothing changes: no event
        self._categories_changed(categories=cleaned, at=at, **by.stamp())

    @event("CategoriesChanged")
    def _categories_changed(self, categories: list[str], at: datetime, actor: str,
                            role: str) -> None:
        self._categories = list(categories)

    def extend_deadline(
        self, new_due_date: date, reason: str, *, by: Actor, at: datetime,
        max_extensions: int | None = None, max_days: int | None = None,
        decision_no: str = "", decision_date: date | None = None, today: date | None = None,
        decision_required: bool = False,
    ) -> None:
        """Move the due date later, for a stated reason, within the allowed extensions.

        The extension decision's number and date are recorded with it: a complaint's or
        denunciation's extension is made by decision (``decision_required``, which
        ``Complaint.extend_resolution`` sets); a petition may name one. ``today`` defaults to
        ``at``'s date.
        """
        self._require("extend")
        if self.due_date is None:
            raise DeadlineError(N_("This item has no deadline to extend."))
        if max_extensions is not None and self.extensions >= max_extensions:
            raise DeadlineError(
                N_("No further extension is allowed (at most {max})."), max=max_extensions
            )
        today = today or at.date()
        required = decision_required
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        if not isinstance(new_due_date, date) or isinstance(new_due_date, datetime):
            check.add("new_due_date", N_("Must be a date."))
        elif new_due_date <= self.due_date:
            check.add("new_due_date", N_("The new due date must be after the current one."))
        elif beyond_horizon(new_due_date, self.due_date):
            check.add("new_due_date", N_("The date is too far ahead: check the year."))
        elif max_days is not None and (new_due_date - self.due_date).days > max_days:
            check.add("new_due_date", N_("An extension may add at most {max} days.").replace(
                "{max}", str(max_days)))
        decision_no = check.text("decision_no", decision_no, max_length=NAME_MAX,
                                 required=required)
        self._check_decision_date(check, decision_date, today, required=required)
        check.raise_if_any()
        deadline = Deadline.fixed(self.due_date, new_due_date, reason).to_dict()
        self._deadline_extended(
            new_due_date=new_due_date, previous_due_date=self.due_date, reason=reason,
            decision_no=decision_no, decision_date=decision_date, deadline=deadline, at=at,
            **by.stamp(),
        )

    def _check_decision_date(self, check: FieldCheck, value: object, today: date, *,
                             required: bool) -> None:
        """Refuse a decision date that is missing (if ``required``), in the future or too early."""
        if value is None and not required:
            return
        if not isinstance(value, date) or isinstance(value, datetime):
            check.add("decision_date", N_("Must be a date."))
        elif value > today:
            check.add("decision_date", N_("The decision date cannot be in the future."))
        elif value < self.received_on:
            check.add("decision_date", N_("The decision date cannot be before the date received."))

    class DeadlineExtended(Aggregate.Event):
        """The due date moved later, for a reason, by a decision (number and date).

        Version 2 added the extension decision; version-1 events are upcast with no number
        and no date (none was asked for then).
        """

        new_due_date: date
        previous_due_date: date
        reason: str
        decision_no: str
        decision_date: date | None
        deadline: dict[str, Any]
        at: datetime
        actor: str
        role: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Add the extension decision's number and date to a version-1 event, in place."""
            state.setdefault("decision_no", "")
            state.setdefault("decision_date", None)

    @event(DeadlineExtended)
    def _deadline_extended(
        self, new_due_date: date, previous_due_date: date, reason: str, decision_no: str,
        decision_date: date | None, deadline: dict[str, Any], at: datetime, actor: str,
        role: str,
    ) -> None:
        self._set_due(new_due_date, deadline)
        self.extensions += 1
        self.extension_decision = {"decision_no": decision_no, "decision_date": decision_date} \
            if decision_no or decision_date else None

    def recompute_deadline(
        self, *, policy: DeadlinePolicy, calendar: WorkingCalendar, reason: str, by: Actor,
        at: datetime,
    ) -> bool:
        """Compute the open item's deadline again after a calendar or policy change.

        Records ``DeadlineRecomputed`` (old date, new date, why) and returns True only when
        the due date moves; a closed item, a date a person chose (an extension) or a
        deadline moved by other facts is left as it is, so running it twice changes nothing.
        """
        stored = self.deadline
        if not self.is_open or not stored or stored.get("due") != self.due_date:
            return False
        fresh = policy.recompute(stored, calendar)
        if fresh is None or fresh.due == self.due_date:
            return False
        self._deadline_recomputed(
            previous_due_date=self.due_date, new_due_date=fresh.due, reason=reason,
            deadline=fresh.to_dict(), at=at, **by.stamp(),
        )
        return True

    @event("DeadlineRecomputed")
    def _deadline_recomputed(
        self, previous_due_date: date, new_due_date: date, reason: str,
        deadline: dict[str, Any], at: datetime, actor: str, role: str,
    ) -> None:
        self._set_due(new_due_date, deadline)

    def escalations_due(
        self, today: date, policy: DeadlinePolicy, calendar: WorkingCalendar
    ) -> list[int]:
        """List the ladder levels reached by ``today`` that were not yet recorded."""
        if not self.allows("escalate"):
            return []
        return [s.level for s in policy.levels_due(
            self.due_date, today, calendar, self.escalation_level)]

    def escalate(
        self, level: int, notify: str, *, today: date, policy: DeadlinePolicy,
        calendar: WorkingCalendar, by: Actor, at: datetime,
    ) -> None:
        """Record that the item reached ladder ``level`` for its current due date."""
        # bool is an int and True == 1: refuse it rather than store ``true`` as a level.
        if (not isinstance(level, int) or isinstance(level, bool)
                or level not in self.escalations_due(today, policy, calendar)):
            raise EscalationError(
                N_("Escalation to level {level} is not due for {code}."),
                level=level, code=self.code,
            )
        self._escalated(
            level=level, due_date=self.due_date, notify=notify, agency=self.agency,
            at=at, **by.stamp(),
        )

    @event("Escalated")
    def _escalated(
        self, level: int, due_date: date, notify: str, agency: str | None, at: datetime,
        actor: str, role: str,
    ) -> None:
        self.escalation_level = level
        self.escalated_due = due_date

    @property
    def notifications_sent(self) -> list[str]:
        """Keys ``"<level>@<due date>"`` of the escalation emails delivered so far."""
        # Read with a default: items stored before notifications existed have no list.
        return list(getattr(self, "_notifications_sent", []))

    def record_notification(
        self, level: int, due_date: date, recipients: list[str], *, by: Actor, at: datetime,
    ) -> bool:
        """Record that the email for ladder ``level`` was delivered; False if already recorded.

        Delivery is recorded even on a closed item: the email went out while it was open.
        """
        if not isinstance(level, int) or isinstance(level, bool) or level < 0:
            raise EscalationError(N_("Unknown escalation level {level}."), level=level)
        if f"{level}@{due_date.isoformat()}" in self.notifications_sent:
            return False
        self._notification_sent(
            level=level, due_date=due_date, recipients=list(recipients), at=at, **by.stamp(),
        )
        return True

    @event("NotificationSent")
    def _notification_sent(
        self, level: int, due_date: date, recipients: list[str], at: datetime, actor: str,
        role: str,
    ) -> None:
        self._notifications_sent = [*self.notifications_sent, f"{level}@{due_date.isoformat()}"]

    @property
    def notices_sent(self) -> list[str]:
        """Keys ``"<event position>:<username>"`` of the notice emails delivered so far."""
        return list(getattr(self, "_notices_sent", []))

    def record_notices(self, source: int, kind: str, recipients: list[str], *, by: Actor,
                       at: datetime) -> bool:
        """Record that the notice of change ``source`` (a log position) was emailed to
        ``recipients`` (user names); False when every one was recorded already."""
        new = [r for r in dict.fromkeys(recipients) if f"{source}:{r}" not in self.notices_sent]
        if not new:
            return False
        self._notices_sent_event(source=source, kind=kind, recipients=new, at=at, **by.stamp())
        return True

    @event("NoticesSent")
    def _notices_sent_event(self, source: int, kind: str, recipients: list[str], at: datetime,
                            actor: str, role: str) -> None:
        self._notices_sent = [*self.notices_sent, *(f"{source}:{r}" for r in recipients)]

    @property
    def published_answer(self) -> dict[str, Any] | None:
        """The answer text the secretariat published for the public lookup, if any."""
        return getattr(self, "_published_answer", None)

    def publish_answer(self, text: str, *, by: Actor, at: datetime) -> None:
        """Publish ``text`` (the answer, free of personal data) on the public lookup page.

        Only an item that has an answer or a decision may be published; an empty text
        withdraws what was published.
        """
        if not (self.answer_rounds or self.outcome is not None
                or type_of(self).group(self._status) is not StatusGroup.OPEN):
            raise ItemError(N_("Only an answered item can have a published answer."))
        check = FieldCheck()
        text = check.text("text", text, max_length=TEXT_MAX, required=False) if text else ""
        check.raise_if_any()
        self._answer_published(text=text, at=at, **by.stamp())

    @event("AnswerPublished")
    def _answer_published(self, text: str, at: datetime, actor: str, role: str) -> None:
        self._published_answer = {"text": text, "at": at} if text else None

    def park(
        self, reason: str, *, by: Actor, at: datetime, today: date | None = None,
        grounds: str = "", decision_no: str = "", decision_date: date | None = None,
    ) -> None:
        """Set the item aside with a reason; escalation pauses.

        With ``grounds``, ``decision_no`` and ``decision_date`` it is a suspension by
        decision (tạm đình chỉ) of a complaint or denunciation, which stops the statutory
        clock where the law allows it; a petition's pause stops its clock without one
        (``domain.suspension`` says which is which). ``today`` defaults to ``at``'s date.
        """
        self._require("park")
        today = today or at.date()
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        by_decision = bool(grounds or decision_no or decision_date)
        law = law_for(self.kind)
        if by_decision and law is None:
            check.add("grounds",
                      N_("Only complaints and denunciations are suspended by a decision."))
        elif by_decision:
            if self._status != Status.ACCEPTED.value:
                check.add("grounds", N_("Only a đơn accepted for resolution can be suspended."))
            grounds = check.choice("grounds", grounds, law.grounds)
            decision_no = check.text("decision_no", decision_no, max_length=NAME_MAX)
            self._check_decision_date(check, decision_date, today, required=True)
        check.raise_if_any()
        starts_on = decision_date if by_decision and decision_date else today
        stop = clock_stop(self.kind, starts_on=starts_on, by_decision=by_decision)
        if isinstance(stop, str):
            raise InvalidInput({"decision_date": [stop]})
        # Parked while its deadline does not run (an answer under review): nothing to stop.
        stops = stop.stops_clock and self.allows("escalate")
        self._parked(
            reason=reason, grounds=grounds if by_decision else "",
            decision_no=decision_no if by_decision else "",
            decision_date=decision_date if by_decision else None, stops_clock=stops,
            starts_on=starts_on, basis=stop.basis if stops else "", at=at, **by.stamp(),
        )

    class Parked(Aggregate.Event):
        """The item was set aside: a pause, or a suspension by decision.

        Version 2 added the suspension's facts and whether the clock stopped; version-1
        events (before suspension stopped any clock) are upcast as pauses that stop nothing.
        """

        reason: str
        grounds: str
        decision_no: str
        decision_date: date | None
        stops_clock: bool
        starts_on: date | None
        basis: str
        at: datetime
        actor: str
        role: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Add the suspension's facts to a stored version-1 event, in place."""
            for name, value in (("grounds", ""), ("decision_no", ""), ("decision_date", None),
                                ("stops_clock", False), ("starts_on", None), ("basis", "")):
                state.setdefault(name, value)

    @event(Parked)
    def _parked(
        self, reason: str, grounds: str, decision_no: str, decision_date: date | None,
        stops_clock: bool, starts_on: date | None, basis: str, at: datetime, actor: str,
        role: str,
    ) -> None:
        self.status_before_pause = self.status
        self.suspension = {
            "reason": reason, "grounds": grounds, "decision_no": decision_no,
            "decision_date": decision_date, "stops_clock": stops_clock,
            "starts_on": starts_on, "basis": basis,
        }
        self._move("park", at)

    def resume(
        self, reason: str, *, by: Actor, at: datetime, today: date | None = None,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        """Take a parked item up again, back in the status it had.

        When the pause stopped the clock, the due date moves by the days it lasted, counted
        in the limit's own unit (``calendar`` skips the days off; weekends only if none).
        """
        self._require("resume")
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX, required=False)
        check.raise_if_any()
        today = today or at.date()
        calendar = calendar or WorkingCalendar(lambda day: None)
        # getattr: items parked before suspensions were kept have none (nothing stopped).
        pause = getattr(self, "suspension", None) or {}
        days, unit, new_due = 0, "", self.due_date
        if pause.get("stops_clock") and self.due_date is not None and pause.get("starts_on"):
            unit = (self.deadline or {}).get("unit") or CALENDAR_DAYS
            days = days_stopped(pause["starts_on"], today, unit, calendar)
            new_due = moved_due(self.due_date, days, unit, calendar)
        self._resumed(
            reason=reason, suspended_from=pause.get("starts_on"), days_suspended=days,
            unit=unit, previous_due_date=self.due_date, new_due_date=new_due, resumed_on=today,
            at=at, **by.stamp(),
        )

    class Resumed(Aggregate.Event):
        """A parked item was taken up again.

        Version 2 added how the due date moved (old and new date, days suspended and their
        unit); version-1 events are upcast as resumptions that moved nothing.
        """

        reason: str
        suspended_from: date | None
        days_suspended: int
        unit: str
        previous_due_date: date | None
        new_due_date: date | None
        resumed_on: date | None
        at: datetime
        actor: str
        role: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Add the due-date facts to a stored version-1 event, in place."""
            for name, value in (("suspended_from", None), ("days_suspended", 0), ("unit", ""),
                                ("previous_due_date", None), ("new_due_date", None),
                                ("resumed_on", None)):
                state.setdefault(name, value)

    @event(Resumed)
    def _resumed(
        self, reason: str, suspended_from: date | None, days_suspended: int, unit: str,
        previous_due_date: date | None, new_due_date: date | None, resumed_on: date | None,
        at: datetime, actor: str, role: str,
    ) -> None:
        self._move("resume", at, before_pause=self._status_before_pause)
        self.status_before_pause = None
        pause = getattr(self, "suspension", None)
        if pause and days_suspended and new_due_date is not None and previous_due_date:
            self._set_due(new_due_date, {**(self.deadline or {}), "due": new_due_date})
            self.suspensions = [*self.past_suspensions, suspension_record(
                pause, resumed_on or at.date(), days_suspended, previous_due_date,
                new_due_date, unit)]
        self.suspension = None

    @property
    def last_extension_decision(self) -> dict[str, Any] | None:
        """The latest extension's decision (number, date), if it named one (None for old items)."""
        return getattr(self, "extension_decision", None)

    @property
    def past_suspensions(self) -> list[dict[str, Any]]:
        """The pauses that moved the due date, oldest first (read with a default for old items)."""
        return list(getattr(self, "suspensions", []))

    @property
    def current_suspension(self) -> dict[str, Any] | None:
        """The facts of the pause the item is in now, if parked (None for older items)."""
        return getattr(self, "suspension", None) if self._status == Status.PARKED.value else None

    def withdraw(self, reason: str, *, by: Actor, at: datetime) -> None:
        """Record that the voters or the petitioner withdrew the item."""
        self._require("withdraw")
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        check.raise_if_any()
        self._withdrawn(reason=reason, at=at, **by.stamp())

    @event("Withdrawn")
    def _withdrawn(self, reason: str, at: datetime, actor: str, role: str) -> None:
        self._move("withdraw", at)

    def close(self, reason: str, *, by: Actor, at: datetime) -> None:
        """Close an open item for a stated reason."""
        self._require("close")
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        check.raise_if_any()
        self._closed(reason=reason, at=at, **by.stamp())

    @event("Closed")
    def _closed(self, reason: str, at: datetime, actor: str, role: str) -> None:
        self._move("close", at)

    @property
    def unit_of_origin(self) -> str:
        """The unit the item was logged under; ``district`` is the unit it is with now."""
        return getattr(self, "_unit_of_origin", None) or self.district

    def hand_over(self, to_unit: str, reason: str, *, units: Any, today: date, by: Actor,
                  at: datetime) -> None:
        """Hand the open item of an abolished unit to ``to_unit``, a unit in force ``today``.

        ``units`` are the unit entries of the reference data (with their validity dates);
        the reason names the basis (the resolution, the lineage rule).
        """
        self._require("hand_over")
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        check.raise_if_any()
        check_hand_over(self.district, to_unit, units, today)
        self._unit_handed_over(from_unit=self.district, to_unit=to_unit, reason=reason,
                               at=at, **by.stamp())

    @event("UnitHandedOver")
    def _unit_handed_over(self, from_unit: str, to_unit: str, reason: str, at: datetime,
                          actor: str, role: str) -> None:
        if getattr(self, "_unit_of_origin", None) is None:
            self._unit_of_origin = self.district
        self.district = to_unit

    # -- documents and attachments (issue 17) ------------------------------------------
    # Allowed in every status: a reply letter or a decision may arrive after the item ended.
    def attach_file(self, file: dict[str, Any], *, to: str, personal: bool, by: Actor,
                    at: datetime) -> None:
        """Record a file attached to the item, an answer (``answer:N``) or a note (``note:V``).

        ``file`` holds the hash, type, size and name (the bytes are kept by hash elsewhere);
        ``personal`` files are shown only to those who see the item's personal data.
        """
        if not is_attach_target(to):
            raise InvalidInput({"to": [N_("Unknown value.")]})
        if file["sha256"] in {f["sha256"] for f in self.attachments if f["to"] == to}:
            raise ItemError(N_("This file is already attached here."))
        self._file_attached(file=dict(file), to=to, personal=bool(personal), at=at,
                            **by.stamp())

    @event("FileAttached")
    def _file_attached(self, file: dict[str, Any], to: str, personal: bool, at: datetime,
                       actor: str, role: str) -> None:
        self._attachments = [*self.attachments, {**file, "to": to, "personal": personal,
                                                 "at": at, "actor": actor}]

    @property
    def attachments(self) -> list[dict[str, Any]]:
        """The files attached so far, oldest first (items stored before have none)."""
        return list(getattr(self, "_attachments", []))

    def link_document(self, document: dict[str, Any], *, purpose: str, by: Actor,
                      at: datetime) -> None:
        """Record that a registered document (a letter, a decision, a slip) concerns the item."""
        if any(d["document_id"] == document["document_id"] for d in self.documents):
            return
        self._document_linked(document=dict(document), purpose=purpose, at=at, **by.stamp())

    @event("DocumentLinked")
    def _document_linked(self, document: dict[str, Any], purpose: str, at: datetime,
                         actor: str, role: str) -> None:
        self._documents = [*self.documents, {**document, "purpose": purpose}]

    @property
    def documents(self) -> list[dict[str, Any]]:
        """The documents linked so far, oldest first (items stored before have none)."""
        return list(getattr(self, "_documents", []))

    # -- helpers for subclasses ----------------------------------------------------------
    def _set_due(self, due: date | None, deadline: dict[str, Any] | None) -> None:
        if due != self.due_date:
            # A new due date starts a new ladder: earlier reminders were for the old date.
            self.escalation_level = -1
            self.escalated_due = None
        self.due_date = due
        self.deadline = deadline
