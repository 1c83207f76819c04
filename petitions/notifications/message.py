"""The text of an escalation email, in Vietnamese then English."""
from __future__ import annotations

import unicodedata
from datetime import tzinfo
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from typing import Any

from domain.deadline import DEFAULT_POLICY, DeadlinePolicy, Phrase
from petitions.settings import Settings
from projections.outbox import utc

SUBJECT_TITLE = 80


def one_line(text: str) -> str:
    """Return ``text`` as one line of plain words, fit for a header or a ``Label: value`` line.

    Titles may hold line breaks, and a pasted title can carry U+2028/U+2029 or other
    separators that ``str.splitlines`` (and so ``EmailMessage``) treats as line ends: each
    becomes a space, as do control characters; invisible format characters are dropped.
    Runs of spaces become one.
    """
    kept = (" " if len(f"a{ch}b".splitlines()) > 1 or unicodedata.category(ch) == "Cc"
            else "" if unicodedata.category(ch) == "Cf" else ch for ch in text)
    return " ".join("".join(kept).split())


class _MailPolicy(EmailPolicy):
    """The default policy, with a non-ASCII subject folded by ``email.header.Header``.

    Python 3.11's folder (``_refold_parse_tree``) drops the space where it splits a
    non-ASCII header into encoded words: "Tố cáo" arrives as "Tốcáo". ``Header`` keeps each
    space inside an encoded word, so the subject decodes to exactly what was written.
    """

    def fold(self, name: str, value: Any) -> str:
        """Fold one header for sending; a non-ASCII subject as RFC 2047 encoded words."""
        text = str(value)
        if name.lower() != "subject" or text.isascii():  # addresses keep the default folder
            return super().fold(name, value)
        encoded = Header(text, "utf-8", header_name=name,
                         maxlinelen=self.max_line_length).encode(linesep=self.linesep)
        return f"{name}: {encoded}{self.linesep}"

    def fold_binary(self, name: str, value: Any) -> bytes:
        """Fold one header as bytes (what smtplib sends)."""
        return self.fold(name, value).encode("ascii", "surrogateescape")


MAIL_POLICY = _MailPolicy()


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
    # Every text that reaches a header or a "Label: value" line is made one line here, once.
    code, level, due = one_line(item["code"]), row["level"], row["due_date"]
    title, agency_name = one_line(item["title"]), one_line(agency_name)
    escalated_on = utc(row["escalated_at"]).astimezone(zone).date()
    late = (escalated_on - due).days
    label = level_label(policy, level)
    link = f"{settings.base_url.rstrip('/')}/items/{code}"
    if late > 0:
        vi_late, en_late = f"Quá hạn {late} ngày", f"{late} days late"
    else:
        vi_late, en_late = f"Còn {-late} ngày đến hạn", f"due in {-late} days"
    # Level 0 reminds before the due date; from level 1 on, each is a "lần đôn đốc thứ N".
    vi_step = (f"Lần đôn đốc thứ {level} — {one_line(label.vi)}" if level
               else f"Nhắc hạn — {one_line(label.vi)}")
    prefix = "Nhắc hạn" if level == 0 else f"Lần đôn đốc thứ {level}"
    message = EmailMessage(policy=MAIL_POLICY)
    short = title if len(title) <= SUBJECT_TITLE else title[:SUBJECT_TITLE - 1].rstrip() + "…"
    message["Subject"] = f"[{prefix}] {code}: {short}"
    message["From"] = settings.smtp_sender
    message["To"] = ", ".join(recipients)
    message["Message-ID"] = f"<{code}.{level}.{due.isoformat()}@petitions.invalid>"
    message.set_content(
        f"Mã số: {code}\n"
        f"Trích yếu nội dung: {title}\n"
        f"Cơ quan có trách nhiệm giải quyết: {agency_name}\n"
        f"Hạn xử lý: {due:%d/%m/%Y}\n"
        f"{vi_late} (tính đến {escalated_on:%d/%m/%Y})\n"
        f"{vi_step}\n"
        f"Xem chi tiết: {link}\n"
        "\n---\n"
        f"Item {code}: {title}\n"
        f"Responsible agency: {agency_name}\n"
        f"Due date: {due.isoformat()}; {en_late} (as of {escalated_on.isoformat()})\n"
        f"Escalation level {level}: {one_line(label.en)}\n"
        f"Details: {link}\n"
    )
    return message
