"""A password an administrator chose, replaced at the first login, clicked through in
Chromium: the administrator sets it, the Board member logs in with it, is taken to
the change page wherever they go, replaces it, and reaches the page they asked for."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser

CHOSEN = "chosen-by-the-admin-7"
OWN = "only-the-commissioner-knows-9"


def test_a_password_set_by_an_administrator_is_replaced_at_first_login(page: Any) -> None:
    log_in(page, "admin")
    page.goto("/staff/users/")
    # The administrator's own row offers no change; the commissioner's does.
    row = page.locator("tbody tr", has_text="commissioner")
    row.locator("a").click()
    page.locator("main a[href^='/staff/users/'][href$='/password/']").click()
    page.fill("#id_new_password1", CHOSEN)
    page.fill("#id_new_password2", CHOSEN)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("commissioner")
    page.locator("form[action='/accounts/logout/'] button").click()

    # The commissioner logs in with the chosen password and is held at the change page.
    page.goto("/accounts/login/?next=/staff/lottery/")
    page.fill("#id_username", "commissioner")
    page.fill("#id_password", CHOSEN)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/password/?next=/staff/lottery/")
    expect(page.locator("main [role=status]")).to_be_visible()
    page.goto("/staff/")
    page.wait_for_url("**/accounts/password/?next=/staff/")

    # A wrong current password is refused on the page, in Arabic.
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", OWN)
    page.fill("#id_new_password2", OWN)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .errorlist")).to_be_visible()

    page.fill("#id_old_password", CHOSEN)
    page.fill("#id_new_password1", OWN)
    page.fill("#id_new_password2", OWN)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/")
    expect(page.locator("h1")).to_have_text("لوحة المتابعة")
    page.goto("/staff/lottery/")
    expect(page.locator("main h1")).to_be_visible()
    assert "/accounts/password/" not in page.url

    # The new password is the one that works from now on.
    page.locator("form[action='/accounts/logout/'] button").click()
    page.goto("/accounts/login/")
    page.fill("#id_username", "commissioner")
    page.fill("#id_password", OWN)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/")
