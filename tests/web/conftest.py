"""Fixtures for web tests: an app on SQLite with a fixed clock, demo users, signed-in clients."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyotp
import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from flask import Flask
from flask.testing import FlaskClient

from domain.actor import Actor, Role
from petitions.users.demo import DEMO_PASSWORD, add_demo_users
from tests.conftest import FixedClock, sqlite_settings
from web import create_app

# User name per role in the demo set; "hoan_kiem" is a second district staff member.
USERS = {
    "district_staff": "can.bo.ba.dinh", "other_district": "can.bo.hoan.kiem",
    "secretariat": "thu.ky", "agency_staff": "so.xay.dung", "deputy": "dai.bieu",
    "admin": "admin",
}
SECRETARIAT = Actor("thu.ky", Role.SECRETARIAT)
BA_DINH = Actor("can.bo.ba.dinh", Role.DISTRICT_STAFF, district="ba-dinh")
HOAN_KIEM = Actor("can.bo.hoan.kiem", Role.DISTRICT_STAFF, district="hoan-kiem")
XAY_DUNG = Actor("so.xay.dung", Role.AGENCY_STAFF, agency="so-xay-dung")


# What an extra setting may change for a test's app to start from a copied instance: these
# change what is written while the instance is set up, so such an app sets up its own.
SET_UP_BY_ITSELF = frozenset({"SETTINGS", "PASSWORD_HASHER", "RUNTIME", "AUTH_CLOCK", "CLOCK"})


def make_app(tmp_path: Path, clock: FixedClock, enrol: bool = True, **extra: Any) -> Flask:
    """Build an app on SQLite files in ``tmp_path`` with CSRF off unless asked.

    The demo users whose role requires two-factor sign-in (thu.ky, admin) are enrolled
    unless ``enrol`` is False; ``sign_in`` then types their code like a phone would.

    A new instance starts as a copy of one set up once per test process with the same clock
    (reference data of both eras, demo users, enrolments): setting it up is most of a web
    test's time, and the copy holds exactly what this function would have written.
    """
    instance = tmp_path / "instance"
    if not instance.exists() and not SET_UP_BY_ITSELF & extra.keys():
        template = _template(clock(), enrol)
        shutil.copytree(template.instance, instance)
        app = _build(tmp_path, clock, extra, auth_clock(template.auth_now))
        app.config["TOTP_SECRETS"] = dict(template.totp_secrets)
        return app
    app = _build(tmp_path, clock, extra, None)
    add_demo_users_to(app, enrol=enrol)
    return app


class _Template:
    """An instance set up once: its folder, the sign-in clock after enrolment, the secrets."""

    def __init__(self, instance: Path, auth_now: datetime, totp_secrets: dict[str, str]) -> None:
        self.instance, self.auth_now, self.totp_secrets = instance, auth_now, totp_secrets


_TEMPLATES: dict[tuple[datetime, bool], _Template] = {}


def _template(now: datetime, enrol: bool) -> _Template:
    """Return the instance set up at ``now`` (once per test process), closed so it copies whole."""
    key = (now, enrol)
    if key not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="petitions-template-"))
        atexit.register(shutil.rmtree, folder, True)
        app = _build(folder, FixedClock(now), {}, None)
        add_demo_users_to(app, enrol=enrol)
        app.extensions["petitions"].close()  # checkpoints SQLite's write-ahead log into the files
        _TEMPLATES[key] = _Template(folder / "instance", app.config["AUTH_CLOCK"](),
                                    dict(app.config["TOTP_SECRETS"]))
    return _TEMPLATES[key]


def _build(tmp_path: Path, clock: FixedClock, extra: dict[str, Any],
           sign_in_clock: FixedClock | None) -> Flask:
    config = {
        "TESTING": True, "SETTINGS": sqlite_settings(tmp_path), "CLOCK": clock,
        "PASSWORD_HASHER": PasswordHasher.from_parameters(CHEAPEST),
        "WTF_CSRF_ENABLED": False,
        # Sessions, sign-in limits and TOTP steps run on their own clock, apart from the
        # business clock items are dated by.
        "AUTH_CLOCK": sign_in_clock or auth_clock(),
    }
    config.update(extra)
    return create_app(config)


def auth_clock(now: datetime | None = None) -> FixedClock:
    """Return a clock for sessions, sign-in limits and TOTP steps, apart from the business clock."""
    return FixedClock(now or datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))


def add_demo_users_to(app: Flask, enrol: bool = True) -> None:
    """Add the demo users; enrol those whose role requires two-factor sign-in unless told not to."""
    add_demo_users(app.extensions["petitions_users"])
    app.config["TOTP_SECRETS"] = {}
    if enrol:
        for username in ("thu.ky", "admin"):
            if not app.extensions["petitions_accounts"].has_second_factor(username):
                enrol_second_factor(app, username)


def enrol_second_factor(app: Flask, username: str) -> str:
    """Enrol ``username`` in two-factor sign-in as the enrolment page would; return the secret."""
    accounts = app.extensions["petitions_accounts"]
    secret = accounts.begin_enrolment(username).secret
    assert accounts.confirm_enrolment(username, totp_code(app, secret), "127.0.0.1")
    app.config["TOTP_SECRETS"][username] = secret
    return secret


def totp_code(app: Flask, secret: str) -> str:
    """Move the sign-in clock to the next 30-second step and return its code, as a phone shows it.

    A code is accepted once; a real person waits for the next one, the tests move the clock.
    """
    clock = app.config["AUTH_CLOCK"]
    clock.set(clock() + timedelta(seconds=30))
    return pyotp.TOTP(secret).at(clock())


@pytest.fixture
def app(tmp_path: Path, clock: FixedClock) -> Iterator[Flask]:
    """The web app with demo users, reference data and CSRF disabled."""
    app = make_app(tmp_path, clock)
    yield app
    close = getattr(app.extensions["petitions"], "close", None)
    if close:
        close()


@pytest.fixture
def tracker(app: Flask) -> Any:
    """The app's tracker, to arrange items directly."""
    return app.extensions["petitions"].tracker


