"""Reference data on the real stores (SQLite and PostgreSQL): dated history, enforced by date."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timezone

import pytest

from domain.actor import Actor, Role
from domain.errors import InvalidInput, PermissionDenied
from petitions.application import Tracker
from petitions.settings import Settings
from tests.conftest import ADMIN, SECRETARIAT, FixedClock
from tests.integration import complaint_data, petition_data

DECEMBER_2026 = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
HONG_HA_STAFF = Actor("can.bo.hong.ha", Role.DISTRICT_STAFF, district="00097")
BA_DINH_STAFF = Actor("can.bo.ba.dinh", Role.DISTRICT_STAFF, district="ba-dinh")


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[Tracker]:
    """A tracker on the real store, today 1 December 2026, with the reference data loaded."""
    clock.set(DECEMBER_2026)
    tracker = Tracker(settings, clock=clock)
    tracker.load_reference()
    yield tracker
    tracker.close()


def ward_petition(**changes: object) -> dict[str, object]:
    """Return a petition raised in phường Hồng Hà in November 2026 (term XVII)."""
    data: dict[str, object] = dict(
        district="00097", deputy_group="XVII-to-03", session="XVII-03",
        meeting_date=date(2026, 11, 20), received_on=date(2026, 11, 23))
    return petition_data(**{**data, **changes})


def test_loading_the_shipped_reference_again_changes_nothing(app: Tracker) -> None:
    before = app.position()

    changed = app.load_reference()

    assert (changed, app.position()) == (0, before)


def test_units_valid_on_a_day_are_those_of_its_era(app: Tracker) -> None:
    assert len(app.reference_on("units", date(2026, 12, 1))) == 126
    assert len(app.reference_on("units", date(2025, 6, 30))) == 30


def test_a_petition_for_an_abolished_district_after_its_end_is_refused_naming_successors(
        app: Tracker) -> None:
    before = app.position()

    with pytest.raises(InvalidInput) as refused:
        app.log_petition(SECRETARIAT, **petition_data(
            meeting_date=date(2025, 9, 15), received_on=date(2025, 9, 16)))

    assert refused.value.errors["district"][0].startswith(
        "Quận Ba Đình no longer exists from 01/07/2025; choose a successor commune or ward: "
        "Phường Ba Đình, Phường Ngọc Hà, Phường Giảng Võ")
    assert app.position() == before


def test_a_petition_for_a_new_ward_before_1_july_2025_is_refused(app: Tracker) -> None:
    before = app.position()

    with pytest.raises(InvalidInput) as refused:
        app.log_petition(SECRETARIAT, **ward_petition(
            deputy_group="to-03", session="XVI-20",
            meeting_date=date(2025, 6, 20), received_on=date(2025, 6, 23)))

    assert "Phường Hồng Hà exists only from 01/07/2025" in refused.value.errors["district"][0]
    assert app.position() == before


def test_ward_staff_log_a_petition_for_their_ward_in_term_xvii(app: Tracker) -> None:
    receipt = app.log_petition(HONG_HA_STAFF, **ward_petition())

    item = app.get_item(HONG_HA_STAFF, receipt.code)
    assert (item["district"], item["session"]) == ("00097", "XVII-03")


def test_a_petition_for_a_term_xvi_session_after_term_xvii_began_is_refused(
        app: Tracker) -> None:
    with pytest.raises(InvalidInput) as refused:
        app.log_petition(SECRETARIAT, **ward_petition(session="XVI-22"))

    assert "session" in refused.value.errors and "deputy_group" not in refused.value.errors


def test_a_complaint_received_for_an_abolished_district_is_refused(app: Tracker) -> None:
    with pytest.raises(InvalidInput) as refused:
        app.receive_complaint(SECRETARIAT, **complaint_data(received_on=date(2026, 11, 30),
                                                               district="ba-dinh"))

    assert "Phường Ba Đình" in refused.value.errors["district"][0]


def test_a_complaint_received_before_the_reform_keeps_its_district(
        app: Tracker, clock: FixedClock) -> None:
    receipt = app.receive_complaint(SECRETARIAT, **complaint_data())

    assert app.get_item(SECRETARIAT, receipt.code)["district"] == "ba-dinh"


def test_an_item_of_an_abolished_district_stays_readable(app: Tracker, clock: FixedClock) -> None:
    clock.set(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))
    receipt = app.log_petition(BA_DINH_STAFF, **petition_data())
    clock.set(DECEMBER_2026)

    item = app.get_item(SECRETARIAT, receipt.code)

    assert item["district"] == "ba-dinh"


def test_assigning_to_a_district_committee_today_is_refused_naming_the_ward_committees(
        app: Tracker) -> None:
    receipt = app.log_petition(SECRETARIAT, **ward_petition())
    app.classify_petition(SECRETARIAT, receipt.code, field="transport", competence="city")

    with pytest.raises(InvalidInput) as refused:
        app.assign(SECRETARIAT, receipt.code, agency="ubnd-hoan-kiem")

    assert "UBND phường Hoàn Kiếm" in refused.value.errors["agency"][0]


def test_classifying_at_district_competence_after_the_reform_is_refused(app: Tracker) -> None:
    receipt = app.log_petition(SECRETARIAT, **ward_petition())

    with pytest.raises(InvalidInput) as refused:
        app.classify_petition(SECRETARIAT, receipt.code, field="transport",
                              competence="district")

    assert "competence" in refused.value.errors


def test_every_change_to_reference_data_is_in_its_history_with_actor_and_time(
        app: Tracker) -> None:
    app.add_reference(SECRETARIAT, "council_sessions", {
        "code": "XVII-04", "name": "Kỳ họp thứ 4 (chuyên đề) HĐND Thành phố khóa XVII",
        "term": "XVII", "opens_on": "2026-12-22", "closes_on": "2026-12-22", "regular": False,
        "kind": "thematic"}, reason="Triệu tập kỳ họp chuyên đề")
    app.change_reference(ADMIN, "council_sessions", "XVII-04", {"closes_on": "2026-12-23"},
                         reason="Kéo dài một ngày")
    app.end_reference(ADMIN, "agencies", "so-du-lich", date(2026, 12, 31), reason="Sáp nhập")

    history = app.reference_history("council_sessions", "XVII-04")
    ended = app.reference_history("agencies", "so-du-lich")[-1]

    assert [(h["event"], h["actor"], h["at"], h["reason"]) for h in history] == [
        ("EntryAdded", "thu.ky", DECEMBER_2026, "Triệu tập kỳ họp chuyên đề"),
        ("EntryChanged", "admin", DECEMBER_2026, "Kéo dài một ngày"),
    ]
    assert (ended["event"], ended["actor"], ended["entry"]["valid_to"]) == (
        "EntryEnded", "admin", "2026-12-31")


def test_a_session_added_takes_the_validity_of_its_term(app: Tracker) -> None:
    entry = app.add_reference(ADMIN, "council_sessions", {
        "code": "XVII-04", "name": "Kỳ họp thứ 4", "term": "XVII", "opens_on": "2026-12-22",
        "closes_on": "2026-12-22", "regular": False, "kind": "thematic"}, reason="Thêm")

    assert (entry["valid_from"], entry["valid_to"]) == ("2026-04-14", None)


def test_a_refused_reference_change_stores_nothing(app: Tracker) -> None:
    before = app.position()

    with pytest.raises(InvalidInput):
        app.add_reference(ADMIN, "council_sessions", {
            "code": "XVII-04", "name": "Kỳ họp thứ 4", "term": "XVII", "regular": False,
            "kind": "thematic"}, reason="Thêm")

    assert app.position() == before
    assert "XVII-04" not in app.reference()["council_sessions"]


def test_the_secretariat_may_add_sessions_but_not_units(app: Tracker) -> None:
    with pytest.raises(PermissionDenied):
        app.add_reference(SECRETARIAT, "units", {
            "code": "99999", "name": "Phường Mới", "kind": "phuong",
            "valid_from": "2027-01-01"}, reason="Thêm")
