"""The item-type registry: the lifecycle tables as the law and the office's practice set them,
the aggregates enforcing them, and a new type that costs one declaration."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from domain.actor import SYSTEM, Role
from domain.complaint import Complaint
from domain.errors import DomainError, InvalidTransition
from domain.item import EscalationError
from domain.item_types import (
    REGISTRY, BY_OUTCOME, RESTORE, SAME, ItemType, StatusGroup, StatusSpec, Transition,
)
from domain.petition import VoterPetition
from tests import sample_type
from tests.unit.conftest import (
    AGENCY, AT, COMPETENCE_LEVELS, KNOWN, POLICY, SECRETARIAT, TODAY, WEEKENDS_ONLY, accept,
    answer, assign, decide, new_complaint, new_petition,
)

S, A, D, G, X = (Role.SECRETARIAT, Role.ADMIN, Role.DISTRICT_STAFF, Role.AGENCY_STAFF,
                 Role.SYSTEM)
OFFICE, HANDLERS, OFFICE_DISTRICT = {S, A}, {S, A, G}, {S, A, D}
OPEN_P = {"logged", "classified", "assigned", "sent_back", "parked", "answered",
          "being_resolved", "not_resolved"}
RUNS_P = {"logged", "classified", "assigned", "being_resolved", "not_resolved"}
OPEN_C = {"received", "accepted", "forwarded", "parked"}

# The tables as DESIGN.md and the laws say, written out in full: a change to a row of a
# declaration must be made here too, on purpose.
PETITION_TABLE: dict[str, tuple[set[str], Any, set[Role]]] = {
    "classify": (RUNS_P | {"sent_back"}, {"logged": "classified"}, OFFICE),
    "assign": (RUNS_P | {"sent_back"}, "assigned", OFFICE),
    "merge": (RUNS_P | {"sent_back"}, "merged", OFFICE),
    # The lead agency's "not our competence" (3 rõ): back to the office to reassign.
    "send_back": ({"assigned"}, "sent_back", HANDLERS),
    "answer": ({"assigned", "being_resolved", "not_resolved"}, "answered", HANDLERS),
    "accept_answer": ({"answered"}, BY_OUTCOME, OFFICE),
    "return_answer": ({"answered"}, "assigned", OFFICE),
    "progress": (OPEN_P, SAME, HANDLERS),
    "extend": (RUNS_P, SAME, OFFICE),
    "park": (OPEN_P - {"parked"}, "parked", OFFICE),
    "resume": ({"parked"}, RESTORE, OFFICE),
    "withdraw": (OPEN_P, "withdrawn", OFFICE_DISTRICT),
    "close": (OPEN_P, "closed", OFFICE),
    "hand_over": (OPEN_P, SAME, OFFICE),
    "categorise": (OPEN_P, SAME, OFFICE),
    # An accepted "not resolved" answer met its date and promises no new one (issue 13).
    "escalate": (RUNS_P - {"not_resolved"}, SAME, {X}),
}
COMPLAINT_TABLE: dict[str, tuple[set[str], Any, set[Role]]] = {
    "accept": ({"received"}, "accepted", OFFICE),
    "forward": ({"received"}, "forwarded", OFFICE),
    "record_result": ({"forwarded"}, "result_notified", OFFICE),
    "guide": ({"received"}, "guided", OFFICE),
    "file": ({"received"}, "filed", OFFICE),
    "decide": ({"accepted"}, "decided", HANDLERS),
    "progress": (OPEN_C, SAME, HANDLERS),
    "extend": ({"accepted"}, SAME, OFFICE),
    "park": ({"received", "accepted", "forwarded"}, "parked", OFFICE),
    "resume": ({"parked"}, RESTORE, OFFICE),
    "withdraw": (OPEN_C, "withdrawn", OFFICE_DISTRICT),
    "close": (OPEN_C, "closed", OFFICE),
    "hand_over": (OPEN_C, SAME, OFFICE),
    "categorise": (OPEN_C, SAME, OFFICE),
    "escalate": ({"received", "accepted", "forwarded"}, SAME, {X}),
}
# A district that ended with the reform and a ward that took its items (hand-over rows).
AFTER_REFORM = {"ba-dinh": {"name": "Ba Đình", "valid_to": "2025-06-30"},
                "00004": {"name": "Phường Ba Đình", "valid_from": "2025-07-01"}}
AFTER_REFORM_DAY = date(2025, 7, 2)
GROUPS = {
    "petition": {"open": {"logged", "classified", "assigned", "sent_back", "parked"},
                 "awaiting_review": {"answered"},
                 "answered_in_progress": {"being_resolved", "not_resolved"},
                 "concluded": {"resolved", "explained", "merged", "withdrawn", "closed"}},
    "complaint": {"open": OPEN_C, "awaiting_review": set(), "answered_in_progress": set(),
                  "concluded": {"decided", "result_notified", "guided", "filed", "withdrawn",
                                "closed"}},
}


def table_of(item_type: ItemType) -> dict[str, tuple[set[str], Any, set[Role]]]:
    return {t.action: (set(t.allowed), t.result, set(t.roles)) for t in item_type.lifecycle}


@pytest.mark.parametrize(("name", "table"), [("petition", PETITION_TABLE),
                                             ("complaint", COMPLAINT_TABLE)])
def test_the_lifecycle_table_is_the_one_the_office_works_by(name: str, table: Any) -> None:
    assert table_of(REGISTRY.get(name)) == table


@pytest.mark.parametrize("name", ["petition", "complaint"])
def test_every_status_is_in_the_group_the_boards_count_it_in(name: str) -> None:
    item_type = REGISTRY.get(name)

    groups = {g.value: {s.value for s in item_type.statuses if s.group is g} for g in StatusGroup}

    assert groups == GROUPS[name]


def test_only_an_answer_awaiting_review_a_parked_item_and_one_sent_back_stop_the_clock() -> None:
    assert ({t.name: set(t.paused) for t in REGISTRY}
            == {"petition": {"answered", "parked", "sent_back"}, "complaint": {"parked"},
                "commitment": {"parked", "reported"}})


def test_the_complaints_law_allows_no_extension_for_a_complaint() -> None:
    extend = REGISTRY.get("complaint").transition("extend")

    assert (extend.kinds, extend.needs_due_date) == ({"denunciation", "reflection"}, True)


def test_types_are_found_by_kind_code_prefix_and_aggregate() -> None:
    assert REGISTRY.for_kind("denunciation").name == "complaint"
    assert REGISTRY.for_aggregate(VoterPetition).code_prefix == "KN"
    assert sorted(REGISTRY.code_prefixes()) == ["CK", "DT", "KN"]


def test_a_declaration_naming_a_status_it_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown statuses"):
        ItemType(name="x", label="x", aggregate=object, code_prefix="XX", kinds={"x": "x"},
                 statuses=(StatusSpec("new", StatusGroup.OPEN, "new"),), initial="new",
                 lifecycle=(Transition("end", "End", frozenset({"new"}), "ended",
                                       frozenset({S})),),
                 create_roles=frozenset({S}), created_by="Created")


def test_a_second_type_with_a_taken_code_prefix_is_refused() -> None:
    clash = ItemType(**{**_fields(sample_type.INQUIRY_TYPE), "name": "other", "kinds": {"o": "o"},
                        "code_prefix": "KN"})

    with pytest.raises(ValueError, match="prefix"):
        REGISTRY.register(clash)


def _fields(item_type: ItemType) -> dict[str, Any]:
    return {name: getattr(item_type, name) for name in (
        "name", "label", "aggregate", "code_prefix", "kinds", "statuses", "initial",
        "lifecycle", "create_roles", "created_by")}


# -- the aggregates enforce the tables ---------------------------------------------------------
def _petition_in(status: str) -> VoterPetition:
    petition = new_petition()
    if status == "classified":
        petition.classify(field="land", competence="city", note="", known=KNOWN,
                          competence_levels=COMPETENCE_LEVELS, by=SECRETARIAT, at=AT)
    if status in ("assigned", "sent_back", "parked", "answered", "being_resolved",
                  "not_resolved", "resolved"):
        assign(petition)
    if status == "sent_back":
        petition.send_back(reason="Không thuộc thẩm quyền.", today=TODAY,
                           calendar=WEEKENDS_ONLY, by=AGENCY, at=AT)
    if status in ("answered", "being_resolved", "not_resolved", "resolved"):
        outcome = status if status != "answered" else "resolved"
        answer(petition, outcome, date(2025, 6, 30) if outcome == "being_resolved" else None)
    if status in ("being_resolved", "not_resolved", "resolved"):
        petition.accept_answer(comment="", voters_satisfied=None, by=SECRETARIAT, at=AT)
    if status == "parked":
        petition.park("Chờ quy hoạch.", by=SECRETARIAT, at=AT)
    if status == "closed":
        petition.close("Đã xong.", by=SECRETARIAT, at=AT)
    assert petition.status == status
    return petition


def _try_petition(petition: VoterPetition, action: str) -> None:
    by, at = SECRETARIAT, AT
    commands: dict[str, Callable[[], Any]] = {
        "classify": lambda: petition.classify(field="land", competence="city", note="",
                                              known=KNOWN, competence_levels=COMPETENCE_LEVELS,
                                              by=by, at=at),
        "assign": lambda: assign(petition),
        "merge": lambda: petition.merge_into(new_petition(code="KN-2025-00002"), "", by=by,
                                             at=at),
        "answer": lambda: answer(petition, "resolved"),
        "accept_answer": lambda: petition.accept_answer(comment="", voters_satisfied=None,
                                                        by=by, at=at),
        "return_answer": lambda: petition.return_answer(reason="Chưa rõ.", by=by, at=at),
        "progress": lambda: petition.note_progress("Đang làm.", by=AGENCY, at=at),
        "extend": lambda: petition.extend_deadline(
            (petition.due_date or TODAY) + timedelta(days=10), "Phức tạp.", by=by, at=at),
        "park": lambda: petition.park("Chờ.", by=by, at=at),
        "resume": lambda: petition.resume("", by=by, at=at),
        "withdraw": lambda: petition.withdraw("Cử tri rút.", by=by, at=at),
        "close": lambda: petition.close("Xong.", by=by, at=at),
        "hand_over": lambda: petition.hand_over("00004", "NQ 1656", units=AFTER_REFORM,
                                                today=AFTER_REFORM_DAY, by=by, at=at),
        "categorise": lambda: petition.set_categories(["Vướng mắc về đất đai"], by=by, at=at),
        "send_back": lambda: petition.send_back(reason="Không thuộc thẩm quyền.", today=TODAY,
                                                calendar=WEEKENDS_ONLY, by=AGENCY, at=at),
        "escalate": lambda: petition.escalate(
            0, "agency", today=petition.due_date or TODAY, policy=POLICY,
            calendar=WEEKENDS_ONLY, by=SYSTEM, at=at),
    }
    commands[action]()


PETITION_CASES = [(status, action) for status in
                  ("logged", "classified", "assigned", "sent_back", "parked", "answered",
                   "being_resolved", "not_resolved", "resolved", "closed")
                  for action in PETITION_TABLE]


@pytest.mark.parametrize(("status", "action"), PETITION_CASES)
def test_a_petition_command_is_refused_exactly_where_the_table_says(status: str,
                                                                     action: str) -> None:
    petition = _petition_in(status)
    allowed = status in PETITION_TABLE[action][0]

    refusal = _outcome(lambda: _try_petition(petition, action))

    if allowed:
        # Allowed by the table: refused, if at all, by a rule about the facts, never the status.
        assert not isinstance(refusal, InvalidTransition), refusal
    else:
        assert isinstance(refusal, _refusal_for(action)), refusal


def _outcome(command: Callable[[], Any]) -> DomainError | None:
    try:
        command()
    except DomainError as err:
        return err
    return None


def _refusal_for(action: str) -> type[DomainError]:
    # The ladder is not a command a person takes: out of its statuses nothing is due.
    return EscalationError if action == "escalate" else InvalidTransition


def _complaint_in(status: str, kind: str = "complaint") -> Complaint:
    complaint = new_complaint(kind=kind)
    if status in ("accepted", "parked", "decided"):
        accept(complaint)
    if status == "parked":
        complaint.park("Chờ giám định.", by=SECRETARIAT, at=AT)
    if status == "decided":
        decide(complaint)
    if status == "forwarded":
        complaint.forward(to_body="UBND phường", reason="Không thuộc thẩm quyền.",
                          by=SECRETARIAT, at=AT)
    assert complaint.status == status
    return complaint


def _try_complaint(complaint: Complaint, action: str) -> None:
    by, at = SECRETARIAT, AT
    commands: dict[str, Callable[[], Any]] = {
        "accept": lambda: accept(complaint),
        "forward": lambda: complaint.forward(to_body="UBND", reason="Lý do.", by=by, at=at),
        "record_result": lambda: complaint.record_result_notice(
            notice_no="12/TB-UBND", notice_date=TODAY, summary="Đã giải quyết.", today=TODAY,
            by=by, at=at),
        "guide": lambda: complaint.return_with_guidance(reason="Hướng dẫn.", by=by, at=at),
        "file": lambda: complaint.file_away(reason="Trùng.", by=by, at=at),
        "decide": lambda: decide(complaint),
        "progress": lambda: complaint.note_progress("Đang xác minh.", by=AGENCY, at=at),
        "extend": lambda: complaint.extend_resolution(
            (complaint.due_date or TODAY) + timedelta(days=10), "Phức tạp.", policy=POLICY,
            decision_no="12/QĐ-UBND", decision_date=TODAY, by=by, at=at),
        "park": lambda: complaint.park("Chờ.", by=by, at=at),
        "resume": lambda: complaint.resume("", by=by, at=at),
        "withdraw": lambda: complaint.withdraw("Rút đơn.", by=by, at=at),
        "close": lambda: complaint.close("Xong.", by=by, at=at),
        "hand_over": lambda: complaint.hand_over("00004", "NQ 1656", units=AFTER_REFORM,
                                                 today=AFTER_REFORM_DAY, by=by, at=at),
        "categorise": lambda: complaint.set_categories(["Vướng mắc về vốn"], by=by, at=at),
        "escalate": lambda: complaint.escalate(
            0, "agency", today=complaint.due_date or TODAY, policy=POLICY,
            calendar=WEEKENDS_ONLY, by=SYSTEM, at=at),
    }
    commands[action]()


COMPLAINT_CASES = [(status, action) for status in
                   ("received", "accepted", "parked", "decided", "forwarded")
                   for action in COMPLAINT_TABLE]


@pytest.mark.parametrize(("status", "action"), COMPLAINT_CASES)
def test_a_complaint_command_is_refused_exactly_where_the_table_says(status: str,
                                                                      action: str) -> None:
    # A denunciation: the one kind for which every action of the table can be taken.
    complaint = _complaint_in(status, kind="denunciation")
    allowed = status in COMPLAINT_TABLE[action][0]

    refusal = _outcome(lambda: _try_complaint(complaint, action))

    if allowed:
        assert not isinstance(refusal, InvalidTransition), refusal
    else:
        assert isinstance(refusal, _refusal_for(action)), refusal


# -- a new type costs one declaration -------------------------------------------------------------
@pytest.fixture
def inquiry_type() -> Iterator[ItemType]:
    """The tests' inquiry type, registered for one test."""
    yield sample_type.register()
    sample_type.unregister()


