"""The screens a clerk uses, checked as a clerk (and a screen reader, and a phone) meets them.

axe-core (the npm package, vendored under tests/browser/vendor/ with its version in
``AXE_VERSION``; no CDN) finds no serious or critical WCAG 2.1 AA violation on every page
kind for every role, at desktop and at 375 px; no page scrolls sideways on a phone; the
whole petition workflow runs from the keyboard alone; the office reaches every answer
awaiting review from its queue. Screenshots of each page go to test-output/screenshots/.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import APPS, serve
from tests.browser.test_workflow import BROWSER_TIMEOUT_MS, signed_in
from tests.conftest import FixedClock
from petitions.users.demo import DEMO_PASSWORD
from tests.web.conftest import totp_code
from tests.web.conftest import SECRETARIAT, XAY_DUNG, catch_up, log_petition, receive_complaint

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"
REVIEWS = 30  # more answers awaiting review than one page of a queue section (25)
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app with answers awaiting review, a merged pair, a complaint and an assignment."""
    def arrange(app: Any) -> None:
        tracker = app.extensions["petitions"].tracker
        for n in range(REVIEWS):
            code = log_petition(tracker, title=f"Kiến nghị chờ duyệt số {n + 1}")
            tracker.assign(SECRETARIAT, code, agency="so-xay-dung")
            tracker.record_answer(XAY_DUNG, code, outcome="resolved", text=f"Đã xử lý {n + 1}.")
        kept = log_petition(tracker, title="Cải tạo vỉa hè phố Kim Mã")
        tracker.merge_petitions(SECRETARIAT, log_petition(tracker, title="Vỉa hè Kim Mã"), kept,
                                reason="Trùng nội dung.")
        tracker.assign(SECRETARIAT, kept, agency="so-xay-dung")
        receive_complaint(tracker)
        log_petition(tracker, title="Lắp đèn chiếu sáng ngõ 12")
        catch_up(app)
    yield from serve(tmp_path_factory, FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)),
                     arrange)


def _codes(server: str) -> dict[str, str]:
    """Codes of a merged petition, its survivor and a complaint (read from the views)."""
    app = APPS[server]
    tracker = app.extensions["petitions"].tracker
    from web import queries
    from projections.items import ItemFilter

    with app.test_request_context():
        rows = queries.items(app.extensions["petitions"], SECRETARIAT, ItemFilter(), None, 100).rows
    by_status = {}
    for row in rows:
        by_status.setdefault(row["status"], row["code"])
    assert tracker is not None
    return {"merged": by_status["merged"], "assigned": by_status["assigned"],
            "complaint": by_status["received"], "answered": by_status["answered"],
            "logged": by_status["logged"]}


def _pages(server: str) -> dict[str, list[tuple[str, str]]]:
    """Every page kind each role opens: (name, path)."""
    c = _codes(server)
    return {
        "can.bo.ba.dinh": [("home", "/"), ("log-petition", "/petitions/new"),
                           ("receive-don", "/complaints/new"), ("search", "/items"),
                           ("item-complaint", f"/items/{c['complaint']}"),
                           ("district-board", "/boards/district/ba-dinh"), ("account", "/account")],
        "thu.ky": [("secretariat-queue", "/queues/secretariat"),
                   ("item-answered", f"/items/{c['answered']}"),
                   ("item-merged", f"/items/{c['merged']}"),
                   ("item-phases", f"/items/{c['assigned']}?history=phases"),
                   ("search-results", "/items?q=kim&order=due"), ("city-board", "/boards"),
                   ("agency-boards", "/boards/agencies"), ("agency-board", "/boards/agency/so-xay-dung"),
                   ("session-board", "/boards/session/XVI-19"), ("rollup", "/boards/rollup"),
                   ("handover", "/handover"),
                   ("digests", "/digests"), ("agency-queue-office", "/queues/agency?agency=so-xay-dung")],
        "so.xay.dung": [("agency-queue", "/queues/agency"), ("item-assigned", f"/items/{c['assigned']}")],
        "dai.bieu": [("following", "/items/following"), ("search-deputy", "/items?status=answered")],
        "admin": [("users", "/admin/users"), ("user", "/admin/users/can.bo.ba.dinh"),
                  ("outbox", "/admin/outbox"), ("calendar", "/admin/calendar"),
                  ("policy", "/admin/policy"), ("reference", "/admin/reference/units")],
    }


