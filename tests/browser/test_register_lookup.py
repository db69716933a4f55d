"""Where do I vote, in Chromium, in Arabic, on a phone: type the voter number and the
year of birth, submit, read the centre and the station."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from shafaf.elections.models import PollingCentre
from shafaf.register.models import Voter

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def voter(stations) -> Voter:
    centre = PollingCentre.objects.get(code="KI0002")
    centre.address = "شارع الجمهورية، كركوك"
    centre.latitude, centre.longitude = Decimal("35.46806"), Decimal("44.39222")
    centre.save()
    now = timezone.now()
    return Voter.objects.create(
        voter_number="990000000042", first_name="زينب", father_name="علي",
        grandfather_name="حسين", family_name="", mother_name="مريم عباس", sex="F",
        birth_date=date(1990, 3, 4), governorate=centre.governorate, centre=centre,
        station=centre.stations.get(number=2), sort_key="x", created=now, updated=now)


def test_a_voter_finds_the_polling_place_in_arabic_on_a_phone(voter: Voter, page: Any,
                                                                artifacts: Path) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.get_by_role("link", name="أين أنتخب؟").first.click()
    page.wait_for_url("**/register/where/")
    page.get_by_label("رقم الناخب").fill("990000000042")
    page.get_by_label("سنة الميلاد").fill("1990")
    page.get_by_role("button", name="ابحث عن مكان اقتراعي").click()
    answer = page.locator("section.answer")
    answer.wait_for()
    assert "مدرسة 2" in answer.locator("dd.centre").inner_text()
    assert answer.locator("dd.station").inner_text().strip() == "2"
    assert "OpenStreetMap" in answer.inner_text()
    assert "زينب" not in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(artifacts / "register-lookup-ar-phone.png"), full_page=True)
    assert width <= PHONE["width"]

    # A wrong year: the one failure message, the form still there.
    page.get_by_label("رقم الناخب").fill("990000000042")
    page.get_by_label("سنة الميلاد").fill("1991")
    page.get_by_role("button", name="ابحث عن مكان اقتراعي").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "لا يوجد ناخب فعّال" in alert.inner_text()
    assert page.locator("section.answer").count() == 0
