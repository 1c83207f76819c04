"""The APScheduler process: jobs in a persistent store, a scan at start-up, one-off runs."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobEvent
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import text

import scheduler
from projections.outbox import outbox_rows
from tests.integration.escalation_helpers import (
    assigned_petition, escalations_in_store, hanoi, runtime_for,
)

DUE = date(2025, 3, 7)
TEN_WORKING_DAYS_LATER = date(2025, 3, 21)


@pytest.fixture
def runtime(settings, clock):
    rt = runtime_for(settings, clock)
    yield rt
    rt.close()


@pytest.fixture
def overdue(runtime, clock):
    """A petition due 7/3/2025, with the clock moved ten working days past its due date."""
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, DUE)
    clock.set(hanoi(TEN_WORKING_DAYS_LATER))
    return receipt


# Only a safety net against a scan that never ends: the tests wait for the scan job's own
# "executed" event, so this turns a hang into a failure and never decides a pass.
SCAN_TIMEOUT = 240


class ScanWatch:
    """Record the outcome of the scheduler's first escalation-scan run."""

    def __init__(self, sched: BaseScheduler) -> None:
        self.done = threading.Event()
        self.events: list[JobEvent] = []
        sched.add_listener(self._heard, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)

    def _heard(self, event: JobEvent) -> None:
        if event.job_id == scheduler.SCAN_JOB:
            self.events.append(event)
            self.done.set()

    def wait(self) -> None:
        """Wait until the scan ran; fail if it raised, was missed, or never came."""
        assert self.done.wait(SCAN_TIMEOUT), f"no escalation scan ran in {SCAN_TIMEOUT}s"
        event = self.events[0]
        assert event.code == EVENT_JOB_EXECUTED, (event, getattr(event, "exception", None))


def test_a_scheduler_started_after_downtime_records_every_missed_level_at_once(runtime,
                                                                               overdue):
    sched = scheduler.build_scheduler(runtime)
    scan = ScanWatch(sched)

    sched.start()
    try:
        scan.wait()
    finally:
        sched.shutdown(wait=True)

    assert sorted(level for _, level, _ in escalations_in_store(runtime.tracker)) == [0, 1, 2, 3]


def test_jobs_are_kept_in_the_persistent_store_by_reference(runtime):
    sched = scheduler.build_scheduler(runtime)

    sched.start(paused=True)
    try:
        jobs = {job.id: job for job in sched.get_jobs()}
    finally:
        sched.shutdown(wait=False)

    scan = jobs[scheduler.SCAN_JOB]
    assert set(jobs) == {scheduler.SCAN_JOB, scheduler.SEND_JOB, scheduler.CATCH_UP_JOB,
                         scheduler.RENDER_JOB}
    assert scan.func_ref == "scheduler:scan_job"
    assert scan.trigger.interval == timedelta(minutes=runtime.settings.scan_minutes)
    assert (scan.coalesce, scan.misfire_grace_time) == (True, scheduler.MISFIRE_GRACE_SECONDS)
    assert str(scan.trigger.timezone) == "Asia/Ho_Chi_Minh"


def test_restarting_the_scheduler_replaces_its_stored_jobs_instead_of_adding_more(runtime):
    for _ in range(2):
        sched = scheduler.build_scheduler(runtime)
        sched.start(paused=True)
        sched.shutdown(wait=False)

    with runtime.views.engine.connect() as conn:
        stored = conn.execute(text(f"SELECT id FROM {scheduler.JOBS_TABLE}")).scalars().all()

    assert sorted(stored) == sorted(
        [scheduler.CATCH_UP_JOB, scheduler.RENDER_JOB, scheduler.SCAN_JOB, scheduler.SEND_JOB])


def test_a_dry_run_prints_code_level_who_and_due_date_and_stores_nothing(runtime, overdue):
    lines = []
    position = runtime.tracker.position()

    scheduler.run_once(runtime, dry_run=True, out=lines.append)

    assert lines[0] == (f"{overdue.code}\tlevel 0\tagency\tdue 2025-03-07\t"
                        "so-xay-dung@hanoi.invalid")
    assert lines[3].startswith(f"{overdue.code}\tlevel 3\tstanding_committee\tdue 2025-03-07\t"
                               "thuong-truc@hdnd.hanoi.invalid")
    assert "would escalate 4 level(s) on 1 item(s)" in lines[4]
    assert runtime.tracker.position() == position


def test_a_single_run_escalates_and_queues_the_emails(runtime, overdue):
    lines = []

    scheduler.run_once(runtime, out=lines.append, send=False)

    assert "escalated 4 level(s) on 1 item(s)" in lines[4]
    assert len(escalations_in_store(runtime.tracker)) == 4
    assert len(outbox_rows(runtime.views.engine)) == 4


def test_the_web_server_can_embed_the_scheduler_in_background_threads(runtime, overdue):
    sched = scheduler.start_background(runtime.settings, runtime)

    try:
        running = sched.running
        scan = ScanWatch(sched)  # listening from now on; an earlier scan left its events
        if len(escalations_in_store(runtime.tracker)) < 4:
            scan.wait()
    finally:
        sched.shutdown(wait=True)

    assert running
    assert sorted(level for _, level, _ in escalations_in_store(runtime.tracker)) == [0, 1, 2, 3]


def test_the_scheduler_process_renders_the_digests_the_web_queued(runtime):
    from petitions.render_jobs import DONE, RenderQueue
    from tests.conftest import SECRETARIAT

    queue = RenderQueue(runtime.views.engine)
    job = queue.request(SECRETARIAT, "draft", {"session": "XVI-20", "district": "",
                                               "deputy_group": "", "fmt": "xlsx", "as_of": ""},
                        position=runtime.tracker.position())
    sched = scheduler.build_scheduler(runtime)  # registers the runtime the jobs run on

    rendered = scheduler.render_job()
    again = scheduler.render_job()

    done = queue.get(job.id)
    assert (rendered, again) == (1, 0)
    assert done.status == DONE and done.result
    assert sched.get_job(scheduler.RENDER_JOB) is not None
