"""In a real browser, November 2026: the office imports a ward's spreadsheet, then works in bulk."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import serve
from tests.browser.test_workflow import signed_in
from tests.conftest import FixedClock
from tests.intake_helpers import CLOCK_START, filled_template, petition_row

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app as of 20 November 2026."""
    yield from serve(tmp_path_factory, FixedClock(CLOCK_START))


def test_the_office_previews_imports_and_assigns_the_rows_in_bulk(
        browser: Any, server: str, screenshot: Any, tmp_path: Path) -> None:
    from tests.browser.conftest import APPS

    tracker = APPS[server].extensions["petitions"].tracker
    rows = [petition_row(i) for i in range(6)]
    rows += [petition_row(90, title=""), petition_row(91, district="Quận Hoàn Kiếm"),
             petition_row(92, meeting_date="31/02/2026")]
    path = tmp_path / "tiep-xuc-cu-tri-phuong-ba-dinh.xlsx"
    path.write_bytes(filled_template(tracker, rows))

    office = signed_in(browser, server, "thu.ky")
    office.goto(f"{server}/intake")
    office.set_input_files("#file", str(path))
    with office.expect_navigation():
        office.click("main button[type=submit]")
    assert "Nhập 6 dòng hợp lệ" in office.content()
    assert office.locator("table td strong", has_text="Trích yếu nội dung").count() == 1
    screenshot(office, "intake-01-preview")
    with office.expect_navigation():
        office.click("text=Nhập 6 dòng hợp lệ")
    assert "Đã nhập 6 dòng" in office.content()
    assert "Đã nhập: 6" in office.locator("ul.counts").inner_text()
    screenshot(office, "intake-02-result")

    phone = signed_in(browser, server, "thu.ky", mobile=True)
    phone.goto(f"{server}/intake")
    phone.set_input_files("#file", str(path))
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    screenshot(phone, "intake-03-preview-again-phone")
    assert "Đã nhập từ trước (giữ nguyên): 6" in phone.locator("ul.counts").inner_text()

    office.goto(f"{server}/queues/secretariat")
    boxes = office.locator("#q-new input[name=codes]")
    for i in range(3):
        boxes.nth(i).check()
    office.select_option("#assign-agency", "so-xay-dung")
    office.fill("#assign-due_date", "2026-12-31")
    screenshot(office, "intake-04-queue-bulk")
    with office.expect_navigation():
        office.click("button[name=action][value=assign]")
    assert "Đã làm: 3. Bị từ chối: 0." in office.content()
    screenshot(office, "intake-05-bulk-result")
    assert not office.console_errors
