"""Account lifecycle in the admin pages: deactivate, reactivate, role and scope, each change
recorded with who and when; each user's sign-in history."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Flask

from petitions.users import history
from petitions.users.demo import DEMO_PASSWORD
from tests.web.conftest import rendered


def records(app: Flask, username: str) -> list[dict[str, Any]]:
    """Return the account history of ``username``, newest first."""
    return history.of_user(app.extensions["petitions_users"].engine, username)


def signs_in(app: Flask, username: str, password: str = DEMO_PASSWORD) -> bool:
    """Tell whether the password step succeeds."""
    return app.test_client().post("/login", data={
        "username": username, "password": password}).status_code == 302


def test_a_deactivated_user_cannot_sign_in(app: Flask, client_as: Any) -> None:
    client_as("admin").post("/admin/users/dai.bieu/deactivate")

    assert not signs_in(app, "dai.bieu")


def test_a_reactivated_user_signs_in_again(app: Flask, client_as: Any) -> None:
    admin = client_as("admin")
    admin.post("/admin/users/dai.bieu/deactivate")

    admin.post("/admin/users/dai.bieu/reactivate")

    assert signs_in(app, "dai.bieu")


def test_each_change_is_recorded_with_who_made_it_and_when(app: Flask, client_as: Any) -> None:
    client_as("admin").post("/admin/users/dai.bieu/deactivate")

    latest = records(app, "dai.bieu")[0]

    assert (latest["kind"], latest["actor"]) == ("AccountDeactivated", "admin")
    assert latest["at"] is not None


def test_a_role_change_applies_the_new_scope(app: Flask, client_as: Any) -> None:
    response = client_as("admin").post("/admin/users/dai.bieu/role", data={
        "role": "agency_staff", "agency": "so-y-te", "deputy_group": "to-01"})

    user = app.extensions["petitions_users"].get("dai.bieu")
    assert response.status_code == 303
    assert (user.role.value, user.agency, user.deputy_group) == ("agency_staff", "so-y-te", None)
    assert records(app, "dai.bieu")[0]["facts"]["before"]["role"] == "deputy"


def test_a_role_change_ends_the_users_sessions(app: Flask, client_as: Any) -> None:
    deputy = client_as("deputy")

    client_as("admin").post("/admin/users/dai.bieu/role", data={
        "role": "agency_staff", "agency": "so-y-te"})

    assert deputy.get("/items/following").status_code == 302


def test_a_unit_the_reference_data_does_not_know_is_refused(app: Flask, client_as: Any) -> None:
    response = client_as("admin").post("/admin/users/can.bo.ba.dinh/role", data={
        "role": "district_staff", "district": "atlantis"})

    assert response.status_code == 422
    assert app.extensions["petitions_users"].get("can.bo.ba.dinh").district == "ba-dinh"


def test_district_staff_need_a_district_when_the_role_changes(app: Flask, client_as: Any) -> None:
    response = client_as("admin").post("/admin/users/dai.bieu/role", data={
        "role": "district_staff"})

    assert response.status_code == 422
    assert "Cán bộ xã, phường cần được gán xã, phường." in response.text


def test_an_account_cannot_be_moved_to_an_abolished_district_and_the_successors_are_named(
        app: Flask, client_as: Any, clock: Any) -> None:
    clock.set(datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc))

    response = client_as("admin").post("/admin/users/can.bo.ba.dinh/role", data={
        "role": "district_staff", "district": "ba-dinh"})

    assert response.status_code == 422
    assert "Phường Ba Đình" in response.text
    assert app.extensions["petitions_users"].get("can.bo.ba.dinh").district == "ba-dinh"


def test_staff_of_an_abolished_district_are_moved_to_a_successor_ward(
        app: Flask, client_as: Any, clock: Any) -> None:
    clock.set(datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc))

    client_as("admin").post("/admin/users/can.bo.ba.dinh/role", data={
        "role": "district_staff", "district": "00004"})

    assert app.extensions["petitions_users"].get("can.bo.ba.dinh").district == "00004"


def test_an_admin_cannot_deactivate_their_own_account(app: Flask, client_as: Any) -> None:
    response = client_as("admin").post("/admin/users/admin/deactivate")

    assert response.status_code == 400
    assert app.extensions["petitions_users"].get("admin").active


def test_the_admin_sees_each_users_sign_ins_failures_and_codes(app: Flask, client_as: Any) -> None:
    signs_in(app, "thu.ky", "wrong password")
    client_as("secretariat")

    page = rendered(client_as("admin").get("/admin/users/thu.ky"), "Lịch sử đăng nhập")

    assert "sai mật khẩu" in page
    assert "bằng mã xác thực hai lớp" in page


def test_the_user_list_links_each_account_and_shows_its_state(app: Flask, client_as: Any) -> None:
    admin = client_as("admin")
    admin.post("/admin/users/dai.bieu/deactivate")

    page = rendered(admin.get("/admin/users"), '/admin/users/dai.bieu"')

    assert "Đã khóa" in page


def test_a_user_created_in_the_web_app_starts_its_history_with_its_creator(
        app: Flask, client_as: Any) -> None:
    client_as("admin").post("/admin/users", data={
        "username": "so.y.te", "role": "agency_staff", "agency": "so-y-te",
        "password": "a long password", "language": "vi"})

    assert [(r["kind"], r["actor"]) for r in records(app, "so.y.te")] == [
        ("AccountCreated", "admin")]


def test_odd_user_names_in_admin_addresses_are_not_found(app: Flask, client_as: Any) -> None:
    admin = client_as("admin")

    statuses = {admin.get("/admin/users/%00").status_code,
                admin.post("/admin/users/dai.bieu%00/deactivate").status_code,
                admin.get("/admin/users/" + "x" * 300).status_code,
                admin.get("/admin/users/DAI.BIEU").status_code}

    assert statuses == {404}
