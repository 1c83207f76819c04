"""Escalation emails through the outbox to a real SMTP server started by the test."""
from __future__ import annotations

import email
import socket
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from domain.actor import SYSTEM
from domain.deadline import DEFAULT_POLICY, Phrase
from petitions.notifications.message import compose
from petitions.notifications.recipients import RecipientDirectory
from petitions.notifications.sender import backoff, open_smtp, retry_now, send_pending
from projections.outbox import PENDING, SENT, SKIPPED, outbox_rows
from tests.conftest import SECRETARIAT, sqlite_settings
from tests.integration.escalation_helpers import (
    assigned_petition, event_types, hanoi, runtime_for,
)

DUE = date(2025, 3, 7)       # a Friday
LEVEL_1_DAY = date(2025, 3, 10)


class Mailbox:
    """An aiosmtpd handler that keeps messages, or refuses them while ``failing``."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.failing = False
        self.refuse = ""  # e.g. "550 5.1.1 mailbox unknown": the recipient bounces

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.failing:
            return "451 4.3.0 Mail server temporarily unavailable"
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def by_subject_level(self) -> list[tuple[str, str]]:
        return sorted((m["Subject"].split("]")[0] + "]", m["To"]) for m in self.messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mailbox():
    box = Mailbox()
    # ready_timeout only bounds the wait for the server thread to come up (5 s by default,
    # too short on a busy machine); the server answering decides, not the clock.
    controller = Controller(box, hostname="127.0.0.1", port=free_port(), ready_timeout=120)
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def runtime(settings, clock, mailbox):
    smtp_settings = settings.with_(smtp_host="127.0.0.1", smtp_port=mailbox.port,
                                   base_url="https://kiennghi.hanoi.invalid")
    rt = runtime_for(smtp_settings, clock)
    yield rt
    rt.close()


def escalate_and_queue(runtime, clock, day):
    clock.set(hanoi(day))
    runtime.projector.catch_up()
    runtime.tracker.escalate_overdue(runtime.tracker.now())
    runtime.projector.catch_up()


@pytest.fixture
def overdue(runtime, clock):
    """A petition due Friday 7/3/2025, escalated to levels 0 and 1 on Monday 10/3."""
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, DUE, title="Ngập úng phố Huế")
    escalate_and_queue(runtime, clock, LEVEL_1_DAY)
    return receipt


def test_each_escalation_is_queued_once_in_the_outbox(runtime, overdue):
    runtime.projector.rebuild()  # applying every event again must not queue twice

    rows = outbox_rows(runtime.views.engine)

    assert [(r["level"], r["due_date"], r["notify"], r["status"]) for r in rows] == [
        (0, DUE, "agency", PENDING), (1, DUE, "agency_head", PENDING)]


def test_the_email_reaches_the_smtp_server_with_the_code_and_the_link(runtime, overdue,
                                                                     mailbox):
    report = send_pending(runtime.tracker, runtime.views.engine)

    assert report.sent == 2
    level_1 = next(m for m in mailbox.messages if "Lần đôn đốc thứ 1" in m["Subject"])
    body = level_1.get_content()
    assert overdue.code in level_1["Subject"]
    assert f"https://kiennghi.hanoi.invalid/items/{overdue.code}" in body
    assert "Ngập úng phố Huế" in body
    assert "07/03/2025" in body and "Quá hạn 3 ngày" in body


def test_each_level_goes_to_the_people_the_ladder_names(runtime, overdue, mailbox):
    send_pending(runtime.tracker, runtime.views.engine)

    assert mailbox.by_subject_level() == [
        ("[Lần đôn đốc thứ 1]", "lanh-dao.so-xay-dung@hanoi.invalid, so-xay-dung@hanoi.invalid"),
        ("[Nhắc hạn]", "so-xay-dung@hanoi.invalid"),
    ]


def test_the_items_history_shows_the_delivery(runtime, overdue):
    send_pending(runtime.tracker, runtime.views.engine)

    sent = [e for e in runtime.tracker.history(SYSTEM, overdue.code)
            if e["type"] == "NotificationSent"]
    assert [(e["facts"]["level"], e["facts"]["recipients"]) for e in sent] == [
        (0, ["so-xay-dung@hanoi.invalid"]),
        (1, ["lanh-dao.so-xay-dung@hanoi.invalid", "so-xay-dung@hanoi.invalid"])]


def test_a_drained_outbox_sends_nothing_again(runtime, overdue, mailbox, clock):
    send_pending(runtime.tracker, runtime.views.engine)
    clock.set(clock() + timedelta(days=1))
    escalate_and_queue(runtime, clock, LEVEL_1_DAY + timedelta(days=1))

    again = send_pending(runtime.tracker, runtime.views.engine)

    assert again.sent == 0
    assert len(mailbox.messages) == 2


def test_a_failing_smtp_server_leaves_the_email_queued_for_a_later_retry(runtime, overdue,
                                                                        mailbox):
    mailbox.failing = True

    report = send_pending(runtime.tracker, runtime.views.engine)

    assert report.failed == 2
    rows = outbox_rows(runtime.views.engine)
    assert [(r["status"], r["attempts"]) for r in rows] == [(PENDING, 1), (PENDING, 1)]
    assert "NotificationSent" not in event_types(runtime.tracker, overdue.code)


def test_a_failed_email_is_not_retried_before_its_backoff_ends(runtime, overdue, mailbox,
                                                              clock):
    mailbox.failing = True
    send_pending(runtime.tracker, runtime.views.engine)
    mailbox.failing = False
    clock.set(clock() + timedelta(seconds=30))

    report = send_pending(runtime.tracker, runtime.views.engine)

    assert report.sent == 0
    assert mailbox.messages == []


def test_a_failed_email_is_sent_once_the_server_recovers(runtime, overdue, mailbox, clock):
    mailbox.failing = True
    send_pending(runtime.tracker, runtime.views.engine)
    mailbox.failing = False
    clock.set(clock() + timedelta(minutes=2))

    report = send_pending(runtime.tracker, runtime.views.engine)
    send_pending(runtime.tracker, runtime.views.engine)

    assert report.sent == 2
    assert len(mailbox.messages) == 2
    assert [r["status"] for r in outbox_rows(runtime.views.engine)] == [SENT, SENT]
    assert event_types(runtime.tracker, overdue.code).count("NotificationSent") == 2


def test_an_unreachable_smtp_server_leaves_the_email_queued(runtime, overdue):
    closed_port = free_port()

    report = send_pending(runtime.tracker, runtime.views.engine,
                          smtp=lambda s: open_smtp(s.with_(smtp_port=closed_port)))

    assert report.failed == 2
    assert [r["status"] for r in outbox_rows(runtime.views.engine)] == [PENDING, PENDING]


def test_a_delivery_recorded_twice_appears_once_in_the_history(runtime, overdue):
    tracker = runtime.tracker

    first = tracker.record_notification_sent(overdue.code, 1, ["a@hanoi.invalid"], due_date=DUE)
    second = tracker.record_notification_sent(overdue.code, 1, ["a@hanoi.invalid"], due_date=DUE)

    assert first is not None and second is None
    assert event_types(tracker, overdue.code).count("NotificationSent") == 1


def test_the_office_level_goes_to_the_district_office_and_the_city_office():
    directory = RecipientDirectory.load({"so-xay-dung": {"code": "so-xay-dung"}})

    recipients = directory.recipients(DEFAULT_POLICY.recipients("office"), "so-xay-dung",
                                      "ba-dinh")

    assert recipients == ["van-phong.ba-dinh@hanoi.invalid", "van-phong@hdnd.hanoi.invalid"]


def test_an_unassigned_item_is_chased_through_the_city_office():
    directory = RecipientDirectory.load({})

    recipients = directory.recipients(DEFAULT_POLICY.recipients("agency_head"), None,
                                      "ba-dinh")

    assert recipients == ["van-phong@hdnd.hanoi.invalid"]


def test_addresses_can_be_configured_in_the_instance_folder(tmp_path):
    (tmp_path / "notification_recipients.json").write_text(
        '{"standing_committee": "tt@hdnd.invalid",'
        ' "agencies": {"so-xay-dung": {"head_email": "gd@sxd.invalid"}}}', "utf-8")

    directory = RecipientDirectory.load({"so-xay-dung": {"code": "so-xay-dung"}}, tmp_path)

    head = directory.recipients(DEFAULT_POLICY.recipients("agency_head"), "so-xay-dung", None)
    committee = directory.recipients(DEFAULT_POLICY.recipients("standing_committee"),
                                     "so-xay-dung", None)

    assert head == ["gd@sxd.invalid", "so-xay-dung@hanoi.invalid"]
    assert committee[0] == "tt@hdnd.invalid"


def test_retries_wait_longer_after_each_failure_up_to_an_hour():
    waits = [backoff(n) for n in (1, 2, 3, 7, 20)]

    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4),
                     timedelta(hours=1), timedelta(hours=1)]


def test_an_escalation_older_than_a_week_when_first_seen_is_skipped_not_emailed(
        runtime, overdue, mailbox, clock):
    clock.set(clock() + timedelta(days=8))

    report = send_pending(runtime.tracker, runtime.views.engine)

    assert (report.sent, report.skipped) == (0, 2)
    assert mailbox.messages == []
    assert [r["status"] for r in outbox_rows(runtime.views.engine)] == [SKIPPED, SKIPPED]


def test_an_email_for_an_item_closed_before_sending_is_skipped(runtime, overdue, mailbox):
    runtime.tracker.close_item(SECRETARIAT, overdue.code, reason="Đã giải quyết xong")

    report = send_pending(runtime.tracker, runtime.views.engine)

    assert (report.sent, report.skipped) == (0, 2)
    assert mailbox.messages == []


def test_an_email_for_a_superseded_due_date_is_skipped(runtime, overdue, mailbox):
    runtime.tracker.extend_deadline(SECRETARIAT, overdue.code, new_due_date=date(2025, 4, 18),
                                    reason="Cần khảo sát thêm")

    report = send_pending(runtime.tracker, runtime.views.engine)

    assert (report.sent, report.skipped) == (0, 2)
    assert [r["status"] for r in outbox_rows(runtime.views.engine)] == [SKIPPED, SKIPPED]


def test_the_email_describes_the_level_in_the_policys_words_in_both_languages(tmp_path):
    ladder = tuple(
        replace(step, label=Phrase("quá hạn: báo Giám đốc Sở", "overdue: the director"))
        if step.level == 1 else step for step in DEFAULT_POLICY.ladder)
    item = {"code": "KN-2025-00001", "title": "Ngập úng phố Huế"}
    row = {"level": 1, "due_date": DUE,
           "escalated_at": datetime(2025, 3, 10, 2, tzinfo=timezone.utc)}

    message = compose(sqlite_settings(tmp_path), item, row, ["a@hanoi.invalid"], "Sở Xây dựng", timezone.utc,
                      replace(DEFAULT_POLICY, ladder=ladder))

    body = message.get_content()
    assert "Lần đôn đốc thứ 1 — quá hạn: báo Giám đốc Sở" in body
    assert "Escalation level 1: overdue: the director" in body


# -- issue 14, finding 1: one bad title must not stop every email ---------------------------
# Long enough that its subject wraps (several encoded words), short enough to be kept whole.
LONG_TITLE = "Tố cáo hành vi lấn chiếm đất công tại phường Kim Mã, đề nghị xem xét xử lý"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\n", "\r\n"])
def test_a_title_with_a_line_separator_is_emailed_on_one_subject_line(
        runtime, clock, mailbox, separator):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, DUE, title=f"Ngập úng{separator}phố Huế")
    escalate_and_queue(runtime, clock, LEVEL_1_DAY)

    report = send_pending(runtime.tracker, runtime.views.engine)

    assert (report.sent, report.failed) == (2, 0)
    subjects = {m["Subject"] for m in mailbox.messages}
    assert f"[Nhắc hạn] {receipt.code}: Ngập úng phố Huế" in subjects
    assert "Trích yếu nội dung: Ngập úng phố Huế\r\n" in mailbox.messages[0].get_content()


def test_a_long_vietnamese_subject_keeps_every_space_where_its_header_wraps(
        runtime, clock, mailbox):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, DUE, title=LONG_TITLE)
    escalate_and_queue(runtime, clock, LEVEL_1_DAY)

    send_pending(runtime.tracker, runtime.views.engine)

    level_1 = next(m for m in mailbox.messages if "Lần đôn đốc thứ 1" in m["Subject"])
    assert level_1["Subject"] == f"[Lần đôn đốc thứ 1] {receipt.code}: {LONG_TITLE}"


def _failing_for(code, real=compose):
    def compose_or_fail(settings, item, *args, **kwargs):
        if item["code"] == code:
            raise ValueError("a header this sender cannot write")
        return real(settings, item, *args, **kwargs)
    return compose_or_fail


@pytest.fixture
def bad_and_good(runtime, clock, monkeypatch):
    """Two overdue petitions; building the first one's emails fails (a bug in waiting)."""
    clock.set(hanoi(date(2025, 3, 3)))
    bad = assigned_petition(runtime.tracker, DUE, title="Ngập úng phố Huế")
    good = assigned_petition(runtime.tracker, DUE, title="Sửa đường Đội Cấn")
    escalate_and_queue(runtime, clock, LEVEL_1_DAY)
    monkeypatch.setattr("petitions.notifications.sender.compose", _failing_for(bad.code))
    return bad, good


