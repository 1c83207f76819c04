"""In a real browser, December 2026: the admin adds a session, a ward's staff log a petition for it."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from petitions.users.demo import DEMO_PASSWORD
from tests.browser.test_workflow import signed_in
from tests.conftest import FixedClock
from tests.web.conftest import make_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app as of 1 December 2026 with a ward's staff member (phường Hồng Hà)."""
    from waitress.server import create_server

    clock = FixedClock(datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc))
    app = make_app(Path(tmp_path_factory.mktemp("browser-reference")), clock,
                   WTF_CSRF_ENABLED=True, SESSION_COOKIE_SECURE=False,
                   REMEMBER_COOKIE_SECURE=False)
    app.extensions["petitions_users"].add("can.bo.hong.ha", DEMO_PASSWORD, "district_staff",
                                          district="00097", display_name="Cán bộ phường Hồng Hà")
    wsgi = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=wsgi.run, name="waitress", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{wsgi.effective_port}"
    wsgi.close()
    thread.join(timeout=5)
    app.extensions["petitions"].close()


def test_the_admin_adds_a_session_and_ward_staff_log_a_petition_for_it(
        browser: Any, server: str, screenshot: Any) -> None:
    admin = signed_in(browser, server, "admin")
    admin.goto(f"{server}/admin/reference/council_sessions/new")
    admin.fill("#code", "XVII-04")
    admin.fill("#name", "Kỳ họp thứ 4 (chuyên đề) HĐND Thành phố khóa XVII")
    admin.select_option("#term", "XVII")
    admin.select_option("#kind", "thematic")
    admin.fill("#opens_on", "2026-12-22")
    admin.fill("#closes_on", "2026-12-22")
    admin.fill("#reason", "Triệu tập kỳ họp chuyên đề cuối năm")
    screenshot(admin, "reference-01-add-session")
    with admin.expect_navigation():
        admin.click("form.form button.primary")
    admin.wait_for_selector("text=Đã thêm XVII-04.")
    assert "Triệu tập kỳ họp chuyên đề cuối năm" in admin.locator("table.reference").inner_text()
    screenshot(admin, "reference-02-session-with-history")

    staff = signed_in(browser, server, "can.bo.hong.ha", mobile=True)
    staff.goto(f"{server}/petitions/new")
    offered = staff.locator("#session option").all_inner_texts()
    assert "Kỳ họp thứ 4 (chuyên đề) HĐND Thành phố khóa XVII" in offered
    assert not [o for o in offered if "khóa XVI " in o or o.endswith("khóa XVI")]
    staff.fill("#meeting_date", "2025-06-20")  # term XVI: its sessions are offered instead
    assert "XVI-20" in staff.locator("#session option").evaluate_all(
        "options => options.map(o => o.value)")
    assert staff.locator("#session option[value='XVII-04']").count() == 0
    staff.fill("#meeting_date", "2026-12-01")
    staff.select_option("#session", "XVII-04")
    staff.fill("#meeting_place", "Nhà văn hóa tổ dân phố 5, phường Hồng Hà")
    staff.select_option("#field", "transport")
    staff.fill("#title", "Sửa đường đê Bạch Đằng")
    staff.fill("#content", "Cử tri đề nghị sửa mặt đường đê Bạch Đằng bị lún.")
    screenshot(staff, "reference-03-ward-petition-form-phone")
    with staff.expect_navigation():
        staff.click("form.form button.primary")
    staff.wait_for_selector("text=Đã tiếp nhận kiến nghị")
    page = staff.content()
    assert "Phường Hồng Hà" in page and "Kỳ họp thứ 4 (chuyên đề)" in page
    assert not admin.console_errors and not staff.console_errors
