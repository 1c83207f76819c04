"""Two-factor sign-in in a real browser: a secretariat user enrols at first sign-in (the
test reads the key from the page and computes the code as a phone would) and signs in with
it; the admin's account pages at desktop and phone width."""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import APPS
from tests.browser.test_workflow import new_page, signed_in
from tests.web.conftest import totp_code

pytestmark = pytest.mark.browser
PASSWORD = "van-thu-password-1"


def type_password(page: Any, server: str, username: str) -> None:
    """Fill the sign-in form and wait for its navigation."""
    page.goto(f"{server}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button.primary")


def test_a_secretariat_user_enrols_two_factor_sign_in_and_signs_in_with_it(
        browser: Any, server: str, screenshot: Any) -> None:
    app = APPS[server]
    app.extensions["petitions_users"].add("van.thu", PASSWORD, "secretariat",
                                          display_name="Văn thư")
    page = new_page(browser)

    type_password(page, server, "van.thu")
    assert "/login/enrol" in page.url
    page.wait_for_selector("img.qr")
    screenshot(page, "2fa-01-enrol-desktop")
    secret = page.inner_text("#totp-secret").replace(" ", "")
    page.fill("#code", totp_code(app, secret))
    with page.expect_navigation():
        page.click("button.primary")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    screenshot(page, "2fa-02-recovery-codes-desktop")
    with page.expect_navigation():
        page.click("a.button.primary")
    assert "/queues/secretariat" in page.url
    with page.expect_navigation():
        page.click("form.logout button")

    type_password(page, server, "van.thu")
    assert "/login/code" in page.url
    screenshot(page, "2fa-03-code-desktop")
    page.fill("#code", totp_code(app, secret))
    with page.expect_navigation():
        page.click("button.primary")

    assert "/queues/secretariat" in page.url
    assert len(codes) == 10
    assert page.console_errors == []


@pytest.mark.parametrize("mobile", [False, True], ids=["desktop", "phone"])
def test_the_admin_account_pages_render_at_desktop_and_phone_width(
        browser: Any, server: str, screenshot: Any, mobile: bool) -> None:
    admin = signed_in(browser, server, "admin", mobile=mobile)
    width = "phone" if mobile else "desktop"

    admin.goto(f"{server}/admin/users")
    screenshot(admin, f"admin-01-users-{width}")
    admin.click("text=dai.bieu")
    admin.wait_for_selector("h1 .code")
    with admin.expect_navigation():
        admin.click("text=Cấp đường dẫn đặt lại mật khẩu")
    screenshot(admin, f"admin-02-user-{width}")

    assert "/password/reset/" in admin.inner_text("#reset-link")
    assert admin.console_errors == []


def test_a_user_sets_a_new_password_from_a_reset_link_on_a_phone(
        browser: Any, server: str, screenshot: Any) -> None:
    from domain.actor import Actor, Role

    app = APPS[server]
    app.extensions["petitions_users"].add("can.bo.tay.ho", PASSWORD, "district_staff",
                                          district="tay-ho", display_name="Cán bộ Tây Hồ")
    token = app.extensions["petitions_accounts"].issue_password_reset(
        Actor("admin", Role.ADMIN), "can.bo.tay.ho")
    page = new_page(browser, mobile=True)

    page.goto(f"{server}/password/reset/{token}")
    screenshot(page, "account-01-reset-phone")
    page.fill("#password", "mat-khau-moi-2026")
    page.fill("#password_again", "mat-khau-moi-2026")
    with page.expect_navigation():
        page.click("button.primary")
    page.wait_for_selector("text=Đã đổi mật khẩu")
    page.fill("#username", "can.bo.tay.ho")
    page.fill("#password", "mat-khau-moi-2026")
    with page.expect_navigation():
        page.click("button.primary")
    page.goto(f"{server}/account")
    screenshot(page, "account-02-my-account-phone")

    assert page.inner_text("h1") == "Tài khoản của tôi"
    assert page.console_errors == []
