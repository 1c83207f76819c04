"""Emails of notices: one per change to those who chose email, a daily summary to the rest.

``send_notice_emails`` drains the ``pending`` notices like the escalation sender drains its
outbox: each row is sent, recorded on the item (``NoticesSent``), then marked sent; a
failure is a failed attempt on that row alone, retried with the escalation sender's
backoff. A mailbox the server refuses for good (a 5xx answer: the address bounces) is
tried ``MAX_ATTEMPTS`` times, then marked failed and shown on the admin outbox page; the
in-app notice stays, so nothing is lost. ``send_daily_summaries`` sends each user one
email listing every change of the days before today once.
"""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from typing import Any
from uuid import UUID

from sqlalchemy.engine import Engine

from petitions.escalation import run_lock
from petitions.notifications import notices
from petitions.notifications.message import MAIL_POLICY, SUBJECT_TITLE, one_line
from petitions.notifications.sender import (
    STALE_AFTER, SendReport, backoff, describe_failure, open_smtp,
)
from petitions.settings import Settings
from projections.outbox import utc

log = logging.getLogger(__name__)

NOTICE_LOCK = "notice_sender"
MAX_ATTEMPTS = 6
SmtpFactory = Callable[[Settings], Any]

# Words per kind, Vietnamese then English, for subjects and summaries.
KIND_WORDS: dict[str, tuple[str, str]] = {
    "answered": ("Đã có trả lời", "Answered"),
    "accepted": ("Trả lời được chấp nhận", "Answer accepted"),
    "returned": ("Trả lại", "Returned"),
    "escalated": ("Đôn đốc", "Escalated"),
    "handed_over": ("Bàn giao", "Handed over"),
    "deadline_moved": ("Thay đổi hạn xử lý", "Deadline moved"),
    "assigned": ("Giao xử lý", "Assigned"),
}


def link(settings: Settings, code: str) -> str:
    """Return the address of an item's page under the configured base URL."""
    return f"{settings.base_url.rstrip('/')}/items/{one_line(code)}"


def compose_notice(settings: Settings, row: dict[str, Any], zone: Any) -> EmailMessage:
    """Write the email for one notice: what changed on which item, when, and the link."""
    code, title = one_line(row["code"]), one_line(row["title"])
    vi, en = KIND_WORDS.get(row["kind"], (row["kind"], row["kind"]))
    short = title if len(title) <= SUBJECT_TITLE else title[:SUBJECT_TITLE - 1].rstrip() + "…"
    at = utc(row["at"]).astimezone(zone)
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = f"[{vi}] {code}: {short}"
    message["From"] = settings.smtp_sender
    message["To"] = row["email"]
    message["Message-ID"] = f"<notice.{row['position']}.{row['id']}@petitions.invalid>"
    message.set_content(
        f"Mã số: {code}\nTrích yếu nội dung: {title}\n{vi} lúc {at:%H:%M %d/%m/%Y}\n"
        f"Xem chi tiết: {link(settings, code)}\n\n---\n"
        f"Item {code}: {title}\n{en} at {at:%Y-%m-%d %H:%M}\n"
        f"Details: {link(settings, code)}\n"
        "\nĐổi cách nhận thông báo / change how you are told: "
        f"{settings.base_url.rstrip('/')}/account/notifications\n")
    return message


def compose_summary(settings: Settings, email: str, rows: list[dict[str, Any]], day: Any,
                    zone: Any) -> EmailMessage:
    """Write one user's daily summary: each change once, oldest first."""
    lines = []
    seen: set[int] = set()
    for row in rows:
        if row["position"] in seen:
            continue
        seen.add(row["position"])
        vi, en = KIND_WORDS.get(row["kind"], (row["kind"], row["kind"]))
        at = utc(row["at"]).astimezone(zone)
        lines.append(f"- {one_line(row['code'])} ({at:%d/%m/%Y}) {vi} / {en}: "
                     f"{one_line(row['title'])}\n  {link(settings, row['code'])}")
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = (f"[Tổng hợp thông báo / Daily summary] {day:%d/%m/%Y}: "
                          f"{len(lines)} thay đổi / changes")
    message["From"] = settings.smtp_sender
    message["To"] = email
    message.set_content("Các thay đổi trên những việc anh/chị theo dõi / changes on the "
                        "items you follow:\n\n" + "\n".join(lines) + "\n")
    return message


