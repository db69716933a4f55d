"""The commission sends a notice and an organisation's coordinator opens it, in a
real Chromium: the sender ticks the governorate, sends, and sees nobody has read it;
the coordinator sees it marked unread in their notices and opens it; the sender's
page then shows it read.

The data is made before Playwright starts (see conftest)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.elections.models import Governorate
from shafaf.observation.models import Coordinator, Organisation, OrganisationStatus
from tests.browser.conftest import TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def kirkuk(stations, users) -> int:
    """A Kirkuk organisation with the cso user as its coordinator; Kirkuk's id."""
    made = Organisation.objects.create(
        election=stations, name_ar="شبكة الرقابة", contact_name="x",
        contact_email="x@example.org", status=OrganisationStatus.APPROVED, code="CSO-1")
    made.governorates.set(Governorate.objects.filter(code="IQ-KI"))
    Coordinator.objects.create(user=users[Role.CSO_COORDINATOR], organisation=made)
    return Governorate.objects.get(code="IQ-KI").pk


def test_a_notice_sent_is_opened_by_the_coordinator_and_shows_read(
        kirkuk: int, page: Any, live_server: Any) -> None:
    log_in(page, Role.ADMIN.value)
    page.goto("/staff/observation/notices/new/")
    page.fill("#id_title_ar", "موعد تسليم قوائم المراقبين")
    page.fill("#id_body_ar", "تسلم القوائم حتى نهاية الشهر.")
    page.locator(f"input[name=governorates][value='{kirkuk}']").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("موعد تسليم قوائم المراقبين")
    expect(page.locator("table.receipts .not-read")).to_have_count(1)
    sent = page.url

    reader = page.context.browser.new_context(base_url=live_server.url, locale="ar-IQ")
    reader.set_default_timeout(TIMEOUT_MS)
    try:
        coordinator = reader.new_page()
        log_in(coordinator, Role.CSO_COORDINATOR.value)
        coordinator.goto("/staff/observation/notices/")
        unread = coordinator.locator("li.unread")
        expect(unread).to_have_count(1)
        unread.get_by_role("link", name="موعد تسليم قوائم المراقبين").click()
        expect(coordinator.locator(".notice-body")).to_contain_text("تسلم القوائم")
        coordinator.goto("/staff/observation/notices/")
        expect(coordinator.locator("li.read")).to_have_count(1)
        expect(coordinator.locator(".unread-mark")).to_have_count(0)
    finally:
        reader.close()

    page.goto(sent)
    expect(page.locator("table.receipts .not-read")).to_have_count(0)
    expect(page.locator("table.receipts")).to_contain_text(Role.CSO_COORDINATOR.value)
