"""3 rõ in a real browser: an agency sends a petition back, the office reassigns it with a
co-operating agency, both agencies see it, and the page shows who held it for how long."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from petitions.users.demo import DEMO_PASSWORD
from tests.browser.conftest import browser_app, serving
from tests.browser.test_workflow import signed_in
from tests.integration.escalation_helpers import hanoi
from tests.web.conftest import SECRETARIAT, log_petition

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def office_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """An app with a second agency's account (Sở Giao thông vận tải), served; (app, URL)."""
    app = browser_app(Path(tmp_path_factory.mktemp("responsibility")))
    users = app.extensions["petitions_users"]
    users.add("so.gtvt", DEMO_PASSWORD, "agency_staff", agency="so-giao-thong-van-tai",
              display_name="Sở Giao thông vận tải")
    with serving(app) as url:
        yield app, url


def test_an_item_sent_back_is_reassigned_with_a_co_operating_agency_that_sees_it(
        browser: Any, office_app: tuple[Any, str], screenshot: Any) -> None:
    app, server = office_app
    tracker, clock = app.extensions["petitions"].tracker, app.config["CLOCK"]
    clock.set(hanoi(date(2025, 2, 3)))  # before Sở GTVT merged into Sở Xây dựng (1/3/2025)
    code = log_petition(tracker, title="Lắp biển báo nút giao Kim Mã",
                        meeting_date=date(2025, 1, 20), received_on=date(2025, 1, 21))
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung")

    clock.set(hanoi(date(2025, 2, 10)))  # five working days later
    lead = signed_in(browser, server, "so.xay.dung")
    lead.goto(f"{server}/items/{code}")
    lead.click("#action-send_back summary")
    lead.fill("#send_back-reason", "Biển báo giao thông thuộc thẩm quyền Sở Giao thông vận tải.")
    lead.click("#action-send_back button.primary")
    lead.wait_for_selector("text=đã được trả về Văn phòng")

    clock.set(hanoi(date(2025, 2, 11)))
    office = signed_in(browser, server, "thu.ky")
    office.goto(f"{server}/queues/secretariat")
    office.click(f"#q-sent_back .table-wrap >> text={code}")
    office.click("#action-assign summary")
    office.select_option("#assign-agency", "so-giao-thong-van-tai")
    office.select_option("#assign-cooperating_1", "so-xay-dung")
    office.fill("#assign-leader_name", "Trần Minh Đức")
    office.fill("#assign-leader_position", "Phó Giám đốc Sở")
    screenshot(office, "resp-00-assign-form-desktop")
    office.click("#action-assign button.primary")
    office.wait_for_selector(
        "text=đã chuyển kiến nghị đến cơ quan có trách nhiệm giải quyết: Sở Giao thông vận tải")
    screenshot(office, "resp-01-item-reassigned-desktop")

    new_lead = signed_in(browser, server, "so.gtvt")
    new_lead.goto(f"{server}/queues/agency")
    new_lead.click(f"text={code}")
    new_lead.wait_for_selector("#action-answer")
    partner = signed_in(browser, server, "so.xay.dung", mobile=True)
    partner.goto(f"{server}/queues/agency")
    partner.click(f"text={code}")
    partner.wait_for_selector("#action-progress")
    screenshot(partner, "resp-02-item-co-operating-agency-phone")

    held = partner.locator("table.handoffs").inner_text()
    history = partner.locator("ol.timeline").inner_text()
    assert partner.locator("#action-answer").count() == 0
    assert partner.locator("#action-send_back").count() == 0
    rows = [line.split("\t") for line in held.strip().splitlines()[1:]]
    assert [(r[0], r[-1]) for r in rows] == [
        ("Văn phòng Đoàn ĐBQH và HĐND TP", "0"), ("Sở Xây dựng", "5"),
        ("Văn phòng Đoàn ĐBQH và HĐND TP", "1"), ("Sở Giao thông vận tải", "0")]
    assert "trả lại kiến nghị: không thuộc thẩm quyền của Sở Xây dựng" in history
    assert "Cơ quan phối hợp: Sở Xây dựng" in history
