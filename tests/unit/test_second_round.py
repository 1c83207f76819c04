"""Second-round complaints (khiếu nại lần hai): only after a first-round decision, never a third."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.complaint import Complaint, SecondRoundError
from tests.unit.conftest import (
    AT, SECRETARIAT, TODAY, accept, accepted_complaint, decided_complaint, new_complaint,
)


def second_round(first: Complaint, code: str = "DT-2025-00002", **changes: object) -> Complaint:
    changes.setdefault("received_on", TODAY)  # the first round is decided on TODAY
    return new_complaint(code=code, first_round=first, **changes)


def test_a_second_round_complaint_is_round_two() -> None:
    first = decided_complaint()

    second = second_round(first)

    assert (second.round_no, second.first_round_id, second.first_round_code) == (
        2, first.id, first.code)


def test_a_second_round_needs_a_decided_first_round() -> None:
    first = accepted_complaint()

    with pytest.raises(SecondRoundError):
        second_round(first)


def test_a_received_first_round_cannot_have_a_second_round() -> None:
    first = new_complaint()

    with pytest.raises(SecondRoundError):
        second_round(first)


def test_a_decided_denunciation_cannot_have_a_second_round() -> None:
    first = decided_complaint(kind="denunciation")

    with pytest.raises(SecondRoundError):
        second_round(first, kind="denunciation")


def test_a_second_round_must_itself_be_a_complaint() -> None:
    first = decided_complaint()

    with pytest.raises(SecondRoundError):
        second_round(first, kind="reflection")


def test_a_second_round_complaint_cannot_have_a_third_round() -> None:
    first = decided_complaint()
    second = second_round(first)
    accept(second)
    second.issue_decision(result="incorrect", text="Giữ nguyên", decision_no="",
                          decided_on=date(2025, 3, 3), today=date(2025, 3, 3),
                          by=SECRETARIAT, at=AT)

    with pytest.raises(SecondRoundError):
        second_round(second, code="DT-2025-00003")


def test_the_first_round_records_its_second_round() -> None:
    first = decided_complaint()
    second = second_round(first)

    first.link_second_round(second, by=SECRETARIAT, at=AT)

    assert first.second_round_codes == ["DT-2025-00002"]


def test_a_first_round_takes_only_one_second_round() -> None:
    first = decided_complaint()
    first.link_second_round(second_round(first), by=SECRETARIAT, at=AT)

    with pytest.raises(SecondRoundError):
        second_round(first, code="DT-2025-00003")


def test_only_a_complaint_of_this_first_round_can_be_linked_to_it() -> None:
    first = decided_complaint()
    other = decided_complaint(code="DT-2025-00009")
    stranger = second_round(other)

    with pytest.raises(SecondRoundError):
        first.link_second_round(stranger, by=SECRETARIAT, at=AT)


def test_a_second_round_received_before_the_first_decision_is_refused() -> None:
    first = decided_complaint()  # received 28 February, decided 3 March 2025

    with pytest.raises(SecondRoundError):
        second_round(first, received_on=date(2025, 2, 28))


@pytest.mark.parametrize("complexity, remote, due", [
    # Accepted Monday 3 March 2025 (weekends only calendar):
    ("normal", False, date(2025, 4, 17)),    # +45 days, Thursday
    ("complex", False, date(2025, 5, 2)),    # +60 days, Friday
    ("normal", True, date(2025, 5, 2)),      # remote area: +60 days
    ("complex", True, date(2025, 5, 12)),    # remote area, complex: +70 days, Monday
])
def test_second_round_resolution_limits_follow_article_37(
    complexity: str, remote: bool, due: date,
) -> None:
    second = second_round(decided_complaint())

    accept(second, complexity, remote)

    assert second.due_date == due


def test_a_second_round_is_allowed_when_the_first_round_ran_out_of_time() -> None:
    first = accepted_complaint()
    late = first.due_date + timedelta(days=1)

    second = second_round(first, received_on=late, today=late)
    first.link_second_round(second, by=SECRETARIAT, at=AT)

    assert second.round_no == 2 and first.second_round_codes == [second.code]


def test_a_second_round_is_refused_while_the_first_round_is_still_in_time() -> None:
    first = accepted_complaint()

    with pytest.raises(SecondRoundError):
        second_round(first, received_on=first.due_date, today=first.due_date)
