"""A voter petition from classification to its answer: every transition and every refusal."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.actor import SYSTEM
from domain.deadline import CALENDAR_DAYS
from domain.errors import InvalidInput, InvalidTransition
from domain.item import DeadlineError, Status
from domain.petition import MergeError, VoterPetition
from tests.unit.conftest import (
    AGENCY, AT, COMPETENCE_LEVELS, KNOWN, POLICY, SECRETARIAT, TODAY, WEEKENDS_ONLY, answer,
    answered_petition, assign, assigned_petition, last_event, new_petition,
)


def classify(petition: VoterPetition, field: str = "land", competence: str = "city") -> None:
    petition.classify(field=field, competence=competence, note="", known=KNOWN,
                      competence_levels=COMPETENCE_LEVELS, by=SECRETARIAT, at=AT)


def merge(duplicate: VoterPetition, survivor: VoterPetition) -> None:
    duplicate.merge_into(survivor, "Cùng nội dung", by=SECRETARIAT, at=AT)


def accept(petition: VoterPetition) -> None:
    petition.accept_answer(comment="", voters_satisfied=True, by=SECRETARIAT, at=AT)


def extend(petition: VoterPetition, new_due_date: date, reason: str = "Chờ kinh phí") -> None:
    petition.extend_deadline(new_due_date, reason, by=SECRETARIAT, at=AT)


# -- classify -------------------------------------------------------------------------------
def test_classifying_a_logged_petition_sets_field_competence_and_status(
    petition: VoterPetition,
) -> None:
    classify(petition, field="land", competence="city")

    assert (petition.field, petition.competence, petition.status) == ("land", "city", Status.CLASSIFIED)


def test_classifying_records_the_previous_field(petition: VoterPetition) -> None:
    classify(petition, field="land")

    assert last_event(petition).previous_field == "transport"


def test_reclassifying_an_assigned_petition_keeps_it_assigned() -> None:
    petition = assigned_petition()

    classify(petition)

    assert petition.status is Status.ASSIGNED


def test_classifying_with_an_unknown_field_is_refused(petition: VoterPetition) -> None:
    with pytest.raises(InvalidInput) as refused:
        classify(petition, field="astrology")

    assert refused.value.errors == {"field": ["Unknown value."]}


def test_classifying_with_an_unknown_competence_level_is_refused(petition: VoterPetition) -> None:
    with pytest.raises(InvalidInput) as refused:
        classify(petition, competence="galactic")

    assert refused.value.errors == {"competence": ["Unknown value."]}


def test_cannot_classify_a_closed_petition(petition: VoterPetition) -> None:
    petition.close("Trùng lặp", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        classify(petition)


# -- merge ----------------------------------------------------------------------------------
def test_a_petition_cannot_be_merged_into_itself(petition: VoterPetition) -> None:
    with pytest.raises(MergeError):
        merge(petition, petition)


def test_a_merged_petition_gets_status_merged() -> None:
    duplicate, survivor = new_petition(code="KN-2025-00002"), new_petition()

    merge(duplicate, survivor)

    assert duplicate.status is Status.MERGED


def test_a_merged_petition_points_to_its_survivor() -> None:
    duplicate, survivor = new_petition(code="KN-2025-00002"), new_petition()

    merge(duplicate, survivor)

    assert duplicate.merged_into == survivor.id


def test_the_survivor_keeps_the_merged_petition_code() -> None:
    duplicate, survivor = new_petition(code="KN-2025-00002"), new_petition()

    merge(duplicate, survivor)

    assert survivor.merged_from == ["KN-2025-00002"]


def test_the_survivor_stays_open_after_a_merge() -> None:
    duplicate, survivor = new_petition(code="KN-2025-00002"), new_petition()

    merge(duplicate, survivor)

    assert survivor.status is Status.LOGGED


def test_cannot_merge_into_a_closed_petition() -> None:
    duplicate, survivor = new_petition(code="KN-2025-00002"), new_petition()
    survivor.close("Đã xong", by=SECRETARIAT, at=AT)

    with pytest.raises(MergeError):
        merge(duplicate, survivor)


def test_cannot_merge_into_a_petition_that_was_itself_merged() -> None:
    first, second, third = (new_petition(code=f"KN-2025-0000{n}") for n in (1, 2, 3))
    merge(second, first)

    with pytest.raises(MergeError):
        merge(third, second)


def test_cannot_merge_a_petition_that_is_already_merged() -> None:
    first, second, third = (new_petition(code=f"KN-2025-0000{n}") for n in (1, 2, 3))
    merge(second, first)

    with pytest.raises(InvalidTransition):
        merge(second, third)


# -- assign ---------------------------------------------------------------------------------
def test_assigning_sets_the_agency_due_date_and_status(petition: VoterPetition) -> None:
    assign(petition, due_date=date(2025, 4, 2))

    assert (petition.agency, petition.due_date, petition.status) == (
        "so-xay-dung", date(2025, 4, 2), Status.ASSIGNED)


def test_assigning_without_a_due_date_uses_the_policy_default_of_30_days(
    petition: VoterPetition,
) -> None:
    # 3 March 2025 + 30 calendar days = Wednesday 2 April 2025, a working day.
    assign(petition, due_date=None)

    assert petition.due_date == date(2025, 4, 2)


def test_the_default_due_date_explains_its_limit(petition: VoterPetition) -> None:
    assign(petition, due_date=None)

    assert (petition.deadline["start"], petition.deadline["amount"], petition.deadline["unit"]) == (
        TODAY, 30, CALENDAR_DAYS)


def test_a_due_date_before_the_date_received_is_refused(petition: VoterPetition) -> None:
    with pytest.raises(InvalidInput) as refused:
        assign(petition, due_date=date(2025, 2, 23))

    assert refused.value.errors == {"due_date": ["The due date cannot be before the date received."]}


def test_a_due_date_in_the_past_is_refused(petition: VoterPetition) -> None:
    with pytest.raises(InvalidInput) as refused:
        assign(petition, due_date=TODAY - timedelta(days=1))

    assert refused.value.errors == {"due_date": ["The due date cannot be in the past."]}


def test_assigning_to_an_unknown_agency_is_refused(petition: VoterPetition) -> None:
    with pytest.raises(InvalidInput) as refused:
        assign(petition, agency="so-phep-thuat")

    assert refused.value.errors == {"agency": ["Unknown value."]}


def test_reassigning_records_the_previous_agency() -> None:
    petition = assigned_petition()

    assign(petition, agency="so-giao-thong-van-tai")

    assert (petition.agency, last_event(petition).previous_agency) == (
        "so-giao-thong-van-tai", "so-xay-dung")


def test_cannot_assign_a_petition_waiting_for_answer_review() -> None:
    petition = answered_petition()

    with pytest.raises(InvalidTransition):
        assign(petition)


def test_cannot_assign_a_withdrawn_petition(petition: VoterPetition) -> None:
    petition.withdraw("Cử tri rút kiến nghị", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        assign(petition)


def test_a_petition_not_resolved_can_be_reassigned() -> None:
    petition = answered_petition("not_resolved")
    accept(petition)

    assign(petition, agency="so-giao-thong-van-tai")

    assert petition.status is Status.ASSIGNED


# -- answers --------------------------------------------------------------------------------
@pytest.mark.parametrize("outcome", ["resolved", "explained", "not_resolved"])
def test_an_answer_waits_for_review(outcome: str) -> None:
    petition = assigned_petition()

    answer(petition, outcome)

    assert (petition.status, petition.pending_answer["outcome"]) == (Status.ANSWERED, outcome)


def test_an_answer_being_resolved_with_a_roadmap_date_is_recorded() -> None:
    petition = assigned_petition()

    answer(petition, "being_resolved", new_due_date=date(2025, 12, 31))

    assert petition.pending_answer == {"outcome": "being_resolved", "new_due_date": date(2025, 12, 31)}


def test_an_answer_being_resolved_needs_a_new_date() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput) as refused:
        answer(petition, "being_resolved", new_due_date=None)

    assert refused.value.errors == {"new_due_date": ["A roadmap needs a new target date."]}


def test_a_roadmap_date_must_be_in_the_future() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput) as refused:
        answer(petition, "being_resolved", new_due_date=TODAY)

    assert refused.value.errors == {"new_due_date": ["The new target date must be in the future."]}


def test_only_an_answer_being_resolved_carries_a_new_date() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput) as refused:
        answer(petition, "resolved", new_due_date=date(2025, 12, 31))

    assert refused.value.errors == {
        "new_due_date": ["Only an answer still being resolved has a new date."]}


def test_an_unknown_outcome_is_refused_without_other_noise() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput) as refused:
        answer(petition, "satisfied", new_due_date=date(2025, 12, 31))

    assert refused.value.errors == {"outcome": ["Unknown value."]}


def test_an_empty_answer_text_is_refused() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput) as refused:
        petition.record_answer(outcome="resolved", text="", new_due_date=None, today=TODAY,
                               by=AGENCY, at=AT)

    assert refused.value.errors == {"text": ["This field is required."]}


def test_cannot_answer_an_unassigned_petition(petition: VoterPetition) -> None:
    with pytest.raises(InvalidTransition):
        answer(petition)


def test_cannot_answer_a_withdrawn_petition() -> None:
    petition = assigned_petition()
    petition.withdraw("Cử tri rút kiến nghị", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        answer(petition)


def test_cannot_answer_twice_before_review() -> None:
    petition = answered_petition()

    with pytest.raises(InvalidTransition):
        answer(petition)


def test_the_answer_event_records_the_answering_agency() -> None:
    petition = answered_petition()

    assert last_event(petition).agency == "so-xay-dung"


@pytest.mark.parametrize("outcome, status", [
    ("resolved", Status.RESOLVED), ("explained", Status.EXPLAINED),
    ("not_resolved", Status.NOT_RESOLVED),
])
def test_accepting_an_answer_sets_the_status_of_its_outcome(outcome: str, status: Status) -> None:
    petition = answered_petition(outcome)

    accept(petition)

    assert (petition.status, petition.outcome) == (status, outcome)


def test_accepting_an_answer_being_resolved_moves_the_due_date_to_the_roadmap() -> None:
    petition = answered_petition("being_resolved", new_due_date=date(2025, 12, 31))

    accept(petition)

    assert (petition.status, petition.due_date) == (Status.BEING_RESOLVED, date(2025, 12, 31))


def test_a_resolved_answer_closes_the_petition() -> None:
    petition = answered_petition("resolved")

    accept(petition)

    assert (petition.is_open, petition.closed_at) == (False, AT)


def test_a_petition_not_resolved_stays_open() -> None:
    petition = answered_petition("not_resolved")

    accept(petition)

    assert petition.is_open


def test_a_petition_being_resolved_can_be_answered_again() -> None:
    petition = answered_petition("being_resolved", new_due_date=date(2025, 12, 31))
    accept(petition)

    answer(petition, "resolved")

    assert petition.status is Status.ANSWERED


def test_accepting_records_whether_the_voters_are_satisfied() -> None:
    petition = answered_petition()

    petition.accept_answer(comment="Cử tri đồng tình", voters_satisfied=True, by=SECRETARIAT, at=AT)

    assert last_event(petition).voters_satisfied is True


def test_voters_satisfied_must_be_yes_no_or_unknown() -> None:
    petition = answered_petition()

    with pytest.raises(InvalidInput) as refused:
        petition.accept_answer(comment="", voters_satisfied="có", by=SECRETARIAT, at=AT)

    assert refused.value.errors == {"voters_satisfied": ["Unknown value."]}


def test_voters_satisfied_as_a_number_is_refused() -> None:
    petition = answered_petition()

    with pytest.raises(InvalidInput):
        petition.accept_answer(comment="", voters_satisfied=1, by=SECRETARIAT, at=AT)


def test_accepting_a_roadmap_restarts_the_escalation_ladder() -> None:
    petition = assigned_petition()
    petition.escalate(0, "agency", today=date(2025, 3, 28), policy=POLICY,
                      calendar=WEEKENDS_ONLY, by=SYSTEM, at=AT)
    answer(petition, "being_resolved", new_due_date=date(2025, 12, 31))

    accept(petition)

    assert petition.escalation_level == -1


def test_cannot_accept_when_no_answer_is_pending() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidTransition):
        accept(petition)


def test_returning_an_answer_reopens_the_petition_for_the_agency() -> None:
    petition = answered_petition()

    petition.return_answer(reason="Chưa trả lời đúng nội dung", by=SECRETARIAT, at=AT)

    assert (petition.status, petition.pending_answer) == (Status.ASSIGNED, None)


def test_a_returned_petition_can_be_answered_again() -> None:
    petition = answered_petition()
    petition.return_answer(reason="Chưa trả lời đúng nội dung", by=SECRETARIAT, at=AT)

    answer(petition, "explained")

    assert petition.answer_rounds == 2


def test_returning_an_answer_needs_a_reason() -> None:
    petition = answered_petition()

    with pytest.raises(InvalidInput) as refused:
        petition.return_answer(reason="", by=SECRETARIAT, at=AT)

    assert refused.value.errors == {"reason": ["This field is required."]}


def test_cannot_return_when_no_answer_is_pending() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidTransition):
        petition.return_answer(reason="Sai", by=SECRETARIAT, at=AT)


# -- progress -------------------------------------------------------------------------------
def test_a_progress_note_is_recorded_on_an_open_petition() -> None:
    petition = assigned_petition()

    petition.note_progress("Đã khảo sát hiện trạng", by=AGENCY, at=AT)

    assert last_event(petition).text == "Đã khảo sát hiện trạng"


def test_an_empty_progress_note_is_refused() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput):
        petition.note_progress(" ", by=AGENCY, at=AT)


def test_cannot_note_progress_on_a_closed_petition() -> None:
    petition = answered_petition("resolved")
    accept(petition)

    with pytest.raises(InvalidTransition):
        petition.note_progress("Thêm", by=AGENCY, at=AT)


# -- extensions -----------------------------------------------------------------------------
def test_a_petition_deadline_can_be_extended_with_a_reason() -> None:
    petition = assigned_petition()

    extend(petition, date(2025, 5, 2))

    assert (petition.due_date, petition.extensions) == (date(2025, 5, 2), 1)


def test_a_petition_deadline_can_be_extended_more_than_once() -> None:
    petition = assigned_petition()
    extend(petition, date(2025, 5, 2))

    extend(petition, date(2025, 6, 2))

    assert petition.extensions == 2


def test_an_extension_records_the_previous_due_date_and_reason() -> None:
    petition = assigned_petition()

    extend(petition, date(2025, 5, 2), reason="Chờ kinh phí")

    assert (last_event(petition).previous_due_date, last_event(petition).reason) == (
        date(2025, 4, 2), "Chờ kinh phí")


def test_an_extension_explains_itself_from_the_previous_due_date() -> None:
    petition = assigned_petition()

    extend(petition, date(2025, 5, 2), reason="Chờ kinh phí")

    assert (petition.deadline["start"], petition.deadline["amount"], petition.deadline["basis"]) == (
        date(2025, 4, 2), 30, "Chờ kinh phí")


def test_a_petition_extension_needs_no_decision() -> None:
    petition = assigned_petition()

    extend(petition, date(2025, 5, 2))

    assert (last_event(petition).decision_no, last_event(petition).decision_date) == ("", None)


def test_a_petition_extension_may_name_its_decision() -> None:
    petition = assigned_petition()

    petition.extend_deadline(date(2025, 5, 2), "Chờ kinh phí", decision_no="5/TB-HĐND",
                             decision_date=TODAY, by=SECRETARIAT, at=AT)

    assert (last_event(petition).decision_no, last_event(petition).decision_date) == (
        "5/TB-HĐND", TODAY)


def test_an_extension_needs_a_reason() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput) as refused:
        extend(petition, date(2025, 5, 2), reason="")

    assert refused.value.errors == {"reason": ["This field is required."]}


def test_an_extension_must_move_the_due_date_later() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput) as refused:
        extend(petition, date(2025, 4, 2))

    assert refused.value.errors == {
        "new_due_date": ["The new due date must be after the current one."]}


def test_cannot_extend_a_petition_without_a_deadline(petition: VoterPetition) -> None:
    with pytest.raises(DeadlineError):
        extend(petition, date(2025, 5, 2))


def test_cannot_extend_a_closed_petition() -> None:
    petition = assigned_petition()
    petition.close("Hết thẩm quyền", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        extend(petition, date(2025, 5, 2))


# -- park and resume ------------------------------------------------------------------------
def test_parking_sets_the_petition_aside() -> None:
    petition = assigned_petition()

    petition.park("Chờ quy hoạch", by=SECRETARIAT, at=AT)

    assert petition.status is Status.PARKED


def test_parking_needs_a_reason() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput):
        petition.park("", by=SECRETARIAT, at=AT)


def test_cannot_park_a_parked_petition() -> None:
    petition = assigned_petition()
    petition.park("Chờ quy hoạch", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        petition.park("Lần nữa", by=SECRETARIAT, at=AT)


def test_cannot_park_a_closed_petition() -> None:
    petition = assigned_petition()
    petition.close("Xong", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        petition.park("Chờ", by=SECRETARIAT, at=AT)


def test_resuming_returns_the_petition_to_the_status_it_had() -> None:
    petition = answered_petition()
    petition.park("Chờ quy hoạch", by=SECRETARIAT, at=AT)

    petition.resume("", by=SECRETARIAT, at=AT)

    assert petition.status is Status.ANSWERED


def test_cannot_resume_a_petition_that_is_not_parked() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidTransition):
        petition.resume("", by=SECRETARIAT, at=AT)


def test_a_parked_petition_is_not_overdue() -> None:
    petition = assigned_petition()
    petition.park("Chờ quy hoạch", by=SECRETARIAT, at=AT)

    assert not petition.is_overdue(date(2025, 6, 1))


# -- withdraw and close -----------------------------------------------------------------------
def test_withdrawing_ends_the_petition() -> None:
    petition = assigned_petition()

    petition.withdraw("Cử tri rút kiến nghị", by=SECRETARIAT, at=AT)

    assert (petition.status, petition.closed_at) == (Status.WITHDRAWN, AT)


def test_withdrawing_needs_a_reason(petition: VoterPetition) -> None:
    with pytest.raises(InvalidInput):
        petition.withdraw("", by=SECRETARIAT, at=AT)


def test_cannot_withdraw_a_withdrawn_petition(petition: VoterPetition) -> None:
    petition.withdraw("Cử tri rút", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        petition.withdraw("Lần nữa", by=SECRETARIAT, at=AT)


def test_closing_ends_the_petition(petition: VoterPetition) -> None:
    petition.close("Không thuộc thẩm quyền", by=SECRETARIAT, at=AT)

    assert (petition.status, petition.is_open) == (Status.CLOSED, False)


def test_closing_needs_a_reason(petition: VoterPetition) -> None:
    with pytest.raises(InvalidInput):
        petition.close("  ", by=SECRETARIAT, at=AT)


def test_cannot_close_a_resolved_petition() -> None:
    petition = answered_petition("resolved")
    accept(petition)

    with pytest.raises(InvalidTransition):
        petition.close("Đóng", by=SECRETARIAT, at=AT)


def test_a_closed_petition_is_never_overdue() -> None:
    petition = assigned_petition()
    petition.close("Đóng", by=SECRETARIAT, at=AT)

    assert not petition.is_overdue(date(2025, 6, 1))


def test_a_petition_being_resolved_past_its_roadmap_date_is_not_overdue() -> None:
    petition = answered_petition("being_resolved", new_due_date=date(2025, 5, 2))
    accept(petition)

    assert not petition.is_overdue(date(2025, 6, 1))


def test_an_assigned_petition_is_overdue_the_day_after_its_due_date() -> None:
    petition = assigned_petition()

    on_due_day = petition.is_overdue(date(2025, 4, 2))
    day_after = petition.is_overdue(date(2025, 4, 3))

    assert (on_due_day, day_after) == (False, True)


# -- guards before mutation -------------------------------------------------------------------
def test_a_refused_command_records_no_event_and_changes_nothing() -> None:
    petition = assigned_petition()
    before = (len(petition.pending_events), petition.status, petition.due_date)

    with pytest.raises(InvalidInput):
        extend(petition, date(2025, 3, 1))

    assert (len(petition.pending_events), petition.status, petition.due_date) == before


def test_a_due_date_years_ahead_is_refused_as_a_typing_slip() -> None:
    petition = new_petition()

    with pytest.raises(InvalidInput) as refused:
        assign(petition, due_date=date(9999, 12, 31))

    assert "due_date" in refused.value.errors


def test_an_extension_years_ahead_is_refused_as_a_typing_slip() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput) as refused:
        petition.extend_deadline(date(2099, 1, 1), "Chờ quy hoạch", by=SECRETARIAT, at=AT)

    assert "new_due_date" in refused.value.errors


def test_a_roadmap_date_years_ahead_is_refused_as_a_typing_slip() -> None:
    petition = assigned_petition()

    with pytest.raises(InvalidInput) as refused:
        petition.record_answer(outcome="being_resolved", text="Có lộ trình",
                               new_due_date=date(2225, 1, 1), today=TODAY, by=AGENCY, at=AT)

    assert "new_due_date" in refused.value.errors
