"""A commitment from its questioning session to its assessment: lifecycle, measure, sub-items."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.commitment import (
    Commitment, CommitmentStatus, QuestioningSession, category_counts, format_measure,
)
from domain.errors import InvalidInput, InvalidTransition
from domain.item_types import REGISTRY
from domain.reference import KnownCodes
from tests.unit.conftest import AGENCY, AT, POLICY, SECRETARIAT, WEEKENDS_ONLY

TODAY = date(2026, 12, 2)
KNOWN = KnownCodes(agencies={"so-xay-dung", "so-tai-chinh"}, fields={"land", "other"},
                   sessions={"XVI-22", "XVII-02", "XVII-03"})
HELD = date(2025, 12, 3)
SOURCE = {"code": "XVI-22-CV1", "kind": "questioning", "council_session": "XVI-22",
          "held_on": HELD, "topic": "Dự án chậm triển khai", "conclusion_no": "15/KL-HĐND",
          "conclusion_date": date(2025, 12, 10)}
CATEGORIES = ["Chưa xử lý", "Đưa ra khỏi danh mục", "Đang xử lý", "Thu hồi"]


def commitment(**changes: Any) -> Commitment:
    data: dict[str, Any] = dict(
        code="CK-2025-00001", source=SOURCE, title="Xử lý dứt điểm 8 dự án chậm triển khai",
        content="Giám đốc Sở hứa xử lý dứt điểm 8 dự án trước 30/06/2026.",
        agency="so-xay-dung", leader_name="Nguyễn Văn B", leader_position="Giám đốc Sở",
        field="land", target_date=date(2026, 6, 30), unit="projects", target=8, known=KNOWN,
        today=TODAY, by=SECRETARIAT, at=AT)
    data.update(changes)
    return Commitment.record(**data)


def report(c: Commitment, value: Any = 4, **changes: Any) -> None:
    data: dict[str, Any] = dict(council_session="XVII-02", as_of=date(2026, 6, 30),
                                text="Đã hoàn thành 4 dự án.", value=value, unit="projects",
                                known=KNOWN, today=TODAY, by=AGENCY, at=AT)
    data.update(changes)
    c.report_progress(**data)


def test_a_recorded_commitment_has_its_code_agency_target_and_explained_deadline() -> None:
    c = commitment()

    assert (c.code, c.status, c.agency, c.due_date) == (
        "CK-2025-00001", CommitmentStatus.RECORDED, "so-xay-dung", date(2026, 6, 30))
    assert c.deadline["basis"] == ("Hạn do Kết luận số 15/KL-HĐND của phiên chất vấn "
                                   "ngày 03/12/2025 xác định")


def test_the_commitment_type_is_one_registered_type_with_prefix_ck() -> None:
    declared = REGISTRY.for_kind("commitment")

    assert (declared.code_prefix, declared.aggregate, declared.initial) == (
        "CK", Commitment, "recorded")


def test_a_target_date_before_the_session_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        commitment(target_date=date(2025, 11, 30))

    assert "target_date" in refused.value.errors


def test_a_measure_in_an_unknown_unit_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        commitment(unit="km")

    assert "unit" in refused.value.errors


def test_reporting_progress_waits_for_review_then_accepting_counts_it() -> None:
    c = commitment()

    report(c, 4)
    assert c.status is CommitmentStatus.REPORTED
    c.accept_report(by=SECRETARIAT, at=AT)

    assert c.status is CommitmentStatus.IN_PROGRESS
    assert c.latest_value() == 4
    assert format_measure(c.latest_value(), 8, "dự án") == "04/08 dự án"


def test_asking_again_leaves_the_returned_value_out() -> None:
    c = commitment()
    report(c, 4)

    c.return_report(reason="Chưa có số liệu kiểm chứng", by=SECRETARIAT, at=AT)

    assert c.status is CommitmentStatus.IN_PROGRESS
    assert c.latest_value() is None


def test_a_value_above_the_target_without_a_note_is_refused_and_nothing_is_recorded() -> None:
    c = commitment()

    with pytest.raises(InvalidInput) as refused:
        report(c, 9)

    assert "note" in refused.value.errors
    assert (c.status, c.reports) == (CommitmentStatus.RECORDED, [])


def test_a_value_above_the_target_with_a_note_is_recorded() -> None:
    c = commitment()

    report(c, 9, note="Bổ sung 1 dự án phát sinh")

    assert c.latest_value() == 9


def test_a_value_in_the_wrong_unit_is_refused() -> None:
    c = commitment()

    with pytest.raises(InvalidInput) as refused:
        report(c, 4, unit="hectares")

    assert "unit" in refused.value.errors


def test_a_report_on_a_dropped_commitment_is_refused() -> None:
    c = commitment()
    c.drop(reason="Dự án đã được Trung ương điều chỉnh", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        report(c)

    assert c.status is CommitmentStatus.DROPPED


def test_assessing_met_on_time_ends_the_commitment() -> None:
    c = commitment()

    c.assess(outcome="met", text="Đã hoàn thành 8/8 dự án", assessed_on=date(2026, 6, 25),
             today=TODAY, by=SECRETARIAT, at=AT)

    assert (c.status, c.is_open, c.assessment["on_time"]) == (CommitmentStatus.MET, False, True)


def test_assessing_met_after_the_target_is_met_late() -> None:
    c = commitment()

    c.assess(outcome="met", text="Hoàn thành muộn", assessed_on=date(2026, 9, 1),
             today=TODAY, by=SECRETARIAT, at=AT)

    assert c.assessment["on_time"] is False


def test_requestioning_links_the_new_commitment() -> None:
    old = commitment()
    old.assess(outcome="not_met", text="Mới đạt 4/8", assessed_on=date(2026, 7, 1),
               today=TODAY, by=SECRETARIAT, at=AT)
    new = commitment(code="CK-2026-00001", follows=old.code, target_date=date(2026, 12, 31))

    old.requestion(new, by=SECRETARIAT, at=AT)

    assert (old.status, old.followed_by, new.follows) == (
        CommitmentStatus.REQUESTIONED, "CK-2026-00001", "CK-2025-00001")


def test_sub_items_move_between_categories_when_the_report_is_accepted() -> None:
    lines = [{"ref": str(n), "name": f"Dự án {n}", "category": "Chưa xử lý"} for n in range(10)]
    c = commitment(unit="", target=None, categories=CATEGORIES, subitems=lines)
    moves = {"0": "Thu hồi", "1": "Đang xử lý", "2": "Đang xử lý"}

    report(c, value=None, unit="", moves=moves)
    before = category_counts(c.subitems, c.subitem_categories)
    c.accept_report(by=SECRETARIAT, at=AT)

    assert [r["count"] for r in before] == [10, 0, 0, 0]
    assert category_counts(c.subitems, c.subitem_categories) == [
        {"category": "Chưa xử lý", "count": 7, "percent": 70.0},
        {"category": "Đưa ra khỏi danh mục", "count": 0, "percent": 0.0},
        {"category": "Đang xử lý", "count": 2, "percent": 20.0},
        {"category": "Thu hồi", "count": 1, "percent": 10.0}]


def test_a_move_to_an_unknown_category_is_refused() -> None:
    lines = [{"ref": "1", "name": "Dự án 1", "category": "Chưa xử lý"}]
    c = commitment(unit="", target=None, categories=CATEGORIES, subitems=lines)

    with pytest.raises(InvalidInput) as refused:
        report(c, value=None, unit="", moves={"1": "Bán"})

    assert "moves" in refused.value.errors


def test_a_commitment_past_its_target_date_escalates_like_any_item() -> None:
    c = commitment(target_date=date(2026, 1, 15))

    levels = c.escalations_due(date(2026, 3, 1), POLICY, WEEKENDS_ONLY)

    assert levels == [0, 1, 2, 3]


def test_a_report_awaiting_review_pauses_the_ladder() -> None:
    c = commitment(target_date=date(2026, 1, 15))
    report(c, 4, as_of=date(2026, 1, 10))

    assert c.escalations_due(date(2026, 3, 1), POLICY, WEEKENDS_ONLY) == []


def test_a_questioning_session_outside_its_council_session_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        QuestioningSession.hold(
            code="XVI-22-CV1", kind="questioning", council_session="XVI-22",
            held_on=date(2025, 11, 1), topic="Dự án chậm triển khai", leader_name="Ông B",
            leader_position="Giám đốc Sở", agency="so-xay-dung", deputies=["Bà C"],
            known=KNOWN, session_dates=(date(2025, 12, 2), date(2025, 12, 4)), today=TODAY,
            by=SECRETARIAT, at=AT)

    assert "held_on" in refused.value.errors
