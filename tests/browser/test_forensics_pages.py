"""The forensics pages in Chromium, in Arabic: from the election's results a reader
reaches the election's forensics, then a governorate's, sees the three plots drawn
(each SVG loaded with a size) and the last-digit table, and at a phone's width
nothing is wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_results_page import (
    PHONE,
    published,  # noqa: F401 (a fixture used here)
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def shelf(settings, tmp_path) -> None:
    settings.SHAFAF_PUBLICATION_DIR = str(tmp_path / "published")


def _plots_drawn(page: Any) -> None:
    plots = page.locator(".forensics-plot img")
    expect(plots).to_have_count(3)
    for index in range(3):
        plot = plots.nth(index)
        expect(plot).to_be_visible()
        # Loaded and decoded as an image (a refused or broken SVG has no natural size).
        plot.evaluate("img => img.decode()")
        assert plot.evaluate("img => img.naturalWidth") > 0
        assert plot.bounding_box()["width"] > 0


def test_a_reader_clicks_from_the_results_to_the_forensics_on_a_phone(
        published: str, page: Any, live_server: Any) -> None:  # noqa: F811 (the fixture)
    page.set_viewport_size(PHONE)
    page.goto("/results/gc-2023/")
    page.locator('a[href="/results/gc-2023/forensics/"]').click()
    page.wait_for_url("**/results/gc-2023/forensics/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    _plots_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    page.locator('.forensics-governorates a[href="/results/gc-2023/IQ-KI/forensics/"]').click()
    page.wait_for_url("**/results/gc-2023/IQ-KI/forensics/")
    expect(page.locator("h1")).to_contain_text("كركوك")
    _plots_drawn(page)
    expect(page.locator(".forensics-digits tbody tr")).to_have_count(10)
    expect(page.locator("main")).to_contain_text("النسبة (%)")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # Kurdish and English fit too (the same cookie the language menu sets).
    for language, heading in (("ckb", "کەرکووک"), ("en", "Kirkuk")):
        page.context.add_cookies([{"name": "shafaf_language", "value": language,
                                   "url": live_server.url}])
        page.reload()
        expect(page.locator("h1")).to_contain_text(heading)
        _plots_drawn(page)
        assert page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth") <= 0, language
    # Back to the governorate's results, which lead here too.
    page.locator(f'main a[href="{published}"]').first.click()
    page.wait_for_url(f"**{published}")
    expect(page.locator('a[href="/results/gc-2023/IQ-KI/forensics/"]')).to_be_visible()
