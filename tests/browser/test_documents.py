"""Documents in a real browser: an agency answers with its signed letter attached as a PDF;
the deputy sees the letter's number and date and opens its preview; another district's
staff gets 404 on the file's address; the office urges the agency with a numbered letter."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests import sample_files as files
from tests.browser.conftest import browser_app, serving
from tests.browser.test_workflow import signed_in
from tests.integration.escalation_helpers import hanoi
from tests.web.conftest import SECRETARIAT, log_petition

pytestmark = pytest.mark.browser
# Every picture of the page has arrived (previews are drawn on request).
LOADED = "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    app = browser_app(Path(tmp_path_factory.mktemp("documents")))
    with serving(app) as url:
        yield app, url


def test_an_agency_answers_with_a_pdf_letter_that_the_deputy_sees_and_others_cannot_fetch(
        browser: Any, served: tuple[Any, str], screenshot: Any, tmp_path: Path) -> None:
    app, server = served
    tracker, clock = app.extensions["petitions"].tracker, app.config["CLOCK"]
    clock.set(hanoi(date(2025, 2, 20)))
    code = log_petition(tracker, title="Sửa mặt đường phố Đội Cấn",
                        meeting_date=date(2025, 2, 10), received_on=date(2025, 2, 12))
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 3, 28))
    letter = tmp_path / "cong-van-45.pdf"
    letter.write_bytes(files.letter_pdf("Công văn số 45/SXD-QLHT ngày 28/02/2025 trả lời cử tri"))

    clock.set(hanoi(date(2025, 3, 3)))
    agency = signed_in(browser, server, "so.xay.dung")
    agency.goto(f"{server}/items/{code}")
    agency.click("#action-answer summary")
    agency.select_option("#answer-outcome", "resolved")
    agency.fill("#answer-text", "Sở Xây dựng đã sửa xong mặt đường phố Đội Cấn.")
    agency.fill("#answer-letter_no", "45")
    agency.fill("#answer-letter_sign", "SXD-QLHT")
    agency.fill("#answer-letter_date", "2025-02-28")
    agency.fill("#answer-signer", "Nguyễn Văn Bình")
    agency.set_input_files("#answer-file", str(letter))
    screenshot(agency, "docs-00-answer-with-letter-desktop")
    agency.click("#action-answer button.primary")
    agency.wait_for_selector("#documents-title")

    deputy = signed_in(browser, server, "dai.bieu", mobile=True)
    deputy.goto(f"{server}/items/{code}")
    section = deputy.locator("section.documents").inner_text()
    assert "45/SXD-QLHT" in section and "28/02/2025" in section
    deputy.wait_for_function(LOADED)
    assert deputy.evaluate("() => document.querySelector('img.preview').naturalWidth") > 100
    screenshot(deputy, "docs-01-deputy-sees-letter-phone")
    preview_url = deputy.locator("section.documents a", has_text="Xem trước").first \
        .get_attribute("href")
    deputy.click("section.documents >> text=Xem trước")
    deputy.wait_for_load_state()
    assert deputy.url.endswith("/preview")
    shown = deputy.evaluate("() => [document.images[0].naturalWidth, document.contentType]")
    assert shown[0] > 100 and shown[1] == "image/png"

    other = signed_in(browser, server, "can.bo.hoan.kiem")
    response = other.goto(f"{server}{preview_url}")
    assert response.status == 404
    response = other.goto(f"{server}{preview_url.removesuffix('/preview')}")
    assert response.status == 404


def test_the_office_urges_an_agency_from_its_overdue_list(
        browser: Any, served: tuple[Any, str], screenshot: Any) -> None:
    app, server = served
    tracker, clock = app.extensions["petitions"].tracker, app.config["CLOCK"]
    clock.set(hanoi(date(2025, 3, 3)))
    codes = [log_petition(tracker, title=f"Chiếu sáng ngõ {n} phố Kim Mã",
                          meeting_date=date(2025, 2, 24), received_on=date(2025, 2, 25))
             for n in (12, 34)]
    for code in codes:
        tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 3, 14))
    clock.set(hanoi(date(2025, 3, 24)))
    app.extensions["petitions"].wait_for(tracker.position())  # the overdue list reads the views

    office = signed_in(browser, server, "thu.ky")
    office.goto(f"{server}/boards/agency/so-xay-dung")
    office.click("text=ban hành công văn đôn đốc")
    office.wait_for_selector("input[name=codes]")
    office.fill("#signer", "Trần Thị Cúc")
    screenshot(office, "docs-02-urge-list-desktop")
    office.click("button.primary")
    office.wait_for_selector("text=Đã ban hành công văn đôn đốc")
    page = office.locator("main").inner_text()
    assert "VP-HĐND" in page and all(code in page for code in codes)
    office.wait_for_function(LOADED)
    screenshot(office, "docs-03-urging-letter-desktop")
