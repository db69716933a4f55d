"""A coordinator in a real Chromium: builds a new version of the opening form with a new
choice question and sees it listed; verifies a selection of reports from the list.

The data is made before Playwright starts (see conftest)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.elections.models import Governorate, PollingStation
from shafaf.observation import standard_forms
from shafaf.observation.models import (
    Assignment,
    Coordinator,
    FormDefinition,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationStatus,
)
from shafaf.observation.submissions import submit
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def reports(stations, users) -> list[str]:
    # A transactional test database is emptied between tests: the migration's forms too.
    standard_forms.install(FormDefinition)
    organisation = Organisation.objects.create(
        election=stations, name_ar="منظمة", contact_name="x", contact_email="x@example.org",
        status=OrganisationStatus.APPROVED, code="CSO-1")
    Coordinator.objects.create(user=users[Role.CSO_COORDINATOR], organisation=organisation)
    observer = Observer.objects.create(
        organisation=organisation, full_name="مراقب", birth_date=date(1990, 1, 1), sex="F",
        governorate=Governorate.objects.get(code="IQ-KI"), user=users[Role.OBSERVER],
        status=ObserverStatus.ACCREDITED, conduct_accepted=datetime.now(UTC))
    made = []
    for code in ("KI0001-01", "KI0001-02"):
        station = PollingStation.objects.get(code=code)
        Assignment.objects.create(observer=observer, station=station, centre=station.centre)
        report, _ = submit(observer, client_id=uuid.uuid4(), form_code="closing",
                           station_code=code, answers={"closed_at": "18:00",
                                                       "voters_total": 200})
        made.append(str(report.pk))
    return made


def test_a_coordinator_adds_a_choice_question_in_a_new_version(reports, page: Any) -> None:
    log_in(page, Role.CSO_COORDINATOR.value)
    page.goto("/staff/observation/")
    page.locator("main a[href='/staff/observation/forms/']").click()
    page.locator("tr[data-code=opening] a").click()
    expect(page.locator("#fixed-note")).to_contain_text("arrived_at")
    expect(page.locator("#id_form-0-qid")).to_have_value("arrived_at")
    page.fill("#id_form-9-qid", "queue")
    page.select_option("#id_form-9-type", "choice")
    page.fill("#id_form-9-label_ar", "طول الطابور عند الافتتاح")
    page.fill("#id_form-9-label_en", "Queue at opening")
    page.fill("#id_form-9-choices", "none | لا يوجد\nshort | قصير\nlong | طويل")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/observation/forms/")
    row = page.locator("tr[data-code=opening][data-version='2']")
    expect(row).to_contain_text("منظمة")
    row.locator("summary").click()
    expect(row.locator("ol li").last).to_contain_text("queue")
    expect(row.locator("ol li").last).to_contain_text("none, short, long")


def test_a_coordinator_verifies_a_selection(reports, page: Any) -> None:
    log_in(page, Role.CSO_COORDINATOR.value)
    page.goto("/staff/observation/submissions/")
    for pk in reports:
        page.locator(f"tr[data-id='{pk}'] input[type=checkbox]").check()
    page.locator("main button[name=step][value=verify]").click()
    page.wait_for_load_state()
    for pk in reports:
        expect(page.locator(f"tr[data-id='{pk}'] .status-verified")).to_be_visible()
    page.goto("/staff/observation/submissions/?status=pending")
    expect(page.locator("#reports tbody tr")).to_have_count(1)  # "No reports."
