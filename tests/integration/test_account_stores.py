"""The account tables on SQLite and PostgreSQL (and the limit on Redis): the sign-in limit
seen alike by two processes, sessions ended at once, the account history kept."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from domain.actor import Actor, Role
from petitions.settings import Settings
from petitions.users.accounts import Accounts
from petitions.users.attempts import (
    RedisAttemptStore, SignInLimiter, SqlAttemptStore, TooManyAttempts,
)
from petitions.users.sessions import SessionStore
from petitions.users.store import UserStore
from projections.store import views_engine
from tests.conftest import FixedClock, require_redis

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)
ADMIN = Actor("admin", Role.ADMIN)


@pytest.fixture
def engines(settings: Settings) -> Iterator[tuple[Any, Any]]:
    """Two engines on one views database, as two web processes hold."""
    first, second = views_engine(settings), views_engine(settings)
    UserStore(first).create_all()
    yield first, second
    first.dispose()
    second.dispose()


def accounts_on(engine: Any, clock: FixedClock) -> Accounts:
    """The account use cases of one process."""
    store = UserStore(engine, hasher=PasswordHasher.from_parameters(CHEAPEST))
    store.create_all()
    return Accounts(store, SessionStore(engine, timedelta(minutes=30)),
                    SignInLimiter(SqlAttemptStore(engine), clock=clock), clock=clock)


def test_two_processes_share_the_sign_in_limit(engines: tuple[Any, Any]) -> None:
    clock = FixedClock(NOW)
    first = SignInLimiter(SqlAttemptStore(engines[0]), clock=clock)
    second = SignInLimiter(SqlAttemptStore(engines[1]), clock=clock)
    for _ in range(5):
        first.attempt("dai.bieu", "192.0.2.1")

    with pytest.raises(TooManyAttempts):
        second.attempt("dai.bieu", "192.0.2.1")


def test_a_sign_out_in_one_process_ends_the_session_in_the_other(
        engines: tuple[Any, Any]) -> None:
    clock = FixedClock(NOW)
    first, second = accounts_on(engines[0], clock), accounts_on(engines[1], clock)
    user = first.store.add("dai.bieu", "a long password", Role.DEPUTY)
    token = first.start_session(user, "192.0.2.1", second=False)
    assert second.resolve(token) is not None

    first.sign_out(token, "192.0.2.1")

    assert second.resolve(token) is None


def test_deactivation_is_recorded_and_ends_sessions(engines: tuple[Any, Any]) -> None:
    clock = FixedClock(NOW)
    accounts = accounts_on(engines[0], clock)
    user = accounts.store.add("dai.bieu", "a long password", Role.DEPUTY, created_by="admin")
    token = accounts.start_session(user, "192.0.2.1", second=False)

    accounts.deactivate(ADMIN, "dai.bieu", "192.0.2.9")

    details = accounts.account("dai.bieu")
    assert accounts.resolve(token) is None
    assert [(r["kind"], r["actor"]) for r in details["changes"]] == [
        ("AccountDeactivated", "admin"), ("AccountCreated", "admin")]
    assert details["sign_ins"][0]["kind"] == "SignedIn"


def test_the_limit_is_shared_through_redis(tmp_path: Any) -> None:
    import uuid

    url = require_redis()
    namespace = uuid.uuid4().hex
    clock = FixedClock(NOW)
    first = SignInLimiter(RedisAttemptStore(url, namespace), clock=clock)
    second = SignInLimiter(RedisAttemptStore(url, namespace), clock=clock)
    for _ in range(5):
        first.attempt("dai.bieu", "192.0.2.1")

    with pytest.raises(TooManyAttempts):
        second.attempt("dai.bieu", "192.0.2.1")


def test_a_redis_that_does_not_answer_refuses_sign_ins_rather_than_letting_guesses_through(
) -> None:
    from petitions.users.attempts import SignInUnavailable

    limiter = SignInLimiter(RedisAttemptStore("redis://127.0.0.1:1/0", "x"))

    with pytest.raises(SignInUnavailable):
        limiter.attempt("dai.bieu", "192.0.2.1")


def test_sessions_long_past_their_limit_are_removed(engines: tuple[Any, Any]) -> None:
    from sqlalchemy import func, select

    from petitions.users.sessions import sessions_table

    sessions = SessionStore(engines[0], timedelta(minutes=30))
    sessions.start("dai.bieu", "192.0.2.1", NOW)

    sessions.start("dai.bieu", "192.0.2.1", NOW + timedelta(days=2))

    with engines[0].connect() as conn:
        assert conn.execute(select(func.count()).select_from(sessions_table)).scalar() == 1
