"""Notices of changes (issue 18): followers, the logging unit and the agency, in-app and email."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from domain.actor import Actor, Role
from petitions.notifications import notices
from petitions.notifications.notice_mail import send_daily_summaries, send_notice_emails
from petitions.users.demo import add_demo_users
from petitions.users.store import UserStore
from tests.conftest import SECRETARIAT
from tests.integration.escalation_helpers import assigned_petition, event_types, hanoi
from tests.integration.test_notifications import Mailbox, free_port, mailbox  # noqa: F401
from tests.integration.escalation_helpers import runtime_for

XAY_DUNG = Actor("so.xay.dung", Role.AGENCY_STAFF, agency="so-xay-dung")


@pytest.fixture
def runtime(settings, clock, mailbox):
    smtp_settings = settings.with_(smtp_host="127.0.0.1", smtp_port=mailbox.port,
                                   base_url="https://kiennghi.hanoi.invalid")
    rt = runtime_for(smtp_settings, clock)
    store = UserStore(rt.views.engine, hasher=PasswordHasher.from_parameters(CHEAPEST))
    store.create_all()
    add_demo_users(store)
    rt.users = store
    yield rt
    rt.close()


def follow(runtime, code, username="dai.bieu"):
    runtime.users.follow(username, runtime.tracker.resolve_ref(code), code)


def prefer(runtime, username, channel, email="", **kinds):
    prefs = {k: channel for k in notices.KINDS} | kinds
    notices.save_settings(runtime.views.engine, username, email, prefs)


def answer(runtime, code):
    runtime.tracker.record_answer(XAY_DUNG, code, outcome="resolved",
                                  text="Đã sửa xong mặt đường.")
    runtime.projector.catch_up()


@pytest.fixture
def followed(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, date(2025, 4, 30))
    runtime.projector.catch_up()
    follow(runtime, receipt.code)
    return receipt.code


def test_a_followed_items_answer_reaches_the_follower_once_by_email_and_in_app(
        runtime, followed, mailbox):
    prefer(runtime, "dai.bieu", "email", email="dai.bieu@hanoi.invalid")
    answer(runtime, followed)
    runtime.projector.rebuild()  # applying the log again announces nothing twice

    send_notice_emails(runtime.tracker, runtime.views.engine)
    send_notice_emails(runtime.tracker, runtime.views.engine)

    to_deputy = [m for m in mailbox.messages if m["To"] == "dai.bieu@hanoi.invalid"]
    assert len(to_deputy) == 1
    assert followed in to_deputy[0]["Subject"] and "Đã có trả lời" in to_deputy[0]["Subject"]
    assert f"https://kiennghi.hanoi.invalid/items/{followed}" in to_deputy[0].get_content()
    inbox = notices.inbox(runtime.views.engine, "dai.bieu")
    assert [(n["code"], n["kind"]) for n in inbox] == [(followed, "answered")]
    assert notices.unread_count(runtime.views.engine, "dai.bieu") == 1
    assert event_types(runtime.tracker, followed).count("NoticesSent") == 1


def test_the_unit_that_logged_it_and_the_agency_are_told_in_app(runtime, followed):
    answer(runtime, followed)

    unit = notices.inbox(runtime.views.engine, "can.bo.ba.dinh")
    agency = notices.inbox(runtime.views.engine, "so.xay.dung")

    assert [(n["kind"], n["reason"]) for n in unit] == [("answered", "unit")]
    # The agency is told of the assignment, not of the answer it gave itself.
    assert [n["kind"] for n in agency] == ["assigned"]
    assert notices.inbox(runtime.views.engine, "can.bo.hoan.kiem") == []


def test_a_preference_of_none_tells_nothing_and_in_app_sends_no_email(runtime, followed,
                                                                      mailbox):
    prefer(runtime, "dai.bieu", "none", email="dai.bieu@hanoi.invalid")
    prefer(runtime, "can.bo.ba.dinh", "in_app", email="ba-dinh@hanoi.invalid")
    answer(runtime, followed)

    send_notice_emails(runtime.tracker, runtime.views.engine)

    assert notices.inbox(runtime.views.engine, "dai.bieu") == []
    assert len(notices.inbox(runtime.views.engine, "can.bo.ba.dinh")) == 1
    assert mailbox.messages == []


def test_the_daily_summary_lists_each_change_once(runtime, followed, mailbox, clock):
    prefer(runtime, "dai.bieu", "digest", email="dai.bieu@hanoi.invalid")
    answer(runtime, followed)
    runtime.tracker.return_answer(SECRETARIAT, followed, reason="Chưa rõ lộ trình.")
    runtime.projector.catch_up()

    same_day = send_daily_summaries(runtime.tracker, runtime.views.engine)
    clock.set(hanoi(date(2025, 3, 4), 7))
    send_daily_summaries(runtime.tracker, runtime.views.engine)
    send_daily_summaries(runtime.tracker, runtime.views.engine)

    assert same_day.sent == 0
    assert len(mailbox.messages) == 1
    body = mailbox.messages[0].get_content()
    assert body.count(followed) == 4  # two changes, each its line and its link
    assert "Đã có trả lời" in body and "Trả lại" in body
    assert "2 thay đổi" in mailbox.messages[0]["Subject"]


def test_a_bouncing_mailbox_is_marked_failed_and_the_notice_stays_in_the_app(
        runtime, followed, mailbox):
    prefer(runtime, "dai.bieu", "email", email="dai.bieu@hanoi.invalid")
    answer(runtime, followed)
    mailbox.refuse = "550 5.1.1 mailbox unknown"

    report = send_notice_emails(runtime.tracker, runtime.views.engine)

    assert report.failed == 1
    [row] = notices.failed_emails(runtime.views.engine)
    assert row["email_status"] == notices.FAILED and "550" in row["last_error"]
    assert len(notices.inbox(runtime.views.engine, "dai.bieu")) == 1


def test_a_title_with_line_separators_still_makes_a_one_line_subject(runtime, clock,
                                                                    mailbox):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, date(2025, 4, 30),
                                title="Ngập úng\u2028phố Huế\nvà Hàng Bài")
    runtime.projector.catch_up()
    follow(runtime, receipt.code)
    prefer(runtime, "dai.bieu", "email", email="dai.bieu@hanoi.invalid")
    answer(runtime, receipt.code)

    report = send_notice_emails(runtime.tracker, runtime.views.engine)

    assert report.sent == 1 and report.failed == 0
    assert "Ngập úng phố Huế và Hàng Bài" in mailbox.messages[0]["Subject"]


def test_the_one_who_acted_is_not_told_of_it(runtime, followed):
    follow(runtime, followed, username="so.xay.dung")
    answer(runtime, followed)

    kinds = [n["kind"] for n in notices.inbox(runtime.views.engine, "so.xay.dung")]

    assert "answered" not in kinds


def test_reading_the_inbox_clears_the_unread_count(runtime, followed, clock):
    answer(runtime, followed)

    notices.mark_read(runtime.views.engine, "dai.bieu", clock())

    assert notices.unread_count(runtime.views.engine, "dai.bieu") == 0
