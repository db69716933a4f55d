"""Every page fits a 360-pixel-wide phone, in Arabic, Central Kurdish and English:
nothing makes the page scroll sideways (a wide table scrolls inside its own box).

The pages are found by following links, as each user would, from the home page
(a visitor) and from the dashboard (each role), one page of each kind
(tests.crawl.kind): a new page is covered as soon as a page links to it. One
browser, one tab, GETs only. A page that overflows is saved as a screenshot in
the artifacts folder, to look at; with SHAFAF_PHONE_SCREENSHOTS=1 every page is.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from shafaf.access.roles import Role
from tests.browser.conftest import log_in
from tests.crawl import is_file, kind, links
from tests.web.site_data import pages_in_states, populated  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LANGUAGES = ("ar", "ckb", "en")
VISITORS: list[str | None] = [None, *(role.value for role in Role)]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Nine log-ins: the test is about widths, not about Argon2's cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _pages(page: Any, start: str, also: list[str]) -> list[str]:
    """One URL of each kind of page reachable from ``start``, and the pages ``also``
    that this user may open."""
    found = [start, *also]
    seen = {kind(start)}
    for url in found:
        response = page.goto(url)
        if response is None or response.status != 200 or "text/html" not in (
                response.headers.get("content-type", "")):
            continue
        for link in links(page.content(), url):
            if is_file(link) or link.startswith("/accounts/") or kind(link) in seen:
                continue
            seen.add(kind(link))
            found.append(link)
    return found


def _language(page: Any, base_url: str, language: str) -> None:
    page.context.add_cookies([{"name": "shafaf_language", "value": language,
                               "url": base_url}])


def _overflow(page: Any) -> int:
    """How many pixels the page is wider than the screen (0 if it fits)."""
    return int(page.evaluate(
        "document.documentElement.scrollWidth - window.innerWidth"))


def test_every_page_fits_a_phone_in_every_language(populated, pages_in_states,  # noqa: F811
                                                   page, live_server, artifacts: Path) -> None:
    page.set_viewport_size(PHONE)
    too_wide: list[str] = []
    visited = 0
    for visitor in VISITORS:
        page.context.clear_cookies()
        if visitor is not None:
            log_in(page, visitor)
        urls = _pages(page, "/staff/" if visitor else "/", [*pages_in_states, "/no-such-page/"])
        for language in LANGUAGES:
            _language(page, live_server.url, language)
            for url in urls:
                response = page.goto(url)
                if response is None or "text/html" not in response.headers.get(
                        "content-type", ""):
                    continue
                visited += 1
                extra = _overflow(page)
                slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"
                name = f"phone-{visitor or 'visitor'}-{language}-{slug}.png"
                if extra > 0 or os.environ.get("SHAFAF_PHONE_SCREENSHOTS"):
                    page.screenshot(path=str(artifacts / name), full_page=True)
                if extra > 0:
                    too_wide.append(f"{url} as {visitor or 'a visitor'} in {language}: "
                                    f"{extra}px too wide ({name})")
    assert too_wide == []
    assert visited > 100  # the crawl found the site's pages
