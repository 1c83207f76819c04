"""Handing an open item of an abolished unit over to a successor: the domain's rules."""
from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInput, InvalidTransition
from domain.handover import HandoverError
from domain.item_types import REGISTRY
from tests.unit.conftest import AT, SECRETARIAT, new_complaint, new_petition

# Ba Đình ended with the reform; Phường Ba Đình and Phường Ngọc Hà started the next day;
# a ward that is already abolished again (a made-up one) stands for "expired".
UNITS = {
    "ba-dinh": {"name": "Ba Đình", "valid_from": "2008-08-01", "valid_to": "2025-06-30"},
    "hoan-kiem": {"name": "Hoàn Kiếm", "valid_from": "2008-08-01", "valid_to": "2025-06-30"},
    "00004": {"name": "Phường Ba Đình", "valid_from": "2025-07-01", "valid_to": None},
    "00008": {"name": "Phường Ngọc Hà", "valid_from": "2025-07-01"},
    "99999": {"name": "Phường Đã Nhập", "valid_from": "2025-07-01", "valid_to": "2026-01-31"},
}
AFTER = date(2026, 3, 2)


def hand_over(item, to_unit="00004", reason="NQ 1656/NQ-UBTVQH15", today=AFTER):
    item.hand_over(to_unit, reason, units=UNITS, today=today, by=SECRETARIAT, at=AT)


def test_a_hand_over_moves_the_item_and_keeps_its_unit_of_origin():
    petition = new_petition()

    hand_over(petition)

    assert petition.district == "00004"
    assert petition.unit_of_origin == "ba-dinh"
    event = petition.collect_events()[-1]
    assert type(event).__name__ == "UnitHandedOver"
    assert (event.from_unit, event.to_unit, event.reason, event.actor, event.role) == (
        "ba-dinh", "00004", "NQ 1656/NQ-UBTVQH15", "thu.ky", "secretariat")


def test_the_unit_of_origin_survives_a_second_hand_over():
    complaint = new_complaint()
    hand_over(complaint, "99999", today=date(2025, 8, 1))

    complaint.hand_over("00008", "Nhập phường", units=UNITS, today=AFTER, by=SECRETARIAT, at=AT)

    assert (complaint.unit_of_origin, complaint.district) == ("ba-dinh", "00008")


def test_an_item_never_handed_over_is_still_with_its_unit_of_origin():
    petition = new_petition()

    assert petition.unit_of_origin == petition.district == "ba-dinh"


@pytest.mark.parametrize(("to_unit", "today", "words"), [
    ("00004", date(2025, 6, 30), "Ba Đình is still in force"),
    ("99999", AFTER, "Phường Đã Nhập is not in force on 02/03/2026"),
    ("hoan-kiem", AFTER, "Hoàn Kiếm is not in force"),
    ("nowhere", AFTER, "Unknown unit nowhere"),
    ("ba-dinh", AFTER, "already with Ba Đình"),
])
def test_a_hand_over_the_units_do_not_allow_is_refused_and_changes_nothing(to_unit, today,
                                                                           words):
    petition = new_petition()
    before = len(petition.collect_events())

    with pytest.raises(HandoverError) as refused:
        hand_over(petition, to_unit, today=today)

    assert words in str(refused.value)
    assert petition.district == "ba-dinh" and not petition.collect_events()[before:]


def test_handing_over_twice_to_the_same_unit_is_refused():
    petition = new_petition()
    hand_over(petition)

    with pytest.raises(HandoverError, match="already with Phường Ba Đình"):
        hand_over(petition)


def test_a_hand_over_from_a_unit_in_force_is_refused_naming_it():
    petition = new_petition()
    hand_over(petition)

    with pytest.raises(HandoverError, match="Phường Ba Đình is still in force"):
        hand_over(petition, "00008")


def test_a_closed_item_keeps_its_unit():
    petition = new_petition()
    petition.close("Đã xong.", by=SECRETARIAT, at=AT)

    with pytest.raises(InvalidTransition):
        hand_over(petition)
    assert petition.district == "ba-dinh"


def test_a_hand_over_needs_its_basis():
    petition = new_petition()

    with pytest.raises(InvalidInput) as refused:
        hand_over(petition, reason="  ")

    assert "reason" in refused.value.errors


def test_every_item_type_declares_the_hand_over_for_the_office():
    for item_type in REGISTRY:
        row = item_type.transition("hand_over")
        assert row.events == ("UnitHandedOver",)
        assert {s.value for s in item_type.statuses if item_type.is_open(s.value)} == set(row.allowed)
