"""Whether an error means "the database is away", and one log line per outage, not per failure.

Web requests and scheduler jobs that fail because PostgreSQL or the SQLite files cannot be
reached answer "unavailable" (503) instead of failing as a bug would; ``Outage`` logs the
first such failure once, counts the rest, and logs the recovery with the count.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from typing import Any

# SQLite reports its own bugs and an unreachable file with the same class: these words
# say the file is away (gone, unreadable, locked, read-only, full), not that a query is wrong.
_SQLITE_OUTAGE = ("unable to open", "locked", "disk i/o", "readonly", "disk is full",
                  "busy")


def _outage_types() -> tuple[type[BaseException], ...]:
    from eventsourcing import persistence
    from sqlalchemy import exc

    kinds: list[type[BaseException]] = [exc.OperationalError, exc.InterfaceError,
                                        persistence.OperationalError,
                                        persistence.InterfaceError]
    try:
        import psycopg

        kinds += [psycopg.OperationalError, psycopg.InterfaceError]
    except ImportError:  # SQLite-only install
        pass
    return tuple(kinds)


def is_database_unavailable(err: BaseException | None) -> bool:
    """Tell whether ``err`` (or what caused it) says the database cannot be reached."""
    kinds = _outage_types()
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, sqlite3.OperationalError):
            return any(words in str(err).lower() for words in _SQLITE_OUTAGE)
        orig = getattr(err, "orig", None)  # SQLAlchemy keeps the driver's error here
        if isinstance(orig, sqlite3.OperationalError):
            return is_database_unavailable(orig)
        if isinstance(err, kinds):
            return True
        err = err.__cause__ or err.__context__
    return False


def first_line(err: BaseException) -> str:
    """Return the error's class and the first line of its message (no SQL, no traceback)."""
    orig = getattr(err, "orig", None) or err
    text = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {text[0] if text else ''}".strip()


class Outage:
    """Log one line when the database goes away and one when it is back, with a count."""

    def __init__(self, log: logging.Logger, what: str = "requests") -> None:
        self.log = log
        self.what = what
        self._lock = threading.Lock()
        self.started: float | None = None
        self.failures = 0

    @property
    def ongoing(self) -> bool:
        """Tell whether the database was away at the last failure and has not answered since."""
        return self.started is not None

    def failed(self, err: BaseException) -> None:
        """Count one failure; the first of an outage is logged (one line, no traceback)."""
        with self._lock:
            self.failures += 1
            if self.started is not None:
                return
            self.started = time.monotonic()
        self.log.error("database unavailable (%s); %s fail until it is back (one line "
                       "then, with their count)", first_line(err), self.what)

    def recovered(self) -> None:
        """Log the end of an outage, if one is ongoing, with how many failed meanwhile."""
        if self.started is None:  # the usual case: no lock taken
            return
        with self._lock:
            if self.started is None:
                return
            seconds, failures = time.monotonic() - self.started, self.failures
            self.started, self.failures = None, 0
        self.log.warning("database available again after %.0f s; %d %s failed meanwhile",
                         seconds, failures, self.what)


class DatabaseUnreachable(Exception):
    """The configured database does not answer; the message is one line for the operator."""


def probe_database(settings: Any) -> None:
    """Connect once, quickly, to the configured database; raise DatabaseUnreachable if not.

    Commands call this first, so an unreachable server costs a few seconds and one line,
    not the store library's retries and a traceback.
    """
    if settings.is_postgres:
        import psycopg

        from projections.store import CONNECT_TIMEOUT_SECONDS

        url = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        try:
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_SECONDS).close()
        except psycopg.Error as err:
            where = settings.masked()["database_url"]
            raise DatabaseUnreachable(
                f"cannot reach PostgreSQL at {where} ({first_line(err)}). Is the server "
                "running, and is PETITIONS_DATABASE_URL right?") from None
        return
    try:
        folder = settings.instance
        probe = folder / ".write-check"
        probe.touch()
        probe.unlink()
    except OSError as err:
        raise DatabaseUnreachable(
            f"cannot use the instance folder {settings.instance_path!r} for the SQLite files "
            f"({err.strerror or err}). Check PETITIONS_INSTANCE_PATH.") from None
