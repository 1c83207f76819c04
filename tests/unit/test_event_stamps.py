"""Every event of an item says when it happened in business time, who did it, in which role."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import pytest

from domain.actor import SYSTEM
from domain.calendar import CalendarDay
from domain.complaint import Complaint
from domain.item import TrackedItem
from domain.petition import VoterPetition
from tests.unit.conftest import (
    TODAY,
    AGENCY, AT, DISTRICT, KNOWN, POLICY, SECRETARIAT, WEEKENDS_ONLY, answer, assign,
    decided_complaint, new_complaint, new_petition,
)


def event_classes(aggregate: type[TrackedItem]) -> list[type]:
    # Every concrete event the aggregate can record; "Event" and "Created" are library bases.
    return sorted(
        (value for name, value in vars(aggregate).items()
         if isinstance(value, type) and issubclass(value, aggregate.Event)
         and name not in ("Event", "Created")),
        key=lambda cls: cls.__name__,
    )


ALL_EVENTS = [
    pytest.param(cls, id=f"{aggregate.__name__}.{cls.__name__}")
    for aggregate in (VoterPetition, Complaint) for cls in event_classes(aggregate)
]


@pytest.mark.parametrize("event_class", ALL_EVENTS)
def test_every_event_class_has_business_time_actor_and_role(event_class: type) -> None:
    names = {f.name for f in dataclasses.fields(event_class)}

    assert {"at", "actor", "role"} <= names


def test_the_event_classes_cover_the_whole_lifecycle() -> None:
    # Guards the parametrisation above against silently finding nothing.
    names = {cls.__name__ for cls in event_classes(VoterPetition)} | {
        cls.__name__ for cls in event_classes(Complaint)}

    assert {"PetitionLogged", "AgencyAssigned", "AnswerAccepted", "ComplaintReceived",
            "DecisionIssued", "Escalated", "SecondRoundReceived"} <= names


def petition_history() -> list[object]:
    survivor, duplicate = new_petition(), new_petition(code="KN-2025-00002")
    duplicate.merge_into(survivor, "Trùng", by=SECRETARIAT, at=AT)
    survivor.classify(field="land", competence="city", note="", known=KNOWN,
                      competence_levels={"city"}, by=SECRETARIAT, at=AT)
    assign(survivor)
    survivor.note_progress("Đang khảo sát", by=AGENCY, at=AT)
    survivor.set_categories(["Vướng mắc về đất đai"], by=SECRETARIAT, at=AT)
    survivor.attach_file({"sha256": "a" * 64, "media_type": "application/pdf", "size": 10,
                          "filename": "cv.pdf"}, to="note:9", personal=False, by=AGENCY, at=AT)
    survivor.extend_deadline(date(2025, 5, 2), "Chờ kinh phí", by=SECRETARIAT, at=AT)
    survivor.escalate(0, "agency", today=date(2025, 4, 29), policy=POLICY,
                      calendar=WEEKENDS_ONLY, by=SYSTEM, at=AT)
    survivor.park("Chờ", by=SECRETARIAT, at=AT)
    survivor.resume("", by=SECRETARIAT, at=AT)
    answer(survivor, "explained")
    survivor.return_answer(reason="Chưa rõ", by=SECRETARIAT, at=AT)
    answer(survivor, "explained")
    survivor.accept_answer(comment="", voters_satisfied=None, by=SECRETARIAT, at=AT)
    survivor.publish_answer("Sở đã trả lời cử tri.", by=SECRETARIAT, at=AT)
    survivor.record_notices(7, "answered", ["dai.bieu"], by=SYSTEM, at=AT)
    withdrawn, closed = new_petition(code="KN-2025-00003"), new_petition(code="KN-2025-00004")
    withdrawn.withdraw("Rút", by=DISTRICT, at=AT)
    sent_back = new_petition(code="KN-2025-00005")
    assign(sent_back)
    sent_back.send_back(reason="Không thuộc thẩm quyền", today=date(2025, 3, 3),
                        calendar=WEEKENDS_ONLY, by=AGENCY, at=AT)
    closed.close("Đóng", by=SECRETARIAT, at=AT)
    return [e for p in (survivor, duplicate, withdrawn, closed, sent_back)
            for e in p.pending_events]


def complaint_history() -> list[object]:
    first = decided_complaint()
    second = new_complaint(code="DT-2025-00002", first_round=first, received_on=date(2025, 3, 3))
    first.link_second_round(second, by=SECRETARIAT, at=AT)
    forwarded, guided, filed = (new_complaint(code=f"DT-2025-0001{n}") for n in (1, 2, 3))
    forwarded.forward(to_body="UBND quận Hoàn Kiếm", reason="Thẩm quyền", by=SECRETARIAT, at=AT)
    forwarded.link_document({"document_id": "d1", "reference": "1/PC-VP"}, purpose="transfer",
                            by=SECRETARIAT, at=AT)
    forwarded.record_result_notice(notice_no="1/TB", notice_date=TODAY, summary="Xong.",
                                   today=TODAY, by=SECRETARIAT, at=AT)
    second.hand_over("00004", "NQ 1656", today=date(2025, 7, 1), by=SECRETARIAT, at=AT,
                     units={"ba-dinh": {"valid_to": "2025-06-30"},
                            "00004": {"valid_from": "2025-07-01"}})
    guided.return_with_guidance(reason="Hướng dẫn", by=SECRETARIAT, at=AT)
    filed.file_away(reason="Trùng", by=SECRETARIAT, at=AT)
    moved = new_complaint(code="DT-2025-00014")
    day_off = WEEKENDS_ONLY.with_official([CalendarDay(moved.due_date, "day_off", "Nghỉ", "CV 1")])
    moved.recompute_deadline(policy=POLICY, calendar=day_off, reason="Lịch", by=SYSTEM, at=AT)
    return [e for c in (first, second, forwarded, guided, filed, moved) for e in c.pending_events]


@pytest.mark.parametrize("history", [petition_history, complaint_history])
def test_every_recorded_event_names_a_known_actor_and_role(history: Callable[[], list[object]]) -> None:
    events = history()

    stamps = {(e.actor, e.role, e.at) for e in events}  # type: ignore[attr-defined]
    assert stamps <= {(a.username, a.role.value, AT) for a in (SECRETARIAT, AGENCY, DISTRICT, SYSTEM)}


def test_the_lifecycle_scenarios_record_every_kind_of_event() -> None:
    recorded = {type(e).__name__ for e in petition_history() + complaint_history()}

    expected = {cls.__name__ for cls in event_classes(VoterPetition) + event_classes(Complaint)}
    # Delivery of escalation and notice emails is recorded by the notifier, not by a
    # lifecycle step.
    assert expected - recorded <= {"NotificationSent", "NoticesSent"}
