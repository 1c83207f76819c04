"""The outbox sender: email each due escalation over SMTP, then record it on the item.

``send_pending`` sends each outbox row at least once, then records the delivery on the
item (``NotificationSent``) so the item's history shows it. Whatever fails for one row (the
server, the message, the item) is a failed attempt on that row alone: it is retried later
with a growing delay while the rows behind it go out, and ``outbox_status`` (the admin
outbox page, ``petitions outbox status``) shows it by item code until ``retry_now`` or a
later attempt sends it.
"""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.engine import Engine

from domain.actor import SYSTEM
from petitions.escalation import SENDER_LOCK, run_lock
from petitions.notifications.message import compose
from petitions.notifications.recipients import RecipientDirectory
from petitions.settings import Settings
from projections import outbox
from projections.outbox import utc

log = logging.getLogger(__name__)

# Escalations older than this when first seen by the sender are history (e.g. demo data or
# an outbox added to a running deployment): recorded as skipped, never emailed.
STALE_AFTER = timedelta(days=7)
MAX_BACKOFF = timedelta(hours=1)
FIRST_BACKOFF = timedelta(minutes=1)


@dataclass
class SendReport:
    """What one drain of the outbox did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


SmtpFactory = Callable[[Settings], Any]


def open_smtp(settings: Settings) -> smtplib.SMTP:
    """Connect (and authenticate) to the configured SMTP server."""
    server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15)
    if settings.smtp_starttls:
        server.starttls()
    if settings.smtp_user:
        server.login(settings.smtp_user, settings.smtp_password)
    return server


def backoff(attempts: int) -> timedelta:
    """Return how long to wait after ``attempts`` failures: 1, 2, 4 … minutes, at most 1 h."""
    return min(FIRST_BACKOFF * (2 ** max(0, attempts - 1)), MAX_BACKOFF)


def send_pending(tracker: Any, engine: Engine, *, limit: int = 100,
                 smtp: SmtpFactory = open_smtp) -> SendReport | None:
    """Send the due outbox rows; None when another sender is draining it.

    At least once: the email goes out, then the delivery is recorded on the item, then the
    row is marked sent. A crash in between sends that email again, but the item records it
    once, and an item and level never get a second row.
    """
    settings: Settings = tracker.settings
    with run_lock(settings, SENDER_LOCK) as held:
        if not held:
            return None
        return _drain(tracker, engine, limit, smtp)


def retry_now(tracker: Any, engine: Engine, *, codes: list[str] | None = None,
              ids: list[int] | None = None) -> int:
    """Make the unsent emails of ``codes`` (or rows ``ids``; default: every failed or skipped
    one) due now, so the next drain sends them; return how many were queued."""
    item_ids = None
    if codes is not None:
        item_ids = [str(tracker.resolve_ref(code)) for code in codes]
    return outbox.retry_now(engine, utc(tracker.now()), ids=ids, item_ids=item_ids)


@dataclass(frozen=True)
class UnsentEmail:
    """One escalation email not sent yet, as the outbox page and ``outbox status`` show it."""

    id: int
    name: str                   # "<code> level <n>"
    code: str | None
    level: int
    state: str                  # waiting | failing | skipped
    attempts: int
    escalated_at: datetime
    next_attempt: datetime | None   # in the configured time zone; None when skipped
    last_error: str | None


@dataclass(frozen=True)
class OutboxStatus:
    """Counts per state and the unsent emails, oldest first."""

    counts: dict[str, int]
    unsent: list[UnsentEmail]

    @property
    def stuck(self) -> list[UnsentEmail]:
        """The emails someone should look at: failed at least once, or skipped."""
        return [e for e in self.unsent if e.state != "waiting"]


def outbox_status(tracker: Any, engine: Engine) -> OutboxStatus:
    """Return what the outbox holds, named by item code, times in the configured zone."""
    zone = tracker.zone
    unsent = []
    for row in outbox.unsent_rows(engine):
        state = ("skipped" if row["status"] == outbox.SKIPPED
                 else "failing" if row["attempts"] else "waiting")
        unsent.append(UnsentEmail(
            id=row["id"], name=name_row(row), code=row["code"], level=row["level"],
            state=state, attempts=row["attempts"],
            escalated_at=utc(row["escalated_at"]).astimezone(zone),
            next_attempt=None if state == "skipped"
            else utc(row["next_attempt_at"]).astimezone(zone),
            last_error=row["last_error"]))
    return OutboxStatus(outbox.counts(engine), unsent)


def _drain(tracker: Any, engine: Engine, limit: int, smtp: SmtpFactory) -> SendReport:
    settings: Settings = tracker.settings
    now = utc(tracker.now())
    report = SendReport()
    report.skipped = outbox.skip_stale(engine, now, STALE_AFTER)
    if report.skipped:
        log.warning("outbox: %d escalation email(s) never tried and escalated more than %d "
                    "days ago were skipped (see the admin outbox page; `petitions outbox "
                    "retry --all` sends them)", report.skipped, STALE_AFTER.days)
    rows = outbox.due_rows(engine, now, limit)
    if not rows:
        return report
    reference = tracker.reference()
    directory = RecipientDirectory.load(reference.get("agencies", {}), settings.instance,
                                        units=reference.get("units", {}), engine=engine)
    sending = _Sending(tracker, engine, directory, reference, smtp)
    try:
        for row in rows:
            try:
                outcome = sending.send(row)
            except Exception as exc:  # noqa: BLE001 - one bad row must never block the rest
                # Recorded as a failed attempt, so the row waits its backoff and the rows
                # behind it go out; a row failing again and again shows on the outbox page.
                retry_at = now + backoff(row["attempts"] + 1)
                why = describe_failure(exc)
                outbox.mark_failed(engine, row, why, retry_at)
                report.failed += 1
                report.errors.append(f"{name_row(row)}: {why}")
                sending.after_failure(exc)
                continue
            if outcome == outbox.SKIPPED:
                report.skipped += 1
            else:
                report.sent += 1
    finally:
        sending.close()
    if report.failed:
        log.warning("outbox: %d sent, %d failed (retried later); first error: %s",
                    report.sent, report.failed, report.errors[0])
    return report


def describe_failure(exc: Exception) -> str:
    """Say in one line why a send failed: the mail server's own answer when it gave one."""
    if isinstance(exc, smtplib.SMTPResponseException):
        answer = exc.smtp_error.decode("utf-8", "replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{type(exc).__name__}: {exc.smtp_code} {' '.join(answer.split())}"
    return " ".join(f"{type(exc).__name__}: {exc}".split())


def name_row(row: dict[str, Any]) -> str:
    """Name an outbox row as people know it: the item's code and the level."""
    return f"{row.get('code') or 'item ' + str(row['item_id'])} level {row['level']}"


class _Sending:
    """One drain's SMTP connection and the steps that send one row."""

    def __init__(self, tracker: Any, engine: Engine, directory: RecipientDirectory,
                 reference: dict[str, Any], smtp: SmtpFactory) -> None:
        self.tracker, self.engine, self.directory = tracker, engine, directory
        self.agencies = reference.get("agencies", {})
        self.smtp = smtp
        self.server: Any = None

    def send(self, row: dict[str, Any]) -> str:
        """Email one row and record it on the item, or skip it when it is moot."""
        tracker = self.tracker
        item = tracker.get_item(SYSTEM, UUID(row["item_id"]))
        if not item["is_open"] or item["due_date"] != row["due_date"]:
            # Closed, or given a new due date since: nobody needs chasing any more.
            outbox.mark_skipped(
                self.engine, row, "moot: the item was closed or its due date changed")
            return outbox.SKIPPED
        recipients = self.directory.recipients(
            tracker.policy.recipients(row["notify"]), row["agency"], item["district"],
            on=tracker.today())
        agency = self.agencies.get(row["agency"] or "", {})
        message = compose(tracker.settings, item, row, recipients,
                          agency.get("name", row["agency"] or "—"), tracker.zone,
                          tracker.policy)
        if self.server is None:
            self.server = self.smtp(tracker.settings)
        self.server.send_message(message)
        tracker.record_notification_sent(
            UUID(row["item_id"]), row["level"], recipients, due_date=row["due_date"])
        outbox.mark_sent(self.engine, row, utc(tracker.now()), recipients)
        return outbox.SENT

    def after_failure(self, exc: Exception) -> None:
        """Drop a connection the failure may have broken; the next row opens a new one."""
        if isinstance(exc, (OSError, smtplib.SMTPServerDisconnected)):
            self.close()

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self.server is not None:
            server, self.server = self.server, None
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                pass
