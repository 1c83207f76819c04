"""The text of an escalation email, in Vietnamese then English."""
from __future__ import annotations

from datetime import tzinfo
from email.message import EmailMessage
from typing import Any

from domain.deadline import DEFAULT_POLICY, DeadlinePolicy, Phrase
from petitions.settings import Settings
from projections.outbox import utc

SUBJECT_TITLE = 80


def level_label(policy: DeadlinePolicy, level: int) -> Phrase:
    """Return what ladder ``level`` means in the policy's words ("level 5" for a level it lacks)."""
    try:
        return policy.step(level).label
    except KeyError:
        return Phrase(f"lần đôn đốc thứ {level}", f"level {level}")


def compose(settings: Settings, item: dict[str, Any], row: dict[str, Any],
            recipients: list[str], agency_name: str, zone: tzinfo,
            policy: DeadlinePolicy = DEFAULT_POLICY) -> EmailMessage:
    """Write the email for one escalation: code, title, due date, days late, level, link."""
    code, level, due = item["code"], row["level"], row["due_date"]
    escalated_on = utc(row["escalated_at"]).astimezone(zone).date()
    late = (escalated_on - due).days
    label = level_label(policy, level)
    link = f"{settings.base_url.rstrip('/')}/items/{code}"
    if late > 0:
        vi_late, en_late = f"Quá hạn {late} ngày", f"{late} days late"
    else:
        vi_late, en_late = f"Còn {-late} ngày đến hạn", f"due in {-late} days"
    # Level 0 reminds before the due date; from level 1 on, each is a "lần đôn đốc thứ N".
    vi_step = (f"Lần đôn đốc thứ {level} — {label.vi}" if level
               else f"Nhắc hạn — {label.vi}")
    prefix = "Nhắc hạn" if level == 0 else f"Lần đôn đốc thứ {level}"
    message = EmailMessage()
    title = item["title"] if len(item["title"]) <= SUBJECT_TITLE else (
        item["title"][:SUBJECT_TITLE - 1].rstrip() + "…")
    message["Subject"] = f"[{prefix}] {code}: {title}"
    message["From"] = settings.smtp_sender
    message["To"] = ", ".join(recipients)
    message["Message-ID"] = f"<{code}.{level}.{due.isoformat()}@petitions.invalid>"
    message.set_content(
        f"Mã số: {code}\n"
        f"Trích yếu nội dung: {item['title']}\n"
        f"Cơ quan có trách nhiệm giải quyết: {agency_name}\n"
        f"Hạn xử lý: {due:%d/%m/%Y}\n"
        f"{vi_late} (tính đến {escalated_on:%d/%m/%Y})\n"
        f"{vi_step}\n"
        f"Xem chi tiết: {link}\n"
        "\n---\n"
        f"Item {code}: {item['title']}\n"
        f"Responsible agency: {agency_name}\n"
        f"Due date: {due.isoformat()}; {en_late} (as of {escalated_on.isoformat()})\n"
        f"Escalation level {level}: {label.en}\n"
        f"Details: {link}\n"
    )
    return message