def _inquiry(due: date = date(2025, 3, 10)) -> sample_type.Inquiry:
    return sample_type.Inquiry(
        code="HD-2025-00001", title="Hỏi về lịch cắt điện", content="Khi nào có điện lại?",
        district="ba-dinh", field="other", agency="so-xay-dung", received_on=TODAY,
        due_date=due, at=AT, **SECRETARIAT.stamp())


def test_a_registered_type_is_known_by_its_kind_prefix_and_statuses(inquiry_type: ItemType) -> None:
    assert REGISTRY.for_kind("inquiry") is inquiry_type
    assert "HD" in REGISTRY.code_prefixes()
    assert "replied" in REGISTRY.answered_endings()
    assert "opened" in REGISTRY.open_statuses()


def test_the_new_type_enforces_its_own_table(inquiry_type: ItemType) -> None:
    inquiry = _inquiry()
    inquiry.reply("Có điện lại từ thứ Hai.", by=AGENCY, at=AT)

    with pytest.raises(InvalidTransition):
        inquiry.reply("Lần nữa.", by=AGENCY, at=AT)
    assert (inquiry.status, inquiry.is_open) == ("replied", False)


def test_the_new_type_shares_park_resume_and_the_ladder(inquiry_type: ItemType) -> None:
    inquiry = _inquiry(due=TODAY)
    inquiry.park("Chờ điện lực.", by=SECRETARIAT, at=AT)
    paused = inquiry.escalations_due(TODAY + timedelta(days=30), POLICY, WEEKENDS_ONLY)
    inquiry.resume("", by=SECRETARIAT, at=AT)

    assert paused == []
    assert inquiry.status == "opened"
    assert inquiry.escalations_due(TODAY + timedelta(days=30), POLICY, WEEKENDS_ONLY) == [0, 1, 2, 3]


def test_the_type_is_forgotten_when_unregistered() -> None:
    sample_type.register()
    sample_type.unregister()

    with pytest.raises(KeyError):
        REGISTRY.for_kind("inquiry")
