"""The web app on each real store (SQLite and PostgreSQL), with the demo users."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from flask import Flask

from petitions.settings import Settings
from tests.conftest import FixedClock
from tests.web.conftest import add_demo_users_to, auth_clock
from web import create_app


@pytest.fixture
def store_app(settings: Settings, clock: FixedClock) -> Iterator[Flask]:
    """The app on ``settings`` (each store in turn), CSRF off, demo users added."""
    app = create_app({"TESTING": True, "SETTINGS": settings, "CLOCK": clock,
                      "WTF_CSRF_ENABLED": False,
                      "PASSWORD_HASHER": PasswordHasher.from_parameters(CHEAPEST),
                      "AUTH_CLOCK": auth_clock()})
    add_demo_users_to(app)
    yield app
    app.extensions["petitions"].close()


def users_named(app: Flask, prefix: str) -> list[Any]:
    """Return the accounts whose user name starts with ``prefix``."""
    return [u for u in app.extensions["petitions_users"].all() if u.username.startswith(prefix)]
