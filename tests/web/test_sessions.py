"""Revocable sessions (issue 14, finding 3): a replayed cookie after signing out, after
deactivation and after a password change gets the sign-in page; 10 hours absolute; idle timeout."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from petitions.users.demo import DEMO_PASSWORD
from tests.conftest import FixedClock, sqlite_settings
from tests.web.conftest import make_app, sign_in


def cookie_of(client: FlaskClient) -> str:
    """Return the session cookie a browser (or an attacker who copied it) holds."""
    return client.get_cookie("session").value


def replayed(app: Flask, cookie: str) -> Any:
    """Request a page with a copied session cookie, from a fresh client."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/items")


def move(app: Flask, **delta: float) -> None:
    """Move the sign-in clock forward."""
    clock = app.config["AUTH_CLOCK"]
    clock.set(clock() + timedelta(**delta))


def test_a_replayed_cookie_after_signing_out_gets_the_sign_in_page(app: Flask) -> None:
    client = sign_in(app.test_client(), "deputy")
    cookie = cookie_of(client)
    client.post("/logout")

    response = replayed(app, cookie)

    assert response.status_code == 302 and "/login" in response.location


def test_a_replayed_cookie_after_deactivation_gets_the_sign_in_page(app: Flask) -> None:
    cookie = cookie_of(sign_in(app.test_client(), "deputy"))
    sign_in(app.test_client(), "admin").post("/admin/users/dai.bieu/deactivate")

    response = replayed(app, cookie)

    assert response.status_code == 302 and "/login" in response.location


def test_a_replayed_cookie_after_a_password_change_gets_the_sign_in_page(app: Flask) -> None:
    cookie = cookie_of(sign_in(app.test_client(), "deputy"))
    page = sign_in(app.test_client(), "admin").post("/admin/users/dai.bieu/password-reset").text
    link = re.search(r'id="reset-link">[^<]*?(/password/reset/[^<]+)</code>', page).group(1)
    app.test_client().post(link, data={"password": "a new long password",
                                       "password_again": "a new long password"})

    response = replayed(app, cookie)

    assert response.status_code == 302 and "/login" in response.location


def test_the_cookie_still_works_while_the_session_lives(app: Flask) -> None:
    cookie = cookie_of(sign_in(app.test_client(), "deputy"))

    assert replayed(app, cookie).status_code == 200


def test_signing_out_ends_the_users_sessions_on_every_device(app: Flask) -> None:
    phone = sign_in(app.test_client(), "deputy")
    desktop = sign_in(app.test_client(), "deputy")

    phone.post("/logout")

    assert desktop.get("/items").status_code == 302


def test_a_session_ends_ten_hours_after_sign_in_however_active(app: Flask) -> None:
    client = sign_in(app.test_client(), "deputy")
    for _ in range(39):  # a request every 15 minutes for 9¾ hours
        move(app, minutes=15)
        assert client.get("/items").status_code == 200
    move(app, minutes=15)

    response = client.get("/items")

    assert response.status_code == 302 and "/login" in response.location


def test_a_session_ends_after_the_idle_timeout(app: Flask) -> None:
    client = sign_in(app.test_client(), "deputy")
    move(app, minutes=31)

    response = client.get("/items")

    assert response.status_code == 302 and "/login" in response.location


def test_the_idle_timeout_is_a_setting(tmp_path: Path, clock: FixedClock) -> None:
    app = make_app(tmp_path, clock,
                   SETTINGS=sqlite_settings(tmp_path).with_(session_idle_minutes=120))
    client = sign_in(app.test_client(), "deputy")
    move(app, minutes=90)

    assert client.get("/items").status_code == 200
    app.extensions["petitions"].close()


@pytest.mark.parametrize("minutes", [0, 4, 601, -5])
def test_an_idle_timeout_out_of_range_stops_the_app_with_one_clear_line(
        tmp_path: Path, clock: FixedClock, minutes: int) -> None:
    with pytest.raises(ValueError, match="PETITIONS_SESSION_IDLE_MINUTES must be between 5 and 600"):
        make_app(tmp_path, clock, SETTINGS=sqlite_settings(tmp_path).with_(
            session_idle_minutes=minutes))


def test_the_idle_timeout_is_read_from_the_environment() -> None:
    from petitions.settings import Settings

    assert Settings.from_env({"PETITIONS_SESSION_IDLE_MINUTES": "45"}).session_idle_minutes == 45


def test_the_cookie_carries_a_session_token_not_the_user_name(app: Flask) -> None:
    import base64
    import zlib

    cookie = cookie_of(sign_in(app.test_client(), "deputy"))
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    text = (zlib.decompress(raw) if cookie.startswith(".") else raw).decode()

    assert "dai.bieu" not in text


def test_a_reset_link_works_once(app: Flask) -> None:
    page = sign_in(app.test_client(), "admin").post("/admin/users/dai.bieu/password-reset").text
    link = re.search(r'(/password/reset/[^<]+)</code>', page).group(1)
    form = {"password": "a new long password", "password_again": "a new long password"}
    app.test_client().post(link, data=form)

    again = app.test_client().post(link, data=form)

    assert again.status_code == 404
    assert app.test_client().post("/login", data={
        "username": "dai.bieu", "password": "a new long password"}).status_code == 302
    assert app.test_client().post("/login", data={
        "username": "dai.bieu", "password": DEMO_PASSWORD}).status_code == 401


def test_a_reset_link_expires_after_a_day(app: Flask) -> None:
    page = sign_in(app.test_client(), "admin").post("/admin/users/dai.bieu/password-reset").text
    link = re.search(r'(/password/reset/[^<]+)</code>', page).group(1)
    move(app, hours=24, seconds=1)

    response = app.test_client().get(link)

    assert response.status_code == 404
    assert "hết hạn" in response.text