def test_an_email_that_cannot_be_built_is_a_failed_attempt_and_the_others_go_out(
        runtime, bad_and_good, mailbox):
    bad, good = bad_and_good

    report = send_pending(runtime.tracker, runtime.views.engine)

    assert (report.sent, report.failed) == (2, 2)
    assert all(good.code in m["Subject"] for m in mailbox.messages)
    assert report.errors[0].startswith(f"{bad.code} level 0: ValueError")
    failed = [r for r in outbox_rows(runtime.views.engine) if r["status"] == PENDING]
    assert [r["attempts"] for r in failed] == [1, 1]


def test_a_failing_email_is_retried_not_dropped_as_stale_after_a_week(
        runtime, bad_and_good, clock):
    send_pending(runtime.tracker, runtime.views.engine)
    clock.set(clock() + timedelta(days=8))

    report = send_pending(runtime.tracker, runtime.views.engine)

    assert (report.failed, report.skipped) == (2, 0)
    assert sorted(r["status"] for r in outbox_rows(runtime.views.engine)) == [
        PENDING, PENDING, SENT, SENT]


def test_retry_now_sends_a_failed_email_before_its_backoff_ends(
        runtime, bad_and_good, mailbox, clock, monkeypatch):
    bad, _ = bad_and_good
    send_pending(runtime.tracker, runtime.views.engine)
    monkeypatch.setattr("petitions.notifications.sender.compose", compose)  # fixed
    clock.set(clock() + timedelta(seconds=5))

    queued = retry_now(runtime.tracker, runtime.views.engine, codes=[bad.code])
    report = send_pending(runtime.tracker, runtime.views.engine)

    assert (queued, report.sent) == (2, 2)
    assert sum(bad.code in m["Subject"] for m in mailbox.messages) == 2