def sign_in(client: FlaskClient, who: str | None) -> FlaskClient:
    """Sign ``client`` in as the demo user for role key ``who`` (None: stay anonymous).

    Users enrolled in two-factor sign-in type the code of their (simulated) phone too.
    """
    if who is not None:
        username = USERS[who]
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        if "/login/code" in (response.location or ""):
            app = client.application
            code = totp_code(app, app.config["TOTP_SECRETS"][username])
            response = client.post(response.location, data={"code": code})
        assert response.status_code == 302 and "/login" not in response.location, (
            response.status_code, response.location)
    return client


@pytest.fixture
def client_as(app: Flask) -> Any:
    """Return a factory of clients signed in as a given role key."""
    def make(who: str | None) -> FlaskClient:
        return sign_in(app.test_client(), who)
    return make


PETITION = {
    "meeting_date": "2025-02-20", "meeting_place": "Nhà văn hóa phường Kim Mã",
    "session": "XVI-19", "deputy_group": "to-01", "district": "ba-dinh", "field": "transport",
    "title": "Sửa mặt đường Kim Mã", "content": "Cử tri phản ánh mặt đường Kim Mã xuống cấp.",
    "voters": "Nguyễn Văn An, tổ 5", "received_on": "2025-02-21",
}
COMPLAINT = {
    "kind": "complaint", "channel": "direct", "received_on": "2025-02-25",
    "district": "ba-dinh", "field": "land", "title": "Khiếu nại bồi thường",
    "content": "Ông Bình khiếu nại đơn giá bồi thường.", "subject": "UBND phường Kim Mã",
    "petitioner_name": "Trần Văn Bình", "petitioner_address": "12 Kim Mã",
    "petitioner_phone": "0912345678", "petitioner_id_number": "001090001234",
}


def log_petition(tracker: Any, actor: Actor = BA_DINH, **changes: Any) -> str:
    """Log a petition through the application and return its code."""
    data: dict[str, Any] = {k: v for k, v in PETITION.items()}
    data["meeting_date"] = date.fromisoformat(data["meeting_date"])
    data["received_on"] = date.fromisoformat(data["received_on"])
    data["district"] = actor.district or data["district"]
    data.update(changes)
    return tracker.log_petition(actor, **data).code


def receive_complaint(tracker: Any, actor: Actor = BA_DINH) -> str:
    """Record a complaint through the application and return its code."""
    return tracker.receive_complaint(
        actor, kind="complaint", channel="direct", title=COMPLAINT["title"],
        content=COMPLAINT["content"], subject=COMPLAINT["subject"],
        petitioner={"name": COMPLAINT["petitioner_name"], "address": "12 Kim Mã",
                    "phone": "0912345678", "id_number": "001090001234"},
        anonymous=False, district=actor.district or "ba-dinh", field="land",
        received_on=date(2025, 2, 25),
    ).code


def rendered(response: Any, *shown: str) -> str:
    """Return the body of a response that really rendered: status 200, each of ``shown`` in it.

    Tests that a page leaves something out call this first: an error page or an empty
    answer leaves out everything too, so an absence alone would pass when the page fails.
    """
    body = response.get_data(as_text=True)
    assert response.status_code == 200, (response.status_code, body[:500])
    missing = [text for text in shown if text not in body]
    assert not missing, f"missing from the page: {missing}"
    return body


def download_digest(client: FlaskClient, path: str = "/digests/pdf", **query: Any) -> Any:
    """Ask for a digest as a browser does: queue it, let a worker render it (as the
    scheduler's process would), then fetch the file from the job (or return the refusal)."""
    from petitions.render_jobs import run_pending

    queued = client.get(path, query_string=query)
    if queued.status_code != 303:
        return queued
    run_pending(client.application.extensions["petitions"])
    return client.get(queued.location + "/file")


def catch_up(app: Flask) -> None:
    """Bring the read models up to date."""
    runtime = app.extensions["petitions"]
    runtime.wait_for(runtime.tracker.position())
