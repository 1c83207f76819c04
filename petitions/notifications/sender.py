"""The outbox sender: email each due escalation over SMTP, then record it on the item.

``send_pending`` sends each outbox row at least once, retries later with a growing delay
when the server fails, then records the delivery on the item (``NotificationSent``) so the
item's history shows it.
"""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.engine import Engine

from domain.actor import SYSTEM
from domain.errors import DomainError
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


def _drain(tracker: Any, engine: Engine, limit: int, smtp: SmtpFactory) -> SendReport:
    settings: Settings = tracker.settings
    now = utc(tracker.now())
    report = SendReport()
    report.skipped = outbox.skip_stale(engine, now, STALE_AFTER)
    rows = outbox.due_rows(engine, now, limit)
    if not rows:
        return report
    reference = tracker.reference()
    directory = RecipientDirectory.load(reference.get("agencies", {}), settings.instance,
                                        units=reference.get("units", {}))
    policy = tracker.policy
    server = None
    try:
        for row in rows:
            try:
                item = tracker.get_item(SYSTEM, UUID(row["item_id"]))
                if not item["is_open"] or item["due_date"] != row["due_date"]:
                    # Closed, or given a new due date since: nobody needs chasing any more.
                    outbox.mark_skipped(
                        engine, row, "moot: the item was closed or its due date changed")
                    report.skipped += 1
                    continue
                recipients = directory.recipients(
                    policy.recipients(row["notify"]), row["agency"], item["district"],
                    on=tracker.today())
                agency = reference.get("agencies", {}).get(row["agency"] or "", {})
                message = compose(settings, item, row, recipients,
                                  agency.get("name", row["agency"] or "—"), tracker.zone,
                                  policy)
                if server is None:
                    server = smtp(settings)
                server.send_message(message)
            except (OSError, smtplib.SMTPException, DomainError) as exc:
                report.failed += 1
                report.errors.append(f"{row['item_id']} level {row['level']}: {exc}")
                outbox.mark_failed(engine, row, f"{type(exc).__name__}: {exc}",
                                   now + backoff(row["attempts"] + 1))
                if server is not None and isinstance(exc, smtplib.SMTPServerDisconnected):
                    server = None
                continue
            tracker.record_notification_sent(
                UUID(row["item_id"]), row["level"], recipients, due_date=row["due_date"])
            outbox.mark_sent(engine, row, now, recipients)
            report.sent += 1
    finally:
        if server is not None:
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                pass
    if report.failed:
        log.warning("outbox: %d sent, %d failed; first error: %s",
                    report.sent, report.failed, report.errors[0])
    return report
