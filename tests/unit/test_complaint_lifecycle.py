"""Complaints, denunciations and reflections: receipt, classification, resolution, decision."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.complaint import AnonymousDenunciationError, Complaint
from domain.errors import InvalidInput, InvalidTransition
from domain.item import DeadlineError, Status
from tests.unit.conftest import (
    AGENCY, AT, POLICY, SECRETARIAT, TODAY, accept, accepted_complaint, decide, last_event,
    new_complaint,
)


DECISION = {"decision_no": "12/QĐ-UBND", "decision_date": TODAY}


def extend(complaint: Complaint, new_due_date: date, reason: str = "Vụ việc phức tạp",
           **decision: object) -> None:
    complaint.extend_resolution(new_due_date, reason, policy=POLICY, by=SECRETARIAT, at=AT,
                                **(decision or DECISION))


# -- receive --------------------------------------------------------------------------------
def test_a_received_complaint_is_in_status_received() -> None:
    complaint = new_complaint()

    assert (complaint.status, complaint.round_no) == (Status.RECEIVED, 1)


@pytest.mark.parametrize("kind, due", [
    # Received Friday 28 Feb 2025. Complaint: the office processes it (it does not accept
    # it): 10 working days → Friday 14 March.
    ("complaint", date(2025, 3, 14)),
    # Denunciation: 7 working days → 3,4,5,6,7,10,11 March → Tuesday 11 March.
    ("denunciation", date(2025, 3, 11)),
    # Reflection: 10 working days → … 12,13,14 March → Friday 14 March.
    ("reflection", date(2025, 3, 14)),
])
def test_the_first_deadline_depends_on_the_kind(kind: str, due: date) -> None:
    complaint = new_complaint(kind=kind)

    assert complaint.due_date == due


def test_a_denunciation_checked_at_several_places_gets_10_working_days() -> None:
    # 28 Feb + 10 working days = Friday 14 March 2025.
    complaint = new_complaint(kind="denunciation", several_places=True)

    assert complaint.due_date == date(2025, 3, 14)


def test_several_places_must_be_yes_or_no() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_complaint(kind="denunciation", several_places="có")

    assert refused.value.errors == {"several_places": ["Unknown value."]}


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_complaint(kind="petition")

    assert refused.value.errors == {"kind": ["Unknown value."]}


def test_an_unknown_channel_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_complaint(channel="pigeon")

    assert refused.value.errors == {"channel": ["Unknown value."]}


@pytest.mark.parametrize("field_name", ["district", "field"])
def test_an_unknown_reference_code_is_refused(field_name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        new_complaint(**{field_name: "nowhere"})

    assert refused.value.errors == {field_name: ["Unknown value."]}


def test_a_received_date_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_complaint(received_on=TODAY + timedelta(days=1))

    assert refused.value.errors == {"received_on": ["The date received cannot be in the future."]}


def test_a_named_complaint_needs_the_petitioner_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_complaint(petitioner={"name": "", "address": "Số 1"})

    assert refused.value.errors == {"petitioner.name": ["This field is required."]}


def test_a_named_complaint_without_petitioner_data_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_complaint(petitioner=None)

    assert refused.value.errors == {"petitioner.name": ["This field is required."]}


def test_unknown_petitioner_fields_are_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_complaint(petitioner={"name": "Trần Thị B", "religion": "x"})

    assert refused.value.errors == {"petitioner": ["Unknown value."]}


def test_an_anonymous_complaint_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_complaint(kind="complaint", anonymous=True, petitioner=None)

    assert refused.value.errors == {"anonymous": ["A complaint must name the person who complains."]}


def test_an_anonymous_denunciation_is_recorded() -> None:
    complaint = new_complaint(kind="denunciation", anonymous=True, petitioner=None)

    assert (complaint.status, complaint.anonymous) == (Status.RECEIVED, True)


def test_an_anonymous_denunciation_keeps_no_personal_data() -> None:
    complaint = new_complaint(kind="denunciation", anonymous=True,
                              petitioner={"name": "Người gửi", "phone": "0900000000"})

    assert complaint.petitioner == {}


def test_anonymous_must_be_yes_or_no() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_complaint(anonymous="không")

    assert "anonymous" in refused.value.errors


# -- accept (thụ lý) -------------------------------------------------------------------------
def test_accepting_starts_the_resolution_deadline() -> None:
    complaint = new_complaint()

    accept(complaint)

    # Accepted Monday 3 March 2025 + 30 calendar days = Wednesday 2 April 2025.
    assert (complaint.status, complaint.agency, complaint.due_date) == (
        Status.ACCEPTED, "so-xay-dung", date(2025, 4, 2))


@pytest.mark.parametrize("complexity, remote, due", [
    ("normal", False, date(2025, 4, 2)),     # 30 days
    ("complex", False, date(2025, 4, 17)),   # 45 days
    ("normal", True, date(2025, 4, 17)),     # remote area: 45 days
    ("complex", True, date(2025, 5, 2)),     # remote area, complex: 60 days
])
def test_first_round_resolution_limits_follow_article_28(
    complexity: str, remote: bool, due: date,
) -> None:
    complaint = new_complaint()

    accept(complaint, complexity, remote)

    assert complaint.due_date == due


def test_a_denunciation_gets_30_days_to_resolve() -> None:
    complaint = new_complaint(kind="denunciation")

    accept(complaint, "complex")

    assert (complaint.due_date, complaint.deadline["basis"]) == (
        date(2025, 4, 2), "Luật Tố cáo 2018, Điều 30")


def test_an_anonymous_denunciation_is_refused_at_accept() -> None:
    complaint = new_complaint(kind="denunciation", anonymous=True, petitioner=None)

    with pytest.raises(AnonymousDenunciationError):
        accept(complaint)


def test_an_anonymous_denunciation_can_still_be_filed() -> None:
    complaint = new_complaint(kind="denunciation", anonymous=True, petitioner=None)

    complaint.file_away(reason="Đơn nặc danh, không có nội dung cụ thể", by=SECRETARIAT, at=AT)

    assert complaint.status is Status.FILED


def test_accepting_for_an_unknown_agency_is_refused() -> None:
    complaint = new_complaint()

    with pytest.raises(InvalidInput) as refused:
        accept(complaint, agency="so-phep-thuat")

    assert refused.value.errors == {"agency": ["Unknown value."]}


def test_an_unknown_complexity_is_refused() -> None:
    complaint = new_complaint()

    with pytest.raises(InvalidInput) as refused:
        accept(complaint, "trivial")

    assert refused.value.errors == {"complexity": ["Unknown value."]}


def test_remote_area_must_be_yes_or_no() -> None:
    complaint = new_complaint()

    with pytest.raises(InvalidInput) as refused:
        accept(complaint, remote_area="xa")

    assert refused.value.errors == {"remote_area": ["Unknown value."]}


def test_cannot_accept_twice() -> None:
    complaint = accepted_complaint()

    with pytest.raises(InvalidTransition):
        accept(complaint)


# -- forward, return with guidance, file ------------------------------------------------------
def test_a_forwarded_don_stays_open_until_the_result_notice_is_recorded() -> None:
    complaint = new_complaint()

    complaint.forward(to_body="UBND quận Hoàn Kiếm", reason="Không thuộc thẩm quyền",
                      by=SECRETARIAT, at=AT)

    assert (complaint.status, complaint.is_open, complaint.closed_at) == (
        Status.FORWARDED, True, None)


def test_recording_the_result_notice_ends_the_follow_up() -> None:
    complaint = new_complaint()
    complaint.forward(to_body="UBND quận Hoàn Kiếm", reason="Không thuộc thẩm quyền",
                      by=SECRETARIAT, at=AT)

    complaint.record_result_notice(notice_no="12/TB-UBND", notice_date=TODAY,
                                   summary="Đã giải quyết.", today=TODAY, by=SECRETARIAT, at=AT)

    assert (complaint.status, complaint.closed_at) == (Status.RESULT_NOTIFIED, AT)


def test_forwarding_needs_the_receiving_body() -> None:
    complaint = new_complaint()

    with pytest.raises(InvalidInput) as refused:
        complaint.forward(to_body="", reason="Không thuộc thẩm quyền", by=SECRETARIAT, at=AT)

    assert refused.value.errors == {"to_body": ["This field is required."]}


def test_forwarding_needs_a_reason() -> None:
    complaint = new_complaint()

    with pytest.raises(InvalidInput) as refused:
        complaint.forward(to_body="UBND quận Hoàn Kiếm", reason="", by=SECRETARIAT, at=AT)

    assert refused.value.errors == {"reason": ["This field is required."]}


def test_cannot_forward_an_accepted_complaint() -> None:
    complaint = accepted_complaint()

    with pytest.raises(InvalidTransition):
        complaint.forward(to_body="Bộ Xây dựng", reason="Sai", by=SECRETARIAT, at=AT)


def test_returning_with_guidance_ends_the_complaint() -> None:
    complaint = new_complaint()

    complaint.return_with_guidance(reason="Hướng dẫn gửi đến UBND phường", by=SECRETARIAT, at=AT)

    assert complaint.status is Status.GUIDED


def test_returning_with_guidance_needs_a_reason() -> None:
    complaint = new_complaint()

    with pytest.raises(InvalidInput):
        complaint.return_with_guidance(reason="", by=SECRETARIAT, at=AT)


def test_cannot_return_a_filed_complaint() -> None:
    complaint = new_complaint()
    complaint.file_away(reason="Trùng đơn", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        complaint.return_with_guidance(reason="Hướng dẫn", by=SECRETARIAT, at=AT)


def test_filing_ends_the_complaint() -> None:
    complaint = new_complaint()

    complaint.file_away(reason="Đơn trùng", by=SECRETARIAT, at=AT)

    assert (complaint.status, complaint.is_open) == (Status.FILED, False)


def test_filing_needs_a_reason() -> None:
    complaint = new_complaint()

    with pytest.raises(InvalidInput):
        complaint.file_away(reason=" ", by=SECRETARIAT, at=AT)


def test_cannot_file_an_accepted_complaint() -> None:
    complaint = accepted_complaint()

    with pytest.raises(InvalidTransition):
        complaint.file_away(reason="Trùng", by=SECRETARIAT, at=AT)


# -- extensions -----------------------------------------------------------------------------
def test_a_complaint_resolution_cannot_be_extended() -> None:
    complaint = accepted_complaint("complaint", "complex")

    with pytest.raises(DeadlineError):
        extend(complaint, date(2025, 5, 2))


def test_the_generic_extension_cannot_bypass_the_complaints_law() -> None:
    complaint = accepted_complaint("complaint")

    with pytest.raises(DeadlineError):
        complaint.extend_deadline(date(2025, 5, 2), "Phức tạp", by=SECRETARIAT, at=AT)


def test_a_normal_denunciation_cannot_be_extended() -> None:
    complaint = accepted_complaint("denunciation", "normal")

    with pytest.raises(DeadlineError):
        extend(complaint, date(2025, 4, 30))


def test_a_complex_denunciation_can_be_extended_once() -> None:
    complaint = accepted_complaint("denunciation", "complex")

    extend(complaint, date(2025, 5, 2))

    assert (complaint.due_date, complaint.extensions) == (date(2025, 5, 2), 1)


def test_a_complex_denunciation_cannot_be_extended_twice() -> None:
    complaint = accepted_complaint("denunciation", "complex")
    extend(complaint, date(2025, 5, 2))

    with pytest.raises(DeadlineError):
        extend(complaint, date(2025, 5, 20))


def test_an_especially_complex_denunciation_can_be_extended_twice() -> None:
    complaint = accepted_complaint("denunciation", "especially_complex")
    extend(complaint, date(2025, 5, 2))

    extend(complaint, date(2025, 6, 1))

    assert (complaint.due_date, complaint.extensions) == (date(2025, 6, 1), 2)


def test_an_especially_complex_denunciation_cannot_be_extended_a_third_time() -> None:
    complaint = accepted_complaint("denunciation", "especially_complex")
    extend(complaint, date(2025, 5, 2))
    extend(complaint, date(2025, 6, 1))

    with pytest.raises(DeadlineError):
        extend(complaint, date(2025, 6, 20))


def test_a_denunciation_extension_of_exactly_30_days_is_allowed() -> None:
    complaint = accepted_complaint("denunciation", "complex")

    extend(complaint, date(2025, 4, 2) + timedelta(days=30))

    assert complaint.due_date == date(2025, 5, 2)


def test_a_denunciation_extension_over_30_days_is_refused() -> None:
    complaint = accepted_complaint("denunciation", "complex")

    with pytest.raises(InvalidInput) as refused:
        extend(complaint, date(2025, 4, 2) + timedelta(days=31))

    assert refused.value.errors == {"new_due_date": ["An extension may add at most 30 days."]}


def test_the_generic_extension_cannot_bypass_the_denunciation_limit() -> None:
    complaint = accepted_complaint("denunciation", "normal")

    with pytest.raises(DeadlineError):
        complaint.extend_deadline(date(2025, 4, 20), "Phức tạp", by=SECRETARIAT, at=AT)


def test_a_reflection_can_be_extended_with_a_reason() -> None:
    complaint = accepted_complaint("reflection")

    extend(complaint, date(2025, 6, 30))

    assert complaint.due_date == date(2025, 6, 30)


def test_a_denunciation_extension_records_its_decision() -> None:
    denunciation = accepted_complaint("denunciation", "complex")

    extend(denunciation, date(2025, 5, 2), decision_no="12/QĐ-UBND", decision_date=TODAY)

    event = last_event(denunciation)
    assert (event.decision_no, event.decision_date) == ("12/QĐ-UBND", TODAY)


def test_a_denunciation_extension_needs_its_decision_number_and_date() -> None:
    denunciation = accepted_complaint("denunciation", "complex")

    with pytest.raises(InvalidInput) as refused:
        extend(denunciation, date(2025, 5, 2), decision_no="", decision_date=None)

    assert set(refused.value.errors) == {"decision_no", "decision_date"}
    assert denunciation.extensions == 0


def test_an_extension_decision_dated_after_today_is_refused() -> None:
    denunciation = accepted_complaint("denunciation", "complex")

    with pytest.raises(InvalidInput) as refused:
        extend(denunciation, date(2025, 5, 2), decision_no="12/QĐ-UBND",
               decision_date=TODAY + timedelta(days=1))

    assert refused.value.errors == {
        "decision_date": ["The decision date cannot be in the future."]}


def test_an_extension_decision_dated_before_the_receipt_is_refused() -> None:
    denunciation = accepted_complaint("denunciation", "complex")

    with pytest.raises(InvalidInput) as refused:
        extend(denunciation, date(2025, 5, 2), decision_no="12/QĐ-UBND",
               decision_date=denunciation.received_on - timedelta(days=1))

    assert refused.value.errors == {
        "decision_date": ["The decision date cannot be before the date received."]}


def test_an_extension_stored_before_decisions_were_kept_reads_with_none() -> None:
    state = {"new_due_date": date(2025, 5, 2), "reason": "Phức tạp"}

    Complaint.DeadlineExtended.upcast_v1_v2(state)

    assert (state["decision_no"], state["decision_date"]) == ("", None)


def test_cannot_extend_a_complaint_that_is_not_accepted() -> None:
    complaint = new_complaint(kind="denunciation")

    with pytest.raises(InvalidTransition):
        extend(complaint, date(2025, 3, 20))


# -- decision -------------------------------------------------------------------------------
@pytest.mark.parametrize("result", ["correct", "partly_correct", "incorrect"])
def test_a_decision_closes_the_complaint_with_its_result(result: str) -> None:
    complaint = accepted_complaint()

    decide(complaint, result)

    assert (complaint.status, complaint.outcome, complaint.is_open) == (Status.DECIDED, result, False)


def test_the_decision_keeps_its_number_and_date() -> None:
    complaint = new_complaint(received_on=date(2025, 2, 24))
    accept(complaint, today=date(2025, 2, 27))

    decide(complaint, decision_no="45/QĐ-UBND", decided_on=date(2025, 3, 1))

    assert complaint.decision == {
        "result": "incorrect", "decision_no": "45/QĐ-UBND", "decided_on": date(2025, 3, 1)}


def test_an_unknown_decision_result_is_refused() -> None:
    complaint = accepted_complaint()

    with pytest.raises(InvalidInput) as refused:
        decide(complaint, "maybe")

    assert refused.value.errors == {"result": ["Unknown value."]}


def test_a_decision_needs_its_text() -> None:
    complaint = accepted_complaint()

    with pytest.raises(InvalidInput) as refused:
        decide(complaint, text="")

    assert refused.value.errors == {"text": ["This field is required."]}


def test_a_decision_dated_in_the_future_is_refused() -> None:
    complaint = accepted_complaint()

    with pytest.raises(InvalidInput) as refused:
        decide(complaint, decided_on=TODAY + timedelta(days=1))

    assert refused.value.errors == {"decided_on": ["The decision date cannot be in the future."]}


def test_a_decision_dated_before_the_complaint_was_received_is_refused() -> None:
    complaint = accepted_complaint()

    with pytest.raises(InvalidInput) as refused:
        decide(complaint, decided_on=date(2025, 2, 27))

    assert refused.value.errors == {
        "decided_on": ["The decision date cannot be before the date received."]}


def test_a_decision_dated_before_the_acceptance_is_refused() -> None:
    complaint = new_complaint(received_on=date(2025, 2, 24))
    accept(complaint, today=date(2025, 2, 28))

    with pytest.raises(InvalidInput) as refused:
        decide(complaint, decided_on=date(2025, 2, 27))

    assert refused.value.errors == {
        "decided_on": ["The decision date cannot be before the acceptance."]}


def test_a_decision_dated_on_the_day_of_acceptance_is_accepted() -> None:
    complaint = accepted_complaint()  # accepted on TODAY

    decide(complaint, decided_on=TODAY)

    assert complaint.decision["decided_on"] == TODAY


def test_cannot_decide_a_complaint_that_is_not_accepted() -> None:
    complaint = new_complaint()

    with pytest.raises(InvalidTransition):
        decide(complaint)


def test_cannot_decide_twice() -> None:
    complaint = accepted_complaint()
    decide(complaint)

    with pytest.raises(InvalidTransition):
        decide(complaint)


def test_the_decision_event_records_the_deciding_agency() -> None:
    complaint = accepted_complaint()

    decide(complaint)

    assert (last_event(complaint).agency, last_event(complaint).actor) == (
        "so-xay-dung", AGENCY.username)


# -- shared commands on complaints ------------------------------------------------------------
def test_a_parked_complaint_resumes_as_accepted() -> None:
    complaint = accepted_complaint()
    complaint.park("Chờ kết quả giám định", by=SECRETARIAT, at=AT)

    complaint.resume("Đã có kết quả", by=SECRETARIAT, at=AT)

    assert complaint.status is Status.ACCEPTED


def test_a_withdrawn_complaint_cannot_be_decided() -> None:
    complaint = accepted_complaint()
    complaint.withdraw("Người khiếu nại rút đơn", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        decide(complaint)


def test_a_closed_complaint_cannot_be_accepted() -> None:
    complaint = new_complaint()
    complaint.close("Đơn không đủ điều kiện", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        accept(complaint)


def test_the_acceptance_decision_date_starts_the_resolution_clock() -> None:
    complaint = new_complaint()

    accept(complaint, acceptance_no="15/QĐ-UBND", accepted_on=date(2025, 3, 1))

    # 30 days from Sat 1 March 2025 is Mon 31 March.
    assert (complaint.accepted_on, complaint.due_date) == (date(2025, 3, 1), date(2025, 3, 31))
    assert complaint.acceptance_no == "15/QĐ-UBND"


def test_an_acceptance_decision_dated_before_the_don_was_received_is_refused() -> None:
    complaint = new_complaint()

    with pytest.raises(InvalidInput) as refused:
        accept(complaint, accepted_on=date(2025, 2, 27))

    assert "accepted_on" in refused.value.errors
