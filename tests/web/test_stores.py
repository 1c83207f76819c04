"""The web app works the same on the embedded SQLite store and on PostgreSQL."""
from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from petitions.settings import Settings
from petitions.users.demo import DEMO_PASSWORD, add_demo_users
from tests.conftest import FixedClock
from tests.web.conftest import PETITION
from web import create_app


def test_a_logged_petition_is_listed_at_once_on_each_store(settings: Settings,
                                                           clock: FixedClock) -> None:
    app = create_app({"TESTING": True, "SETTINGS": settings, "CLOCK": clock,
                      "WTF_CSRF_ENABLED": False,
                      "PASSWORD_HASHER": PasswordHasher.from_parameters(CHEAPEST)})
    add_demo_users(app.extensions["petitions_users"])
    client: Any = app.test_client()
    client.post("/login", data={"username": "can.bo.ba.dinh", "password": DEMO_PASSWORD})
    saved = client.post("/petitions/new", data=PETITION)
    code = saved.location.rsplit("/", 1)[1]

    listed = client.get("/items?q=kim+ma")

    assert code in listed.text
    app.extensions["petitions"].close()
