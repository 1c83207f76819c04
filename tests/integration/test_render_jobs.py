"""The render queue: identical requests share a job, a user has a few at most, two workers
never run one job twice, and a killed worker's job is picked up again exactly once."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from petitions.render_jobs import (
    DONE, FAILED, LEASE, MAX_ACTIVE_PER_USER, QUEUED, RUNNING, RenderQueue, TooManyJobs,
    run_job, run_pending,
)
from petitions.reports import issued_reports, read_file
from petitions.runtime import Runtime
from tests.conftest import FixedClock
from tests.web.conftest import BA_DINH, SECRETARIAT, log_petition

CITY = {"session": "XVI-20", "fmt": "xlsx"}


@pytest.fixture
def runtime(settings) -> Iterator[Runtime]:
    """A store with one petition of session XVI-20."""
    clock = FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))
    rt = Runtime(settings, clock=clock)
    rt.tracker.load_reference()
    log_petition(rt.tracker, session="XVI-20")
    rt.projector.catch_up()
    yield rt
    rt.close()


@pytest.fixture
def clock() -> FixedClock:
    """The queue's clock (leases), moved by hand."""
    return FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))


@pytest.fixture
def queue(runtime: Runtime, clock: FixedClock) -> RenderQueue:
    """The queue in the runtime's views database."""
    return RenderQueue(runtime.views.engine, clock)


def test_identical_requests_share_one_job(queue):
    first = queue.request(SECRETARIAT, "draft", CITY, position=5)

    again = queue.request(BA_DINH, "draft", dict(CITY), position=5)
    other = queue.request(SECRETARIAT, "draft", {**CITY, "fmt": "pdf"}, position=5)

    assert again.id == first.id and other.id != first.id


def test_a_request_at_a_later_position_is_a_new_job(queue):
    first = queue.request(SECRETARIAT, "draft", CITY, position=5)

    later = queue.request(SECRETARIAT, "draft", CITY, position=6)

    assert later.id != first.id


def test_a_user_has_at_most_a_few_jobs_waiting(queue):
    for n in range(MAX_ACTIVE_PER_USER):
        queue.request(SECRETARIAT, "draft", CITY, position=n)

    with pytest.raises(TooManyJobs):
        queue.request(SECRETARIAT, "draft", CITY, position=99)
    assert queue.request(BA_DINH, "draft", CITY, position=99).status == QUEUED


def test_a_worker_renders_a_queued_job_into_a_file(runtime, queue):
    job = queue.request(SECRETARIAT, "draft", CITY, position=1)

    ran = run_pending(runtime, queue, worker="w1")

    done = queue.get(job.id)
    assert ran == 1 and (done.status, done.progress) == (DONE, 100)
    assert read_file(runtime.views.engine, done.result)[:2] == b"PK"   # an xlsx (zip)
    assert done.result_name == "bao-cao-XVI-20-thanh-pho.xlsx"


def test_two_workers_never_claim_the_same_job(queue):
    queue.request(SECRETARIAT, "draft", CITY, position=1)

    first, second = queue.claim("w1"), queue.claim("w2")

    assert first is not None and second is None


def test_a_killed_workers_job_is_picked_up_again_exactly_once(runtime, queue, clock):
    job = queue.request(SECRETARIAT, "draft", CITY, position=1)
    taken, _ = queue.claim("killed")             # the worker dies here, the lease stays
    assert queue.claim("w2") is None               # still leased: nobody takes it

    clock.set(clock() + LEASE + timedelta(seconds=1))
    again, third = queue.claim("w2"), queue.claim("w3")

    assert again is not None and third is None
    assert again[0].id == job.id and again[0].attempts == 2
    run_job(runtime, queue, *again)
    assert queue.get(job.id).status == DONE
    assert queue.finish(taken, result="0" * 64, name="late.pdf") is False  # the dead one's word
    assert queue.get(job.id).result != "0" * 64


def test_a_job_that_keeps_dying_is_given_up(queue, clock):
    job = queue.request(SECRETARIAT, "draft", CITY, position=1)
    for _ in range(3):
        assert queue.claim("dies") is not None
        clock.set(clock() + LEASE + timedelta(seconds=1))

    assert queue.claim("w") is None
    assert queue.get(job.id).status == FAILED


def test_progress_renews_the_lease(queue, clock):
    queue.request(SECRETARIAT, "draft", CITY, position=1)
    job, _ = queue.claim("w1")

    clock.set(clock() + LEASE - timedelta(seconds=1))
    queue.report_progress(job, 40, "layout")
    clock.set(clock() + timedelta(seconds=2))

    assert queue.claim("w2") is None
    assert (queue.get(job.id).status, queue.get(job.id).progress) == (RUNNING, 40)


def test_an_issue_job_cut_off_after_issuing_enters_the_register_once(runtime, queue, clock):
    job = queue.request(SECRETARIAT, "issue", {**CITY, "fmt": "pdf"}, position=1)
    taken, actor = queue.claim("killed")
    run_job(runtime, queue, taken, actor)          # issued …
    with runtime.views.engine.begin() as conn:     # … but killed before it said so
        from petitions.render_jobs import render_jobs
        conn.execute(render_jobs.update().where(render_jobs.c.id == job.id)
                     .values(status=RUNNING, result=None, lease_until=clock() + LEASE))

    clock.set(clock() + LEASE + timedelta(seconds=1))
    again = queue.claim("w2")
    run_job(runtime, queue, *again)

    done = queue.get(job.id)
    assert done.status == DONE and done.outcome["sign"] == "01/BC-VP"
    assert [r.number for r in issued_reports(runtime.tracker)] == [1]


def test_a_job_for_an_unknown_session_fails_with_a_reason(runtime, queue):
    job = queue.request(SECRETARIAT, "draft", {"session": "XX-99", "fmt": "pdf"}, position=1)

    run_pending(runtime, queue, worker="w1")

    failed = queue.get(job.id)
    assert failed.status == FAILED and "XX-99" in failed.error
