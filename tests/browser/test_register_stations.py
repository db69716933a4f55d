"""The register officer in a real Chromium, in Arabic: the hub, a voter found by a
name typed without its hamza, the voter's page, the centre's page and a station's
voter list downloaded as PDF, with its names in the lists' order.

The data is made before Playwright starts (see conftest)."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from shafaf.access.roles import Role
from shafaf.register import actions
from shafaf.register import stations as stations_module
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

HEADER = ("voter_number,first_name,father_name,grandfather_name,family_name,mother_name,"
          "sex,birth_date,centre_code\n")
NAMES = (("100000001", "أحمد"), ("100000002", "آمنة"), ("100000003", "إبراهيم"),
         ("100000004", "باسم"))


@pytest.fixture
def register(stations):
    rows = "".join(f"{number},{name},كاظم,جواد,الطائي,سعاد حسن,M,1980-05-01,KI0001\n"
                   for number, name in NAMES)
    actions.import_voters(actor=None, election=stations, name="register.csv",
                          content=(HEADER + rows).encode(), today=date(2023, 8, 1))
    return stations_module.assign_stations(actor=None, election=stations)


def test_search_then_the_voter_then_a_stations_list(register, page: Any,
                                                    tmp_path: Path) -> None:
    log_in(page, Role.REGISTER_OFFICER.value)
    page.goto("/staff/register/")
    page.get_by_role("link", name="الناخبون: البحث في السجل").click()
    page.fill("#id_first_name", "احمد")  # typed without the hamza
    page.get_by_role("button", name="بحث").click()
    results = page.locator("table.register-voters")
    expect(results).to_contain_text("أحمد كاظم جواد الطائي")
    assert page.url.endswith("/staff/register/voters/")  # no name in the address
    results.get_by_role("link", name="100000001").click()
    expect(page.locator("h1")).to_contain_text("100000001")
    expect(page.locator("dl.facts")).to_contain_text("سعاد حسن")
    page.locator("dl.facts a").click()
    expect(page.locator("h1")).to_contain_text("KI0001")
    with page.expect_download() as download:
        page.locator("button[data-station='1']").click()
    saved = tmp_path / "list.pdf"
    download.value.save_as(saved)
    text = unicodedata.normalize("NFKC", "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages))
    places = [text.index(f"{name} كاظم") for name in ("إبراهيم", "أحمد", "آمنة", "باسم")]
    assert places == sorted(places)