def send_notice_emails(tracker: Any, engine: Engine, *, limit: int = 200,
                       smtp: SmtpFactory = open_smtp) -> SendReport | None:
    """Email the due notices; None when another sender is at it."""
    with run_lock(tracker.settings, NOTICE_LOCK) as held:
        if not held:
            return None
        now = utc(tracker.now())
        report = SendReport()
        report.skipped = notices.skip_stale_emails(engine, now - STALE_AFTER)
        rows = notices.due_emails(engine, now, limit)
        server = None
        try:
            for row in rows:
                if not row.get("email"):
                    notices.set_email_status(engine, [row["id"]], notices.NONE)
                    continue
                try:
                    if server is None:
                        server = smtp(tracker.settings)
                    server.send_message(compose_notice(tracker.settings, row, tracker.zone))
                except Exception as exc:  # noqa: BLE001 - one bad row never blocks the rest
                    why = describe_failure(exc)
                    attempts = row["attempts"] + 1
                    final = attempts >= MAX_ATTEMPTS or bounced(exc)
                    notices.set_email_status(
                        engine, [row["id"]], notices.FAILED if final else notices.PENDING,
                        attempts=attempts, last_error=why[:2000],
                        next_attempt_at=now + backoff(attempts))
                    report.failed += 1
                    report.errors.append(f"{row['code']} → {row['username']}: {why}")
                    if isinstance(exc, (OSError, smtplib.SMTPServerDisconnected)):
                        server = _quit(server)
                    continue
                # Recorded on the item before the row is marked: a crash between sends the
                # email again, but the item records the delivery once.
                tracker.record_notices_sent(UUID(row["item_id"]), row["position"],
                                            row["kind"], [row["username"]])
                notices.set_email_status(engine, [row["id"]], notices.SENT, sent_at=now,
                                         attempts=row["attempts"] + 1, last_error=None)
                report.sent += 1
        finally:
            _quit(server)
        if report.failed:
            log.warning("notices: %d emailed, %d failed (retried later); first: %s",
                        report.sent, report.failed, report.errors[0])
        return report


def send_daily_summaries(tracker: Any, engine: Engine, *,
                         smtp: SmtpFactory = open_smtp) -> SendReport | None:
    """Send each user who chose a daily summary one email of the changes before today."""
    with run_lock(tracker.settings, NOTICE_LOCK) as held:
        if not held:
            return None
        zone = tracker.zone
        today = tracker.now().astimezone(zone).date()
        start_of_today = utc(datetime.combine(today, time(0), tzinfo=zone))
        report = SendReport()
        notices.skip_stale_emails(engine, start_of_today - STALE_AFTER)
        by_user: dict[str, list[dict[str, Any]]] = {}
        for row in notices.summary_rows(engine, start_of_today):
            by_user.setdefault(row["username"], []).append(row)
        server = None
        try:
            for username, rows in by_user.items():
                ids = [r["id"] for r in rows]
                email = rows[0].get("email")
                if not email:
                    notices.set_email_status(engine, ids, notices.NONE)
                    continue
                try:
                    if server is None:
                        server = smtp(tracker.settings)
                    server.send_message(compose_summary(
                        tracker.settings, email, rows, today - timedelta(days=1), zone))
                except Exception as exc:  # noqa: BLE001 - tried again at the next run
                    report.failed += 1
                    report.errors.append(f"summary → {username}: {describe_failure(exc)}")
                    server = _quit(server)
                    continue
                notices.set_email_status(engine, ids, notices.SUMMARISED,
                                         sent_at=utc(tracker.now()))
                report.sent += 1
        finally:
            _quit(server)
        return report


def bounced(exc: Exception) -> bool:
    """Tell whether the server refused the mailbox for good (5xx): retrying will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500 \
        and isinstance(exc, smtplib.SMTPDataError)


def _quit(server: Any) -> None:
    if server is not None:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return None
