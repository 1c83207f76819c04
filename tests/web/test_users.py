"""User accounts: Argon2 hashes, roles with scope, follows."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from flask import Flask

from domain.actor import Role
from domain.errors import InvalidInput
from petitions.users.store import UserStore
from tests.conftest import sqlite_settings


@pytest.fixture
def store(tmp_path: Path) -> UserStore:
    """A user store on a SQLite file."""
    return UserStore.from_settings(sqlite_settings(tmp_path),
                                   hasher=PasswordHasher.from_parameters(CHEAPEST))


def test_passwords_are_stored_as_argon2id_hashes(store: UserStore) -> None:
    store.add("thu.ky", "correct horse", Role.SECRETARIAT)

    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar()
    assert stored.startswith("$argon2id$")


def test_the_right_password_signs_in(store: UserStore) -> None:
    store.add("thu.ky", "correct horse", Role.SECRETARIAT)

    assert store.authenticate("thu.ky", "correct horse").role is Role.SECRETARIAT


def test_a_wrong_password_does_not_sign_in(store: UserStore) -> None:
    store.add("thu.ky", "correct horse", Role.SECRETARIAT)

    assert store.authenticate("thu.ky", "wrong horse") is None


def test_district_staff_need_a_district(store: UserStore) -> None:
    with pytest.raises(InvalidInput):
        store.add("can.bo", "correct horse", Role.DISTRICT_STAFF)


def test_a_short_password_is_refused(store: UserStore) -> None:
    with pytest.raises(InvalidInput):
        store.add("thu.ky", "short", Role.SECRETARIAT)


def test_a_user_name_cannot_be_taken_twice(store: UserStore) -> None:
    store.add("thu.ky", "correct horse", Role.SECRETARIAT)

    with pytest.raises(InvalidInput):
        store.add("thu.ky", "other horse", Role.DEPUTY)


def test_the_actor_carries_the_users_scope(store: UserStore) -> None:
    user = store.add("can.bo", "correct horse", "district_staff", district="ba-dinh")

    assert user.actor().district == "ba-dinh"


def test_following_twice_is_recorded_once(store: UserStore) -> None:
    item = uuid4()
    store.follow("dai.bieu", item, "KN-2025-00001")

    assert store.follow("dai.bieu", item, "KN-2025-00001") is False
    assert len(store.following("dai.bieu")) == 1


def test_the_user_add_command_creates_a_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    import argparse
    import io

    from petitions.users.cli import cmd_user_add, register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["user", "add", "can.bo.tay.ho", "--role", "district_staff",
                              "--district", "tay-ho", "--password-stdin"])
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    settings = sqlite_settings(tmp_path)

    status = cmd_user_add(args, settings)

    assert status == 0
    assert UserStore.from_settings(settings).get("can.bo.tay.ho").district == "tay-ho"


def test_an_admin_creates_a_user_in_the_web_app(app: Flask, client_as: Any) -> None:
    response = client_as("admin").post("/admin/users", data={
        "username": "so.y.te", "role": "agency_staff", "agency": "so-y-te",
        "password": "a long password", "language": "vi"})

    assert response.status_code == 303
    assert app.extensions["petitions_users"].get("so.y.te").agency == "so-y-te"


def test_a_refused_user_form_does_not_echo_the_password(app: Flask, client_as: Any) -> None:
    response = client_as("admin").post("/admin/users", data={
        "username": "x", "role": "agency_staff", "password": "secret-words-123"})

    assert response.status_code == 422
    assert "Dùng 2–64 chữ thường" in response.text  # the form came back with its errors
    assert "secret-words-123" not in response.text


def test_a_scope_code_must_exist_in_the_reference_data(store: UserStore) -> None:
    with pytest.raises(InvalidInput) as refused:
        store.add("can.bo", "correct horse", Role.DISTRICT_STAFF, district="atlantis",
                  reference={"units": {"ba-dinh": {}}})

    assert "district" in refused.value.errors


def test_the_reset_two_factor_command_sends_the_user_to_enrol_again(
        app: Flask, tmp_path: Path) -> None:
    import argparse

    from petitions.users.cli import cmd_user_reset_two_factor, register
    from tests.conftest import sqlite_settings as settings_for

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["user", "reset-two-factor", "admin"])

    status = cmd_user_reset_two_factor(args, settings_for(tmp_path))

    assert status == 0
    assert not app.extensions["petitions_accounts"].has_second_factor("admin")
    response = app.test_client().post("/login", data={"username": "admin",
                                                      "password": "demo-password"})
    assert "/login/enrol" in response.location
