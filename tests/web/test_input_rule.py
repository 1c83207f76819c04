"""One rule for every query string and form value: control characters answer 400, nothing runs."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.web.conftest import PETITION, sign_in
from tests.web.store_apps import store_app, users_named  # noqa: F401 - a fixture

NEW_USER = {"username": "dai.bieu.moi", "password": "mat-khau-dai-du", "role": "deputy",
            "deputy_group": "to-01", "display_name": "Đại biểu mới"}


@pytest.mark.parametrize(("who", "path", "field"), [
    ("secretariat", "/api/boards/districts?session=%00", "session"),
    ("agency_staff", "/queues/agency?agency=%00", "agency"),
    ("deputy", "/api/items?q=ng%E1%BA%ADp%00", "q"),
    ("deputy", "/items?district=ba-dinh%0d%0a", "district"),
])
def test_a_control_character_in_a_query_string_is_a_bad_request_on_each_store(
        store_app: Flask, who: str, path: str, field: str) -> None:
    response = sign_in(store_app.test_client(), who).get(path)

    assert response.status_code == 400
    if path.startswith("/api/"):
        assert list(response.get_json()["errors"]) == [field]
    else:
        assert field in response.get_data(as_text=True)


def test_a_nul_in_the_admin_user_form_is_refused_and_no_user_is_stored(
        store_app: Flask) -> None:
    client = sign_in(store_app.test_client(), "admin")

    response = client.post("/admin/users", data={**NEW_USER, "display_name": "Đại\x00biểu"})

    assert response.status_code == 400
    assert users_named(store_app, "dai.bieu.moi") == []


def test_an_over_long_display_name_is_a_form_error_and_no_user_is_stored(
        store_app: Flask) -> None:
    client = sign_in(store_app.test_client(), "admin")

    response = client.post("/admin/users", data={**NEW_USER, "display_name": "Đ" * 201})

    assert response.status_code == 422
    assert "200" in response.get_data(as_text=True)
    assert users_named(store_app, "dai.bieu.moi") == []


def test_a_line_break_in_the_sign_in_next_address_is_a_bad_request(app: Flask) -> None:
    response = app.test_client().post("/login?next=/items%0d%0aX-Injected:%201",
                                      data={"username": "admin", "password": "demo-password"})

    assert response.status_code == 400
    assert "X-Injected" not in response.headers


def test_a_line_break_in_the_language_switchs_next_address_goes_home(app: Flask) -> None:
    response = app.test_client().post("/language",
                                      data={"lang": "en", "next": "/items\r\nX-Injected: 1"})

    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_line_breaks_in_a_text_area_are_still_text(app: Flask, client_as: Any) -> None:
    response = client_as("district_staff").post(
        "/petitions/new", data={**PETITION, "content": "Dòng một.\r\nDòng hai.\tHết."})

    assert response.status_code == 303
