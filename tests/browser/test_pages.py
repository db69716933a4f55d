"""What a commission employee sees in a real browser: logging in, the three
languages and their directions, searching the polling stations, and the stations
page in Arabic (saved as a screenshot for a person to look at)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

# language: (dir, the navigation link to the stations, the heading of that page)
LANGUAGES = {
    "ar": ("rtl", "محطات الاقتراع"),
    "ckb": ("rtl", "وێستگەکانی دەنگدان"),
    "en": ("ltr", "Polling stations"),
}


def expect_language(page: Any, language: str) -> None:
    direction, stations = LANGUAGES[language]
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", direction)
    expect(page.locator(f"form.languages button[value={language}]")).to_have_attribute(
        "aria-current", "true")
    expect(page.locator("header nav").get_by_role("link", name=stations)).to_be_visible()


def test_staff_logs_in_and_switches_language(page: Any) -> None:
    log_in(page, "admin")
    # The browser asks for Arabic: the dashboard opens in Arabic, right to left.
    expect(page.locator("h1")).to_have_text("لوحة المتابعة")
    expect_language(page, "ar")
    for language in ("en", "ckb", "ar", "en"):
        page.locator(f"form.languages button[value={language}]").click()
        expect_language(page, language)
    # The choice is kept (a cookie) and the user is still logged in on the next page.
    page.locator("header nav").get_by_role("link", name="Polling stations").click()
    expect(page.locator("h1")).to_have_text("Polling stations")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator(".who")).to_contain_text("admin")


def test_search_finds_a_station_by_its_code(page: Any) -> None:
    log_in(page, "admin")
    page.goto("/staff/stations/")
    rows = page.locator("table.stations tbody tr")
    expect(page.locator("p.count")).to_have_text("22 محطة")
    expect(rows).to_have_count(22)

    page.fill("#q", "KI0002-03")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("p.count")).to_have_text("محطة واحدة")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("KI0002-03")
    expect(rows.first).to_contain_text("مدرسة 2")
    expect(page.locator("#q")).to_have_value("KI0002-03")

    page.fill("#q", "KI0002")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("p.count")).to_have_text("4 محطات")
    expect(rows).to_have_count(4)

    # A station opens from its row.
    rows.get_by_role("link", name="KI0002-04").click()
    expect(page.locator("h1")).to_have_text("محطة الاقتراع KI0002-04")


def test_stations_page_in_arabic_screenshot(page: Any, artifacts: Path) -> None:
    log_in(page, "admin")
    page.goto("/staff/stations/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("محطات الاقتراع")
    # The stylesheet is served and applied (the page's background is its colour).
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(251, 251, 248)", "shafaf.css was not loaded"
    # In right-to-left the first column (the station) sits at the right edge, and its
    # left-to-right codes line up with the column's heading on the right.
    headings = page.locator("table.stations thead th")
    first, last = headings.first.bounding_box(), headings.last.bounding_box()
    code = page.locator("table.stations tbody tr").first.get_by_role("link").bounding_box()
    assert first is not None
    assert last is not None
    assert code is not None
    assert first["x"] > last["x"]
    assert abs((first["x"] + first["width"]) - (code["x"] + code["width"])) < 16

    path = artifacts / "stations-ar.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.exists()
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 20_000, f"{path} is only {path.stat().st_size} bytes"
