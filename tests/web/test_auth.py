"""Sign-in, rate limit, cookies, security headers and the language switch."""
from __future__ import annotations

import re

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from petitions.users.demo import DEMO_PASSWORD
from tests.conftest import FixedClock, sqlite_settings
from tests.web.conftest import make_app, rendered
from web import create_app


def test_a_wrong_password_is_refused(app: Flask) -> None:
    response = app.test_client().post("/login", data={"username": "thu.ky", "password": "nope"})

    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.text


def test_pages_need_a_signed_in_user(app: Flask) -> None:
    response = app.test_client().get("/items")

    assert response.status_code == 302
    assert "/login" in response.location


@pytest.mark.parametrize(("username", "status"), [("thu.ky", 429), ("dai.bieu", 302)],
                         ids=["same-user-name-refused", "other-user-name-signs-in"])
def test_five_failed_attempts_in_a_minute_rate_limit_only_that_user_name(
        app: Flask, username: str, status: int) -> None:
    client = app.test_client()
    for _ in range(5):
        client.post("/login", data={"username": "thu.ky", "password": "wrong"})

    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})

    assert response.status_code == status


def test_the_session_cookie_is_httponly_and_samesite(app: Flask) -> None:
    response = app.test_client().post("/login", data={"username": "thu.ky",
                                                      "password": DEMO_PASSWORD})

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_the_session_cookie_is_secure_outside_testing(tmp_path: Path, clock: FixedClock) -> None:
    app = make_app(tmp_path, clock, TESTING=False, SETTINGS=sqlite_settings(tmp_path).with_(
        base_url="https://kiennghi.hanoi.example"))

    assert app.config["SESSION_COOKIE_SECURE"] is True
    app.extensions["petitions"].close()


def test_pages_carry_security_headers(app: Flask) -> None:
    response = app.test_client().get("/login")

    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script(app: Flask, client_as: Any) -> None:
    response = client_as("secretariat").get("/boards")

    page = rendered(response, "Tổng hợp toàn thành phố")

    # Scripts come from the app's own files only (the CSP allows no inline script or style).
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/enhance.js" defer>']
    assert "<style" not in page and " style=" not in page


def test_a_redirect_after_sign_in_stays_on_this_site(app: Flask) -> None:
    response = app.test_client().post(
        "/login?next=//evil.example/x", data={"username": "dai.bieu", "password": DEMO_PASSWORD})

    assert response.location == "/"


def test_a_visitor_can_switch_the_sign_in_page_to_english(app: Flask) -> None:
    client = app.test_client()
    client.post("/language", data={"lang": "en"})

    response = client.get("/login")

    assert "User name" in response.text


def test_the_language_choice_is_kept_on_the_account(app: Flask, client_as: Any) -> None:
    client_as("deputy").post("/language", data={"lang": "en"})

    assert app.extensions["petitions_users"].get("dai.bieu").language == "en"


def test_the_interface_is_vietnamese_by_default(app: Flask) -> None:
    response = app.test_client().get("/login")

    assert "Tên đăng nhập" in response.text
    assert '<html lang="vi">' in response.text


def test_charts_carry_no_script(app: Flask) -> None:
    import base64

    from web.charts import bars

    uri = bars("Số kiến nghị, đơn thư", ["Ba Đình"], {"Tổng số": [3]})

    assert b"<script" not in base64.b64decode(uri.split(",", 1)[1])


def test_the_language_chosen_on_the_sign_in_page_is_kept_after_signing_in(app: Flask) -> None:
    client = app.test_client()
    client.post("/language", data={"lang": "en"})
    client.post("/login", data={"username": "dai.bieu", "password": DEMO_PASSWORD})

    response = client.get("/items")

    assert '<html lang="en">' in response.text


def test_passwords_are_hashed_with_the_rfc_9106_low_memory_profile(tmp_path: Path,
                                                                    clock: FixedClock) -> None:
    from argon2.profiles import RFC_9106_LOW_MEMORY

    app = create_app({"TESTING": True, "SETTINGS": sqlite_settings(tmp_path), "CLOCK": clock})

    hasher = app.extensions["petitions_users"].hasher
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.parallelism)
    app.extensions["petitions"].close()


def test_a_password_hashed_with_older_parameters_still_signs_in(tmp_path: Path,
                                                                clock: FixedClock) -> None:
    from argon2 import PasswordHasher

    from petitions.users.store import UserStore

    app = create_app({"TESTING": True, "SETTINGS": sqlite_settings(tmp_path), "CLOCK": clock,
                      "WTF_CSRF_ENABLED": False})
    # argon2-cffi's defaults before 21.2: the parameters travel inside the stored hash.
    old = PasswordHasher(time_cost=2, memory_cost=102400, parallelism=8)
    UserStore(app.extensions["petitions_users"].engine, hasher=old).add(
        "cu.ky", "mat-khau-cu-123", "deputy")

    response = app.test_client().post("/login", data={"username": "cu.ky",
                                                      "password": "mat-khau-cu-123"})

    assert response.status_code == 302
    app.extensions["petitions"].close()
