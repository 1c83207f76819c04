"""The scheduler process: the escalation scan, the outbox sender, the projection catch-up and
the rendering of queued reports.

``main()`` runs it alone (``petitions scheduler``, added to the command line by ``register``
through the ``petitions.commands`` entry point); ``start_background()`` embeds it in
``petitions serve``. Jobs live in a persistent SQLAlchemy job store in the views database,
named by ``"module:function"`` references so they can be stored. Starting two schedulers
over one PostgreSQL database is safe: the scan and the sender take a database lock
(petitions.escalation.RunLock) and both are idempotent.
"""
from __future__ import annotations

import argparse
import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from petitions.availability import Outage, is_database_unavailable
from petitions.errors import ItemNotFound
from petitions.escalation import EscalationSummary, run_scan
from petitions.notifications.recipients import RecipientDirectory
from petitions.notifications.sender import SendReport, send_pending
from petitions.runtime import Runtime
from petitions.settings import Settings

log = logging.getLogger("petitions.scheduler")

JOBS_TABLE = "apscheduler_jobs"
SCAN_JOB = "escalation-scan"
SEND_JOB = "outbox-sender"
CATCH_UP_JOB = "projection-catch-up"
RENDER_JOB = "render-queue"
RENDER_SECONDS = 2
CATCH_UP_SECONDS = 5
SEND_MINUTES = 1
MISFIRE_GRACE_SECONDS = 300

# Runtimes by key, filled by ``build_scheduler`` (wiring time, never at import): stored jobs
# carry only the key, because a Tracker cannot be pickled into the job store.
_RUNTIMES: dict[str, Runtime] = {}
__all__ = ["build_scheduler", "main", "register", "run_once", "start_background"]


# One log line when the database goes away and one when it is back, not a traceback per run.
_OUTAGE = Outage(log, what="scheduler runs")


def _outlasting_outages(job: Callable[..., Any]) -> Callable[..., Any]:
    """Run a job; while the database is away, count the failed run instead of raising."""
    @functools.wraps(job)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            result = job(*args, **kwargs)
        except Exception as err:
            if not is_database_unavailable(err):
                raise
            _OUTAGE.failed(err)
            return None
        _OUTAGE.recovered()
        return result
    return run


# -- the jobs (module-level functions: the job store keeps "scheduler:<name>") ----------------
@_outlasting_outages
def scan_job(key: str = "default") -> EscalationSummary | None:
    """Bring the views up to date, escalate what is due, and queue the emails."""
    runtime = _RUNTIMES[key]
    runtime.projector.catch_up()
    summary = run_scan(runtime.tracker)
    if summary is not None and summary.levels:
        runtime.projector.catch_up()  # queue this scan's emails without waiting
    return summary


@_outlasting_outages
def send_job(key: str = "default") -> SendReport | None:
    """Send the queued escalation emails that are due."""
    runtime = _RUNTIMES[key]
    report = send_pending(runtime.tracker, runtime.views.engine)
    send_notices(runtime)
    return report


def send_notices(runtime: Runtime) -> None:
    """Email the notices due (issue 18), once a day the daily summaries; post webhooks."""
    from petitions.notifications.notice_mail import send_daily_summaries, send_notice_emails

    from petitions.webhooks import deliver_webhooks

    send_notice_emails(runtime.tracker, runtime.views.engine)
    send_daily_summaries(runtime.tracker, runtime.views.engine)
    deliver_webhooks(runtime.tracker, runtime.views.engine)


@_outlasting_outages
def catch_up_job(key: str = "default") -> int | None:
    """Apply new events to every view (and the outbox)."""
    return _RUNTIMES[key].projector.catch_up()


@_outlasting_outages
def render_job(key: str = "default") -> int | None:
    """Render the reports queued by the web (petitions.render_jobs), oldest first."""
    from petitions.render_jobs import run_pending

    return run_pending(_RUNTIMES[key])


