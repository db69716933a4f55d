"""Browser tests: pytest-django's live server driven by Debian's Chromium through
Playwright's synchronous API. Nothing here downloads a browser: without
/usr/bin/chromium the tests fail and say which package to install.

The data comes from the web tests' fixtures. A test that uses ``live_server`` runs
on a transactional database (pytest-django requests ``transactional_db`` for it), so
what the fixtures create is committed and the server's thread sees it. ``page``
creates the data before it starts Playwright: while Playwright's sync API runs, the
main thread counts as an asyncio context and Django refuses ORM calls from it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, election, stations, users  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian's Chromium is not installed ({CHROMIUM} does not exist), and the "
            "browser tests drive it: install the `chromium` package "
            "(`apt-get install chromium`, as scripts/ does). They never download a "
            "browser of their own.",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go: $SHAFAF_ARTIFACTS, else <repo>/.artifacts (gitignored)."""
    path = Path(os.environ.get("SHAFAF_ARTIFACTS") or REPO / ".artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def page(chromium: Path, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh Chromium tab whose browser speaks Arabic, as an Iraqi user's would,
    on a live server holding the election, its stations and one user per role."""
    from playwright.sync_api import sync_playwright

    # The data first: no ORM call may run once Playwright has started.
    request.getfixturevalue("stations")
    request.getfixturevalue("users")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium),
                                             args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(base_url=live_server.url, locale="ar-IQ",
                                          viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            yield context.new_page()
            context.close()
        finally:
            browser.close()


def log_in(page: Any, username: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/**")


@pytest.fixture
def worker_go(transactional_db) -> Iterator[threading.Event]:
    """Set the event: a worker thread starts running the queued jobs."""
    from shafaf.jobs import worker

    go, stop = threading.Event(), threading.Event()

    def run() -> None:
        from django.db import connections

        go.wait()
        try:
            if not stop.is_set():
                worker.loop(poll=0.2, stop=stop)
        finally:
            connections.close_all()  # this thread's own: the test database is dropped after

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield go
    stop.set()
    go.set()
    thread.join(timeout=30)
