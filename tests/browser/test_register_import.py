"""The register's import page in a real Chromium, in Arabic: a bad register file ends
in its problems on the job's page and a downloadable file of every reject; a good one
waits in the queue with its progress bar, then shows its summary.

The data is made before Playwright starts (see conftest); the worker runs in a
thread of its own, started once the job's page is shown."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

HEADER = ("voter_number,first_name,father_name,grandfather_name,family_name,mother_name,"
          "sex,birth_date,centre_code\n")
GOOD = HEADER + (
    "100000001,أحمد,علي,حسين,الجبوري,فاطمة كاظم,M,1980-05-01,KI0001\n"
    "100000002,زينب,محمد,جاسم,,مريم عباس,F,1990-12-31,KI0001\n"
    "100000003,إبراهيم,خليل,عبد الله,التميمي,سعاد حسن,M,1975-01-15,BA0001\n")
BAD_ROWS = 1200
BAD = GOOD + "".join(f"{200000000 + i},علي,علي,حسين,,فاطمة,Q,1980-01-01,KI0001\n"
                     for i in range(BAD_ROWS))


def submit(page: Any, path: Path) -> None:
    page.goto("/staff/register/import/")
    page.locator("input[name=what][value=voters]").check()
    page.locator("input[type=file]").set_input_files(path)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/jobs/*/")


def test_a_bad_file_then_a_good_one(worker_go, page, tmp_path):
    bad, good = tmp_path / "سجل-خاطئ.csv", tmp_path / "register.csv"
    bad.write_text(BAD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    log_in(page, "admin")
    page.goto("/staff/register/")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.locator("a[href='/staff/register/import/']").click()
    expect(page.locator("h1")).to_have_text("الاستيراد إلى سجل الناخبين")

    # The bad file: queued, then refused with its problems and the file of rejects.
    submit(page, bad)
    expect(page.locator("#job-bar")).to_be_visible()
    worker_go.set()
    problems = page.locator("#job .errors")
    expect(problems).to_contain_text("Q ليست F ولا M", timeout=60_000)
    with page.expect_download() as download:
        page.locator("#job a[download]").click()
    with Path(download.value.path()).open(encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))[1:]
    assert len(rows) == BAD_ROWS
    assert rows[0][1:3] == ["5", "sex"]

    # The good file: its progress bar while it waits and runs, then its summary.
    submit(page, good)
    summary = page.locator("#job .notice")
    expect(summary).to_contain_text("register.csv", timeout=60_000)
    expect(page.locator("#job-bar")).to_have_count(0)
    expect(page.locator("#job a", has_text="متابعة")).to_have_count(1)
