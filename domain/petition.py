"""Voter petitions (kiến nghị cử tri): logged after a voter meeting, answered by an agency."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.calendar import WorkingCalendar
from domain.codes import item_id_for_code
from domain.deadline import Deadline, DeadlinePolicy, RegularSession, beyond_horizon
from domain.errors import N_
from domain.item import (
    CREATORS, HANDLERS, OFFICE, OUTCOME_STATUS, InvalidTransition, ItemError, Outcome, Status,
    TrackedItem, shared_lifecycle,
)
from domain.item_types import (
    BY_OUTCOME, REGISTRY, ItemType, StatusGroup, StatusSpec, Transition,
)
from domain.reference import KnownCodes
from domain.responsibility import MAX_COOPERATING, reassign_deadline
from domain.text import NAME_MAX, TEXT_MAX, TITLE_MAX, FieldCheck


class PetitionError(ItemError):
    """A refused action on a voter petition."""


class MergeError(PetitionError):
    """Two petitions that cannot be merged."""


def _check_date(check: FieldCheck, field: str, value: object, *, required: bool = True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, date) or isinstance(value, datetime):
        check.add(field, N_("Must be a date."))


class VoterPetition(TrackedItem):
    """A petition raised by voters at one or more voter meetings (tiếp xúc cử tri)."""

    noun = "petition"

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        """Derive the id from the code, so a code always finds its petition."""
        return item_id_for_code(code)

    @classmethod
    def log(
        cls, *, code: str, title: str, content: str, district: str, deputy_group: str,
        session: str, field: str, meeting_date: date, meeting_place: str, voters: str,
        received_on: date, known: KnownCodes, by: Actor, at: datetime, today: date,
    ) -> VoterPetition:
        """Check and log a petition raised at a voter meeting."""
        check = FieldCheck()
        title = check.text("title", title, max_length=TITLE_MAX)
        content = check.text("content", content, max_length=TEXT_MAX)
        meeting_place = check.text("meeting_place", meeting_place, max_length=NAME_MAX)
        voters = check.text("voters", voters, max_length=TEXT_MAX, required=False)
        district = check.choice("district", district, known.units)
        deputy_group = check.choice("deputy_group", deputy_group, known.deputy_groups)
        session = check.choice("session", session, known.sessions)
        field = check.choice("field", field, known.fields)
        _check_date(check, "meeting_date", meeting_date)
        _check_date(check, "received_on", received_on)
        if "meeting_date" not in check.errors and meeting_date > today:
            check.add("meeting_date", N_("The meeting date cannot be in the future."))
        if "received_on" not in check.errors:
            if received_on > today:
                check.add("received_on", N_("The date received cannot be in the future."))
            elif "meeting_date" not in check.errors and received_on < meeting_date:
                check.add("received_on", N_("The date received cannot be before the meeting."))
        check.raise_if_any()
        return cls.log_checked(code=code, checked=dict(
            title=title, content=content, district=district, deputy_group=deputy_group,
            session=session, field=field, meeting_date=meeting_date,
            meeting_place=meeting_place, voters=voters, received_on=received_on), by=by, at=at)

    @classmethod
    def log_checked(cls, *, code: str, checked: dict[str, Any], by: Actor,
                    at: datetime) -> VoterPetition:
        """Log a petition from the cleaned fields ``log`` returned as ``checked_fields``.

        Spreadsheet intake checks every row first (the preview), then gives each valid row
        its code: the row is not checked twice. It stores the record of this method's event
        directly (``petitions.intake.created``), without building the aggregate.
        """
        return cls(code=code, at=at, **checked, **by.stamp())

    @staticmethod
    def checked_fields(petition: VoterPetition) -> dict[str, Any]:
        """Return the cleaned fields a petition was logged with (for ``log_checked``)."""
        return {name: getattr(petition, name) for name in (
            "title", "content", "district", "deputy_group", "session", "field",
            "meeting_date", "meeting_place", "voters", "received_on")}

    @event("PetitionLogged")
    def __init__(
        self, code: str, title: str, content: str, district: str, deputy_group: str,
        session: str, field: str, meeting_date: date, meeting_place: str, voters: str,
        received_on: date, at: datetime, actor: str, role: str,
    ) -> None:
        self.code = code
        self.kind = "petition"
        self.title = title
        self.content = content
        self.district = district
        self.deputy_group = deputy_group
        self.session = session
        self.field = field
        self.competence: str | None = None
        self.meeting_date = meeting_date
        self.meeting_place = meeting_place
        self.voters = voters
        self.received_on = received_on
        self.status = self.item_type.initial
        self.merged_into: UUID | None = None
        self.merged_from: list[str] = []
        self.pending_answer: dict[str, Any] | None = None
        self._init_tracking()

    # -- classification and merging -------------------------------------------------------
    def classify(
        self, *, field: str, competence: str, note: str, known: KnownCodes,
        competence_levels: Any, by: Actor, at: datetime,
    ) -> None:
        """Set the field and competence level; allowed again while an answer is owed."""
        self._require("classify")
        check = FieldCheck()
        field = check.choice("field", field, known.fields)
        competence = check.choice("competence", competence, competence_levels)
        note = check.text("note", note, max_length=TEXT_MAX, required=False)
        check.raise_if_any()
        self._classified(
            field=field, previous_field=self.field, competence=competence, note=note,
            at=at, **by.stamp(),
        )

    @event("PetitionClassified")
    def _classified(
        self, field: str, previous_field: str, competence: str, note: str, at: datetime,
        actor: str, role: str,
    ) -> None:
        self.field = field
        self.competence = competence
        self._move("classify", at)

    def merge_into(self, survivor: VoterPetition, reason: str, *, by: Actor, at: datetime) -> None:
        """Merge this duplicate into ``survivor``; both record it, this one stops here."""
        if survivor.id == self.id:
            raise MergeError(N_("A petition cannot be merged into itself."))
        self._require("merge")
        if not survivor.is_open:
            raise MergeError(
                N_("{code} is {status} and cannot take in duplicates."),
                code=survivor.code, status=survivor.status.value,
            )
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX, required=False)
        check.raise_if_any()
        self._merged_into(
            survivor_id=survivor.id, survivor_code=survivor.code, reason=reason, at=at,
            **by.stamp(),
        )
        survivor._petitions_merged(
            merged_id=self.id, merged_code=self.code, reason=reason, at=at, **by.stamp()
        )

    @event("PetitionMergedInto")
    def _merged_into(
        self, survivor_id: UUID, survivor_code: str, reason: str, at: datetime, actor: str,
        role: str,
    ) -> None:
        self._move("merge", at)
        self.merged_into = survivor_id

    @event("PetitionsMerged")
    def _petitions_merged(
        self, merged_id: UUID, merged_code: str, reason: str, at: datetime, actor: str,
        role: str,
    ) -> None:
        self.merged_from.append(merged_code)

    # -- assignment and answers ------------------------------------------------------------
    def assign(
        self, *, agency: str, due_date: date | None, note: str, known: KnownCodes,
        policy: DeadlinePolicy, calendar: WorkingCalendar, today: date, by: Actor,
        at: datetime, cooperating: list[str] | tuple[str, ...] = (), leader_name: str = "",
        leader_position: str = "", sessions: Iterable[RegularSession] = (),
    ) -> None:
        """Assign the lead agency with a due date (the policy default if none given).

        Without a typed date the answer is due before the next of the regular ``sessions``
        opening after ``today`` (``DeadlinePolicy.petition_answer``).
        "3 rõ": optional co-operating agencies (phối hợp) and the leader responsible.
        """
        self._require("assign")
        check = FieldCheck()
        agency = check.choice("agency", agency, known.agencies)
        note = check.text("note", note, max_length=TEXT_MAX, required=False)
        partners = _check_cooperating(check, cooperating, agency, known)
        leader_name = check.text("leader_name", leader_name, max_length=NAME_MAX,
                                 required=False)
        leader_position = check.text("leader_position", leader_position, max_length=NAME_MAX,
                                     required=False)
        if leader_position and not leader_name and "leader_name" not in check.errors:
            check.add("leader_name", N_("Name the leader whose position is given."))
        _check_date(check, "due_date", due_date, required=False)
        if due_date is not None and "due_date" not in check.errors:
            if due_date < self.received_on:
                check.add("due_date", N_("The due date cannot be before the date received."))
            elif due_date < today:
                check.add("due_date", N_("The due date cannot be in the past."))
            elif beyond_horizon(due_date, today):
                check.add("due_date", N_("The date is too far ahead: check the year."))
        check.raise_if_any()
        if due_date is None:
            deadline = policy.petition_answer(today, sessions, calendar)
        else:
            deadline = Deadline.fixed(today, due_date, N_("Set by the secretariat"))
        self._assigned(
            agency=agency, previous_agency=self.agency, due_date=deadline.due,
            deadline=deadline.to_dict(), note=note, cooperating=partners,
            leader_name=leader_name, leader_position=leader_position, at=at, **by.stamp(),
        )

    class AgencyAssigned(TrackedItem.Event):
        """The lead agency and due date were set.

        Version 2 added ``previous_agency`` so a reassignment shows where the item came
        from; version 3 the co-operating agencies and the responsible leader ("3 rõ").
        Older events are upcast when read: no previous agency known, no co-operating
        agencies, no leader named.
        """

        agency: str
        previous_agency: str | None
        due_date: date
        deadline: dict[str, Any]
        note: str
        cooperating: list[str]
        leader_name: str
        leader_position: str
        at: datetime
        actor: str
        role: str

        class_version = 3

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Add ``previous_agency`` to a stored version-1 event, in place."""
            state.setdefault("previous_agency", None)

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            """Add the co-operating agencies and the leader to a version-2 event, in place."""
            state.setdefault("cooperating", [])
            state.setdefault("leader_name", "")
            state.setdefault("leader_position", "")

    @event(AgencyAssigned)
    def _assigned(
        self, agency: str, previous_agency: str | None, due_date: date,
        deadline: dict[str, Any], note: str, cooperating: list[str], leader_name: str,
        leader_position: str, at: datetime, actor: str, role: str,
    ) -> None:
        self.agency = agency
        self.cooperating = list(cooperating)
        self.leader = ({"name": leader_name, "position": leader_position}
                       if leader_name else None)
        self._move("assign", at)
        self._set_due(due_date, deadline)

    def send_back(self, *, reason: str, today: date, calendar: WorkingCalendar, by: Actor,
                  at: datetime) -> None:
        """Send the item back as not the lead agency's competence (trả lại, không thuộc thẩm quyền).

        It returns to the council office's queue, due for reassignment within the office's
        own limit (``domain.responsibility``).
        """
        self._require("send_back")
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        check.raise_if_any()
        deadline = reassign_deadline(today, calendar)
        self._returned_not_competent(
            reason=reason, agency=self.agency, cooperating=self.cooperating_agencies,
            due_date=deadline.due, deadline=deadline.to_dict(), at=at, **by.stamp(),
        )

    @event("ReturnedNotCompetent")
    def _returned_not_competent(
        self, reason: str, agency: str | None, cooperating: list[str], due_date: date,
        deadline: dict[str, Any], at: datetime, actor: str, role: str,
    ) -> None:
        self.agency = None
        self.cooperating = []
        self.leader = None
        self._move("send_back", at)
        self._set_due(due_date, deadline)

    def record_answer(
        self, *, outcome: str, text: str, new_due_date: date | None, today: date, by: Actor,
        at: datetime,
    ) -> None:
        """Record the agency's answer; it waits for the secretariat's review."""
        self._require("answer")
        check = FieldCheck()
        outcome = check.choice("outcome", outcome, {o.value for o in Outcome})
        text = check.text("text", text, max_length=TEXT_MAX)
        _check_date(check, "new_due_date", new_due_date, required=False)
        if "outcome" in check.errors:
            pass  # the date can only be judged against a known outcome
        elif outcome == Outcome.BEING_RESOLVED.value and new_due_date is None:
            check.add("new_due_date", N_("A roadmap needs a new target date."))
        elif new_due_date is not None and "new_due_date" not in check.errors:
            if outcome != Outcome.BEING_RESOLVED.value:
                check.add("new_due_date", N_("Only an answer still being resolved has a new date."))
            elif new_due_date <= today:
                check.add("new_due_date", N_("The new target date must be in the future."))
            elif beyond_horizon(new_due_date, today):
                check.add("new_due_date", N_("The date is too far ahead: check the year."))
        check.raise_if_any()
        self._answer_recorded(
            outcome=outcome, text=text, new_due_date=new_due_date, agency=self.agency,
            at=at, **by.stamp(),
        )

    @event("AnswerRecorded")
    def _answer_recorded(
        self, outcome: str, text: str, new_due_date: date | None, agency: str | None,
        at: datetime, actor: str, role: str,
    ) -> None:
        self.pending_answer = {"outcome": outcome, "new_due_date": new_due_date}
        self._move("answer", at)
        self.answer_rounds += 1

    def accept_answer(
        self, *, comment: str, voters_satisfied: bool | None, by: Actor, at: datetime
    ) -> None:
        """Accept the pending answer; its outcome becomes the item's outcome."""
        self._require("accept_answer")
        check = FieldCheck()
        comment = check.text("comment", comment, max_length=TEXT_MAX, required=False)
        # Strictly a bool or None: 1 == True would otherwise slip into the event as 1.
        if voters_satisfied is not None and not isinstance(voters_satisfied, bool):
            check.add("voters_satisfied", N_("Unknown value."))
        check.raise_if_any()
        if self.pending_answer is None:  # cannot happen while ANSWERED; refuse, never guess
            raise InvalidTransition(action="accept the answer of", status=self.status.value)
        self._answer_accepted(
            outcome=self.pending_answer["outcome"], comment=comment,
            voters_satisfied=voters_satisfied, at=at, **by.stamp(),
        )

    @event("AnswerAccepted")
    def _answer_accepted(
        self, outcome: str, comment: str, voters_satisfied: bool | None, at: datetime,
        actor: str, role: str,
    ) -> None:
        pending = self.pending_answer or {}
        self.outcome = outcome
        self._move("accept_answer", at,
                   outcome_status=self.item_type.outcome_statuses[outcome])
        if outcome == Outcome.BEING_RESOLVED.value:
            new_due = pending.get("new_due_date")
            self._set_due(new_due, Deadline.fixed(
                self.due_date or new_due, new_due, N_("Roadmap in the agency's answer")
            ).to_dict())
        self.pending_answer = None

    def return_answer(self, *, reason: str, by: Actor, at: datetime) -> None:
        """Send the pending answer back to the agency (the item is reopened)."""
        self._require("return_answer")
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        check.raise_if_any()
        self._answer_returned(reason=reason, at=at, **by.stamp())

    @event("AnswerReturned")
    def _answer_returned(self, reason: str, at: datetime, actor: str, role: str) -> None:
        self._move("return_answer", at)
        self.pending_answer = None


