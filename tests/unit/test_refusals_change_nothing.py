"""Guards run before mutation: a refused command leaves the item exactly as it was.

Every command is tried on items in several states with wrong values; whatever it refuses
(a DomainError), the item's state and its pending events must be unchanged, and no other
exception type may escape (that would be a crash, not a refusal).
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from domain.actor import SYSTEM
from domain.errors import DomainError
from domain.item import TrackedItem
from domain.petition import VoterPetition
from tests.unit.conftest import (
    AGENCY, AT, COMPETENCE_LEVELS, KNOWN, POLICY, SECRETARIAT, TODAY, WEEKENDS_ONLY,
    accepted_complaint, answered_petition, assigned_petition, decided_complaint, new_complaint,
    new_petition,
)

WRONG_VALUES: list[Any] = [
    None, "", "x", "\ud800", 1, True, [], {}, date(2024, 1, 1), datetime(2025, 3, 3), "2025-04-02",
]


def _parked() -> VoterPetition:
    petition = assigned_petition()
    petition.park("Chờ", by=SECRETARIAT, at=AT)
    return petition


def _closed() -> VoterPetition:
    petition = assigned_petition()
    petition.close("Đóng", by=SECRETARIAT, at=AT)
    return petition


STATES: dict[str, Callable[[], TrackedItem]] = {
    "logged petition": new_petition,
    "assigned petition": assigned_petition,
    "answered petition": lambda: answered_petition("being_resolved", date(2025, 12, 31)),
    "parked petition": _parked,
    "closed petition": _closed,
    "received complaint": new_complaint,
    "accepted denunciation": lambda: accepted_complaint("denunciation", "complex"),
    "decided complaint": decided_complaint,
    "anonymous denunciation": lambda: new_complaint(kind="denunciation", anonymous=True,
                                                    petitioner=None),
}

Command = Callable[[Any, Any], None]
SHARED: dict[str, Command] = {
    "note_progress": lambda i, v: i.note_progress(v, by=AGENCY, at=AT),
    "extend_date": lambda i, v: i.extend_deadline(v, "Lý do", by=SECRETARIAT, at=AT),
    "extend_reason": lambda i, v: i.extend_deadline(date(2025, 6, 2), v, by=SECRETARIAT, at=AT),
    "park": lambda i, v: i.park(v, by=SECRETARIAT, at=AT),
    "resume": lambda i, v: i.resume(v, by=SECRETARIAT, at=AT),
    "withdraw": lambda i, v: i.withdraw(v, by=SECRETARIAT, at=AT),
    "close": lambda i, v: i.close(v, by=SECRETARIAT, at=AT),
    "escalate": lambda i, v: i.escalate(v, "agency", today=date(2025, 12, 1), policy=POLICY,
                                        calendar=WEEKENDS_ONLY, by=SYSTEM, at=AT),
}
_ASSIGN = dict(note="", known=KNOWN, policy=POLICY, calendar=WEEKENDS_ONLY, today=TODAY,
               by=SECRETARIAT, at=AT)
_CLASSIFY = dict(known=KNOWN, competence_levels=COMPETENCE_LEVELS, by=SECRETARIAT, at=AT)
PETITION: dict[str, Command] = {
    "classify_field": lambda p, v: p.classify(field=v, competence="city", note="", **_CLASSIFY),
    "classify_note": lambda p, v: p.classify(field="land", competence="city", note=v, **_CLASSIFY),
    "assign_agency": lambda p, v: p.assign(agency=v, due_date=None, **_ASSIGN),
    "assign_due": lambda p, v: p.assign(agency="so-xay-dung", due_date=v, **_ASSIGN),
    "answer_outcome": lambda p, v: p.record_answer(outcome=v, text="Trả lời", new_due_date=None,
                                                   today=TODAY, by=AGENCY, at=AT),
    "answer_text": lambda p, v: p.record_answer(outcome="resolved", text=v, new_due_date=None,
                                                today=TODAY, by=AGENCY, at=AT),
    "answer_date": lambda p, v: p.record_answer(outcome="being_resolved", text="Lộ trình",
                                                new_due_date=v, today=TODAY, by=AGENCY, at=AT),
    "accept_answer": lambda p, v: p.accept_answer(comment=v, voters_satisfied="x",
                                                  by=SECRETARIAT, at=AT),
    "return_answer": lambda p, v: p.return_answer(reason=v, by=SECRETARIAT, at=AT),
    "merge_into_self": lambda p, v: p.merge_into(p, v, by=SECRETARIAT, at=AT),
}
_ACCEPT = dict(known=KNOWN, policy=POLICY, calendar=WEEKENDS_ONLY, today=TODAY,
               by=SECRETARIAT, at=AT)
_DECIDE = dict(today=TODAY, by=AGENCY, at=AT)
COMPLAINT: dict[str, Command] = {
    "accept_agency": lambda c, v: c.accept(agency=v, complexity="normal", remote_area=False,
                                           **_ACCEPT),
    "accept_complexity": lambda c, v: c.accept(agency="so-xay-dung", complexity=v,
                                               remote_area=False, **_ACCEPT),
    "accept_remote": lambda c, v: c.accept(agency="so-xay-dung", complexity="normal",
                                           remote_area=v or "x", **_ACCEPT),
    "forward": lambda c, v: c.forward(to_body=v, reason="Lý do", by=SECRETARIAT, at=AT),
    "return": lambda c, v: c.return_with_guidance(reason=v, by=SECRETARIAT, at=AT),
    "file": lambda c, v: c.file_away(reason=v, by=SECRETARIAT, at=AT),
    "extend_resolution": lambda c, v: c.extend_resolution(v, "Lý do", policy=POLICY,
                                                          decision_no="12/QĐ-UBND",
                                                          decision_date=TODAY,
                                                          by=SECRETARIAT, at=AT),
    "extend_decision_date": lambda c, v: c.extend_resolution(
        date(2025, 4, 20), "Lý do", policy=POLICY, decision_no="12/QĐ-UBND", decision_date=v,
        by=SECRETARIAT, at=AT),
    "decide_result": lambda c, v: c.issue_decision(result=v, text="QĐ", decision_no="",
                                                   decided_on=TODAY, **_DECIDE),
    "decide_date": lambda c, v: c.issue_decision(result="correct", text="QĐ", decision_no="",
                                                 decided_on=v, **_DECIDE),
    "second_round_kind": lambda c, v: c.check_second_round_allowed(v),
}

CASES = [
    pytest.param(state, name, command, id=f"{state}-{name}")
    for state in STATES
    for name, command in {
        **SHARED, **(PETITION if state.endswith("petition") else COMPLAINT)}.items()
]


def snapshot(item: TrackedItem) -> tuple[dict[str, Any], int]:
    state = {k: v for k, v in vars(item).items() if k != "_pending_events"}
    return copy.deepcopy(state), len(item.pending_events)


@pytest.mark.parametrize("state, name, command", CASES)
def test_a_refused_command_leaves_the_item_unchanged(
    state: str, name: str, command: Command,
) -> None:
    for value in WRONG_VALUES:
        item = STATES[state]()
        before = snapshot(item)

        try:
            command(item, value)
        except DomainError:
            assert snapshot(item) == before, f"{name}({value!r}) changed the item"
