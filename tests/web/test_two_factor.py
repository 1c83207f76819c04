"""Two-factor sign-in (issue 14): required for the secretariat and admins, optional for
others; codes work once; recovery codes are shown once, stored hashed and work once;
failed codes count in the sign-in limit."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from petitions.users.demo import DEMO_PASSWORD
from tests.conftest import FixedClock
from tests.web.conftest import make_app, rendered, totp_code

SECRET = re.compile(r'id="totp-secret">([A-Z2-7 ]+)</code>')


@pytest.fixture
def fresh(tmp_path: Path, clock: FixedClock) -> Any:
    """An app whose demo users have not set up two-factor sign-in (as after ``petitions demo``)."""
    app = make_app(tmp_path, clock, enrol=False)
    yield app
    app.extensions["petitions"].close()


def password_step(app: Flask, username: str) -> tuple[FlaskClient, Any]:
    """Post the right password; return the client and the answer."""
    client = app.test_client()
    return client, client.post("/login", data={"username": username, "password": DEMO_PASSWORD})


def enrol_through_the_page(app: Flask, client: FlaskClient) -> tuple[str, Any]:
    """Read the key from the enrolment page and type the app's code; return key and answer."""
    page = rendered(client.get("/login/enrol"), "QR")
    secret = SECRET.search(page).group(1).replace(" ", "")
    return secret, client.post("/login/enrol", data={"code": totp_code(app, secret)})


@pytest.mark.parametrize("username", ["thu.ky", "admin"])
def test_the_secretariat_and_admins_are_sent_to_enrolment_at_first_sign_in(
        fresh: Flask, username: str) -> None:
    client, response = password_step(fresh, username)

    assert "/login/enrol" in response.location
    assert client.get("/items").status_code == 302  # not signed in yet


def test_others_sign_in_with_a_password_alone(fresh: Flask) -> None:
    _, response = password_step(fresh, "dai.bieu")

    assert response.status_code == 302 and "/login" not in response.location


def test_the_enrolment_page_draws_the_qr_code_itself_without_script(fresh: Flask) -> None:
    client, _ = password_step(fresh, "thu.ky")

    page = rendered(client.get("/login/enrol"), 'src="data:image/svg+xml')

    # Only the shared enhancement script, which draws nothing (folds filters, asks to confirm).
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/enhance.js" defer>']
    assert "http://" not in page.split('src="data:image/svg+xml')[1].split('"')[0]


def test_enrolment_shows_recovery_codes_once_and_signs_in(fresh: Flask) -> None:
    client, _ = password_step(fresh, "thu.ky")

    _, response = enrol_through_the_page(fresh, client)

    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", rendered(response))
    assert len(codes) == 10
    assert client.get("/queues/secretariat").status_code == 200
    assert codes[0] not in client.get("/account").text


def test_recovery_codes_are_stored_hashed(fresh: Flask) -> None:
    client, _ = password_step(fresh, "thu.ky")
    _, response = enrol_through_the_page(fresh, client)
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.text)

    with fresh.extensions["petitions_users"].engine.connect() as conn:
        stored = [r[0] for r in conn.exec_driver_sql("SELECT code_hash FROM recovery_codes")]

    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & set(stored)


def test_a_wrong_enrolment_code_turns_nothing_on(fresh: Flask) -> None:
    client, _ = password_step(fresh, "thu.ky")
    client.get("/login/enrol")

    response = client.post("/login/enrol", data={"code": "000000"})

    assert response.status_code == 401
    assert not fresh.extensions["petitions_accounts"].has_second_factor("thu.ky")


def test_an_enrolled_user_is_asked_for_the_code(app: Flask) -> None:
    client, response = password_step(app, "thu.ky")

    assert "/login/code" in response.location
    assert client.get("/queues/secretariat").status_code == 302


def test_the_right_code_signs_in(app: Flask) -> None:
    client, _ = password_step(app, "thu.ky")

    response = client.post("/login/code", data={
        "code": totp_code(app, app.config["TOTP_SECRETS"]["thu.ky"])})

    assert response.status_code == 302
    assert client.get("/queues/secretariat").status_code == 200


def test_a_code_works_only_once(app: Flask) -> None:
    secret = app.config["TOTP_SECRETS"]["thu.ky"]
    code = totp_code(app, secret)
    first, _ = password_step(app, "thu.ky")
    first.post("/login/code", data={"code": code})
    second, _ = password_step(app, "thu.ky")

    response = second.post("/login/code", data={"code": code})

    assert response.status_code == 401


def test_wrong_codes_count_in_the_sign_in_limit(app: Flask) -> None:
    client, _ = password_step(app, "thu.ky")
    for _ in range(5):
        client.post("/login/code", data={"code": "123456"})

    response = client.post("/login/code", data={
        "code": totp_code(app, app.config["TOTP_SECRETS"]["thu.ky"])})

    assert response.status_code == 429


def test_a_recovery_code_signs_in_once(fresh: Flask) -> None:
    client, _ = password_step(fresh, "thu.ky")
    _, response = enrol_through_the_page(fresh, client)
    code = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.text)[3]
    client.post("/logout")

    first, _ = password_step(fresh, "thu.ky")
    used = first.post("/login/code", data={"code": code.upper()})
    second, _ = password_step(fresh, "thu.ky")
    again = second.post("/login/code", data={"code": code})

    assert (used.status_code, again.status_code) == (302, 401)


def test_a_deputy_may_turn_on_two_factor_sign_in(fresh: Flask) -> None:
    client, _ = password_step(fresh, "dai.bieu")
    page = rendered(client.get("/account/two-factor"), "QR")
    secret = SECRET.search(page).group(1).replace(" ", "")
    client.post("/account/two-factor", data={"code": totp_code(fresh, secret)})

    _, response = password_step(fresh, "dai.bieu")

    assert "/login/code" in response.location


def test_the_code_step_expires(app: Flask) -> None:
    from datetime import timedelta

    client, _ = password_step(app, "thu.ky")
    clock = app.config["AUTH_CLOCK"]
    clock.set(clock() + timedelta(minutes=6))

    response = client.post("/login/code", data={
        "code": pyotp.TOTP(app.config["TOTP_SECRETS"]["thu.ky"]).at(clock())})

    assert response.status_code == 302 and response.location.endswith("/login")


def test_an_admin_reset_sends_the_user_to_enrol_again(app: Flask, client_as: Any) -> None:
    client_as("admin").post("/admin/users/thu.ky/two-factor-reset")

    _, response = password_step(app, "thu.ky")

    assert "/login/enrol" in response.location


def test_a_wrong_password_never_reaches_the_code_step(app: Flask) -> None:
    client = app.test_client()
    client.post("/login", data={"username": "thu.ky", "password": "wrong password"})

    response = client.get("/login/code")

    assert response.status_code == 302 and response.location.endswith("/login")



# A control character is refused by the input rule for every form (400) before the code is read.
@pytest.mark.parametrize("code, status", [
    ("١٢٣٤٥٦", 401), ("12345\x00", 400), ("x" * 5000, 401), ("", 401), ("123 456 789", 401)])
def test_odd_codes_are_refused_without_a_server_error(app: Flask, code: str, status: int) -> None:
    client, _ = password_step(app, "thu.ky")

    response = client.post("/login/code", data={"code": code})

    assert response.status_code == status