def _check_cooperating(check: FieldCheck, cooperating: Any, lead: str,
                       known: KnownCodes) -> list[str]:
    """Return the co-operating agencies, each known, once, and none of them the lead."""
    if cooperating is None:
        return []
    if isinstance(cooperating, str) or not isinstance(cooperating, (list, tuple)):
        check.add("cooperating", N_("Unknown value."))
        return []
    partners: list[str] = []
    for code in cooperating:
        if not isinstance(code, str) or code not in known.agencies:
            check.add("cooperating", N_("Unknown value."))
        elif code == lead:
            check.add("cooperating", N_("The lead agency cannot also co-operate."))
        elif code not in partners:
            partners.append(code)
    if len(partners) > MAX_COOPERATING:
        check.add("cooperating", N_("Name at most 10 co-operating agencies."))
    return partners


def _statuses(*specs: tuple[Any, ...]) -> tuple[StatusSpec, ...]:
    return tuple(StatusSpec(status.value, *rest) for status, *rest in specs)


_OPEN, _REVIEW, _IN_PROGRESS, _ENDED = (
    StatusGroup.OPEN, StatusGroup.AWAITING_REVIEW, StatusGroup.ANSWERED_IN_PROGRESS,
    StatusGroup.CONCLUDED,
)
_OPEN_PETITION = ("logged", "classified", "assigned", "sent_back", "answered",
                  "being_resolved", "not_resolved", "parked")
