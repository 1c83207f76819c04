"""A petition's whole life in a real browser, and a form error shown in Vietnamese."""
from __future__ import annotations

from typing import Any

import pytest

from petitions.users.demo import DEMO_PASSWORD
from tests.browser.conftest import APPS
from tests.web.conftest import totp_code

pytestmark = pytest.mark.browser
BROWSER_TIMEOUT_MS = 150_000


def new_page(browser: Any, mobile: bool = False) -> Any:
    """Open a fresh browser context at phone or desktop width, signed in as nobody."""
    size = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size, locale="vi-VN")
    # Every wait below is for an element or a navigation; this only turns a hang into a
    # failure, and leaves room for a machine several times slower than Playwright's 30 s.
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = context.new_page()
    # Console errors (a CSP violation, a missing file) are kept for the assertions.
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text)
            if msg.type == "error" else None)
    return page


def signed_in(browser: Any, server: str, username: str, mobile: bool = False) -> Any:
    """Open a fresh browser context and sign in through the form."""
    page = new_page(browser, mobile)
    page.goto(f"{server}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    # Wait for the sign-in's own navigation: a load state read right after the click may
    # still be the sign-in page's, and the next goto would then cut the sign-in short.
    with page.expect_navigation():
        page.click("button.primary")
    if "/login/code" in page.url:  # two-factor sign-in: type the code the phone shows
        app = APPS[server]
        page.fill("#code", totp_code(app, app.config["TOTP_SECRETS"][username]))
        with page.expect_navigation():
            page.click("button.primary")
    assert "/login" not in page.url, page.content()
    return page


def test_a_petition_goes_from_logging_to_an_accepted_answer(browser: Any, server: str,
                                                           screenshot: Any) -> None:
    staff = signed_in(browser, server, "can.bo.ba.dinh", mobile=True)
    staff.goto(f"{server}/petitions/new")
    staff.fill("#meeting_date", "2025-02-20")
    staff.fill("#meeting_place", "Nhà văn hóa phường Kim Mã")
    staff.select_option("#session", "XVI-19")
    staff.select_option("#deputy_group", "to-01")
    staff.select_option("#field", "transport")
    staff.fill("#title", "Sửa mặt đường Kim Mã")
    staff.fill("#content", "Cử tri phản ánh mặt đường Kim Mã xuống cấp, đề nghị sửa chữa.")
    staff.fill("#voters", "Nguyễn Văn An, tổ 5")
    staff.fill("#received_on", "2025-02-21")
    screenshot(staff, "01-log-petition-form-phone")
    staff.click("form.form button.primary")
    staff.wait_for_selector("text=Đã tiếp nhận kiến nghị")
    code = staff.locator(".item-head .code").inner_text().split(" ")[0]
    screenshot(staff, "02-item-page-after-logging-phone")

    office = signed_in(browser, server, "thu.ky")
    office.goto(f"{server}/items/{code}")
    office.click("#action-assign summary")
    office.select_option("#assign-agency", "so-xay-dung")
    office.click("#action-assign button.primary")
    office.wait_for_selector("text=đã chuyển kiến nghị đến cơ quan có trách nhiệm giải quyết: Sở Xây dựng")
    screenshot(office, "03-assigned")

    agency = signed_in(browser, server, "so.xay.dung")
    agency.goto(f"{server}/queues/agency")
    agency.click(f"text={code}")
    agency.click("#action-answer summary")
    agency.select_option("#answer-outcome", "resolved")
    agency.fill("#answer-text", "Sở Xây dựng đã sửa xong mặt đường Kim Mã ngày 28/02/2025.")
    agency.click("#action-answer button.primary")
    agency.wait_for_selector("text=Sở Xây dựng đã ghi nhận trả lời của cơ quan")

    office.goto(f"{server}/queues/secretariat")
    office.click(f"#q-review .table-wrap >> text={code}")
    office.click("#action-accept_answer summary")
    office.select_option("#accept_answer-voters_satisfied", "yes")
    office.click("#action-accept_answer button.primary")
    office.wait_for_selector("text=đã đồng ý kết quả trả lời")

    staff.goto(f"{server}/boards/district/ba-dinh")
    resolved_row = staff.locator("tr", has_text="Đã giải quyết xong")
    assert resolved_row.locator("td").first.inner_text() == "1"
    screenshot(staff, "04-district-board-phone")

    deputy = signed_in(browser, server, "dai.bieu")
    deputy.goto(f"{server}/items?q=kim+ma")
    deputy.click(f"text={code}")
    history = deputy.locator("ol.timeline").inner_text()
    screenshot(deputy, "05-deputy-history")
    assert "đã tiếp nhận kiến nghị" in history
    assert "đã đồng ý kết quả trả lời" in history
    assert "Nguyễn Văn An" not in deputy.content()


def test_pages_load_without_console_errors(browser: Any, server: str) -> None:
    office = signed_in(browser, server, "thu.ky")

    statuses = {}
    for path in ("/queues/secretariat", "/boards", "/boards/district/ba-dinh", "/items",
                 "/petitions/new", "/complaints/new"):
        statuses[path] = office.goto(f"{server}{path}").status

    assert set(statuses.values()) == {200}, statuses
    assert office.console_errors == []


def test_a_form_error_is_shown_in_vietnamese(browser: Any, server: str, screenshot: Any) -> None:
    staff = signed_in(browser, server, "can.bo.ba.dinh")
    staff.goto(f"{server}/petitions/new")
    staff.fill("#meeting_place", "Nhà văn hóa")

    staff.click("form.form button.primary")

    staff.wait_for_selector("#title-error")
    screenshot(staff, "06-form-error-vietnamese")
    assert staff.locator("#title-error").inner_text() == "Trường này là bắt buộc."
    assert staff.locator("#meeting_place").input_value() == "Nhà văn hóa"
