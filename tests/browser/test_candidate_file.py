"""An entity's agent fills its list from a file in a real Chromium, in Arabic as an
Iraqi agent's browser is: downloads the template from the list page, uploads it back
as it is (Arabic headers, the app's Arabic labels, a day-first date) and sees the
candidate; uploads a file with a bad row and sees its problem once, the list
unchanged.

The data is made before Playwright starts (see conftest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.elections.models import Contest
from shafaf.entities.models import Entity, EntityAgent, NominationList
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(stations, users) -> int:
    """An approved party whose agent has an empty draft list in Kirkuk."""
    entity = Entity.objects.create(election=stations, kind="party", code="taqaddum",
                                   name_ar="حزب تقدم", status="approved")
    EntityAgent.objects.create(user=users[Role.ENTITY_AGENT], entity=entity)
    nomination = NominationList.objects.create(
        entity=entity, kind="general",
        contest=Contest.objects.get(election=stations, governorate__code="IQ-KI"))
    return nomination.pk


def test_the_template_goes_back_filled_in_and_a_bad_row_is_shown_once(
        draft: int, page: Any, tmp_path: Path) -> None:
    log_in(page, Role.ENTITY_AGENT.value)
    page.goto(f"/staff/nominations/{draft}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="النموذج (XLSX)").click()
    template = tmp_path / "candidates.xlsx"
    download.value.save_as(template)

    upload = page.locator("form:has(input[name=step][value=upload])")
    upload.locator("input[type=file]").set_input_files(template)
    upload.locator("button[type=submit]").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("محمد علي حسين جاسم")
    expect(rows.first).to_contain_text("2 آذار 1980")  # the date as the page writes it

    bad = tmp_path / "list.csv"
    bad.write_text("الترتيب,الاسم الرباعي,اسم الأم,الجنس,تاريخ الميلاد,التحصيل الدراسي\n"
                   "1,علي حسن,فاطمة,ذكر,31/02/1980,بكالوريوس\n", encoding="utf-8")
    upload = page.locator("form:has(input[name=step][value=upload])")
    upload.locator("input[type=file]").set_input_files(bad)
    upload.locator("button[type=submit]").click()
    problem = page.get_by_text("list.csv, الصف 2, العمود date_of_birth")
    expect(problem).to_have_count(1)
    expect(page.locator("section[aria-labelledby=refused]")).to_contain_text("مشكلات في الملف: 1")
    expect(page.locator("main table tbody tr")).to_have_count(1)  # the list as it was
    expect(page.locator("main table tbody tr").first).to_contain_text("محمد علي حسين جاسم")