# Statuses in which the agency owes an answer by the due date (or a roadmap by its date).
_DEADLINE_RUNS = ("logged", "classified", "assigned", "being_resolved", "not_resolved")
_ANSWERABLE = frozenset({"assigned", "being_resolved", "not_resolved"})
# Statuses in which the ladder chases a date: the answer's due date, or an accepted roadmap's
# target date. An accepted "not resolved" answer met its date and promises none, so nothing
# is chased until the office assigns it again with a new one.
_LADDER_RUNS = ("logged", "classified", "assigned", "being_resolved")
# Where the office may (re)classify, assign or merge: while an answer is owed, and after the
# lead agency sent the item back.
_TO_ASSIGN = (*_DEADLINE_RUNS, "sent_back")

PETITION_TYPE = REGISTRY.register(ItemType(
    name="petition",
    label=N_("voter petition"),
    aggregate=VoterPetition,
    code_prefix="KN",
    kinds={"petition": N_("voter petition")},
    statuses=_statuses(
        (Status.LOGGED, _OPEN, N_("logged"), False),
        (Status.CLASSIFIED, _OPEN, N_("classified"), False),
        (Status.ASSIGNED, _OPEN, N_("assigned"), False),
        # The agency owes nothing while the office finds the competent one: paused.
        (Status.SENT_BACK, _OPEN, N_("sent back: not the agency's competence"), True),
        (Status.PARKED, _OPEN, N_("parked"), True),
        (Status.ANSWERED, _REVIEW, N_("answered, awaiting review"), True),
        (Status.BEING_RESOLVED, _IN_PROGRESS, N_("being resolved"), False),
        (Status.NOT_RESOLVED, _IN_PROGRESS, N_("not resolved"), False),
        (Status.RESOLVED, _ENDED, N_("resolved"), False, True),
        (Status.EXPLAINED, _ENDED, N_("explained"), False, True),
        (Status.MERGED, _ENDED, N_("merged"), False),
        (Status.WITHDRAWN, _ENDED, N_("withdrawn"), False),
        (Status.CLOSED, _ENDED, N_("closed"), False),
    ),
    initial=Status.LOGGED.value,
    lifecycle=(
        # Classify and merge only while the agency owes its answer: an answer awaiting
        # review, or a parked item, is decided on as it stands (the page never offered it).
        Transition("classify", N_("Classify"), frozenset(_TO_ASSIGN),
                   {"logged": "classified"}, OFFICE, ("PetitionClassified",)),
        Transition("assign", N_("Assign to an agency"), frozenset(_TO_ASSIGN), "assigned",
                   OFFICE, ("AgencyAssigned",)),
        Transition("merge", N_("Merge into another petition"), frozenset(_TO_ASSIGN),
                   "merged", OFFICE, ("PetitionMergedInto",)),
        # The lead agency (not a co-operating one) says the item is not its competence.
        Transition("send_back", N_("Send back: not our competence"), frozenset({"assigned"}),
                   "sent_back", HANDLERS, ("ReturnedNotCompetent",), verb="send back"),
        Transition("answer", N_("Record the answer"), _ANSWERABLE, "answered", HANDLERS,
                   ("AnswerRecorded",)),
        Transition("accept_answer", N_("Accept the answer"), frozenset({"answered"}),
                   BY_OUTCOME, OFFICE, ("AnswerAccepted",), verb="accept the answer of"),
        Transition("return_answer", N_("Return the answer"), frozenset({"answered"}),
                   "assigned", OFFICE, ("AnswerReturned",), verb="return the answer of"),
        *shared_lifecycle(open_statuses=_OPEN_PETITION, running=_LADDER_RUNS,
                          extendable=_DEADLINE_RUNS),
    ),
    create_roles=CREATORS,
    created_by="PetitionLogged",
    outcome_statuses={o.value: s.value for o, s in OUTCOME_STATUS.items()},
))
