"""Several schedulers over one PostgreSQL database: one scan at a time, no duplicate level."""
from __future__ import annotations

import threading
from datetime import date

import pytest

from petitions.escalation import SCAN_LOCK, RunLock, run_scan
from petitions.settings import Settings
from tests.conftest import PG_URL, FixedClock
from tests.integration.escalation_helpers import (
    bulk_overdue_petitions, escalations_in_store, hanoi, runtime_for,
)

pytestmark = pytest.mark.postgres

DUE = date(2025, 2, 14)    # ten working days before Friday 28/2: every level is due
TODAY = date(2025, 3, 3)
# Only a safety net against a deadlock: the threads' own ends decide, never this.
THREAD_TIMEOUT = 600


@pytest.fixture
def pg_settings(pg_schema, tmp_path):
    return Settings(instance_path=str(tmp_path / "instance"), database_url=PG_URL,
                    database_schema=pg_schema, secret_key="test-secret")


@pytest.fixture
def runtimes(pg_settings):
    """Two runtimes (each its own Tracker, views engine and projector) on one database."""
    clock = FixedClock(hanoi(TODAY))
    first = runtime_for(pg_settings, clock)
    second = runtime_for(pg_settings, clock)
    yield first, second
    first.close()
    second.close()


def run_in_threads(*targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    def wrap(target):
        try:
            barrier.wait()
            target()
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    # A thread still running would leave a half-done store to check: a hang, not a result.
    assert not any(t.is_alive() for t in threads), f"still running after {THREAD_TIMEOUT}s"
    assert not errors, errors


@pytest.mark.slow
def test_two_schedulers_scanning_five_times_each_record_every_level_exactly_once(runtimes):
    first, second = runtimes
    bulk_overdue_petitions(first.tracker, 1000, DUE)
    first.projector.catch_up()

    def five_scans(runtime):
        def scans():
            for _ in range(5):
                runtime.projector.catch_up()
                run_scan(runtime.tracker)
        return scans

    run_in_threads(five_scans(first), five_scans(second))

    counted = escalations_in_store(first.tracker)
    assert len(counted) == 1000 * 4
    assert set(counted.values()) == {1}


def test_two_scans_without_the_lock_still_record_every_level_exactly_once(runtimes):
    first, second = runtimes
    bulk_overdue_petitions(first.tracker, 300, DUE)
    first.projector.catch_up()

    run_in_threads(lambda: first.tracker.escalate_overdue(first.tracker.now()),
                   lambda: second.tracker.escalate_overdue(second.tracker.now()))

    counted = escalations_in_store(first.tracker)
    assert len(counted) == 300 * 4
    assert set(counted.values()) == {1}


def test_a_second_scheduler_skips_the_scan_while_the_first_holds_the_lock(runtimes):
    first, second = runtimes
    bulk_overdue_petitions(first.tracker, 5, DUE)
    second.projector.catch_up()
    lock = RunLock(first.settings, SCAN_LOCK)
    assert lock.acquire()

    try:
        skipped = run_scan(second.tracker)
    finally:
        lock.release()

    assert skipped is None
    assert len(escalations_in_store(first.tracker)) == 0
