"""Complaints, denunciations and reflections (đơn thư): received, classified, decided."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.calendar import WorkingCalendar
from domain.codes import item_id_for_code
from domain.deadline import DEFAULT_POLICY, Complexity, Deadline, DeadlinePolicy
from domain.errors import N_
from domain.item import (
    CREATORS, HANDLERS, OFFICE, DeadlineError, ItemError, Status, TrackedItem, shared_lifecycle,
)
from domain.item_types import REGISTRY, ItemType, StatusGroup, StatusSpec, Transition
from domain.petition import _check_date
from domain.reference import KnownCodes
from domain.text import NAME_MAX, TEXT_MAX, TITLE_MAX, FieldCheck


class ComplaintKind(str, Enum):
    """What the sender asks for."""

    COMPLAINT = "complaint"          # khiếu nại
    DENUNCIATION = "denunciation"    # tố cáo
    REFLECTION = "reflection"        # kiến nghị, phản ánh


class Channel(str, Enum):
    """How the đơn reached the office."""

    DIRECT = "direct"
    POST = "post"
    EMAIL = "email"
    HOTLINE = "hotline"
    FORWARDED = "forwarded"
    PORTAL = "portal"


class DecisionResult(str, Enum):
    """Result of a decision on a complaint or conclusion on a denunciation."""

    CORRECT = "correct"                  # đúng
    PARTLY_CORRECT = "partly_correct"    # đúng một phần
    INCORRECT = "incorrect"              # sai


class ComplaintError(ItemError):
    """A refused action on a complaint."""


class AnonymousDenunciationError(ComplaintError):
    """An anonymous denunciation cannot be accepted as a denunciation (Luật Tố cáo, art. 25)."""

    template = N_("An anonymous denunciation is recorded but not accepted as a denunciation.")


class SecondRoundError(ComplaintError):
    """A second-round complaint whose first round does not allow it."""


class FilingWindowError(ComplaintError):
    """A complaint filed after its time to file (art. 9) or its second-round window (art. 33)."""

    template = N_("The time to file ended on {date} ({basis}): the complaint is refused "
                  "unless a lawful excuse for the delay is recorded (Luật Khiếu nại 2011, Điều 11).")


PETITIONER_FIELDS = ("name", "address", "phone", "id_number")


def _check_petitioner(check: FieldCheck, petitioner: object, anonymous: bool) -> dict[str, str]:
    if anonymous:
        return {}
    if not isinstance(petitioner, dict):
        check.add("petitioner.name", N_("This field is required."))
        return {}
    unknown = set(petitioner) - set(PETITIONER_FIELDS)
    if unknown:
        check.add("petitioner", N_("Unknown value."))
    return {
        "name": check.text("petitioner.name", petitioner.get("name"), max_length=NAME_MAX),
        "address": check.text(
            "petitioner.address", petitioner.get("address"), max_length=NAME_MAX, required=False),
        "phone": check.text(
            "petitioner.phone", petitioner.get("phone"), max_length=40, required=False),
        "id_number": check.text(
            "petitioner.id_number", petitioner.get("id_number"), max_length=40, required=False),
    }


class Complaint(TrackedItem):
    """A complaint, denunciation or reflection; personal data of the sender is protected."""

    noun = "complaint"

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        """Derive the id from the code, so a code always finds its complaint."""
        return item_id_for_code(code)

    @classmethod
    def receive(
        cls, *, code: str, kind: str, channel: str, title: str, content: str, subject: str,
        petitioner: dict[str, str] | None, anonymous: bool, district: str, field: str,
        received_on: date, several_places: bool = False, known: KnownCodes,
        policy: DeadlinePolicy, calendar: WorkingCalendar, today: date, by: Actor,
        at: datetime, first_round: Complaint | None = None, learned_on: date | None = None,
        lawful_excuse: str | None = None,
    ) -> Complaint:
        """Check and record a received đơn; the office's processing deadline starts now.

        A complaint is checked against its time to file: 90 days from ``learned_on`` (the day
        the complainant learned of the decision, art. 9) or, for a second round, the window
        after the first decision (art. 33). A late one is refused unless ``lawful_excuse``
        says why (art. 11); the check is on record (``FilingWindowChecked``).
        """
        check = FieldCheck()
        kind = check.choice("kind", kind, {k.value for k in ComplaintKind})
        channel = check.choice("channel", channel, {c.value for c in Channel})
        title = check.text("title", title, max_length=TITLE_MAX)
        content = check.text("content", content, max_length=TEXT_MAX)
        subject = check.text("subject", subject, max_length=TEXT_MAX, required=False)
        if anonymous not in (True, False):
            check.add("anonymous", N_("Unknown value."))
            anonymous = False
        if several_places not in (True, False):
            check.add("several_places", N_("Unknown value."))
        person = _check_petitioner(check, petitioner, bool(anonymous))
        district = check.choice("district", district, known.units)
        field = check.choice("field", field, known.fields)
        _check_date(check, "received_on", received_on)
        if "received_on" not in check.errors and received_on > today:
            check.add("received_on", N_("The date received cannot be in the future."))
        if anonymous and kind == ComplaintKind.COMPLAINT.value:
            check.add("anonymous", N_("A complaint must name the person who complains."))
        _check_date(check, "learned_on", learned_on, required=False)
        if learned_on is not None and "learned_on" not in check.errors and \
                "received_on" not in check.errors and learned_on > received_on:
            check.add("learned_on", N_("The date learned of cannot be after the date received."))
        excuse = check.text("lawful_excuse", lawful_excuse, max_length=TEXT_MAX, required=False)
        check.raise_if_any()
        round_no = 1
        if first_round is not None:
            round_no = first_round.check_second_round_allowed(kind, received_on=received_on)
        window = None
        if kind == ComplaintKind.COMPLAINT.value:
            if first_round is not None:
                window = first_round.second_round_window(policy, calendar)
            elif learned_on is not None:
                window = policy.compute("complaint_filing_window", learned_on, calendar)
        late = window is not None and received_on > window.due
        if late and not excuse:
            raise FilingWindowError(date=window.due.strftime("%d/%m/%Y"), basis=window.basis)
        # The office processes every đơn it receives (xử lý đơn); a complaint's acceptance is
        # the competent body's, with its own limit once that body has it.
        if kind == ComplaintKind.DENUNCIATION.value:
            key = "denunciation_initial_several_places" if several_places else "denunciation_initial"
        else:
            key = "classify"
        deadline = policy.compute(key, received_on, calendar)
        item = cls(
            code=code, kind=kind, channel=channel, title=title, content=content,
            subject=subject, petitioner=person, anonymous=bool(anonymous), district=district,
            field=field, received_on=received_on, round_no=round_no,
            first_round_id=first_round.id if first_round else None,
            first_round_code=first_round.code if first_round else None,
            due_date=deadline.due, deadline=deadline.to_dict(), at=at, **by.stamp(),
        )
        if window is not None:
            item._filing_window_checked(
                window=window.to_dict(), learned_on=learned_on, late=late,
                lawful_excuse=excuse, at=at, **by.stamp())
        return item

    @event("FilingWindowChecked")
    def _filing_window_checked(
        self, window: dict[str, Any], learned_on: date | None, late: bool, lawful_excuse: str,
        at: datetime, actor: str, role: str,
    ) -> None:
        self.filing_window = {"due": window["due"], "basis": window["basis"], "late": late,
                              "lawful_excuse": lawful_excuse, "learned_on": learned_on}

    def second_round_window(self, policy: DeadlinePolicy, calendar: WorkingCalendar) -> Deadline:
        """Return the window for a second-round complaint against this first round (art. 33).

        It runs from the first decision (the earliest day the complainant can have it) or,
        when no decision came, from the day the first round's time limit ran out; 45 days
        instead of 30 in remote areas.
        """
        start = (self.decision or {}).get("decided_on") or self.due_date or self.received_on
        remote = getattr(self, "remote_area", False)  # older snapshots do not have it
        key = "second_round_window_remote" if remote else "second_round_window"
        return policy.compute(key, start, calendar)

    @event("ComplaintReceived")
    def __init__(
        self, code: str, kind: str, channel: str, title: str, content: str, subject: str,
        petitioner: dict[str, str], anonymous: bool, district: str, field: str,
        received_on: date, round_no: int, first_round_id: UUID | None,
        first_round_code: str | None, due_date: date, deadline: dict[str, Any], at: datetime,
        actor: str, role: str,
    ) -> None:
        self.code = code
        self.kind = kind
        self.channel = channel
        self.title = title
        self.content = content
        self.subject = subject
        self.petitioner = petitioner
        self.anonymous = anonymous
        self.district = district
        self.field = field
        self.received_on = received_on
        self.round_no = round_no
        self.first_round_id = first_round_id
        self.first_round_code = first_round_code
        self.status = self.item_type.initial
        self.complexity = Complexity.NORMAL.value
        self.decision: dict[str, Any] | None = None
        self.second_round_codes: list[str] = []
        self.filing_window: dict[str, Any] | None = None
        self.forwarded_to: str | None = None
        self.forwarded_late = False
        self.result_notice: dict[str, Any] | None = None
        self._init_tracking()
        self._set_due(due_date, deadline)

    def check_second_round_allowed(self, kind: str, *, received_on: date | None = None) -> int:
        """Return the round number of a follow-up complaint, or refuse it.

        ``received_on`` is the follow-up's date received: it cannot precede the decision.
        A second round is also allowed when the first round's time limit ran out without a
        decision (Luật Khiếu nại 2011, art. 33).
        """
        if self.kind != ComplaintKind.COMPLAINT.value or kind != ComplaintKind.COMPLAINT.value:
            raise SecondRoundError(N_("Only a complaint can have a second round."))
        timed_out = (
            self.status is Status.ACCEPTED and received_on is not None
            and self.due_date is not None and received_on > self.due_date
        )
        if self.status is not Status.DECIDED and not timed_out:
            raise SecondRoundError(
                N_("The first-round complaint {code} has no decision yet."), code=self.code
            )
        if self.round_no >= 2:
            raise SecondRoundError(N_("A second-round complaint cannot have a third round."))
        if self.second_round_codes:
            raise SecondRoundError(
                N_("The complaint {code} already has a second round: {second}."),
                code=self.code, second=self.second_round_codes[0],
            )
        decided_on = (self.decision or {}).get("decided_on")
        if received_on is not None and decided_on is not None and received_on < decided_on:
            raise SecondRoundError(
                N_("A second-round complaint cannot be received before the first decision ({date})."),
                date=decided_on.isoformat(),
            )
        return self.round_no + 1

    # -- classification (xử lý đơn) ----------------------------------------------------------
    def accept(
        self, *, agency: str, complexity: str, remote_area: bool, known: KnownCodes,
        policy: DeadlinePolicy, calendar: WorkingCalendar, today: date, by: Actor,
        at: datetime, acceptance_no: str | None = None, accepted_on: date | None = None,
    ) -> None:
        """Record that the competent ``agency`` accepted the đơn for resolution (thụ lý).

        The council's office does not accept a complaint itself: the competent body does, by
        an acceptance decision whose number and date (``acceptance_no``, ``accepted_on``;
        today when not given) start the statutory clock.
        """
        self._require("accept")
        if self.anonymous and self.kind == ComplaintKind.DENUNCIATION.value:
            raise AnonymousDenunciationError()
        check = FieldCheck()
        agency = check.choice("agency", agency, known.agencies)
        complexity = check.choice("complexity", complexity, {c.value for c in Complexity})
        if remote_area not in (True, False):
            check.add("remote_area", N_("Unknown value."))
        acceptance_no = check.text("acceptance_no", acceptance_no, max_length=NAME_MAX,
                                   required=False)
        _check_date(check, "accepted_on", accepted_on, required=False)
        if accepted_on is not None and "accepted_on" not in check.errors:
            if accepted_on > today:
                check.add("accepted_on", N_("The acceptance date cannot be in the future."))
            elif accepted_on < self.received_on:
                check.add("accepted_on",
                          N_("The acceptance date cannot be before the date received."))
        check.raise_if_any()
        level = Complexity(complexity)
        if self.kind == ComplaintKind.COMPLAINT.value:
            key = policy.complaint_resolution_key(self.round_no, level, bool(remote_area))
        elif self.kind == ComplaintKind.DENUNCIATION.value:
            key = "denunciation_resolve"
        else:
            key = "petition_answer"
        deadline = policy.compute(key, accepted_on or today, calendar)
        self._accepted(
            agency=agency, complexity=complexity, remote_area=bool(remote_area),
            acceptance_no=acceptance_no, accepted_on=accepted_on or today,
            due_date=deadline.due, deadline=deadline.to_dict(), at=at, **by.stamp(),
        )

    class ComplaintAccepted(TrackedItem.Event):
        """The competent body accepted the đơn for resolution (thụ lý).

        Version 2 added the acceptance decision's number and date (which start the clock);
        version-1 events are upcast with no number and the deadline's own start date.
        """

        agency: str
        complexity: str
        remote_area: bool
        acceptance_no: str
        accepted_on: date | None
        due_date: date
        deadline: dict[str, Any]
        at: datetime
        actor: str
        role: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Add the acceptance decision's number and date to a version-1 event, in place."""
            state.setdefault("acceptance_no", "")
            state.setdefault("accepted_on", None)

    @event(ComplaintAccepted)
    def _accepted(
        self, agency: str, complexity: str, remote_area: bool, acceptance_no: str,
        accepted_on: date | None, due_date: date, deadline: dict[str, Any], at: datetime,
        actor: str, role: str,
    ) -> None:
        self._move("accept", at)
        self.agency = agency
        self.complexity = complexity
        self.remote_area = remote_area
        self.acceptance_no = acceptance_no
        self.accepted_on = accepted_on or deadline["start"]  # the clock starts on acceptance
        self._set_due(due_date, deadline)

    def forward(
        self, *, to_body: str, reason: str, policy: DeadlinePolicy = DEFAULT_POLICY,
        calendar: WorkingCalendar | None = None, today: date | None = None, by: Actor,
        at: datetime,
    ) -> None:
        """Forward the đơn to the competent body (chuyển đơn) and follow it up.

        A denunciation is to be forwarded within 5 working days of receipt (Luật Tố cáo
        2018, art. 24): one forwarded later is recorded as late. The office then waits for
        the competent body's result notice, within the follow-up limit.
        """
        self._require("forward")
        check = FieldCheck()
        to_body = check.text("to_body", to_body, max_length=NAME_MAX)
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        check.raise_if_any()
        forward_due, late, due_date, deadline = None, False, None, None
        if calendar is not None and today is not None:
            if self.kind == ComplaintKind.DENUNCIATION.value:
                forward_due = policy.compute("denunciation_forward", self.received_on,
                                             calendar).due
                late = today > forward_due
            follow = policy.compute("forward_result_notice", today, calendar)
            due_date, deadline = follow.due, follow.to_dict()
        self._forwarded(to_body=to_body, reason=reason, forward_due=forward_due, late=late,
                        due_date=due_date, deadline=deadline, at=at, **by.stamp())

    class ComplaintForwarded(TrackedItem.Event):
        """The đơn was forwarded to the competent body.

        Version 2 added the forwarding limit (``forward_due``, denunciations), whether the
        forward was ``late``, and the follow-up deadline for the result notice; version-1
        events are upcast with none of them (not followed up, as it was then).
        """

        to_body: str
        reason: str
        forward_due: date | None
        late: bool
        due_date: date | None
        deadline: dict[str, Any] | None
        at: datetime
        actor: str
        role: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Add the version-2 facts to a stored version-1 event, in place."""
            state.setdefault("forward_due", None)
            state.setdefault("late", False)
            state.setdefault("due_date", None)
            state.setdefault("deadline", None)

    @event(ComplaintForwarded)
    def _forwarded(
        self, to_body: str, reason: str, forward_due: date | None, late: bool,
        due_date: date | None, deadline: dict[str, Any] | None, at: datetime, actor: str,
        role: str,
    ) -> None:
        self._move("forward", at)
        self.forwarded_to = to_body
        self.forwarded_late = late
        self._set_due(due_date, deadline)

    def record_result_notice(
        self, *, notice_no: str, notice_date: date, summary: str, today: date, by: Actor,
        at: datetime,
    ) -> None:
        """Record the competent body's notice of the result of a forwarded đơn."""
        self._require("record_result")
        check = FieldCheck()
        notice_no = check.text("notice_no", notice_no, max_length=NAME_MAX)
        summary = check.text("summary", summary, max_length=TEXT_MAX)
        _check_date(check, "notice_date", notice_date)
        if "notice_date" not in check.errors:
            if notice_date > today:
                check.add("notice_date", N_("The notice date cannot be in the future."))
            elif notice_date < self.received_on:
                check.add("notice_date", N_("The notice date cannot be before the date received."))
        check.raise_if_any()
        on_time = self.due_date is None or notice_date <= self.due_date
        self._result_notice_recorded(notice_no=notice_no, notice_date=notice_date,
                                     summary=summary, on_time=on_time, at=at, **by.stamp())

    @event("ResultNoticeRecorded")
    def _result_notice_recorded(
        self, notice_no: str, notice_date: date, summary: str, on_time: bool, at: datetime,
        actor: str, role: str,
    ) -> None:
        self._move("record_result", at)
        self.result_notice = {"notice_no": notice_no, "notice_date": notice_date,
                              "on_time": on_time}

    def return_with_guidance(self, *, reason: str, by: Actor, at: datetime) -> None:
        """Return the đơn to its sender with guidance (hướng dẫn, trả lại đơn)."""
        self._require("guide")
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        check.raise_if_any()
        self._returned(reason=reason, at=at, **by.stamp())

    @event("ComplaintReturned")
    def _returned(self, reason: str, at: datetime, actor: str, role: str) -> None:
        self._move("guide", at)

    def file_away(self, *, reason: str, by: Actor, at: datetime) -> None:
        """File the đơn without processing (lưu đơn), with a reason."""
        self._require("file")
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        check.raise_if_any()
        self._filed(reason=reason, at=at, **by.stamp())

    @event("ComplaintFiled")
    def _filed(self, reason: str, at: datetime, actor: str, role: str) -> None:
        self._move("file", at)

    # -- resolution ------------------------------------------------------------------------
    def extend_deadline(
        self, new_due_date: date, reason: str, *, by: Actor, at: datetime,
        max_extensions: int | None = None, max_days: int | None = None,
        decision_no: str = "", decision_date: date | None = None, today: date | None = None,
        decision_required: bool = False, policy: DeadlinePolicy = DEFAULT_POLICY,
    ) -> None:
        """Extend as the statute allows: a complaint's deadline goes through ``extend_resolution``.

        The generic limits are ignored: the statute's limits for this kind always apply.
        """
        self.extend_resolution(new_due_date, reason, policy=policy, by=by, at=at,
                               decision_no=decision_no, decision_date=decision_date,
                               today=today)

    def extend_resolution(
        self, new_due_date: date, reason: str, *, policy: DeadlinePolicy, by: Actor,
        at: datetime, decision_no: str = "", decision_date: date | None = None,
        today: date | None = None,
    ) -> None:
        """Extend the resolution deadline as far as the statute allows for this kind.

        A denunciation's extension is a decision (Luật Tố cáo 2018, Điều 30): its number and
        date are required; a reflection may name one.
        """
        self._require("extend")
        if self.kind == ComplaintKind.COMPLAINT.value:
            raise DeadlineError(
                N_("The complaints law sets no extension: choose the complex limit instead.")
            )
        if self.kind == ComplaintKind.DENUNCIATION.value:
            allowed = policy.denunciation_extensions[Complexity(self.complexity)]
            max_days = policy.limits["denunciation_extension"].amount
            TrackedItem.extend_deadline(
                self, new_due_date, reason, by=by, at=at, max_extensions=allowed,
                max_days=max_days, decision_no=decision_no, decision_date=decision_date,
                today=today, decision_required=True,
            )
        else:
            TrackedItem.extend_deadline(self, new_due_date, reason, by=by, at=at,
                                        decision_no=decision_no, decision_date=decision_date,
                                        today=today)

    def issue_decision(
        self, *, result: str, text: str, decision_no: str, decided_on: date, today: date,
        by: Actor, at: datetime,
    ) -> None:
        """Record the decision (or conclusion) that closes the accepted đơn."""
        self._require("decide")
        check = FieldCheck()
        result = check.choice("result", result, {r.value for r in DecisionResult})
        text = check.text("text", text, max_length=TEXT_MAX)
        decision_no = check.text("decision_no", decision_no, max_length=NAME_MAX, required=False)
        _check_date(check, "decided_on", decided_on)
        if "decided_on" not in check.errors:
            if decided_on > today:
                check.add("decided_on", N_("The decision date cannot be in the future."))
            elif decided_on < self.received_on:
                check.add("decided_on", N_("The decision date cannot be before the date received."))
            elif decided_on < getattr(self, "accepted_on", decided_on):
                # getattr: snapshots taken before accepted_on was kept do not have it.
                check.add("decided_on", N_("The decision date cannot be before the acceptance."))
        check.raise_if_any()
        self._decision_issued(
            result=result, text=text, decision_no=decision_no, decided_on=decided_on,
            agency=self.agency, at=at, **by.stamp(),
        )

    @event("DecisionIssued")
    def _decision_issued(
        self, result: str, text: str, decision_no: str, decided_on: date, agency: str | None,
        at: datetime, actor: str, role: str,
    ) -> None:
        self._move("decide", at)
        self.outcome = result
        self.decision = {"result": result, "decision_no": decision_no, "decided_on": decided_on}

    def link_second_round(self, second: Complaint, *, by: Actor, at: datetime) -> None:
        """Record on the first round that a second-round complaint was received."""
        if second.first_round_id != self.id:
            raise SecondRoundError(
                N_("{second} is not a second round of {code}."), second=second.code, code=self.code
            )
        self.check_second_round_allowed(second.kind, received_on=second.received_on)
        self._second_round_received(
            second_id=second.id, second_code=second.code, at=at, **by.stamp()
        )

    @event("SecondRoundReceived")
    def _second_round_received(
        self, second_id: UUID, second_code: str, at: datetime, actor: str, role: str
    ) -> None:
        self.second_round_codes.append(second_code)


