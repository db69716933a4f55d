"""Posted result forms in Chromium (docs/observation-posted-forms.md): the observer's
app draws one number field per list of the station and sends the list votes; a
coordinator verifies a difference against the photo, publishes it, and the public page
shows the finding."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connections
from PIL import Image
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.entities.synthetic import create_entities
from shafaf.observation import standard_forms
from shafaf.observation.evidence import clean_photo
from shafaf.observation.models import EvidencePhoto, FormDefinition, Submission
from shafaf.results.models import ResultForm
from tests.browser.conftest import log_in
from tests.observation.conftest import observer, organisation
from tests.observation.posted_fixtures import counting_report, posted_copy, publish_kirkuk

__all__ = ["observer", "organisation"]

pytestmark = pytest.mark.browser

VOTES = {"1": 120, "2": 100, "3": 70}


@pytest.fixture
def kirkuk_lists(stations) -> None:
    # A transactional test database is emptied between tests: the migration's forms too.
    standard_forms.install(FormDefinition)
    create_entities(stations, lists={"IQ-KI": 3}, candidates_per_list=2, numbered=True)


@pytest.fixture
def published(kirkuk_lists, stations, users, observer) -> str:
    """KI0001-01 published; the observer's copy says list 2 had 110, with a photo."""
    publish_kirkuk(stations, users[Role.ADMIN], {"KI0001-01": VOTES})
    counted = ResultForm.objects.get(station__code="KI0001-01")
    report = counting_report(observer, "KI0001-01", posted_copy(counted, {**VOTES, "2": 110}))
    picture = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(picture, format="PNG")
    image, width, height = clean_photo(picture.getvalue())
    EvidencePhoto.objects.create(submission=report, image=image, content_type="image/jpeg",
                                 width=width, height=height)
    return str(report.pk)


def _stored() -> list[dict[str, Any]]:
    """Read in another thread: Django refuses the ORM in Playwright's thread."""
    def read() -> list[dict[str, Any]]:
        try:
            return [s.answers for s in Submission.objects.filter(form__code="counting")]
        finally:
            connections.close_all()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result()


def test_the_phone_app_asks_each_list_s_votes(kirkuk_lists, observer, page: Any) -> None:
    log_in(page, "observer")
    page.goto("/observe/")
    page.select_option("#station", "KI0001-01")
    page.click("button[data-form=counting]")
    fields = page.locator("[data-question=list_votes] input[data-list]")
    expect(fields).to_have_count(3)
    expect(page.locator("[data-question=list_votes]")).to_contain_text("كيان تجريبي 2")
    for question, value in (("registered", "401"), ("voted", "300"),
                            ("ballots_in_box", "300"), ("invalid", "10"), ("valid", "290")):
        page.fill(f"[data-question={question}] input", value)
    page.check("[data-question=form_posted] input[value=true]")
    page.fill("[data-question=list_votes] input[data-list='1']", "120")
    page.fill("[data-question=list_votes] input[data-list='3']", "70")
    page.click("#send")
    page.locator("#queue li.sent").wait_for()
    [answers] = _stored()
    assert answers["list_votes"] == {"1": 120, "3": 70}  # the empty field is left out


def test_a_coordinator_verifies_and_publishes_a_finding(published, page: Any) -> None:
    log_in(page, Role.CSO_COORDINATOR.value)
    page.goto("/staff/observation/")
    page.locator("main a[href='/staff/observation/posted/']").click()
    station = page.locator("section[data-station='KI0001-01']")
    expect(station.locator("img")).to_have_count(1)  # the photo of the posted form
    row = station.locator("tr[data-item='list:2']")
    expect(row).to_contain_text("110")
    expect(row).to_contain_text("100")
    row.locator("button[value=verify]").click()
    page.wait_for_load_state()
    expect(page.locator("section[data-station='KI0001-01'] tr[data-item='list:2']")
           ).to_have_class("state-verified")
    page.locator("#publish-findings button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("section[data-station='KI0001-01'] tr[data-item='list:2']")
           ).to_have_class("state-published")
    page.goto("/observation/findings/")
    finding = page.locator("section[data-organisation='CSO-1'] table.findings tbody tr")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("KI0001-01")
    expect(finding).to_contain_text("110")
    expect(finding).to_contain_text("أصوات القائمة 2")
    assert page.locator("html").get_attribute("dir") == "rtl"
