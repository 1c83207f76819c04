"""Every POST route refuses a request without a CSRF token."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from petitions.users.demo import DEMO_PASSWORD
from tests.conftest import FixedClock
from tests.web.conftest import log_petition, make_app, totp_code

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def csrf_app(tmp_path: Path, clock: FixedClock) -> Any:
    """An app with CSRF protection on, as in production."""
    app = make_app(tmp_path, clock, WTF_CSRF_ENABLED=True)
    yield app
    app.extensions["petitions"].close()


def signed_in(app: Flask, username: str) -> FlaskClient:
    """Sign in the proper way: with the token from the sign-in page."""
    client = app.test_client()
    token = TOKEN.search(client.get("/login").text).group(1)
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD,
                                           "csrf_token": token})
    if "/login/code" in response.location:
        token = TOKEN.search(client.get(response.location).text).group(1)  # a fresh session
        code = totp_code(app, app.config["TOTP_SECRETS"][username])
        response = client.post(response.location, data={"code": code, "csrf_token": token})
    assert response.status_code == 302 and "/login" not in response.location
    return client


def post_urls(app: Flask, code: str) -> list[str]:
    """Every URL that accepts POST, with the item code and a known action filled in."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        values = {"ref": code, "name": "withdraw", "code": "ba-dinh", "username": "dai.bieu",
                  "token": "x", "section": "units", "token_id": "0123456789ab", "hook_id": 1,
                  "upload": "0" * 64, "sha256": "0" * 64, "job_id": 1, "issuer": "van-phong",
                  "year": 2025, "number": 1, "fmt": "pdf",
                  "document_id": "00000000-0000-0000-0000-000000000000", "search_id": 1}
        urls.append(rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1])
    return sorted(urls)


def test_the_sign_in_form_without_a_token_is_refused(csrf_app: Flask) -> None:
    response = csrf_app.test_client().post(
        "/login", data={"username": "thu.ky", "password": DEMO_PASSWORD})

    assert response.status_code == 400


def test_every_post_route_without_a_token_is_refused(csrf_app: Flask) -> None:
    code = log_petition(csrf_app.extensions["petitions"].tracker)
    client = signed_in(csrf_app, "thu.ky")
    urls = post_urls(csrf_app, code)

    statuses = {url: client.post(url, data={"reason": "x", "lang": "en"}).status_code
                for url in urls}

    assert len(urls) >= 6
    # The write API takes no CSRF token: a session alone may not change anything there
    # (401: a bearer token is required, which a cross-site form cannot send).
    assert statuses == {url: 401 if url.startswith("/api/") else 400 for url in urls}


def test_a_post_with_the_token_is_accepted(csrf_app: Flask) -> None:
    code = log_petition(csrf_app.extensions["petitions"].tracker)
    client = signed_in(csrf_app, "can.bo.ba.dinh")
    token = TOKEN.search(client.get(f"/items/{code}").text).group(1)

    response = client.post(f"/items/{code}/do/withdraw",
                           data={"reason": "Cử tri rút", "expected_version": "1",
                                 "csrf_token": token})

    assert response.status_code == 303
