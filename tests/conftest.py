"""Fixtures shared by every test: stores on SQLite and PostgreSQL, a fixed clock, actors.

PostgreSQL tests skip with a reason when no server answers, unless
``PETITIONS_REQUIRE_POSTGRES=1`` (set by .ci/run), which turns the skip into a failure.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from domain.actor import Actor, Role
from petitions.settings import Settings

PG_URL = os.environ.get("PETITIONS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("PETITIONS_REQUIRE_POSTGRES", "") not in ("", "0")


def postgres_unavailable_reason() -> str | None:
    """Return why PostgreSQL cannot be used, or None when it answers."""
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: not reachable for tests
        return f"PostgreSQL at {PG_URL} is not reachable ({type(exc).__name__}: {exc})"


_PG_REASON: list[str | None] = []


def require_postgres() -> None:
    """Skip (or fail, in CI) when PostgreSQL is not reachable."""
    if not _PG_REASON:
        _PG_REASON.append(postgres_unavailable_reason())
    reason = _PG_REASON[0]
    if reason:
        if REQUIRE_POSTGRES:
            pytest.fail(reason + " and PETITIONS_REQUIRE_POSTGRES is set")
        pytest.skip(reason)


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """Create a fresh PostgreSQL schema for one test and drop it afterwards."""
    require_postgres()
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield schema
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def sqlite_settings(tmp_path: Path) -> Settings:
    """Return settings for SQLite files in a temporary instance folder."""
    return Settings(instance_path=str(tmp_path / "instance"), secret_key="test-secret")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for each real store: embedded SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_settings(tmp_path)
    schema = request.getfixturevalue("pg_schema")
    return Settings(
        instance_path=str(tmp_path / "instance"), database_url=PG_URL,
        database_schema=schema, secret_key="test-secret",
    )


class FixedClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def __call__(self) -> datetime:
        return self.current

    def set(self, now: datetime) -> None:
        """Move the clock to ``now``."""
        self.current = now


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at 09:00 Hanoi time on Monday 3 March 2025."""
    return FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))


REDIS_URL = os.environ.get("PETITIONS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_REDIS = os.environ.get("PETITIONS_REQUIRE_REDIS", "") not in ("", "0")


def require_redis() -> str:
    """Return the test Redis URL; skip (or fail, in CI) when no server answers."""
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:  # any failure means: not reachable for tests
        reason = f"Redis at {REDIS_URL} is not reachable ({type(exc).__name__}: {exc})"
        if REQUIRE_REDIS:
            pytest.fail(reason + " and PETITIONS_REQUIRE_REDIS is set")
        pytest.skip(reason)
    return REDIS_URL


SECRETARIAT = Actor("thu.ky", Role.SECRETARIAT)
ADMIN = Actor("admin", Role.ADMIN)
DEPUTY = Actor("dai.bieu", Role.DEPUTY)
BA_DINH_STAFF = Actor("can.bo.ba.dinh", Role.DISTRICT_STAFF, district="ba-dinh")
HOAN_KIEM_STAFF = Actor("can.bo.hoan.kiem", Role.DISTRICT_STAFF, district="hoan-kiem")
XAY_DUNG_STAFF = Actor("so.xay.dung", Role.AGENCY_STAFF, agency="so-xay-dung")
