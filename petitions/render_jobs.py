"""Rendering reports in the background, with the database as the queue.

A web request only inserts a row in ``render_jobs`` (or finds the identical one already
there) and shows its progress; a worker — the scheduler process, or ``petitions worker`` —
claims queued rows and renders them, so no web thread ever waits on WeasyPrint.

- **Identical requests share one rendering**: a job's ``key`` hashes what it renders (kind,
  session, scope, as-of date, format, issuer, and the views' position, since the figures of
  another position differ); a request whose key is queued, running or done gets that job.
- **A user has at most ``MAX_ACTIVE_PER_USER`` jobs queued or running**; more is refused.
- **Claiming is a compare-and-set** on (status, attempts): of two workers only one wins a
  job. A running job holds a lease its worker renews at every step; a worker that was
  killed leaves the lease to run out, and the next worker to look takes the job again —
  once, since taking it bumps ``attempts`` under the same compare-and-set. A late answer
  from the old worker changes nothing (its attempt number no longer matches), and an issue
  job is entered in the register once whichever attempt ends it (the register refuses a
  job it already holds).
"""
from __future__ import annotations

import hashlib
import json
import logging
import socket
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import (
    Column, DateTime, Integer, MetaData, String, Table, Text, and_, func, or_, select, update,
)
from sqlalchemy.engine import Engine

from domain.actor import Actor, Role
from petitions.digest import FORMATS, DigestRequest, filename, make_digest

log = logging.getLogger("petitions.render_jobs")

jobs_metadata = MetaData()
render_jobs = Table(
    "render_jobs", jobs_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, index=True),
    Column("kind", String(16), nullable=False),          # draft | issue
    Column("params", Text, nullable=False),              # JSON: session, scope, as_of, fmt …
    Column("requested_by", String(64), nullable=False, index=True),
    Column("actor", Text, nullable=False),               # JSON: who issues (role, scope)
    Column("status", String(16), nullable=False, index=True),  # queued running done failed
    Column("progress", Integer, nullable=False, default=0),
    Column("step", String(32), nullable=False, default=""),
    Column("attempts", Integer, nullable=False, default=0),
    Column("worker", String(120), nullable=False, default=""),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("result", String(64), nullable=True),          # sha256 of the file (report_files)
    Column("result_name", String(200), nullable=True),
    Column("outcome", Text, nullable=True),              # JSON: the issued report's number …
    Column("error", Text, nullable=True),
)
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
MAX_ACTIVE_PER_USER = 3
MAX_ATTEMPTS = 3
LEASE = timedelta(minutes=5)      # a city digest's longest step is well under a minute
Clock = Callable[[], datetime]


class TooManyJobs(Exception):
    """The user already has the most jobs allowed waiting or running."""


class JobNotFound(LookupError):
    """No such job."""


@dataclass(frozen=True)
class Job:
    """A job as pages show it."""

    id: int
    kind: str
    params: dict[str, Any]
    requested_by: str
    status: str
    progress: int
    step: str
    attempts: int
    result: str | None
    result_name: str | None
    outcome: dict[str, Any]
    error: str | None

    @property
    def request(self) -> DigestRequest:
        """Return the digest this job renders."""
        p = self.params
        return DigestRequest(p["session"], p.get("district", ""), p.get("deputy_group", ""))

    @property
    def finished(self) -> bool:
        """Tell whether the job will not change any more."""
        return self.status in (DONE, FAILED)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes for timezone-aware columns: they were stored as UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _job(row: Any) -> Job:
    return Job(row.id, row.kind, json.loads(row.params), row.requested_by, row.status,
               row.progress, row.step, row.attempts, row.result, row.result_name,
               json.loads(row.outcome or "{}"), row.error)


def create_job_tables(engine: Engine) -> None:
    """Create the queue's table (idempotent)."""
    jobs_metadata.create_all(engine)


