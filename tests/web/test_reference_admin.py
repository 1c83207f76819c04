"""Reference data screens and forms that follow the date: lists by validity, add, change, end."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Flask

from petitions.users.demo import DEMO_PASSWORD
from tests.conftest import FixedClock
from tests.web.conftest import PETITION, enrol_second_factor, rendered, totp_code

DECEMBER_2026 = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
SESSION = {"code": "XVII-04", "name": "Kỳ họp thứ 4 (chuyên đề) HĐND Thành phố khóa XVII",
           "term": "XVII", "kind": "thematic", "opens_on": "2026-12-22",
           "closes_on": "2026-12-22", "reason": "Triệu tập kỳ họp chuyên đề"}


def add_user(app: Flask, username: str, role: str, **scope: Any) -> None:
    """Create an account directly in the user store (the admin's form is tested elsewhere)."""
    app.extensions["petitions_users"].add(username, DEMO_PASSWORD, role, **scope)


def signed_in(app: Flask, username: str) -> Any:
    """Sign in as ``username``, enrolled in two-factor sign-in (the secretariat must be)."""
    secret = enrol_second_factor(app, username)
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    response = client.post(response.location, data={"code": totp_code(app, secret)})
    assert response.status_code == 302 and "/login" not in response.location
    return client


def test_the_unit_list_valid_on_a_day_shows_that_era(client_as: Any) -> None:
    admin = client_as("admin")

    after = rendered(admin.get("/admin/reference/units?on=2026-12-01"), "Phường Hồng Hà")
    before = rendered(admin.get("/admin/reference/units?on=2025-06-30"), "Ba Đình")

    assert "126" in after and "Phường Hồng Hà" not in before


def test_the_admin_adds_a_session_and_finds_it_with_its_history(client_as: Any) -> None:
    admin = client_as("admin")

    response = admin.post("/admin/reference/council_sessions/new", data=SESSION)

    assert response.status_code == 303
    page = rendered(admin.get(response.headers["Location"]), "Triệu tập kỳ họp chuyên đề",
                    "admin")
    assert "XVII-04" in page


def test_a_session_that_closes_before_it_opens_is_refused_beside_the_field(
        client_as: Any, tracker: Any) -> None:
    admin = client_as("admin")

    response = admin.post("/admin/reference/council_sessions/new",
                          data={**SESSION, "closes_on": "2026-12-20"})

    assert response.status_code == 422
    assert "Ngày bế mạc không được trước ngày khai mạc." in response.get_data(as_text=True)
    assert "XVII-04" not in tracker.reference()["council_sessions"]


def test_ending_an_entry_before_it_started_is_refused(client_as: Any, tracker: Any) -> None:
    admin = client_as("admin")

    response = admin.post("/admin/reference/units/00097/end",
                          data={"valid_to": "2025-01-01", "reason": "Thử"})

    assert response.status_code == 422
    assert tracker.reference()["units"]["00097"]["valid_to"] is None


def test_the_admin_ends_an_agency_and_the_history_says_who_and_why(
        client_as: Any, tracker: Any) -> None:
    admin = client_as("admin")

    admin.post("/admin/reference/agencies/so-du-lich/end",
               data={"valid_to": "2026-12-31", "reason": "Sáp nhập theo nghị quyết mới"})

    page = rendered(admin.get("/admin/reference/agencies/so-du-lich"),
                    "Sáp nhập theo nghị quyết mới", "31/12/2026")
    assert tracker.reference()["agencies"]["so-du-lich"]["valid_to"] == "2026-12-31"
    assert "admin" in page


def test_the_secretariat_keeps_sessions_but_not_units(client_as: Any) -> None:
    office = client_as("secretariat")

    assert office.get("/admin/reference/council_sessions").status_code == 200
    assert office.get("/admin/reference/units").status_code == 403


def test_district_staff_cannot_open_the_reference_screens(client_as: Any) -> None:
    assert client_as("district_staff").get("/admin/reference/council_sessions").status_code == 403


def test_an_unknown_section_is_not_found(client_as: Any) -> None:
    assert client_as("admin").get("/admin/reference/planets").status_code == 404


def test_a_bad_filter_date_is_said_and_every_era_listed(client_as: Any) -> None:
    page = rendered(client_as("admin").get("/admin/reference/units?on=31-31-2026"),
                    "Phường Hồng Hà", "Ba Đình")

    assert "dd/mm/yyyy" in page


def test_the_petition_form_offers_the_units_valid_on_its_meeting_date(
        app: Flask, clock: FixedClock) -> None:
    clock.set(DECEMBER_2026)
    add_user(app, "can.bo.thu.ky.2", "secretariat")
    client = signed_in(app, "can.bo.thu.ky.2")

    page = rendered(client.get("/petitions/new"), "Phường Hồng Hà")

    assert 'value="ba-dinh"' not in page


def test_a_petition_for_an_abolished_district_is_refused_naming_the_successor_wards(
        app: Flask, clock: FixedClock) -> None:
    clock.set(DECEMBER_2026)
    add_user(app, "thu.ky.2", "secretariat")
    client = signed_in(app, "thu.ky.2")

    response = client.post("/petitions/new", data={
        **PETITION, "meeting_date": "2025-09-15", "received_on": "2025-09-16"})

    assert response.status_code == 422
    assert ("Quận Ba Đình không còn từ 01/07/2025; chọn phường/xã kế thừa: Phường Ba Đình, "
            "Phường Ngọc Hà, Phường Giảng Võ") in response.get_data(as_text=True)


def test_staff_of_an_abolished_district_are_told_at_sign_in(
        app: Flask, clock: FixedClock) -> None:
    clock.set(DECEMBER_2026)
    client = app.test_client()

    response = client.post("/login", data={"username": "can.bo.ba.dinh",
                                           "password": DEMO_PASSWORD}, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Quận Ba Đình không còn từ 01/07/2025" in page
    assert "Phường Ba Đình" in page


def test_staff_of_a_ward_are_not_warned_at_sign_in(app: Flask, clock: FixedClock) -> None:
    clock.set(DECEMBER_2026)
    add_user(app, "can.bo.hong.ha", "district_staff", district="00097")

    response = app.test_client().post("/login", data={"username": "can.bo.hong.ha",
                                                      "password": DEMO_PASSWORD},
                                      follow_redirects=True)

    assert "flash warning" not in rendered(response)
