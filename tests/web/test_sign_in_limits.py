"""The sign-in limit (issue 14, finding 2): one canonical user name, limits per name and per
address in a store every process shares, no lock-out of everyone behind a proxy, and no
unbounded Argon2 work for invented names."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from flask import Flask

from petitions.users.demo import DEMO_PASSWORD
from tests.conftest import FixedClock, require_redis, sqlite_settings
from tests.web.conftest import make_app

PADDED = "dai.bieu" + "\u2003" * 59 + "zz"  # em spaces survive a pasted <input>


class CountingHasher(PasswordHasher):
    """An Argon2 hasher that counts its checks."""

    verified = 0

    def verify(self, *args: Any, **kwargs: Any) -> bool:
        """Count, then check."""
        CountingHasher.verified += 1
        return super().verify(*args, **kwargs)


def post_login(app: Flask, username: str, password: str = "wrong password",
               address: str = "127.0.0.1", **headers: str) -> Any:
    """Post the sign-in form from ``address``."""
    return app.test_client().post("/login", data={"username": username, "password": password},
                                  environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_a_user_name_padded_with_unicode_spaces_does_not_sign_in_as_that_user(app: Flask) -> None:
    response = post_login(app, PADDED, DEMO_PASSWORD)

    assert response.status_code == 401


def test_every_padding_of_a_user_name_counts_against_one_limit(app: Flask) -> None:
    # Before the fix each kind of Unicode space made a new limiter bucket, and a right
    # password behind any of them signed in as dai.bieu: unlimited guesses.
    spaces = ["\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u3000"]
    for space in spaces[:5]:
        post_login(app, "dai.bieu" + space * 59 + "zz")

    response = post_login(app, "dai.bieu" + spaces[5] * 59 + "zz", DEMO_PASSWORD)

    assert response.status_code == 429
    assert "Quá nhiều lần đăng nhập sai" in response.text


def test_trailing_spaces_of_a_user_name_count_against_that_users_limit(app: Flask) -> None:
    for width in range(1, 6):
        post_login(app, "dai.bieu" + "\u3000" * width)

    response = post_login(app, "dai.bieu", DEMO_PASSWORD)

    assert response.status_code == 429


def test_full_width_and_capital_forms_are_the_same_user_name(app: Flask) -> None:
    response = post_login(app, "ＤＡＩ.ＢＩＥＵ", DEMO_PASSWORD)

    assert response.status_code == 302


def test_an_over_long_name_is_no_name_rather_than_cut_to_one(app: Flask) -> None:
    response = post_login(app, "dai.bieu" + "x" * 300, DEMO_PASSWORD)

    assert response.status_code == 401


def test_invented_user_names_are_limited_per_address_before_any_hash(
        tmp_path: Path, clock: FixedClock) -> None:
    app = make_app(tmp_path, clock, PASSWORD_HASHER=CountingHasher.from_parameters(CHEAPEST))
    for number in range(30):
        post_login(app, f"random.{number}")
    hashed = CountingHasher.verified

    statuses = {post_login(app, f"other.{number}").status_code for number in range(20)}

    assert statuses == {429}
    assert CountingHasher.verified == hashed
    app.extensions["petitions"].close()


def test_an_unknown_name_costs_the_same_one_hash_as_a_known_one(
        tmp_path: Path, clock: FixedClock) -> None:
    app = make_app(tmp_path, clock, PASSWORD_HASHER=CountingHasher.from_parameters(CHEAPEST))
    before = CountingHasher.verified
    known = post_login(app, "dai.bieu")
    after_known = CountingHasher.verified
    unknown = post_login(app, "khong.co.ai")

    assert (known.status_code, unknown.status_code) == (401, 401)
    assert after_known - before == CountingHasher.verified - after_known == 1
    def page(response: Any, name: str) -> str:
        return re.sub(r'value="[^"]*"', "", response.text.replace(name, ""))  # tokens differ
    assert page(known, "dai.bieu") == page(unknown, "khong.co.ai")
    app.extensions["petitions"].close()


def test_the_limit_is_shared_by_every_process_on_the_database(
        tmp_path: Path, clock: FixedClock) -> None:
    first = make_app(tmp_path, clock)
    second = make_app(tmp_path, clock)  # another web process on the same instance
    for _ in range(5):
        post_login(first, "dai.bieu")

    response = post_login(second, "dai.bieu", DEMO_PASSWORD)

    assert response.status_code == 429
    first.extensions["petitions"].close()
    second.extensions["petitions"].close()


def test_the_limit_is_shared_through_redis_when_configured(tmp_path: Path,
                                                          clock: FixedClock) -> None:
    settings = sqlite_settings(tmp_path).with_(redis_url=require_redis())
    first = make_app(tmp_path, clock, SETTINGS=settings)
    second = make_app(tmp_path, clock, SETTINGS=settings)
    for _ in range(5):
        post_login(first, "dai.bieu")

    response = post_login(second, "dai.bieu", DEMO_PASSWORD)

    assert response.status_code == 429
    from sqlalchemy import inspect

    assert "sign_in_attempts" not in inspect(first.extensions["petitions_users"].engine
                                             ).get_table_names()
    first.extensions["petitions"].close()
    second.extensions["petitions"].close()


@pytest.fixture
def proxied(tmp_path: Path, clock: FixedClock) -> Any:
    """An app behind one trusted reverse proxy."""
    app = make_app(tmp_path, clock, SETTINGS=sqlite_settings(tmp_path).with_(trusted_proxies=1))
    yield app
    app.extensions["petitions"].close()


def test_behind_a_proxy_five_wrong_passwords_from_one_client_lock_out_no_other(
        proxied: Flask) -> None:
    for _ in range(5):
        post_login(proxied, "dai.bieu", address="127.0.0.1", **{"X-Forwarded-For": "192.0.2.1"})

    elsewhere = post_login(proxied, "dai.bieu", DEMO_PASSWORD, address="127.0.0.1",
                           **{"X-Forwarded-For": "192.0.2.2"})
    same_client = post_login(proxied, "dai.bieu", DEMO_PASSWORD, address="127.0.0.1",
                             **{"X-Forwarded-For": "192.0.2.1"})

    assert (elsewhere.status_code, same_client.status_code) == (302, 429)


def test_many_addresses_guessing_one_name_meet_the_looser_per_name_limit(proxied: Flask) -> None:
    for number in range(20):
        post_login(proxied, "dai.bieu", **{"X-Forwarded-For": f"192.0.2.{number + 10}"})

    response = post_login(proxied, "dai.bieu", DEMO_PASSWORD, **{"X-Forwarded-For": "192.0.2.99"})

    assert response.status_code == 429


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(app: Flask) -> None:
    for number in range(5):
        post_login(app, "dai.bieu", **{"X-Forwarded-For": f"192.0.2.{number}"})

    response = post_login(app, "dai.bieu", DEMO_PASSWORD, **{"X-Forwarded-For": "192.0.2.50"})

    assert response.status_code == 429


def test_a_limit_ends_when_its_window_does(app: Flask) -> None:
    from datetime import timedelta

    for _ in range(5):
        post_login(app, "dai.bieu")
    clock = app.config["AUTH_CLOCK"]
    clock.set(clock() + timedelta(seconds=61))

    response = post_login(app, "dai.bieu", DEMO_PASSWORD)

    assert response.status_code == 302


def test_successful_sign_ins_do_not_count(app: Flask) -> None:
    for _ in range(8):
        post_login(app, "dai.bieu", DEMO_PASSWORD)

    response = post_login(app, "dai.bieu", DEMO_PASSWORD)

    assert response.status_code == 302


def test_with_redis_unreachable_sign_in_says_so_rather_than_skip_the_limit(
        tmp_path: Path, clock: FixedClock) -> None:
    app = make_app(tmp_path, clock, enrol=False, SETTINGS=sqlite_settings(tmp_path).with_(
        redis_url="redis://127.0.0.1:1/0"))

    response = post_login(app, "dai.bieu", DEMO_PASSWORD)

    assert response.status_code == 503
    assert "Hiện chưa thể đăng nhập" in response.text
    app.extensions["petitions"].close()


def test_the_redis_password_is_masked_in_the_printed_settings() -> None:
    from petitions.settings import Settings

    shown = Settings(redis_url="redis://:s3cret@127.0.0.1:6379/0").masked()["redis_url"]

    assert shown == "redis://:****@127.0.0.1:6379/0"
