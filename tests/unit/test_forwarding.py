"""Forwarding a đơn: the 5-working-day limit for denunciations (Luật Tố cáo 2018, art. 24)
and the follow-up until the competent body's result notice.

Hand counts (weekends only): a denunciation received Mon 3/3/2025 must be forwarded by
Mon 10/3/2025; forwarded that day, the result notice is expected 30 days later, Wed 9/4/2025.
"""
from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInput
from tests.unit.conftest import AT, POLICY, SECRETARIAT, TODAY, WEEKENDS_ONLY, new_complaint


def forwarded(kind: str, on: date):
    item = new_complaint(kind=kind, received_on=TODAY)
    item.forward(to_body="Thanh tra thành phố", reason="Không thuộc thẩm quyền",
                 policy=POLICY, calendar=WEEKENDS_ONLY, today=on, by=SECRETARIAT, at=AT)
    return item


def test_a_denunciation_forwarded_on_the_fifth_working_day_is_on_time() -> None:
    item = forwarded("denunciation", date(2025, 3, 10))

    assert item.forwarded_late is False
    assert item.pending_events[-1].forward_due == date(2025, 3, 10)


def test_a_denunciation_forwarded_on_the_sixth_working_day_shows_as_late() -> None:
    item = forwarded("denunciation", date(2025, 3, 11))

    assert item.forwarded_late is True


def test_a_forwarded_don_is_due_for_its_result_notice_30_days_later() -> None:
    item = forwarded("complaint", date(2025, 3, 10))

    assert item.due_date == date(2025, 4, 9)
    assert item.deadline["rule"] == "forward_result_notice" and item.deadline["practice"]


def test_a_complaint_has_no_forwarding_limit_so_it_is_never_late() -> None:
    assert forwarded("complaint", date(2025, 6, 30)).forwarded_late is False


def test_a_result_notice_after_the_follow_up_date_is_recorded_as_late() -> None:
    item = forwarded("denunciation", date(2025, 3, 10))

    item.record_result_notice(notice_no="7/TB-TTr", notice_date=date(2025, 4, 10),
                              summary="Đã giải quyết.", today=date(2025, 4, 11),
                              by=SECRETARIAT, at=AT)

    assert item.result_notice["on_time"] is False


def test_a_result_notice_dated_in_the_future_is_refused() -> None:
    item = forwarded("denunciation", date(2025, 3, 10))

    with pytest.raises(InvalidInput) as refused:
        item.record_result_notice(notice_no="7/TB-TTr", notice_date=date(2025, 3, 12),
                                  summary="Đã giải quyết.", today=date(2025, 3, 11),
                                  by=SECRETARIAT, at=AT)

    assert "notice_date" in refused.value.errors
