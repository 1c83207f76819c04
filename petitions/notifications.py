"""Escalation emails: an outbox filled from ``Escalated`` events and a sender that drains it.

The outbox is a plain table in the views database (not a view: it is never cleared on a
rebuild). ``OutboxProjection`` fills it inside the projector's transaction, so each
``Escalated`` event is queued exactly once with the view's tracking position; a unique key
(item, level, due date) keeps a level to one row even if an event were applied twice.
``send_pending`` sends each row over SMTP at least once, retries later with a growing
delay when the server fails, then records the delivery on the item (``NotificationSent``)
so the item's history shows it.
"""
from __future__ import annotations

import json
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text, UniqueConstraint,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from domain.actor import SYSTEM
from domain.errors import DomainError
from petitions.escalation import SENDER_LOCK, run_lock
from petitions.settings import Settings

log = logging.getLogger(__name__)

# Own metadata: the outbox is not a view, so a rebuild of the views never drops it.
outbox_metadata = MetaData()

notification_outbox = Table(
    "notification_outbox", outbox_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(36), nullable=False),
    Column("level", Integer, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("notify", String(32), nullable=False),
    Column("agency", String(96)),
    Column("escalated_at", DateTime(timezone=True), nullable=False),
    Column("position", Integer, nullable=False),
    Column("status", String(10), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("recipients", Text),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("item_id", "level", "due_date", name="uq_outbox_item_level_due"),
    Index("ix_outbox_pending", "status", "next_attempt_at"),
)

PENDING = "pending"
SENT = "sent"
SKIPPED = "skipped"
# Escalations older than this when first seen by the sender are history (e.g. demo data or
# an outbox added to a running deployment): recorded as skipped, never emailed.
STALE_AFTER = timedelta(days=7)
SUBJECT_TITLE = 80
MAX_BACKOFF = timedelta(hours=1)
FIRST_BACKOFF = timedelta(minutes=1)


def create_outbox(engine: Engine) -> None:
    """Create the outbox table if it is missing."""
    outbox_metadata.create_all(engine)


def install(runtime: Any) -> Any:
    """Add the outbox to a ``Runtime`` once (table, projection, views for scans); return it."""
    create_outbox(runtime.views.engine)
    runtime.tracker.attach_views(runtime.views.engine)
    if not any(isinstance(p, OutboxProjection) for p in runtime.projector.projections):
        runtime.projector.add(OutboxProjection())
    return runtime


# -- filling the outbox --------------------------------------------------------------------
class OutboxProjection:
    """Queue one email per ``Escalated`` event, inside the projector's transaction."""

    name = "notification_outbox"

    def wants(self, topic: str) -> bool:
        """Tell whether events of ``topic`` are escalations of an item."""
        return topic.endswith(".Escalated")

    def apply(self, conn: Connection, events: list[tuple[int, Any]], ctx: Any) -> None:
        """Insert a pending row per escalation; one already queued is left alone."""
        # Times in UTC: SQLite keeps only the wall-clock time, and rows are compared in SQL.
        rows = [{
            "item_id": str(event.originator_id), "level": event.level,
            "due_date": event.due_date, "notify": event.notify, "agency": event.agency,
            "escalated_at": utc(event.at), "position": position, "status": PENDING,
            "attempts": 0, "next_attempt_at": utc(event.at),
        } for position, event in events]
        enqueue(conn, rows)

    def clear(self, conn: Connection) -> None:
        """Keep every row on a rebuild: sent emails must not be sent again."""


def enqueue(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert outbox rows, skipping any (item, level, due date) already queued."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(notification_outbox).on_conflict_do_nothing(
        index_elements=["item_id", "level", "due_date"])
    conn.execute(stmt, rows)


# -- who gets the email ----------------------------------------------------------------------
CITY_OFFICE = "van-phong@hdnd.hanoi.invalid"
STANDING_COMMITTEE = "thuong-truc@hdnd.hanoi.invalid"
RECIPIENTS_FILE = "notification_recipients.json"

LEVEL_LABELS = {
    # level: (Vietnamese, English)
    0: ("Nhắc hạn: cơ quan chủ trì", "Reminder to the responsible agency"),
    1: ("Quá hạn: lãnh đạo cơ quan chủ trì", "Overdue: the head of the agency"),
    2: ("Quá hạn: Văn phòng quận/huyện, Thành phố", "Overdue: district / city office"),
    3: ("Quá hạn: Thường trực HĐND Thành phố", "Overdue: council standing committee"),
}


@dataclass
class RecipientDirectory:
    """Addresses per ladder role, from reference data with demo defaults (``.invalid``).

    An agency entry may carry ``email`` and ``head_email``; a file
    ``<instance>/notification_recipients.json`` may override ``city_office``,
    ``standing_committee``, ``agencies`` ({code: {email, head_email}}) and ``district_offices``
    ({unit: email}).
    """

    agencies: dict[str, dict[str, Any]] = field(default_factory=dict)
    city_office: str = CITY_OFFICE
    standing_committee: str = STANDING_COMMITTEE
    district_offices: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, reference_agencies: dict[str, dict[str, Any]],
             instance: Path | None = None) -> RecipientDirectory:
        """Build the directory from the reference agencies and the optional override file."""
        directory = cls(agencies={k: dict(v) for k, v in reference_agencies.items()})
        path = instance / RECIPIENTS_FILE if instance else None
        if path and path.exists():
            data = json.loads(path.read_text("utf-8"))
            directory.city_office = data.get("city_office", directory.city_office)
            directory.standing_committee = data.get(
                "standing_committee", directory.standing_committee)
            directory.district_offices.update(data.get("district_offices", {}))
            for code, entry in data.get("agencies", {}).items():
                directory.agencies.setdefault(code, {}).update(entry)
        return directory

    def agency_email(self, agency: str) -> str:
        """Return the agency's mailbox."""
        return self.agencies.get(agency, {}).get("email") or f"{agency}@hanoi.invalid"

    def head_email(self, agency: str) -> str:
        """Return the mailbox of the agency's head."""
        return (self.agencies.get(agency, {}).get("head_email")
                or f"lanh-dao.{agency}@hanoi.invalid")

    def district_office(self, district: str) -> str:
        """Return the mailbox of a district's office (Văn phòng HĐND và UBND)."""
        return self.district_offices.get(district) or f"van-phong.{district}@hanoi.invalid"

    def recipients(self, notify: str, agency: str | None, district: str | None) -> list[str]:
        """Return who is notified at a ladder role, for an item of ``agency`` and ``district``."""
        if notify in ("agency", "agency_head") and not agency:
            return [self.city_office]  # not yet assigned: the secretariat chases it
        if notify == "agency":
            return [self.agency_email(agency)]  # type: ignore[arg-type]
        if notify == "agency_head":
            return [self.head_email(agency), self.agency_email(agency)]  # type: ignore[arg-type]
        if notify == "office":
            offices = [self.district_office(district)] if district else []
            return [*offices, self.city_office]
        if notify == "standing_committee":
            return [self.standing_committee, self.city_office]
        return [self.city_office]


