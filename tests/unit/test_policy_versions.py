"""The dated deadline policy: an item is judged by the version in force on its triggering date."""
from __future__ import annotations

from datetime import date

import pytest

from domain.deadline import WORKING_DAYS, DeadlinePolicy
from domain.errors import InvalidInput
from domain.policy_register import check_version
from tests.unit.conftest import WEEKENDS_ONLY, new_complaint

POLICY = DeadlinePolicy()
TEN_DAYS = {"code": "2027", "name": "Quy định thử", "effective_from": "2027-01-04",
            "basis": "Nghị định 1/2027/NĐ-CP",
            "limits": {"denunciation_initial": {"amount": "10", "unit": WORKING_DAYS,
                                                 "basis": "Nghị định 1/2027/NĐ-CP, Điều 5"}}}


def test_a_complaint_accepted_on_30_june_2026_is_judged_by_the_2011_2018_laws() -> None:
    deadline = POLICY.compute("complaint_resolve_1", date(2026, 6, 30), WEEKENDS_ONLY)

    assert deadline.version == "2019"


def test_a_complaint_accepted_on_1_july_2026_is_judged_by_law_136_2025() -> None:
    deadline = POLICY.compute("complaint_resolve_1", date(2026, 7, 1), WEEKENDS_ONLY)

    assert deadline.version == "2026-07"
    assert "136/2025/QH15" in deadline.basis


def test_complaint_suspension_stops_the_clock_only_from_1_july_2026() -> None:
    assert "complaint" not in POLICY.version_on(date(2026, 6, 30)).clock_stops
    assert "complaint" in POLICY.version_on(date(2026, 7, 1)).clock_stops
    assert "denunciation" in POLICY.version_on(date(2025, 5, 5)).clock_stops


def test_the_petition_answer_limit_is_labelled_council_practice() -> None:
    deadline = POLICY.compute("petition_answer", date(2026, 3, 2), WEEKENDS_ONLY)

    assert deadline.practice
    assert "72/2025" in deadline.basis


def test_an_item_received_the_day_before_a_new_version_is_judged_by_the_old_one() -> None:
    policy = POLICY.with_version(check_version(TEN_DAYS, POLICY))

    item = new_complaint(kind="denunciation", received_on=date(2027, 1, 1),
                         today=date(2027, 1, 1), policy=policy)

    assert (item.deadline["version"], item.deadline["amount"]) == ("2026-07", 7)


def test_an_item_received_on_the_first_day_of_a_new_version_is_judged_by_it() -> None:
    policy = POLICY.with_version(check_version(TEN_DAYS, POLICY))

    item = new_complaint(kind="denunciation", received_on=date(2027, 1, 4),
                         today=date(2027, 1, 4), policy=policy)

    assert (item.deadline["version"], item.deadline["amount"]) == ("2027", 10)
    assert item.due_date == date(2027, 1, 18)


def test_a_new_version_keeps_the_limits_it_does_not_change() -> None:
    version = check_version(TEN_DAYS, POLICY)

    assert version.limits["complaint_resolve_1"] == POLICY.version_on(
        date(2027, 1, 4)).limits["complaint_resolve_1"]


@pytest.mark.parametrize("change,field", [
    ({"code": "2019"}, "code"),
    ({"effective_from": "2026-07-01"}, "effective_from"),
    ({"effective_from": "1/7/2027"}, "effective_from"),
    ({"basis": ""}, "basis"),
    ({"limits": {"nap_time": {"amount": 1, "unit": WORKING_DAYS, "basis": "x"}}}, "limits.nap_time"),
    ({"limits": {"classify": {"amount": "0", "unit": WORKING_DAYS, "basis": "x"}}},
     "limits.classify.amount"),
    ({"limits": {"classify": {"amount": 5, "unit": "fortnights", "basis": "x"}}},
     "limits.classify.unit"),
])
def test_a_bad_version_is_refused_field_by_field(change, field) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_version({**TEN_DAYS, **change}, POLICY)

    assert field in refused.value.errors


def test_a_petition_the_national_assembly_forwards_is_answered_within_60_days() -> None:
    # Received Mon 2/3/2026: 60 days is Fri 1/5/2026, a holiday here, so weekends only.
    deadline = POLICY.compute("na_petition_answer", date(2026, 3, 2), WEEKENDS_ONLY)

    assert deadline.due == date(2026, 5, 1)
    assert "30/2020/QĐ-TTg" in deadline.basis and not deadline.practice


def test_law_136_2025_amends_only_the_bases_of_the_two_laws() -> None:
    limits = POLICY.version_on(date(2026, 7, 1)).limits

    assert "136/2025" in limits["denunciation_forward"].basis
    assert "136/2025" not in limits["na_petition_answer"].basis
    assert "136/2025" not in limits["classify"].basis
