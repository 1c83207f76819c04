"""A citizen looks up a đơn on /tra-cuu with the key on the receipt and reads the published
answer; a wrong key is told "not found"; desktop and phone screenshots."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from petitions import lookup
from tests.browser.conftest import APPS
from tests.browser.test_workflow import new_page
from tests.web.conftest import SECRETARIAT, receive_complaint

pytestmark = pytest.mark.browser
ANSWER = "Khiếu nại đúng một phần; UBND phường đã điều chỉnh đơn giá bồi thường."


def look_up(page: Any, server: str, code: str, key: str) -> None:
    page.goto(f"{server}/tra-cuu")
    page.fill("#code", code)
    page.fill("#key", key)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_a_citizen_looks_up_a_don_with_the_receipt_key_and_sees_the_published_answer(
        browser: Any, server: str, screenshot: Any) -> None:
    app = APPS[server]
    runtime = app.extensions["petitions"]
    tracker = runtime.tracker
    code = receive_complaint(tracker)
    tracker.accept_complaint(SECRETARIAT, code, agency="so-xay-dung")
    tracker.issue_decision(SECRETARIAT, code, result="partly_correct", text=ANSWER,
                           decided_on=date(2025, 3, 3))
    tracker.publish_answer(SECRETARIAT, code, text=ANSWER)
    _, key = lookup.issue_key(tracker, runtime.views.engine, SECRETARIAT, code)
    page = new_page(browser)

    look_up(page, server, code, "AAAA-BBBB-CCCC-DDDD")
    assert page.locator("p.flash.error").count() == 1
    look_up(page, server, code, key)

    assert ANSWER in page.inner_text("main")
    assert "Trần Văn Bình" not in page.content()
    screenshot(page, "lookup-01-answer-desktop")
    phone = new_page(browser, mobile=True)
    look_up(phone, server, code, key.lower().replace("-", ""))
    assert ANSWER in phone.inner_text("main")
    screenshot(phone, "lookup-02-answer-phone")
    # The wrong key answered 404 (its console line); the phone saw no error at all.
    assert phone.console_errors == []
