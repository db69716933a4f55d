"""Accreditation clicked through in Chromium: an organisation applies on the public
page, the commission approves it, its coordinator signs in with the one-time
password, adds an observer, the commission accredits them, the coordinator gives the
observer a password, the observer accepts the code of conduct, the coordinator
prints the badge PDF, and its code is verified on the public page."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.observation.conftest import organisation  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def registered_voter(stations):
    from shafaf.elections.models import PollingCentre
    from shafaf.register.models import Voter

    centre = PollingCentre.objects.get(code="KI0001")
    now = timezone.now()
    return Voter.objects.create(
        voter_number="100000000001", first_name="علي", father_name="حسن",
        grandfather_name="كاظم", family_name="", mother_name="زينب", sex="M",
        birth_date=date(1990, 4, 12), governorate_id=centre.governorate_id, centre=centre,
        sort_key="1", created=now, updated=now)


def sign_in(page: Any, username: str, password: str, new_password: str) -> None:
    """A first sign-in with a one-time password: the password is replaced at once."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/password/**")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/**")


def log_out(page: Any) -> None:
    page.locator("form[action='/accounts/logout/'] button").click()


def test_apply_approve_add_accredit_print_and_verify(registered_voter, page: Any) -> None:
    import pypdf
    import zxingcpp
    from PIL import Image

    # An organisation applies, with no account.
    page.goto("/observation/apply/")
    page.select_option("#id_election", index=1)
    page.select_option("#id_kind", "local")
    page.fill("#id_name_ar", "شبكة المراقبين")
    page.fill("#id_name_en", "Observers Network")
    page.fill("#id_registration_number", "NGO-77")
    page.locator("label", has_text="كركوك").locator("input").check()
    page.fill("#id_contact_name", "سارة")
    page.fill("#id_contact_email", "sara@example.org")
    page.locator("#apply button[type=submit]").click()
    expect(page.locator("#applied")).to_contain_text("شبكة المراقبين")

    # The commission approves it: the coordinator's one-time password is shown once.
    log_in(page, "admin")
    page.goto("/staff/observation/organisations/")
    row = page.locator("#organisations tr", has_text="شبكة المراقبين")
    row.locator("form:has(input[value=approve]) button").click()
    username = page.locator("#username").inner_text().strip()
    password = page.locator("#password").inner_text().strip()
    assert username.startswith("cso-")
    log_out(page)

    # The coordinator signs in, replaces the password and adds an observer.
    sign_in(page, username, password, "the-coordinators-own-9")
    page.goto("/staff/observation/observers/")
    page.locator("summary").first.click()
    page.fill("#id_full_name", "علي حسن كاظم")
    page.fill("#id_voter_number", "100000000001")
    page.fill("#id_birth_date", "1990-04-12")
    page.select_option("#id_sex", "M")
    page.fill("#id_governorate", "IQ-KI")
    page.locator("#add-observer button[type=submit]").click()
    expect(page.locator("#observers")).to_contain_text("علي حسن كاظم")
    log_out(page)

    # The commission's queue shows the checks passed; it accredits the observer.
    log_in(page, "admin")
    page.goto("/staff/observation/accreditation/")
    queued = page.locator("#queue tr", has_text="علي حسن كاظم")
    expect(queued).to_have_class("passes")
    queued.locator("input[type=checkbox]").check()
    page.locator("#accredit button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    log_out(page)

    # The coordinator gives the observer a one-time password.
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "the-coordinators-own-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/**")
    page.goto("/staff/observation/observers/")
    page.locator("#observers a", has_text="علي حسن كاظم").click()
    page.locator("#give-password").click()
    observer_name = page.locator("#username").inner_text().strip()
    observer_password = page.locator("#password").inner_text().strip()
    observer_page = page.url
    log_out(page)

    # The observer accepts the code of conduct.
    sign_in(page, observer_name, observer_password, "the-observers-own-9")
    page.goto("/observe/conduct/")
    page.locator("#accept").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#accepted")).to_be_visible()
    log_out(page)

    # The coordinator prints the badge: the PDF has the name, the code and the QR code.
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "the-coordinators-own-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/**")
    page.goto(observer_page)
    href = page.locator("#badge-pdf").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    pdf = pypdf.PdfReader(io.BytesIO(response.body()))
    first = pdf.pages[0]
    scanned = [r.text for image in first.images
               for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))]
    assert len(scanned) == 1
    assert "/verify/badge/" in scanned[0]
    code = scanned[0].rstrip("/").rsplit("/", 1)[1]
    from shafaf.core.badge_codes import shown

    assert shown(code) in first.extract_text()

    # Anyone verifies it on the public page, typing the code as printed.
    log_out(page)
    page.goto("/verify/badge/")
    page.fill("#code", shown(code).lower())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#name")).to_have_text("علي حسن كاظم")
    expect(page.locator("#verdict")).to_be_visible()


@pytest.fixture
def many_badges(organisation, monkeypatch, settings, tmp_path) -> list[str]:  # noqa: F811
    """Three accredited observers with their badges, counted as a large organisation."""
    from datetime import UTC, datetime, timedelta

    from shafaf.elections.models import Governorate
    from shafaf.observation import badge_job, codes
    from shafaf.observation.models import Badge, Observer, ObserverStatus

    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(badge_job, "IN_REQUEST", 2)
    now = datetime.now(UTC)
    made = []
    for n, name in enumerate(("زينب علي", "حسن كاظم", "مريم جاسم")):
        one = Observer.objects.create(
            organisation=organisation, full_name=name, birth_date=date(1990, 1, 1 + n),
            sex="F", governorate=Governorate.objects.get(code="IQ-KI"),
            status=ObserverStatus.ACCREDITED, conduct_accepted=now)
        made.append(Badge.objects.create(observer=one, code=codes.new_code(), issued=now,
                                         expires=now + timedelta(days=30)).code)
    return made


def test_a_large_organisations_badges_are_prepared_then_downloaded(
        many_badges, worker_go, page: Any) -> None:
    import pypdf

    from shafaf.core.badge_codes import shown

    log_in(page, "cso_coordinator")
    page.goto("/staff/observation/observers/")
    page.get_by_role("link", name="كل الباجات (PDF)").click()
    expect(page.locator("main .lead")).to_contain_text("3")
    page.get_by_role("button", name="حضّر ملف الباجات").click()
    page.wait_for_url("**/staff/jobs/*/")
    worker_go.set()
    expect(page.locator("#job .notice")).to_contain_text("منظمة", timeout=60_000)
    with page.expect_download() as download:
        page.locator("#job a", has_text="متابعة").click()
    pdf = pypdf.PdfReader(download.value.path())
    assert len(pdf.pages) == 3
    text = "".join(p.extract_text() for p in pdf.pages)
    assert all(shown(code) in text for code in many_badges)