# -- the email ---------------------------------------------------------------------------------
def compose(settings: Settings, item: dict[str, Any], row: dict[str, Any],
            recipients: list[str], agency_name: str, zone: Any) -> EmailMessage:
    """Write the email for one escalation: code, title, due date, days late, level, link."""
    code, level, due = item["code"], row["level"], row["due_date"]
    escalated_on = utc(row["escalated_at"]).astimezone(zone).date()
    late = (escalated_on - due).days
    vi_label, en_label = LEVEL_LABELS.get(level, (f"Cấp {level}", f"Level {level}"))
    link = f"{settings.base_url.rstrip('/')}/items/{code}"
    if late > 0:
        vi_late, en_late = f"Quá hạn {late} ngày", f"{late} days late"
    else:
        vi_late, en_late = f"Còn {-late} ngày đến hạn", f"due in {-late} days"
    prefix = "Nhắc hạn" if level == 0 else f"Đôn đốc cấp {level}"
    message = EmailMessage()
    title = item["title"] if len(item["title"]) <= SUBJECT_TITLE else (
        item["title"][:SUBJECT_TITLE - 1].rstrip() + "…")
    message["Subject"] = f"[{prefix}] {code}: {title}"
    message["From"] = settings.smtp_sender
    message["To"] = ", ".join(recipients)
    message["Message-ID"] = f"<{code}.{level}.{due.isoformat()}@petitions.invalid>"
    message.set_content(
        f"Mã: {code}\n"
        f"Tiêu đề: {item['title']}\n"
        f"Cơ quan chủ trì: {agency_name}\n"
        f"Hạn giải quyết: {due:%d/%m/%Y}\n"
        f"{vi_late} (tính đến {escalated_on:%d/%m/%Y})\n"
        f"Cấp đôn đốc: {level} — {vi_label}\n"
        f"Xem chi tiết: {link}\n"
        "\n---\n"
        f"Item {code}: {item['title']}\n"
        f"Responsible agency: {agency_name}\n"
        f"Due date: {due.isoformat()}; {en_late} (as of {escalated_on.isoformat()})\n"
        f"Escalation level {level}: {en_label}\n"
        f"Details: {link}\n"
    )
    return message


