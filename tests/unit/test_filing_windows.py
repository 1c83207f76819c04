"""Time to file a complaint (Luật Khiếu nại 2011, art. 9) and the second-round window (art. 33).

Hand counts (weekends only, no holidays): a first decision of Mon 3/3/2025 opens a 30-day
window to Wed 2/4/2025, 45 days in remote areas to Thu 17/4/2025; learning of a decision on
Wed 1/1/2025 leaves until Tue 1/4/2025 (90 days) to complain.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.complaint import FilingWindowError
from tests.unit.conftest import TODAY, accept, decide, decided_complaint, new_complaint


def second_round(first, received_on: date, **changes):
    return new_complaint(code="DT-2025-00002", first_round=first, received_on=received_on,
                         today=received_on, **changes)


def test_a_second_round_on_the_last_day_of_its_window_is_received() -> None:
    second = second_round(decided_complaint(), date(2025, 4, 2))

    assert second.round_no == 2
    assert second.filing_window["due"] == date(2025, 4, 2)


def test_a_second_round_the_day_after_its_window_is_refused_naming_article_33() -> None:
    with pytest.raises(FilingWindowError) as refused:
        second_round(decided_complaint(), date(2025, 4, 3))

    assert "Điều 33" in str(refused.value) and "02/04/2025" in str(refused.value)


def test_a_second_round_195_days_after_the_decision_is_refused() -> None:
    with pytest.raises(FilingWindowError):
        second_round(decided_complaint(), TODAY + timedelta(days=195))


def test_in_a_remote_area_the_second_round_window_is_45_days() -> None:
    first = new_complaint()
    accept(first, remote_area=True)
    decide(first)

    assert second_round(first, date(2025, 4, 17)).round_no == 2
    with pytest.raises(FilingWindowError):
        second_round(first, date(2025, 4, 18))


def test_a_late_second_round_with_a_recorded_lawful_excuse_is_received() -> None:
    second = second_round(decided_complaint(), date(2025, 4, 10),
                          lawful_excuse="Ốm nặng, có giấy ra viện ngày 08/4/2025")

    assert second.filing_window["late"] is True
    assert second.filing_window["lawful_excuse"].startswith("Ốm nặng")


def test_a_complaint_filed_90_days_after_learning_of_the_decision_is_received() -> None:
    item = new_complaint(learned_on=date(2025, 1, 1), received_on=date(2025, 4, 1),
                         today=date(2025, 4, 1))

    assert item.filing_window["late"] is False
    assert "Điều 9" in item.filing_window["basis"]


def test_a_complaint_filed_91_days_after_learning_of_the_decision_is_refused_naming_article_9() -> None:
    with pytest.raises(FilingWindowError) as refused:
        new_complaint(learned_on=date(2025, 1, 1), received_on=date(2025, 4, 2),
                      today=date(2025, 4, 2))

    assert "Điều 9" in str(refused.value) and "Điều 11" in str(refused.value)


def test_a_date_learned_of_after_the_date_received_is_refused() -> None:
    from domain.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        new_complaint(learned_on=date(2025, 3, 1), received_on=date(2025, 2, 28))

    assert "learned_on" in refused.value.errors


def test_a_denunciation_has_no_time_to_file() -> None:
    item = new_complaint(kind="denunciation", learned_on=date(2020, 1, 1))

    assert item.filing_window is None