# -- wiring -----------------------------------------------------------------------------------
def build_scheduler(runtime: Runtime, *, blocking: bool = False,
                    key: str = "default") -> BaseScheduler:
    """Build a scheduler with the three jobs; the scan also runs at once on start-up."""
    _RUNTIMES[key] = runtime
    settings = runtime.settings
    zone = ZoneInfo(settings.timezone)
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(
        jobstores={"default": SQLAlchemyJobStore(engine=runtime.views.engine,
                                                 tablename=JOBS_TABLE)},
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        timezone=zone,
    )
    # next_run_time=now: catch up after downtime instead of waiting a whole interval.
    scheduler.add_job("scheduler:scan_job", "interval", minutes=settings.scan_minutes,
                      id=SCAN_JOB, name="Escalation scan", kwargs={"key": key},
                      replace_existing=True, next_run_time=datetime.now(zone))
    scheduler.add_job("scheduler:send_job", "interval", minutes=SEND_MINUTES,
                      id=SEND_JOB, name="Send escalation emails", kwargs={"key": key},
                      replace_existing=True,
                      next_run_time=datetime.now(zone) + timedelta(seconds=CATCH_UP_SECONDS))
    scheduler.add_job("scheduler:catch_up_job", "interval", seconds=CATCH_UP_SECONDS,
                      id=CATCH_UP_JOB, name="Projection catch-up", kwargs={"key": key},
                      replace_existing=True)
    # Reports the web queued: a claim is a compare-and-set, so this job may run in several
    # schedulers and beside ``petitions worker`` processes.
    scheduler.add_job("scheduler:render_job", "interval", seconds=RENDER_SECONDS,
                      id=RENDER_JOB, name="Render queued reports", kwargs={"key": key},
                      replace_existing=True)
    return scheduler


def start_background(settings: Settings, runtime: Runtime | None = None) -> BaseScheduler:
    """Start the scheduler in background threads (for ``petitions serve``); return it."""
    scheduler = build_scheduler(runtime or Runtime(settings))
    scheduler.start()
    return scheduler


def run_once(runtime: Runtime, *, dry_run: bool = False, send: bool = True,
             out: Callable[[str], Any] = print) -> EscalationSummary | None:
    """Run one round (catch-up, scan, queue, send) and print each escalation.

    A dry run writes no event and sends nothing: it prints what a scan would record.
    """
    runtime.projector.catch_up()  # views only: an accurate dry run, no events written
    summary = run_scan(runtime.tracker, dry_run=dry_run)
    if summary is None:
        out("Another scheduler is scanning; nothing done. / Bộ lập lịch khác đang quét.")
        return None
    try:
        reference = runtime.tracker.reference()
    except ItemNotFound:  # reference data not loaded yet: show the default addresses
        reference = {}
    directory = RecipientDirectory.load(reference.get("agencies", {}),
                                        runtime.settings.instance,
                                        units=reference.get("units", {}),
                                        engine=runtime.views.engine)
    verb = "would escalate" if dry_run else "escalated"
    policy = runtime.tracker.policy
    for e in summary.escalations:
        who = ", ".join(directory.recipients(policy.recipients(e.notify), e.agency, e.district,
                                             on=summary.today))
        out(f"{e.code}\tlevel {e.level}\t{e.notify}\tdue {e.due_date.isoformat()}\t{who}")
    out(f"{summary.today.isoformat()}: {verb} {summary.levels} level(s) on "
        f"{summary.items} item(s) / {'sẽ đôn đốc' if dry_run else 'đã đôn đốc'} "
        f"{summary.levels} lượt, {summary.items} việc.")
    if not dry_run:
        runtime.projector.catch_up()
    if not dry_run and send:
        report = send_pending(runtime.tracker, runtime.views.engine)
        if report is not None:
            out(f"emails sent: {report.sent}, failed: {report.failed}")
            for error in report.errors:  # by item code; each is retried after its backoff
                out(f"  failed: {error}")
        send_notices(runtime)
    return summary


def main(settings: Settings | None = None) -> None:
    """Run the scheduler in the foreground until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not every 5-second run
    runtime = Runtime(settings or Settings.from_env())
    scheduler = build_scheduler(runtime, blocking=True)
    log.info("scheduler started: scan every %s min, time zone %s",
             runtime.settings.scan_minutes, runtime.settings.timezone)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        runtime.close()


# -- command line: ``petitions scheduler`` ---------------------------------------------------
def register(sub: Any) -> None:
    """Add ``petitions scheduler`` to the CLI's subparsers (entry point ``petitions.commands``)."""
    p = sub.add_parser("scheduler", help="run the escalation scheduler (scan, emails, views)")
    p.add_argument("--once", action="store_true", help="run one round and exit")
    p.add_argument("--dry-run", action="store_true",
                   help="print what would be escalated and change nothing (implies --once)")
    p.set_defaults(command=cmd_scheduler)


def cmd_scheduler(args: argparse.Namespace, settings: Settings) -> int:
    """Run the escalation scheduler in the foreground, or one round of it with ``--once``."""
    if not (args.once or args.dry_run):
        main(settings)
        return 0
    runtime = Runtime(settings)
    try:
        summary = run_once(runtime, dry_run=args.dry_run)
    finally:
        runtime.close()
    return 0 if summary is not None else 1


if __name__ == "__main__":
    main()
