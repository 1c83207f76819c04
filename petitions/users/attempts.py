"""The sign-in limit: failed attempts per user name and address, shared by every process.

Three limits, checked before any password hash is computed:

- per (user name, address): 5 in a minute — the usual guard against guessing one password;
- per user name, from every address: 20 in 15 minutes — looser, so that five wrong
  passwords typed behind one office proxy lock nobody out, yet a guesser spread over many
  addresses is still stopped;
- per address, whatever the name: 30 in 10 minutes — random or unknown names cost an
  Argon2 hash each, so their number is bounded before hashing.

An attempt is recorded *before* the password is checked and withdrawn when it succeeds, so
parallel requests cannot all pass the check first; attempts refused by the limit are not
counted, so a lock ends when its window does. The store is a table in the views database,
or Redis when ``PETITIONS_REDIS_URL`` is set.
"""
from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from sqlalchemy import (
    Column, DateTime, Engine, Index, Integer, MetaData, String, Table, delete, func, insert, select,
)

from domain.errors import DomainError, N_

metadata = MetaData()

attempts_table = Table(
    "sign_in_attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token", String(36), nullable=False),
    Column("key", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_sign_in_attempts_key_at", "key", "at"),
    Index("ix_sign_in_attempts_token", "token"),
)


@dataclass(frozen=True)
class Limit:
    """At most ``count`` failed attempts per key of this ``kind`` within ``seconds``."""

    kind: str  # "name_address", "name" or "address"
    count: int
    seconds: int


LIMITS = (Limit("name_address", 5, 60), Limit("name", 20, 15 * 60), Limit("address", 30, 10 * 60))


class TooManyAttempts(DomainError):
    """Too many failed sign-in attempts: wait before trying again."""

    template = N_("Too many failed attempts. Try again in {minutes} minutes.")


class SignInUnavailable(DomainError):
    """The store of the sign-in limit does not answer: refuse rather than let guesses through."""

    template = N_("Signing in is unavailable right now. Try again in a few minutes.")


class AttemptStore(Protocol):
    """Where attempts are counted: per key, within a time window."""

    def add(self, token: str, keys: list[str], at: datetime, windows: list[int]) -> list[int]:
        """Record one attempt under each key; return each key's count within its window."""

    def withdraw(self, token: str, keys: list[str]) -> None:
        """Forget the attempt ``token`` (it succeeded, or the limit refused it)."""


class SqlAttemptStore:
    """Attempts in a table of the views database (the default: shared by all web processes)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    def add(self, token: str, keys: list[str], at: datetime, windows: list[int]) -> list[int]:
        """Insert one row per key and count each key's rows within its window."""
        t = attempts_table
        with self.engine.begin() as conn:
            # Old rows are of no use to any window: keep the table small.
            conn.execute(delete(t).where(t.c.at < at - timedelta(seconds=max(windows))))
            conn.execute(insert(t), [{"token": token, "key": k, "at": at} for k in keys])
            return [conn.execute(select(func.count()).select_from(t).where(
                t.c.key == k, t.c.at > at - timedelta(seconds=w))).scalar_one()
                for k, w in zip(keys, windows)]

    def withdraw(self, token: str, keys: list[str]) -> None:
        """Delete the attempt's rows."""
        with self.engine.begin() as conn:
            conn.execute(delete(attempts_table).where(attempts_table.c.token == token))


class RedisAttemptStore:
    """Attempts in Redis sorted sets (``PETITIONS_REDIS_URL``): one per key, scored by time.

    Keys are prefixed with ``namespace`` (a digest of the installation's database), so two
    installations sharing one Redis server never share a limit.
    """

    def __init__(self, url: str, namespace: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
        self.prefix = f"petitions:{namespace}:sign-in:"

    def add(self, token: str, keys: list[str], at: datetime, windows: list[int]) -> list[int]:
        """Add the attempt to each key's set, drop what left the window, count the rest."""
        now = at.timestamp()
        pipe = self.redis.pipeline(transaction=True)
        for key, window in zip(keys, windows):
            name = self.prefix + key
            pipe.zremrangebyscore(name, "-inf", now - window)
            pipe.zadd(name, {token: now})
            pipe.zcard(name)
            pipe.expire(name, window)
        results = self._run(pipe)
        return [int(results[i * 4 + 2]) for i in range(len(keys))]

    def withdraw(self, token: str, keys: list[str]) -> None:
        """Remove the attempt from each key's set."""
        pipe = self.redis.pipeline(transaction=True)
        for key in keys:
            pipe.zrem(self.prefix + key, token)
        self._run(pipe)

    @staticmethod
    def _run(pipe: Any) -> list[Any]:
        import redis

        try:
            return pipe.execute()
        except redis.RedisError:
            raise SignInUnavailable() from None


class Attempt:
    """One sign-in attempt that passed the limit; call ``succeeded()`` when it did."""

    def __init__(self, store: AttemptStore, token: str, keys: list[str]) -> None:
        self._store, self._token, self._keys = store, token, keys

    def succeeded(self) -> None:
        """Withdraw the attempt: only failures count against the limits."""
        self._store.withdraw(self._token, self._keys)


class SignInLimiter:
    """Count sign-in attempts and refuse those over a limit, before any hash is computed."""

    def __init__(self, store: AttemptStore, limits: tuple[Limit, ...] = LIMITS,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.limits = limits
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    def attempt(self, name: str, address: str) -> Attempt:
        """Record an attempt for canonical ``name`` from ``address``, or raise TooManyAttempts.

        A name that cannot be anyone's ("") counts only against its address: invented
        names open no bucket of their own.
        """
        keyed = [(limit, key) for limit in self.limits
                 if (key := self._key(limit.kind, name, address)) is not None]
        keys = [key for _, key in keyed]
        token = str(uuid.uuid4())
        counts = self.store.add(token, keys, self.clock(), [limit.seconds for limit, _ in keyed])
        over = [limit for (limit, _), count in zip(keyed, counts) if count > limit.count]
        if over:
            self.store.withdraw(token, keys)
            raise TooManyAttempts(minutes=max(math.ceil(limit.seconds / 60) for limit in over))
        return Attempt(self.store, token, keys)

    @staticmethod
    def _key(kind: str, name: str, address: str) -> str | None:
        if kind == "address":
            return f"a:{address}"
        if not name:
            return None
        return f"n:{name}" if kind == "name" else f"na:{name}|{address}"


def attempt_store(settings: Any, engine: Engine) -> AttemptStore:
    """Return Redis when configured, else the views database table."""
    if settings.redis_url:
        namespace = hashlib.sha256(
            f"{settings.views_url()}|{settings.database_schema}".encode()).hexdigest()[:16]
        return RedisAttemptStore(settings.redis_url, namespace)
    return SqlAttemptStore(engine)
