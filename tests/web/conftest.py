"""Fixtures for web tests: an app on SQLite with a fixed clock, demo users, signed-in clients."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

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


def make_app(tmp_path: Path, clock: FixedClock, **extra: Any) -> Flask:
    """Build an app on SQLite files in ``tmp_path`` with CSRF off unless asked."""
    config = {
        "TESTING": True, "SETTINGS": sqlite_settings(tmp_path), "CLOCK": clock,
        "PASSWORD_HASHER": PasswordHasher.from_parameters(CHEAPEST),
        "WTF_CSRF_ENABLED": False,
    }
    config.update(extra)
    app = create_app(config)
    add_demo_users(app.extensions["petitions_users"])
    return app


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
    """Sign ``client`` in as the demo user for role key ``who`` (None: stay anonymous)."""
    if who is not None:
        response = client.post("/login", data={"username": USERS[who], "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.status_code
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


def catch_up(app: Flask) -> None:
    """Bring the read models up to date."""
    runtime = app.extensions["petitions"]
    runtime.wait_for(runtime.tracker.position())
