"""The parallel vote tabulation in Chromium (docs/pvt-app.md): the coordinator draws the
sample by clicking (and confirming), assigns its uncovered stations, and watches the
estimate change without reloading when an observer's counting report arrives; the
public page leads to the verifier."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import expect

from shafaf.elections.models import Governorate
from shafaf.observation import standard_forms
from shafaf.observation.models import FormDefinition, Observer, ObserverStatus
from shafaf.portal import pvt_views
from tests.browser.conftest import log_in
from tests.observation.conftest import observer, organisation
from tests.observation.posted_fixtures import counting_report

__all__ = ["observer", "organisation"]

pytestmark = pytest.mark.browser


def _in_thread(work: Any) -> Any:
    """Django refuses the ORM in Playwright's thread."""
    def run() -> Any:
        try:
            return work()
        finally:
            connections.close_all()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def _fits(page: Any) -> None:
    """Nothing makes the page scroll sideways on a 360-pixel phone."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def free_observer(organisation, observer) -> None:
    """The counting form, and a Kirkuk observer with no assignment yet."""
    # A transactional test database is emptied between tests: the migration's forms too.
    standard_forms.install(FormDefinition)
    Observer.objects.create(
        organisation=organisation, full_name="مراقب حر", birth_date=date(1991, 1, 1),
        sex="M", governorate=Governorate.objects.get(code="IQ-KI"),
        status=ObserverStatus.ACCREDITED, conduct_accepted=datetime.now(UTC))


def test_draw_assign_and_watch_the_estimate(free_observer, observer, page: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pvt_views, "POLL_SECONDS", 1)
    page.set_viewport_size({"width": 360, "height": 740})  # phones first
    log_in(page, "cso_coordinator")
    page.goto("/staff/observation/pvt/")
    page.fill("#id_seed", "17 42 93 8 61")
    page.fill("#id_size", "22")  # every station: KI0001-01 among them
    page.click("#draw button[type=submit]")
    page.click("#draw-confirm")
    expect(page.locator(".frame-sha256")).to_be_visible()
    assert len(page.locator(".frame-sha256").inner_text()) == 64
    expect(page.locator(".pvt-covered")).to_contain_text("2")
    page.click("#assign-uncovered")
    expect(page.locator(".pvt-assigned")).to_be_visible()
    expect(page.locator(".pvt-covered")).to_contain_text("3")
    _fits(page)

    page.goto("/staff/observation/pvt/estimate/")
    kirkuk = page.locator(".pvt-part[data-stratum='IQ-KI']")
    expect(kirkuk.locator(".pvt-lists")).to_have_count(0)
    _in_thread(lambda: counting_report(Observer.objects.get(pk=observer.pk), "KI0001-01",
                                       {"list_votes": {"1": 30, "2": 10}}))
    # No reload: the page's script brings the new figures.
    expect(kirkuk.locator("tr[data-list='1'] .share")).to_have_text("75.0%", timeout=15_000)
    _fits(page)

    page.goto("/observation/CSO-1/pvt/")
    _fits(page)
    page.click("#pvt-verify-link")
    expect(page).to_have_url(re.compile(r"/pvt/verify/$"))