# -- the sender -----------------------------------------------------------------------------------
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
    c = notification_outbox.c
    with engine.begin() as conn:
        report.skipped = conn.execute(
            notification_outbox.update()
            .where(c.status == PENDING, c.attempts == 0, c.escalated_at < now - STALE_AFTER)
            .values(status=SKIPPED, last_error="stale: escalated more than 7 days earlier")
        ).rowcount
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            select(notification_outbox)
            .where(c.status == PENDING, c.next_attempt_at <= now)
            .order_by(c.next_attempt_at, c.id).limit(limit))]
    if not rows:
        return report
    reference = tracker.reference()
    directory = RecipientDirectory.load(reference.get("agencies", {}), settings.instance)
    server = None
    try:
        for row in rows:
            try:
                item = tracker.get_item(SYSTEM, UUID(row["item_id"]))
                if not item["is_open"] or item["due_date"] != row["due_date"]:
                    # Closed, or given a new due date since: nobody needs chasing any more.
                    _skip(engine, row, "moot: the item was closed or its due date changed")
                    report.skipped += 1
                    continue
                recipients = directory.recipients(row["notify"], row["agency"], item["district"])
                agency = reference.get("agencies", {}).get(row["agency"] or "", {})
                message = compose(settings, item, row, recipients,
                                  agency.get("name", row["agency"] or "—"), tracker.zone)
                if server is None:
                    server = smtp(settings)
                server.send_message(message)
            except (OSError, smtplib.SMTPException, DomainError) as exc:
                report.failed += 1
                report.errors.append(f"{row['item_id']} level {row['level']}: {exc}")
                _failed(engine, row, now, exc)
                if server is not None and isinstance(exc, smtplib.SMTPServerDisconnected):
                    server = None
                continue
            tracker.record_notification_sent(
                UUID(row["item_id"]), row["level"], recipients, due_date=row["due_date"])
            _sent(engine, row, now, recipients)
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


def _sent(engine: Engine, row: dict[str, Any], now: datetime, recipients: list[str]) -> None:
    c = notification_outbox.c
    with engine.begin() as conn:
        conn.execute(notification_outbox.update().where(c.id == row["id"]).values(
            status=SENT, sent_at=now, attempts=row["attempts"] + 1,
            recipients=json.dumps(recipients), last_error=None))


def _skip(engine: Engine, row: dict[str, Any], reason: str) -> None:
    c = notification_outbox.c
    with engine.begin() as conn:
        conn.execute(notification_outbox.update().where(c.id == row["id"])
                     .values(status=SKIPPED, last_error=reason))


def _failed(engine: Engine, row: dict[str, Any], now: datetime, exc: Exception) -> None:
    attempts = row["attempts"] + 1
    c = notification_outbox.c
    with engine.begin() as conn:
        conn.execute(notification_outbox.update().where(c.id == row["id"]).values(
            attempts=attempts, next_attempt_at=now + backoff(attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000]))


def outbox_rows(engine: Engine) -> list[dict[str, Any]]:
    """Return every outbox row, oldest first (for tests and the admin screen)."""
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(notification_outbox).order_by(notification_outbox.c.id))]


def utc(moment: datetime) -> datetime:
    """Return ``moment`` as an aware UTC datetime (SQLite gives back naive UTC ones)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)

