"""The administrator sets up the Kurdistan Region Parliament 2024 in a real Chromium,
in Arabic: from the elections list, the new election's form (its kind, law profile,
polling day and one phase of its calendar); the list then shows it with its four
constituencies and 95 general seats. A code already in use is refused with its
reason, and the form keeps what was typed.

The data is made before Playwright starts (see conftest)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def _fill(page: Any, code: str) -> None:
    page.get_by_label("الرمز").fill(code)
    page.get_by_label("الاسم (بالعربية)").fill("انتخابات برلمان إقليم كوردستان 2024")
    page.get_by_label("النوع").select_option(label="برلمان إقليم كوردستان")
    page.get_by_label("ملف القانون").select_option(value="krg-2024")
    page.get_by_label("يوم الاقتراع").fill("2024-10-20")


def test_the_administrator_sets_up_an_election_with_its_contests(page: Any) -> None:
    log_in(page, Role.ADMIN.value)
    page.goto("/staff/elections/")
    expect(page.locator("h1")).to_have_text("الانتخابات")
    page.get_by_role("link", name="إنشاء انتخابات جديدة").click()
    expect(page.locator("h1")).to_have_text("إنشاء انتخابات جديدة")

    _fill(page, "gc-2023")
    page.get_by_role("button", name="إنشاء الانتخابات").click()
    expect(page.locator("section.errors")).to_contain_text(
        "توجد انتخابات بالرمز «gc-2023» من قبل.")
    expect(page.get_by_label("يوم الاقتراع")).to_have_value("2024-10-20")

    _fill(page, "krg-2024")
    page.locator("input[name=general_voting_starts]").fill("2024-10-20")
    page.locator("input[name=general_voting_ends]").fill("2024-10-20")
    page.get_by_role("button", name="إنشاء الانتخابات").click()
    page.wait_for_url("**/staff/elections/")
    expect(page.get_by_text("أُنشئت الانتخابات مع دوائرها الانتخابية.")).to_be_visible()
    row = page.locator("tr", has_text="krg-2024")
    expect(row).to_contain_text("انتخابات برلمان إقليم كوردستان 2024")
    expect(row.locator("td").nth(5)).to_have_text("4")
    expect(row.locator("td").nth(6)).to_have_text("95")
