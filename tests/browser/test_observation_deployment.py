"""The civil-society coordinator in a real Chromium, in Arabic: finds a centre by its
code, deploys an observer to it from the deployment page, and sees the coverage of
Kirkuk rise in the table and the chart. The data is made before Playwright starts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.elections.models import Governorate
from shafaf.observation.models import (
    Coordinator,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationStatus,
)
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def organisation(stations, users) -> Observer:
    made = Organisation.objects.create(
        election=stations, name_ar="شبكة تجريبية", contact_name="x",
        contact_email="x@example.org", status=OrganisationStatus.APPROVED, code="CSO-1")
    made.governorates.set(Governorate.objects.filter(code="IQ-KI"))
    Coordinator.objects.create(user=users[Role.CSO_COORDINATOR], organisation=made)
    return Observer.objects.create(
        organisation=made, full_name="زينب المراقبة", birth_date=date(1990, 1, 1), sex="F",
        governorate=Governorate.objects.get(code="IQ-KI"), status=ObserverStatus.ACCREDITED,
        conduct_accepted=datetime.now(UTC))


def test_the_coordinator_deploys_an_observer_to_a_centre(organisation, page: Any) -> None:
    log_in(page, Role.CSO_COORDINATOR.value)
    page.goto("/staff/observation/")
    page.locator("a[href='/staff/observation/deployment/']").click()
    coverage = page.locator("table.coverage")
    expect(coverage).to_contain_text("0.0%")
    page.fill("#q", "KI0002")
    page.locator("form[role=search] button").click()
    expect(page.locator("table.found")).to_contain_text("KI0002-04")
    page.select_option("#observer", label="زينب المراقبة")
    expect(page.locator("#code")).to_have_value("KI0002")
    page.locator("form#assign button[type=submit]").click()
    page.wait_for_url("**/staff/observation/deployment/")
    assignments = page.locator("table.assignments")
    for n in range(1, 5):
        expect(assignments).to_contain_text(f"KI0002-0{n}")
    # Kirkuk: 1 of 3 centres, 4 of 12 stations.
    row = page.locator("table.coverage tbody tr").first
    expect(row).to_contain_text("33.3%")
    expect(page.locator("svg.campaign-chart rect").first).to_be_visible()
    # Removing one station's assignment: 3 of 12.
    assignments.locator("tr", has_text="KI0002-04").locator("button").click()
    page.wait_for_url("**/staff/observation/deployment/")
    expect(page.locator("table.coverage tbody tr").first).to_contain_text("25.0%")
