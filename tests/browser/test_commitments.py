"""A commitment in a real browser: the office records a questioning session and a commitment,
the agency reports progress twice, and the deputy sees the measure move and the history."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import browser_app, serving
from tests.browser.test_workflow import new_page, signed_in
from tests.integration.escalation_helpers import hanoi

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    app = browser_app(Path(tmp_path_factory.mktemp("commitments")))
    with serving(app) as url:
        yield app, url


def report(page: Any, server: str, code: str, as_of: str, value: str, text: str) -> None:
    page.goto(f"{server}/items/{code}")
    page.click("#action-report_progress summary")
    page.select_option("#report_progress-council_session", "XVI-19")
    page.fill("#report_progress-as_of", as_of)
    page.fill("#report_progress-text", text)
    page.fill("#report_progress-value", value)
    page.click("#action-report_progress button.primary")
    page.wait_for_selector("text=Đã lưu")


def accept(page: Any, server: str, code: str) -> None:
    page.goto(f"{server}/items/{code}")
    page.click("#action-accept_report summary")
    page.click("#action-accept_report button.primary")
    page.wait_for_selector("text=Đã lưu")


def test_a_commitment_is_recorded_reported_twice_and_followed_by_a_deputy(
        browser: Any, served: tuple[Any, str], screenshot: Any) -> None:
    app, server = served
    clock = app.config["CLOCK"]
    clock.set(hanoi(date(2024, 12, 4), 15))
    office = signed_in(browser, server, "thu.ky")
    office.goto(f"{server}/commitments/questioning/new")
    office.select_option("#council_session", "XVI-19")
    office.fill("#held_on", "2024-12-04")
    office.fill("#topic", "Xử lý các dự án chậm triển khai")
    office.fill("#leader_name", "Nguyễn Văn B")
    office.fill("#leader_position", "Giám đốc Sở Xây dựng")
    office.select_option("#agency", "so-xay-dung")
    office.fill("#deputies", "Đại biểu Trần Thị C\nĐại biểu Lê Văn D")
    office.fill("#conclusion_no", "15/KL-HĐND")
    office.fill("#conclusion_date", "2024-12-04")
    office.click("main button[type=submit]")
    office.wait_for_selector("text=Đã ghi nhận phiên XVI-19-CV1")
    office.fill("#title", "Hoàn thành 08 dự án chậm triển khai")
    office.fill("#content", "Giám đốc Sở hứa hoàn thành 08 dự án trước 30/6/2025.")
    office.fill("#target_date", "2025-06-30")
    office.select_option("#unit", "projects")
    office.fill("#target", "8")
    screenshot(office, "ck-00-record-commitment-desktop")
    office.click("#new-commitment button.primary")
    office.wait_for_selector("text=Đã ghi nhận cam kết")
    code = office.locator("header.item-head p.code").inner_text().split(" ")[0]
    assert code.startswith("CK-2024-")

    agency = signed_in(browser, server, "so.xay.dung")
    clock.set(hanoi(date(2025, 1, 15)))
    report(agency, server, code, "2025-01-15", "4", "Đã hoàn thành 04 dự án.")
    accept(office, server, code)
    clock.set(hanoi(date(2025, 3, 3)))
    report(agency, server, code, "2025-03-01", "6", "Đã hoàn thành 06 dự án.")
    accept(office, server, code)

    deputy = signed_in(browser, server, "dai.bieu")
    deputy.goto(f"{server}/items/{code}")
    assert deputy.locator(".measure-value").inner_text() == "06/08 dự án"
    assert deputy.locator("figure.chart img").count() == 1
    history = deputy.locator("ol.timeline").inner_text()
    assert history.count("báo cáo tiến độ") >= 2 and "Kết quả đạt được: 4 dự án" in history
    assert "Kết quả đạt được: 6 dự án" in history
    screenshot(deputy, "ck-01-commitment-page-desktop")
    phone = new_page(browser, mobile=True)
    phone.context.add_cookies(deputy.context.cookies())
    phone.goto(f"{server}/items/{code}")
    screenshot(phone, "ck-02-commitment-page-phone")
    deputy.goto(f"{server}/commitments/board")
    assert "Sở Xây dựng" in deputy.locator("main").inner_text()
    screenshot(deputy, "ck-03-board-desktop")
    deputy.goto(f"{server}/commitments")
    screenshot(deputy, "ck-04-register-desktop")
