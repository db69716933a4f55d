"""A campaign request clicked through in Arabic: the register officer enters and
verifies a transfer, the office manager approves and applies it, and the public
status page shows it applied, without the voter's name."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from shafaf.elections.models import Governorate, PollingCentre, RegistrationCentre
from shafaf.register.models import Voter
from shafaf.register.order import stored_sort_key
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign_data(stations, users):
    """The campaign open today, a registration centre and a voter in Kirkuk."""
    today = timezone.localdate()
    stations.calendar.filter(phase="register_update").update(
        starts=today - timedelta(days=1), ends=today + timedelta(days=1))
    kirkuk = Governorate.objects.get(code="IQ-KI")
    RegistrationCentre.objects.create(code="KI-R1", governorate=kirkuk,
                                      name_ar="مركز تسجيل كركوك")
    centre = PollingCentre.objects.get(code="KI0001")
    now = timezone.now()
    Voter.objects.create(
        voter_number="300000001", first_name="سلوى", father_name="علي", grandfather_name="حسين",
        family_name="", mother_name="فاطمة", sex="F", birth_date=date(1985, 4, 4),
        governorate=kirkuk, centre=centre, station=centre.stations.first(), created=now,
        updated=now, sort_key=stored_sort_key("سلوى", "علي", "حسين", "", "300000001"))


def test_a_transfer_from_submission_to_the_public_status(campaign_data, page):
    log_in(page, "register_officer")
    page.goto("/staff/register/requests/new/")
    page.get_by_role("link", name="نقل مركز الاقتراع").click()
    page.select_option("#id_registration_centre", label="مركز تسجيل كركوك")
    page.fill("#id_voter_number", "300000001")
    page.fill("#id_target_centre", "KI0002")
    page.get_by_role("button", name="تقديم الطلب").click()
    page.wait_for_url("**/staff/register/requests/*/")
    assert "قُدّم الطلب." in page.locator(".messages").inner_text()
    number = page.locator("h1 span").inner_text().strip()
    request_url = page.url
    assert page.locator("button[name=approve]").count() == 0
    page.get_by_role("button", name="تدقيق: الوثائق مطابقة").click()
    assert page.locator("dd.state").inner_text() == "مُدقَّق"
    assert page.locator("button[name=verify]").count() == 0

    page.context.clear_cookies()
    log_in(page, "office_manager")
    page.goto(request_url)
    assert page.locator("button[name=verify]").count() == 0
    page.get_by_role("button", name="موافقة").click()
    assert page.locator("dd.state").inner_text() == "مُوافَق عليه"
    page.get_by_label("أؤكد: تغيير السجل وفق ما يطلبه هذا الطلب.").check()
    page.get_by_role("button", name="تطبيق على السجل").click()
    assert page.locator("dd.state").inner_text() == "مُطبَّق"
    assert page.locator("main form button").count() == 0

    page.context.clear_cookies()
    page.goto("/register/request-status/")
    page.fill("#id_number", number)
    page.fill("#id_birth_year", "1985")
    page.locator("main form button[type=submit]").click()
    answer = page.locator(".status-answer").inner_text()
    assert "مُطبَّق" in answer
    assert "سلوى" not in page.content()
    assert page.evaluate("document.documentElement.dir") == "rtl"


@pytest.fixture
def campaign_figures(stations):
    from shafaf.register.campaign_demo import create_requests

    create_requests(stations, 400)


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_the_public_campaign_pages_fit_a_phone(campaign_figures, page, live_server, language):
    page.set_viewport_size({"width": 360, "height": 740})
    page.context.add_cookies([{"name": "shafaf_language", "value": language,
                               "url": live_server.url}])
    for url in ("/register/campaign/", "/register/request-status/"):
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (url, language, overflow)
    page.goto("/register/campaign/")
    assert page.locator("svg.campaign-chart").count() == 3
    assert page.locator("table.campaign-figures").count() == 3