def job_key(kind: str, params: dict[str, Any], position: int) -> str:
    """Return the key identical requests share."""
    text = json.dumps({"kind": kind, "params": params, "position": position}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class RenderQueue:
    """The queue of rendering jobs in the views database."""

    def __init__(self, engine: Engine, clock: Clock = _utc_now) -> None:
        self.engine = engine
        self.clock = clock

    # -- the web's side -------------------------------------------------------------------
    def request(self, actor: Actor, kind: str, params: dict[str, Any], *,
                position: int) -> Job:
        """Return the job rendering ``params`` (an identical one, or a new queued one)."""
        params = {k: v for k, v in sorted(params.items()) if v not in (None, "")}
        key = job_key(kind, params, position)
        now = self.clock()
        with self.engine.begin() as conn:
            same = conn.execute(
                select(render_jobs).where(render_jobs.c.key == key,
                                          render_jobs.c.status.in_((QUEUED, RUNNING, DONE)))
                .order_by(render_jobs.c.id.desc()).limit(1)).first()
            if same is not None:
                return _job(same)
            active = conn.execute(
                select(func.count()).select_from(render_jobs).where(
                    render_jobs.c.requested_by == actor.username,
                    render_jobs.c.status.in_(ACTIVE))).scalar_one()
            if active >= MAX_ACTIVE_PER_USER:
                raise TooManyJobs(actor.username)
            who = {"username": actor.username, "role": actor.role.value,
                   "district": actor.district, "agency": actor.agency,
                   "deputy_group": actor.deputy_group}
            new_id = conn.execute(render_jobs.insert().values(
                key=key, kind=kind, params=json.dumps(params, sort_keys=True),
                requested_by=actor.username, actor=json.dumps(who), status=QUEUED,
                progress=0, step="", attempts=0, worker="", created_at=now,
            )).inserted_primary_key[0]
            row = conn.execute(select(render_jobs).where(render_jobs.c.id == new_id)).one()
        return _job(row)

    def get(self, job_id: int) -> Job:
        """Return job ``job_id`` or raise JobNotFound."""
        with self.engine.connect() as conn:
            row = conn.execute(select(render_jobs).where(render_jobs.c.id == job_id)).first()
        if row is None:
            raise JobNotFound(job_id)
        return _job(row)

    def active_for(self, username: str) -> int:
        """Count the user's queued and running jobs."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(render_jobs).where(
                render_jobs.c.requested_by == username,
                render_jobs.c.status.in_(ACTIVE))).scalar_one()

    # -- the worker's side ----------------------------------------------------------------
    def claim(self, worker: str) -> tuple[Job, Actor] | None:
        """Take the oldest queued job, or a running one whose worker's lease ran out."""
        now = self.clock()
        claimable = or_(render_jobs.c.status == QUEUED,
                        and_(render_jobs.c.status == RUNNING, render_jobs.c.lease_until < now))
        with self.engine.connect() as conn:
            candidates = conn.execute(
                select(render_jobs.c.id, render_jobs.c.status, render_jobs.c.attempts)
                .where(claimable).order_by(render_jobs.c.id).limit(5)).all()
        for job_id, status, attempts in candidates:
            if attempts >= MAX_ATTEMPTS:
                self._give_up(job_id, status, attempts)
                continue
            with self.engine.begin() as conn:
                won = conn.execute(
                    update(render_jobs)
                    .where(render_jobs.c.id == job_id, render_jobs.c.status == status,
                           render_jobs.c.attempts == attempts, claimable)
                    .values(status=RUNNING, attempts=attempts + 1, worker=worker,
                            lease_until=now + LEASE, progress=0, step="")).rowcount
                if won == 1:
                    row = conn.execute(select(render_jobs)
                                       .where(render_jobs.c.id == job_id)).one()
                    return _job(row), _actor(json.loads(row.actor))
        return None

    def _give_up(self, job_id: int, status: str, attempts: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(render_jobs).where(
                render_jobs.c.id == job_id, render_jobs.c.status == status,
                render_jobs.c.attempts == attempts).values(
                status=FAILED, finished_at=self.clock(),
                error=f"gave up after {attempts} attempts"))

    def _mine(self, job: Job) -> Any:
        return and_(render_jobs.c.id == job.id, render_jobs.c.status == RUNNING,
                    render_jobs.c.attempts == job.attempts)

    def report_progress(self, job: Job, percent: int, step: str) -> bool:
        """Record how far the job got and renew its lease; False if the job was taken away."""
        with self.engine.begin() as conn:
            return conn.execute(update(render_jobs).where(self._mine(job)).values(
                progress=max(0, min(99, percent)), step=step[:32],
                lease_until=self.clock() + LEASE)).rowcount == 1

    def finish(self, job: Job, *, result: str, name: str,
               outcome: dict[str, Any] | None = None) -> bool:
        """Mark the job done with its file; False if another attempt owns it now."""
        with self.engine.begin() as conn:
            return conn.execute(update(render_jobs).where(self._mine(job)).values(
                status=DONE, progress=100, step="done", result=result, result_name=name,
                outcome=json.dumps(outcome or {}), finished_at=self.clock(),
                lease_until=None)).rowcount == 1

    def fail(self, job: Job, error: str) -> bool:
        """Mark the job failed with a short reason."""
        with self.engine.begin() as conn:
            return conn.execute(update(render_jobs).where(self._mine(job)).values(
                status=FAILED, error=error[:500], finished_at=self.clock(),
                lease_until=None)).rowcount == 1


def _actor(who: dict[str, Any]) -> Actor:
    return Actor(who["username"], Role(who["role"]), district=who.get("district"),
                 agency=who.get("agency"), deputy_group=who.get("deputy_group"))


def worker_name() -> str:
    """Return this process's name in the queue (host and process id)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(runtime: Any, queue: RenderQueue, job: Job, actor: Actor) -> None:
    """Render one claimed job and record its result (a failure is recorded, not raised)."""
    from petitions.digest import DigestUnavailable
    from petitions.reports import ReportNotFound, issue_report, report_of_job, store_file

    params = job.params
    fmt = params.get("fmt", "pdf")

    def progress(percent: int, step: str) -> None:
        queue.report_progress(job, percent, step)

    try:
        as_of = runtime.as_of(params.get("as_of", ""))  # a day, or "#N": just after event N
        if job.kind == "issue":
            issuer = params.get("issuer", "van-phong")
            # An attempt that was cut off after issuing leaves its report: keep that one.
            report = report_of_job(runtime.tracker, str(job.id), issuer) or issue_report(
                runtime, actor, job.request, as_of=as_of, issuer=issuer,
                signer=params.get("signer", ""), job=str(job.id), progress=progress)
            queue.finish(job, result=report.files[fmt], name=filename(
                job.request, fmt, sign=report.sign), outcome={
                "issuer": report.issuer, "year": report.year, "number": report.number,
                "sign": report.sign, "position": report.position, "chain": report.chain})
            return
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        digest, body = make_digest(runtime, job.request, fmt, as_of=as_of, progress=progress)
        sha = store_file(runtime.views.engine, body, FORMATS[fmt][0])
        queue.finish(job, result=sha, name=filename(job.request, fmt),
                     outcome={"position": digest.position, "chain": str(digest.chain)})
    except (DigestUnavailable, ReportNotFound, ValueError, PermissionError) as exc:
        # (``PositionOutOfReach`` is a ValueError: the job says the event is out of reach.)
        queue.fail(job, str(exc))
    except Exception as exc:  # keep the worker alive; the job says it failed
        from domain.errors import PermissionDenied
        if isinstance(exc, PermissionDenied):
            queue.fail(job, "permission denied")
            return
        log.exception("rendering job %s failed", job.id)
        queue.fail(job, type(exc).__name__)


def run_pending(runtime: Any, queue: RenderQueue | None = None, *, worker: str = "",
                limit: int = 50) -> int:
    """Run queued jobs until none is left (at most ``limit``); return how many ran."""
    queue = queue or RenderQueue(runtime.views.engine)
    worker = worker or worker_name()
    ran = 0
    while ran < limit:
        claimed = queue.claim(worker)
        if claimed is None:
            break
        job, actor = claimed
        runtime.projector.catch_up()  # render from current views
        run_job(runtime, queue, job, actor)
        ran += 1
    return ran
