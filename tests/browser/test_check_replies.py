"""A governorate office's reviewer enters the ministries' replies in a real Chromium:
from a list under review, the link to the replies page; the sheet of awaited replies
downloaded, filled in (in Arabic, as the sheet comes) and uploaded back; every check
then shows on the candidate's page.

The data is made before Playwright starts (see conftest)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.elections.models import Contest, Governorate
from shafaf.entities.models import Candidate, Entity, NominationList
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def in_review(stations, users) -> dict[str, int]:
    """A Kirkuk list under review with two candidates."""
    entity = Entity.objects.create(election=stations, kind="party", code="taqaddum",
                                   name_ar="حزب تقدم", status="approved")
    nomination = NominationList.objects.create(
        entity=entity, kind="general", status="under_review",
        contest=Contest.objects.get(election=stations, governorate__code="IQ-KI"))
    kirkuk = Governorate.objects.get(code="IQ-KI")
    first, _second = (Candidate.objects.create(
        nomination=nomination, position=n, name_ar=name, mother_name_ar="فاطمة", sex=sex,
        date_of_birth=date(1975, 1, n), education="bachelor", governorate=kirkuk)
        for n, name, sex in ((1, "علي حسين محمد جاسم", "M"), (2, "زينب علي حسن كاظم", "F")))
    return {"list": nomination.pk, "first": first.pk}


def test_the_reviewer_fills_in_the_awaited_sheet_and_every_check_is_recorded(
        in_review: dict[str, int], page: Any, tmp_path: Path) -> None:
    log_in(page, Role.OFFICE_MANAGER.value)
    page.goto(f"/staff/nominations/{in_review['list']}/")
    page.get_by_role("link", name="إدخال ردود الوزارات على الفحوص الخارجية من ملف").click()
    expect(page.locator("h1")).to_have_text("ردود الفحوص الخارجية")
    with page.expect_download() as download:
        page.get_by_role("link", name="الردود المنتظرة (XLSX)").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book.worksheets[0]
    assert sheet.max_row == 1 + 2 * 3  # two candidates, three checks each
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 4, "اجتاز الفحص")
        sheet.cell(row, 5, f"كتاب الوزارة {row}/2023")
    filled = tmp_path / "ردود.xlsx"
    book.save(filled)

    page.locator("main form input[type=file]").set_input_files(filled)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("سُجّلت كل الردود الواردة في الملف.")
    page.goto(f"/staff/candidates/{in_review['first']}/")
    checks = page.locator("main table").first
    expect(checks).to_contain_text("كتاب الوزارة 2/2023")
    expect(checks).not_to_contain_text("بانتظار الرد")  # no check awaits its answer