_OPEN_COMPLAINT = ("received", "accepted", "forwarded", "parked")
_KINDS = {
    ComplaintKind.COMPLAINT.value: N_("complaint"),
    ComplaintKind.DENUNCIATION.value: N_("denunciation"),
    ComplaintKind.REFLECTION.value: N_("petition / reflection"),
}

COMPLAINT_TYPE = REGISTRY.register(ItemType(
    name="complaint",
    label=N_("complaint"),
    aggregate=Complaint,
    code_prefix="DT",
    kinds=_KINDS,
    statuses=tuple(StatusSpec(status.value, *rest) for status, *rest in (
        (Status.RECEIVED, StatusGroup.OPEN, N_("received"), False),
        (Status.ACCEPTED, StatusGroup.OPEN, N_("accepted for resolution"), False),
        (Status.PARKED, StatusGroup.OPEN, N_("parked"), True),
        (Status.DECIDED, StatusGroup.CONCLUDED, N_("decided"), False, True),
        (Status.FORWARDED, StatusGroup.OPEN, N_("forwarded, awaiting the result notice"), False),
        (Status.RESULT_NOTIFIED, StatusGroup.CONCLUDED, N_("result notice received"), False),
        (Status.GUIDED, StatusGroup.CONCLUDED, N_("returned with guidance"), False),
        (Status.FILED, StatusGroup.CONCLUDED, N_("filed"), False),
        (Status.WITHDRAWN, StatusGroup.CONCLUDED, N_("withdrawn"), False),
        (Status.CLOSED, StatusGroup.CONCLUDED, N_("closed"), False),
    )),
    initial=Status.RECEIVED.value,
    lifecycle=(
        Transition("accept", N_("Accept for resolution"), frozenset({"received"}), "accepted",
                   OFFICE, ("ComplaintAccepted",)),
        Transition("forward", N_("Forward to the competent body"), frozenset({"received"}),
                   "forwarded", OFFICE, ("ComplaintForwarded",)),
        Transition("record_result", N_("Record the result notice"), frozenset({"forwarded"}),
                   "result_notified", OFFICE, ("ResultNoticeRecorded",),
                   verb="record the result notice of"),
        Transition("guide", N_("Return with guidance"), frozenset({"received"}), "guided",
                   OFFICE, ("ComplaintReturned",), verb="return"),
        Transition("file", N_("File without processing"), frozenset({"received"}), "filed",
                   OFFICE, ("ComplaintFiled",)),
        Transition("decide", N_("Record the decision"), frozenset({"accepted"}), "decided",
                   HANDLERS, ("DecisionIssued",)),
        # The complaints law sets no extension (the complex limit is chosen instead); the
        # denunciations law allows one or two (art. 30).
        *shared_lifecycle(open_statuses=_OPEN_COMPLAINT,
                          running=("received", "accepted", "forwarded"),
                          extendable=("accepted",),
                          extend_kinds=frozenset({ComplaintKind.DENUNCIATION.value,
                                                  ComplaintKind.REFLECTION.value})),
    ),
    create_roles=CREATORS,
    created_by="ComplaintReceived",
    sender_hidden_from_agency=frozenset({ComplaintKind.DENUNCIATION.value}),
))