def _axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page (WCAG 2.0/2.1 A and AA rules); return serious/critical ones."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}); return r.violations.map(v => "
        "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => "
        "n.target.join(' '))})); }")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def _context(browser: Any, server: str, who: str, size: dict[str, int]) -> Any:
    """A signed-in page at ``size``; axe is injected, so the page's CSP is bypassed here only."""
    context = browser.new_context(viewport=size, locale="vi-VN", bypass_csp=True)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{server}/login")
    page.fill("#username", who)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if "/login/code" in page.url:
        app = APPS[server]
        page.fill("#code", totp_code(app, app.config["TOTP_SECRETS"][who]))
        with page.expect_navigation():
            page.click("main button[type=submit]")
    assert "/login" not in page.url
    return page


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_page_kind_has_no_serious_accessibility_violation_and_fits_a_phone(
        browser: Any, server: str, screenshot: Any, width: str) -> None:
    assert AXE.exists(), "tests/browser/vendor/axe.min.js (npm axe-core) is missing"
    size = PHONE if width == "phone" else DESKTOP
    found, too_wide = {}, {}
    for who, pages in _pages(server).items():
        page = _context(browser, server, who, size)
        for name, path in pages:
            response = page.goto(f"{server}{path}")
            assert response.status == 200, (who, path, response.status)
            if width == "phone":
                scroll, view = page.evaluate(
                    "() => [document.documentElement.scrollWidth, window.innerWidth]")
                if scroll > view:
                    too_wide[f"{who} {path}"] = scroll
            screenshot(page, f"screens-{name}-{width}")
            violations = _axe(page)
            if violations:
                found[f"{who} {path}"] = violations
        page.context.close()
    visitor = browser.new_context(viewport=size, locale="vi-VN", bypass_csp=True).new_page()
    visitor.goto(f"{server}/login")
    screenshot(visitor, f"screens-login-{width}")
    if violations := _axe(visitor):
        found["visitor /login"] = violations
    visitor.context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    assert too_wide == {}


def test_the_office_reaches_every_answer_awaiting_review_from_its_queue(
        browser: Any, server: str) -> None:
    office = signed_in(browser, server, "thu.ky")
    office.goto(f"{server}/queues/secretariat")
    heading = office.locator("#q-review-title").inner_text()
    assert f"({REVIEWS})" in heading

    seen: list[str] = []
    while True:
        seen += office.locator("#q-review tbody a[href*='/items/']").all_inner_texts()
        more = office.locator("#q-review a[rel=next]")
        if not more.count():
            break
        more.click()
        office.wait_for_load_state()

    assert len(seen) == len(set(seen)) == REVIEWS


def _tab_to(page: Any, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _choose(page: Any, selector: str, value: str) -> None:
    """Pick an option of a focused select with the arrow keys."""
    _tab_to(page, selector)
    page.keyboard.press("Home")
    for _ in range(300):
        if page.evaluate("s => document.querySelector(s).value", selector) == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} is not among the options of {selector}")


def _type_into(page: Any, selector: str, text: str) -> None:
    _tab_to(page, selector)
    page.keyboard.insert_text(text)


def _submit(page: Any, selector: str) -> None:
    _tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _open_action(page: Any, link: str, action: str) -> None:
    """Follow a queue's link to an item, then open one of its action forms (keyboard only)."""
    _submit(page, link)
    _tab_to(page, f"#action-{action} summary")
    page.keyboard.press("Enter")


def test_log_assign_answer_accept_with_the_keyboard_alone(browser: Any, server: str) -> None:
    staff = signed_in(browser, server, "can.bo.ba.dinh")
    staff.goto(f"{server}/petitions/new")
    _type_into(staff, "#meeting_date", "20/02/2025")
    _type_into(staff, "#meeting_place", "Nhà văn hóa phường Kim Mã")
    _choose(staff, "#session", "XVI-19")
    _choose(staff, "#deputy_group", "to-01")
    _choose(staff, "#field", "transport")
    _type_into(staff, "#title", "Bàn phím: sửa cống ngõ 5")
    _type_into(staff, "#content", "Cử tri đề nghị sửa cống thoát nước ngõ 5.")
    _type_into(staff, "#voters", "Trần Văn Bình")
    _type_into(staff, "#received_on", "21/02/2025")
    _submit(staff, "form.form button.primary")
    code = staff.locator(".item-head .code").inner_text().split(" ")[0]

    office = signed_in(browser, server, "thu.ky")
    office.goto(f"{server}/items/{code}")
    _tab_to(office, "#action-assign summary")
    office.keyboard.press("Enter")
    _choose(office, "#assign-agency", "so-xay-dung")
    _type_into(office, "#assign-due_date", "31/03/2025")
    _submit(office, "#action-assign button.primary")
    flash = office.locator(".flash.success").inner_text()
    assert "Sở Xây dựng" in flash and "31/03/2025" in flash

    agency = signed_in(browser, server, "so.xay.dung")
    agency.goto(f"{server}/queues/agency")
    _open_action(agency, f"#q-new a[href$='/items/{code}']", "answer")
    _choose(agency, "#answer-outcome", "resolved")
    _type_into(agency, "#answer-text", "Đã sửa xong cống ngõ 5.")
    _submit(agency, "#action-answer button.primary")
    assert agency.locator(".flash.success").count() == 1

    office.goto(f"{server}/queues/secretariat")
    while not office.locator(f"#q-review a[href$='/items/{code}']").count():
        _submit(office, "#q-review a[rel=next]")  # the oldest answers come first
    _open_action(office, f"#q-review a[href$='/items/{code}']", "accept_answer")
    _choose(office, "#accept_answer-voters_satisfied", "yes")
    _submit(office, "#action-accept_answer button.primary")
    assert "đã đồng ý kết quả trả lời" in office.locator("ol.timeline").inner_text()
    # The focus is visible wherever it lands (an outline, not the browser's default only).
    outline = office.evaluate("() => { const a = document.querySelector('main a');"
                              " a.focus(); return getComputedStyle(a).outlineStyle; }")
    assert outline not in ("", "none")
    assert BROWSER_TIMEOUT_MS
