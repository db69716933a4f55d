"""The exhibition in Arabic, in Chromium: an agent objects to a centre's entry, the
Kirkuk office manager upholds it and applies it, and the decision is on the public
page, with its reason and no name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shafaf.elections.models import CalendarPhase, Phase
from shafaf.register import actions
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

REGISTER = (
    "voter_number,first_name,father_name,grandfather_name,family_name,mother_name,sex,"
    "birth_date,centre_code\n"
    "100000001,أحمد,علي,حسين,الجبوري,فاطمة كاظم,M,1980-05-01,KI0001\n"
    "100000002,زينب,محمد,جاسم,,مريم عباس,F,1990-12-31,KI0001\n")


@pytest.fixture
def on_display(stations):
    today = timezone.localdate()
    CalendarPhase.objects.create(election=stations, phase=Phase.REGISTER_EXHIBITION,
                                 starts=today - timedelta(days=3),
                                 ends=today + timedelta(days=3))
    actions.import_voters(actor=None, election=stations, name="register.csv",
                          content=REGISTER.encode(), today=today - timedelta(days=30))
    return stations


def test_an_objection_filed_upheld_and_published_in_arabic(on_display, page):
    log_in(page, "entity_agent")
    page.goto("/register/exhibition/IQ-KI/KI0001/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    row = page.locator("tr", has_text="زينب")
    assert "مريم" not in row.inner_text()
    row.locator("a").click()
    page.select_option("#id_ground", "deceased")
    page.fill("#id_statement", "توفيت في شباط")
    page.locator("main form button[type=submit]").click()
    page.locator("p.filed").wait_for()

    page.context.clear_cookies()
    log_in(page, "office_manager")
    page.goto("/staff/register/objections/")
    page.locator("table.objections a").first.click()
    page.fill("#id_reason", "شهادة وفاة صادرة من دائرة الصحة")
    page.locator("button[value=uphold]").click()
    page.locator("button[value=apply]").click()
    page.locator("h1", has_text="مقبول ومُطبَّق").wait_for()

    page.context.clear_cookies()
    page.goto("/register/exhibition/decisions/")
    decisions = page.locator("table.objection-decisions").inner_text()
    assert "شهادة وفاة صادرة من دائرة الصحة" in decisions
    assert "مقبول ومُطبَّق" in decisions
    assert "زينب" not in decisions
    assert "KI0001" in decisions
