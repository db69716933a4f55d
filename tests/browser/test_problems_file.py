"""An agent's list file wrong in every row, in a real Chromium: the page lists the first
thousand problems, the agent downloads the whole list as a CSV from the link on the
page, and a spreadsheet bomb is refused with its reason.

The data is made before Playwright starts (see conftest)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.elections.models import Contest
from shafaf.entities.models import Entity, EntityAgent, NominationList
from tests.browser.conftest import log_in
from tests.tabular import hostile

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(stations, users) -> int:
    entity = Entity.objects.create(election=stations, kind="party", code="taqaddum",
                                   name_ar="حزب تقدم", status="approved")
    EntityAgent.objects.create(user=users[Role.ENTITY_AGENT], entity=entity)
    nomination = NominationList.objects.create(
        entity=entity, kind="general",
        contest=Contest.objects.get(election=stations, governorate__code="IQ-KI"))
    return nomination.pk


def upload(page: Any, path: Path) -> None:
    form = page.locator("form:has(input[name=step][value=upload])")
    form.locator("input[type=file]").set_input_files(path)
    form.locator("button[type=submit]").click()


def test_the_agent_downloads_every_problem_of_a_file_wrong_in_every_row(
        draft: int, page: Any, tmp_path: Path) -> None:
    log_in(page, Role.ENTITY_AGENT.value)
    page.goto(f"/staff/nominations/{draft}/")
    bad = tmp_path / "list.csv"
    bad.write_text("position,name_ar,mother_name_ar,sex,date_of_birth,education\n" + "".join(
        f"{n},علي,فاطمة,X,31/02/1980,phd\n" for n in range(1, 1000)), encoding="utf-8")
    upload(page, bad)
    refused = page.locator("section[aria-labelledby=refused]")
    expect(refused).to_contain_text("مشكلات في الملف: 2997")
    expect(refused.locator("li")).to_have_count(1 + 1000 + 3)  # the count, 1,000, 3 reasons

    with page.expect_download() as download:
        refused.get_by_role("link", name="نزّل كل المشكلات (CSV)").click()
    saved = tmp_path / "problems.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8-sig") as f:
        listed = list(csv.reader(f))
    assert listed[0] == ["file", "row", "column", "problem"]
    assert len(listed) == 1 + 2997
    assert {row[2] for row in listed[1:]} == {"sex", "date_of_birth", "education"}


def test_a_spreadsheet_bomb_is_refused_with_its_reason(draft: int, page: Any,
                                                        tmp_path: Path) -> None:
    log_in(page, Role.ENTITY_AGENT.value)
    page.goto(f"/staff/nominations/{draft}/")
    bomb = tmp_path / "list.xlsx"
    bomb.write_bytes(hostile.two_million_rows())
    upload(page, bomb)
    expect(page.locator("section[aria-labelledby=refused]")).to_contain_text(
        "قنبلة ضغط")
