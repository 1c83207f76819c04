"""Refusals on the real stores: bad input and out-of-scope users store nothing, and
personal data stays hidden from those who do not handle the item."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from domain.actor import Actor, Role
from domain.errors import DomainError, InvalidInput, PermissionDenied
from domain.text import TEXT_MAX, TITLE_MAX
from petitions.application import Tracker
from petitions.errors import ItemNotFound
from petitions.item_data import HIDDEN
from petitions.settings import Settings
from tests.conftest import (
    ADMIN, BA_DINH_STAFF, DEPUTY, HOAN_KIEM_STAFF, SECRETARIAT, XAY_DUNG_STAFF, FixedClock,
)
from tests.integration import (
    assigned_petition, complaint_data, log_petition, petition_data, receive_complaint,
)

GIAO_THONG_STAFF = Actor("so.giao.thong", Role.AGENCY_STAFF, agency="so-giao-thong-van-tai")
TOO_LONG = "x" * (TEXT_MAX + 1)
LONE_SURROGATE = "Nội dung \ud800 lỗi"


@dataclass
class Items:
    """One item in each state the commands below need."""

    logged: str
    assigned: str
    answered: str
    parked: str
    received: str
    accepted: str
    decided: str


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[Tracker]:
    """A tracker on the real store with the reference data loaded."""
    tracker = Tracker(settings, clock=clock)
    tracker.load_reference()
    yield tracker
    tracker.close()


@pytest.fixture
def items(app: Tracker) -> Items:
    """Arrange petitions and complaints in the states the bad-input cases act on."""
    answered = assigned_petition(app).code
    app.record_answer(XAY_DUNG_STAFF, answered, outcome="resolved", text="Đã sửa xong.")
    parked = assigned_petition(app).code
    app.park(SECRETARIAT, parked, reason="Chờ hướng dẫn.")
    accepted = receive_complaint(app).code
    app.accept_complaint(SECRETARIAT, accepted, agency="so-xay-dung")
    decided = receive_complaint(app).code
    app.accept_complaint(SECRETARIAT, decided, agency="so-xay-dung")
    app.issue_decision(XAY_DUNG_STAFF, decided, result="correct", text="Đúng.",
                       decided_on=app.today())
    return Items(
        logged=log_petition(app).code, assigned=assigned_petition(app).code,
        answered=answered, parked=parked, received=receive_complaint(app).code,
        accepted=accepted, decided=decided,
    )


Case = Callable[[Tracker, Items], Any]

# (call, field expected in the error map); one case per kind of bad input and method.
BAD_INPUT: dict[str, tuple[Case, str]] = {
    "log: empty title": (
        lambda a, i: a.log_petition(SECRETARIAT, **petition_data(title="   ")), "title"),
    "log: unknown district": (
        lambda a, i: a.log_petition(SECRETARIAT, **petition_data(district="quan-9")),
        "district"),
    "log: title over the size limit": (
        lambda a, i: a.log_petition(SECRETARIAT, **petition_data(title="t" * (TITLE_MAX + 1))),
        "title"),
    "log: content over the size limit": (
        lambda a, i: a.log_petition(SECRETARIAT, **petition_data(content=TOO_LONG)), "content"),
    "log: invalid Unicode": (
        lambda a, i: a.log_petition(SECRETARIAT, **petition_data(content=LONE_SURROGATE)),
        "content"),
    "log: received before the meeting": (
        lambda a, i: a.log_petition(SECRETARIAT, **petition_data(
            received_on=date(2025, 2, 19))), "received_on"),
    "log: date that is not a date": (
        lambda a, i: a.log_petition(SECRETARIAT, **petition_data(meeting_date="20/02/2025")),
        "meeting_date"),
    "log: unknown extra field": (
        lambda a, i: a.log_petition(SECRETARIAT, **petition_data(priority="high")),
        "priority"),
    "receive: wrong kind": (
        lambda a, i: a.receive_complaint(SECRETARIAT, **complaint_data(kind="khieu-nai")),
        "kind"),
    "receive: unknown field": (
        lambda a, i: a.receive_complaint(SECRETARIAT, **complaint_data(field="football")),
        "field"),
    "receive: anonymous complaint": (
        lambda a, i: a.receive_complaint(SECRETARIAT, **complaint_data(
            anonymous=True, petitioner=None)), "anonymous"),
    "receive: petitioner without a name": (
        lambda a, i: a.receive_complaint(SECRETARIAT, **complaint_data(
            petitioner={"address": "Kim Mã"})), "petitioner.name"),
    "receive: unknown extra field": (
        lambda a, i: a.receive_complaint(SECRETARIAT, **complaint_data(urgent=True)), "urgent"),
    "classify: unknown field": (
        lambda a, i: a.classify_petition(SECRETARIAT, i.logged, field="nope",
                                         competence="city"), "field"),
    "classify: unknown competence": (
        lambda a, i: a.classify_petition(SECRETARIAT, i.logged, field="land",
                                         competence="province"), "competence"),
    "merge: invalid Unicode reason": (
        lambda a, i: a.merge_petitions(SECRETARIAT, i.logged, i.assigned,
                                       reason=LONE_SURROGATE), "reason"),
    "assign: unknown agency": (
        lambda a, i: a.assign(SECRETARIAT, i.logged, agency="so-khong-co"), "agency"),
    "assign: due date before receipt": (
        lambda a, i: a.assign(SECRETARIAT, i.logged, agency="so-xay-dung",
                              due_date=date(2025, 2, 1)), "due_date"),
    "progress: empty text": (
        lambda a, i: a.note_progress(XAY_DUNG_STAFF, i.assigned, text=""), "text"),
    "answer: unknown outcome": (
        lambda a, i: a.record_answer(XAY_DUNG_STAFF, i.assigned, outcome="done", text="Xong."),
        "outcome"),
    "answer: text over the size limit": (
        lambda a, i: a.record_answer(XAY_DUNG_STAFF, i.assigned, outcome="resolved",
                                     text=TOO_LONG), "text"),
    "answer: roadmap without a date": (
        lambda a, i: a.record_answer(XAY_DUNG_STAFF, i.assigned, outcome="being_resolved",
                                     text="Có lộ trình."), "new_due_date"),
    "accept answer: comment that is not text": (
        lambda a, i: a.accept_answer(SECRETARIAT, i.answered, comment=42), "comment"),
    "return answer: empty reason": (
        lambda a, i: a.return_answer(SECRETARIAT, i.answered, reason=" "), "reason"),
    "extend: date before the current due date": (
        lambda a, i: a.extend_deadline(SECRETARIAT, i.assigned, new_due_date=a.today(),
                                       reason="Chờ vốn."), "new_due_date"),
    "park: empty reason": (
        lambda a, i: a.park(SECRETARIAT, i.assigned, reason=""), "reason"),
    "resume: invalid Unicode reason": (
        lambda a, i: a.resume(SECRETARIAT, i.parked, reason=LONE_SURROGATE), "reason"),
    "withdraw: empty reason": (
        lambda a, i: a.withdraw(SECRETARIAT, i.assigned, reason=""), "reason"),
    "close: reason over the size limit": (
        lambda a, i: a.close_item(SECRETARIAT, i.assigned, reason=TOO_LONG), "reason"),
    "accept complaint: unknown agency": (
        lambda a, i: a.accept_complaint(SECRETARIAT, i.received, agency="so-khong-co"),
        "agency"),
    "accept complaint: unknown complexity": (
        lambda a, i: a.accept_complaint(SECRETARIAT, i.received, agency="so-xay-dung",
                                        complexity="hard"), "complexity"),
    "forward: empty body": (
        lambda a, i: a.forward_complaint(SECRETARIAT, i.received, to_body="",
                                         reason="Thẩm quyền."), "to_body"),
    "return complaint: empty reason": (
        lambda a, i: a.return_complaint(SECRETARIAT, i.received, reason=""), "reason"),
    "file: invalid Unicode reason": (
        lambda a, i: a.file_complaint(SECRETARIAT, i.received, reason=LONE_SURROGATE),
        "reason"),
    "decide: decision before receipt": (
        lambda a, i: a.issue_decision(XAY_DUNG_STAFF, i.accepted, result="correct",
                                      text="Đúng.", decided_on=date(2025, 1, 1)), "decided_on"),
    "decide: unknown result": (
        lambda a, i: a.issue_decision(XAY_DUNG_STAFF, i.accepted, result="maybe",
                                      text="Đúng.", decided_on=a.today()), "result"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_bad_input_is_refused_with_a_field_map_and_stores_nothing(
        app: Tracker, items: Items, case: str) -> None:
    call, field = BAD_INPUT[case]
    before = app.position()

    with pytest.raises(InvalidInput) as refused:
        call(app, items)

    assert field in refused.value.errors
    assert app.position() == before


def test_a_second_round_of_a_denunciation_is_refused_and_stores_nothing(
        app: Tracker, items: Items) -> None:
    first = receive_complaint(app, kind="denunciation").code
    before = app.position()

    with pytest.raises(DomainError):
        app.receive_complaint(SECRETARIAT, **complaint_data(first_round=first))
    assert app.position() == before


def test_an_unknown_reference_section_is_refused_and_stores_nothing(app: Tracker) -> None:
    before = app.position()

    with pytest.raises(InvalidInput) as refused:
        app.record_reference(ADMIN, "streets", {"code": "kim-ma", "name": "Kim Mã"})

    assert "section" in refused.value.errors
    assert app.position() == before


def test_a_negative_notification_level_is_refused_and_stores_nothing(
        app: Tracker, items: Items) -> None:
    before = app.position()

    with pytest.raises(DomainError):
        app.record_notification_sent(items.assigned, -1, ["so-xay-dung@hanoi.invalid"])
    assert app.position() == before


@pytest.mark.parametrize("ref", ["", "KN-25-1", "not-a-code", "KN-2025-00001; DROP TABLE"])
def test_a_malformed_item_reference_is_reported_as_not_found(
        app: Tracker, items: Items, ref: str) -> None:
    with pytest.raises(ItemNotFound):
        app.get_item(SECRETARIAT, ref)


def test_a_refused_command_leaves_the_item_as_it_was(app: Tracker, items: Items) -> None:
    before = app.get_item(SECRETARIAT, items.assigned)

    with pytest.raises(InvalidInput):
        app.record_answer(XAY_DUNG_STAFF, items.assigned, outcome="done", text="")

    assert app.get_item(SECRETARIAT, items.assigned) == before


# -- permissions ------------------------------------------------------------------------------
def test_district_staff_cannot_log_a_petition_for_another_district(app: Tracker) -> None:
    before = app.position()

    with pytest.raises(PermissionDenied):
        app.log_petition(HOAN_KIEM_STAFF, **petition_data(district="ba-dinh"))
    assert app.position() == before


def test_district_staff_cannot_withdraw_another_districts_petition(
        app: Tracker, items: Items) -> None:
    before = app.position()

    with pytest.raises(ItemNotFound):
        app.withdraw(HOAN_KIEM_STAFF, items.logged, reason="Cử tri rút kiến nghị.")
    assert app.position() == before


def test_district_staff_cannot_read_another_districts_petition(
        app: Tracker, items: Items) -> None:
    with pytest.raises(ItemNotFound):
        app.get_item(HOAN_KIEM_STAFF, items.logged)


def test_agency_staff_cannot_answer_for_another_agency(app: Tracker, items: Items) -> None:
    before = app.position()

    with pytest.raises(ItemNotFound):
        app.record_answer(GIAO_THONG_STAFF, items.assigned, outcome="resolved", text="Xong.")
    assert app.position() == before


def test_a_deputy_cannot_assign_a_petition(app: Tracker, items: Items) -> None:
    before = app.position()

    with pytest.raises(PermissionDenied):
        app.assign(DEPUTY, items.logged, agency="so-xay-dung")
    assert app.position() == before


def test_agency_staff_cannot_classify_a_petition(app: Tracker, items: Items) -> None:
    with pytest.raises(PermissionDenied):
        app.classify_petition(XAY_DUNG_STAFF, items.assigned, field="land", competence="city")


# -- personal data ----------------------------------------------------------------------------
def test_a_deputy_reads_a_petition_without_the_voters_names(app: Tracker, items: Items) -> None:
    item = app.get_item(DEPUTY, items.logged)

    assert item["voters"] == HIDDEN
    assert item["title"] == petition_data()["title"]


def test_a_deputy_reads_a_complaint_without_the_petitioner(app: Tracker, items: Items) -> None:
    item = app.get_item(DEPUTY, items.received)

    assert item["petitioner"] == HIDDEN


def test_a_deputy_reads_the_history_without_personal_data(app: Tracker, items: Items) -> None:
    history = app.history(DEPUTY, items.received)

    received = history[0]
    assert received["type"] == "ComplaintReceived"
    assert received["facts"]["petitioner"] == HIDDEN
    assert "Trần Thị Bình" not in repr(history)


def test_the_district_that_logged_a_petition_sees_the_voters(
        app: Tracker, items: Items) -> None:
    item = app.get_item(BA_DINH_STAFF, items.logged)

    assert item["voters"] == petition_data()["voters"]


def test_the_secretariat_sees_the_petitioner_in_the_history(app: Tracker, items: Items) -> None:
    history = app.history(SECRETARIAT, items.received)

    assert history[0]["facts"]["petitioner"]["name"] == "Trần Thị Bình"


def test_commands_record_the_application_clock_as_business_time(
        app: Tracker, clock: FixedClock, items: Items) -> None:
    clock.set(clock() + timedelta(days=2))

    app.note_progress(XAY_DUNG_STAFF, items.assigned, text="Đã khảo sát.")

    assert app.history(SECRETARIAT, items.assigned)[-1]["at"] == clock()
