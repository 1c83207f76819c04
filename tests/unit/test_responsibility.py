"""3 rõ in the domain: lead and co-operating agencies, the leader, "not our competence", hand-offs."""
from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInput
from domain.responsibility import OFFICE, Spell, hand_offs
from tests.unit.conftest import (
    AGENCY, AT, TODAY, WEEKENDS_ONLY, assign, assigned_petition, last_event, new_petition,
)


def test_an_assignment_names_the_lead_the_co_operating_agencies_and_the_leader():
    petition = new_petition()

    assign(petition, cooperating=["so-giao-thong-van-tai"], leader_name="Nguyễn Văn Hùng",
           leader_position="Phó Giám đốc Sở")

    assert (petition.agency, petition.cooperating_agencies, petition.responsible_leader) == (
        "so-xay-dung", ["so-giao-thong-van-tai"],
        {"name": "Nguyễn Văn Hùng", "position": "Phó Giám đốc Sở"})
    assert last_event(petition).cooperating == ["so-giao-thong-van-tai"]


@pytest.mark.parametrize("cooperating", [["so-xay-dung"], ["so-khong-co"], "so-giao-thong-van-tai"])
def test_co_operating_agencies_must_be_known_and_other_than_the_lead(cooperating):
    petition = new_petition()

    with pytest.raises(InvalidInput) as refused:
        assign(petition, cooperating=cooperating)

    assert "cooperating" in refused.value.errors
    assert petition.agency is None


def test_a_leaders_position_without_a_name_is_refused():
    with pytest.raises(InvalidInput) as refused:
        assign(new_petition(), leader_position="Giám đốc")

    assert "leader_name" in refused.value.errors


def test_the_lead_agency_sends_an_item_back_to_the_office_with_its_own_limit():
    petition = assigned_petition()  # assigned on Monday 3 March 2025

    petition.send_back(reason="Thuộc thẩm quyền Sở Giao thông vận tải.", today=TODAY,
                       calendar=WEEKENDS_ONLY, by=AGENCY, at=AT)

    sent = last_event(petition)
    assert (petition.status.value, petition.agency, petition.due_date) == (
        "sent_back", None, date(2025, 3, 10))  # 5 working days
    assert (sent.agency, sent.reason) == ("so-xay-dung", "Thuộc thẩm quyền Sở Giao thông vận tải.")
    assert "council practice" in petition.deadline["basis"]


def test_an_item_sent_back_is_reassigned_by_the_office():
    petition = assigned_petition()
    petition.send_back(reason="Không thuộc thẩm quyền.", today=TODAY, calendar=WEEKENDS_ONLY,
                       by=AGENCY, at=AT)

    assign(petition, agency="so-giao-thong-van-tai", cooperating=["so-xay-dung"])

    assert (petition.status.value, petition.agency, last_event(petition).previous_agency) == (
        "assigned", "so-giao-thong-van-tai", None)


def test_an_answered_item_cannot_be_sent_back():
    from domain.errors import InvalidTransition
    from tests.unit.conftest import answer

    petition = assigned_petition()
    answer(petition)

    with pytest.raises(InvalidTransition):
        petition.send_back(reason="Muộn.", today=TODAY, calendar=WEEKENDS_ONLY, by=AGENCY, at=AT)


def test_hand_offs_count_the_working_days_each_body_held_the_item():
    events = [
        ("PetitionLogged", date(2025, 3, 3), {}),
        ("AgencyAssigned", date(2025, 3, 5), {"agency": "so-xay-dung"}),
        ("ProgressNoted", date(2025, 3, 6), {}),
        ("ReturnedNotCompetent", date(2025, 3, 12), {"agency": "so-xay-dung"}),
        ("AgencyAssigned", date(2025, 3, 13), {"agency": "so-giao-thong-van-tai"}),
        ("AnswerRecorded", date(2025, 3, 24), {"outcome": "resolved"}),
        ("AnswerAccepted", date(2025, 3, 25), {"outcome": "resolved"}),
    ]

    spells = hand_offs(events, date(2025, 4, 1), WEEKENDS_ONLY)

    assert spells == [
        Spell(OFFICE, date(2025, 3, 3), date(2025, 3, 5), 2),
        Spell("so-xay-dung", date(2025, 3, 5), date(2025, 3, 12), 5),
        Spell(OFFICE, date(2025, 3, 12), date(2025, 3, 13), 1),
        Spell("so-giao-thong-van-tai", date(2025, 3, 13), date(2025, 3, 24), 7),
        Spell(OFFICE, date(2025, 3, 24), date(2025, 3, 25), 1),
    ]


def test_the_spell_still_running_is_counted_up_to_today():
    events = [("PetitionLogged", date(2025, 3, 3), {}),
              ("AgencyAssigned", date(2025, 3, 3), {"agency": "so-xay-dung"}),
              ("AnswerRecorded", date(2025, 3, 7), {"outcome": "resolved"}),
              ("AnswerReturned", date(2025, 3, 10), {})]

    spells = hand_offs(events, date(2025, 3, 12), WEEKENDS_ONLY)

    assert spells[-2:] == [Spell(OFFICE, date(2025, 3, 7), date(2025, 3, 10), 1),
                           Spell("so-xay-dung", date(2025, 3, 10), None, 2)]
