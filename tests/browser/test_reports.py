"""Reports in a real browser: the office asks for a Word file and sees it being prepared,
then issues a numbered report and finds it in the register (desktop and phone)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from petitions.render_jobs import run_pending
from tests.browser.conftest import browser_app, serving
from tests.browser.test_workflow import signed_in
from tests.web.conftest import HOAN_KIEM, log_petition

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def office_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """An app with two petitions of session XVI-20, served; (app, URL)."""
    app = browser_app(Path(tmp_path_factory.mktemp("reports")))
    tracker = app.extensions["petitions"].tracker
    log_petition(tracker, session="XVI-20", title="Cải tạo vỉa hè phố Đội Cấn")
    log_petition(tracker, HOAN_KIEM, session="XVI-20", title="Chỉnh trang phố Hàng Bài")
    with serving(app) as url:
        yield app, url


@pytest.mark.parametrize("mobile", [False, True], ids=["desktop", "phone"])
def test_the_office_prepares_a_word_file_then_issues_a_report(
        browser: Any, office_app: tuple[Any, str], screenshot: Any, mobile: bool) -> None:
    app, server = office_app
    suffix = "phone" if mobile else "desktop"
    office = signed_in(browser, server, "thu.ky", mobile=mobile)
    office.goto(f"{server}/digests")
    office.select_option("#draft-session", "XVI-20")
    screenshot(office, f"reports-00-form-{suffix}")

    office.click("button[name=fmt][value=docx]")
    office.wait_for_selector("progress.job")
    screenshot(office, f"reports-01-progress-{suffix}")
    run_pending(app.extensions["petitions"])   # the worker's turn
    # The job page refreshes itself every 2 s; a reload of ours could cut its own refresh
    # short (net::ERR_ABORTED), so wait for the refresh that shows the file.
    office.wait_for_selector("a.button >> text=Word")
    screenshot(office, f"reports-02-ready-{suffix}")

    office.goto(f"{server}/digests")
    office.select_option("#issue-session", "XVI-20")
    office.fill("#signer", "Nguyễn Văn Ký")
    office.click("form[action$='/digests/issue'] button[type=submit]")
    office.wait_for_selector("progress.job")
    run_pending(app.extensions["petitions"])
    office.wait_for_selector("text=Đã ban hành, số")
    office.click("text=Sổ đăng ký báo cáo đã ban hành")
    office.wait_for_selector("td >> text=Nguyễn Văn Ký")
    screenshot(office, f"reports-03-register-{suffix}")

    assert "/BC-VP" in office.content()
