"""Level-2 escalation tells the office of the unit that exists on the day."""
from __future__ import annotations

from datetime import date

from domain.deadline import DEFAULT_POLICY
from petitions.notifications.recipients import CITY_OFFICE_EMAIL, RecipientDirectory
from petitions.reference import shipped_reference

UNITS = {u["code"]: u for u in shipped_reference()["units"]}


def office_level(district: str, on: date) -> list[str]:
    directory = RecipientDirectory.load({}, units=UNITS)
    return directory.recipients(DEFAULT_POLICY.recipients("office"), "so-xay-dung", district,
                                on=on)


def test_before_the_reform_the_district_office_is_told() -> None:
    assert office_level("ba-dinh", date(2025, 6, 30)) == [
        "van-phong.ba-dinh@hanoi.invalid", CITY_OFFICE_EMAIL]


def test_after_the_reform_the_ward_office_is_told() -> None:
    assert office_level("00097", date(2026, 12, 1)) == [
        "van-phong.00097@hanoi.invalid", CITY_OFFICE_EMAIL]


def test_an_abolished_district_has_no_office_so_only_the_city_office_is_told() -> None:
    assert office_level("ba-dinh", date(2025, 7, 1)) == [CITY_OFFICE_EMAIL]


def test_every_new_unit_names_its_office_as_the_council_office_writes_it() -> None:
    assert UNITS["00097"]["office"] == "Văn phòng HĐND và UBND phường Hồng Hà"
    assert UNITS["10489"]["office"] == "Văn phòng HĐND và UBND xã Hương Sơn"
