"""Paper entry in Arabic, in Chromium: two clerks enter the same form, it becomes
definitive and the station's page shows it adopted; two clerks enter different values,
the coordinator sees the difference marked and keeps the second entry."""

from __future__ import annotations

from typing import Any

import pytest

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.elections.models import Governorate, PollingStation
from shafaf.entities.models import Candidate, NominationList
from shafaf.entities.synthetic import create_entities
from tests.browser.conftest import log_in
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _values(alone: int) -> dict[str, int]:
    values: dict[str, int] = {}
    valid = 0
    for nomination in NominationList.objects.filter(
            contest__governorate__code="IQ-KI").order_by("entity__code"):
        values[f"l{nomination.pk}"] = alone
        valid += alone
        for candidate in Candidate.objects.filter(nomination=nomination):
            values[f"c{candidate.pk}"] = 2
            valid += 2
    box = valid + 4
    values.update(registered=401, voted=box, ballots_received=box + 20, ballots_in_box=box,
                  ballots_spoiled=3, ballots_unused=17, invalid=4, valid=valid)
    return values


@pytest.fixture
def paper(stations, users) -> dict[str, Any]:
    """Two lists of three candidates in Kirkuk, a second clerk, and the values each
    clerk types (the second's list-alone votes differ by one in ``differ``)."""
    create_entities(stations, lists={"IQ-KI": 2}, candidates_per_list=3)
    User.objects.create_user(username="clerk2", password=PASSWORD, role=Role.CLERK,
                             governorate=Governorate.objects.get(code="IQ-KI"))
    return {"station": PollingStation.objects.get(code="KI0001-01").pk,
            "same": _values(30), "differ": _values(31)}


def _fits_a_phone(page: Any) -> None:
    """At 360 pixels wide nothing makes the page scroll sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size(size)


def _enter(page: Any, clerk: str, values: dict[str, int]) -> None:
    page.context.clear_cookies()
    log_in(page, clerk)
    page.goto("/staff/results/")
    page.get_by_role("link", name="الإدخال الورقي").click()
    page.wait_for_url("**/staff/results/entry/")
    page.get_by_label("رمز محطة الاقتراع").fill("KI0001-01")
    page.get_by_role("button", name="افتح الاستمارة").click()
    # The form opens on a new page: measure it once it has loaded, not the one leaving.
    page.wait_for_url("**/staff/results/entry/?station=*")
    _fits_a_phone(page)
    for name, value in values.items():
        field = page.locator(f"input[name='{name}']")
        assert field.input_value() == ""  # nothing of the other clerk's entry shows
        field.fill(str(value))
    page.get_by_role("button", name="احفظ الإدخال").click()
    page.wait_for_url("**/staff/results/entry/?done=*")
    assert "حُفظ الإدخال" in page.locator("body").inner_text()


def test_two_clerks_enter_the_same_form_and_it_is_adopted(paper, page):
    _enter(page, "clerk", paper["same"])
    _enter(page, "clerk2", paper["same"])
    page.get_by_role("link", name="نتائج المحطة").click()
    page.wait_for_url(f"**/staff/results/stations/{paper['station']}/")
    outcome = page.locator("ul.station-outcome").inner_text()
    assert "معتمدة" in outcome, outcome  # adopted
    assert "المعتمد: العدّ اليدوي" in outcome, outcome  # the manual count is the one counted


def test_the_coordinator_resolves_two_entries_that_differ(paper, page):
    _enter(page, "clerk", paper["same"])
    _enter(page, "clerk2", paper["differ"])
    assert "الإدخالان مختلفان" in page.locator("body").inner_text()
    page.context.clear_cookies()
    log_in(page, "office_manager")
    page.goto("/staff/results/")
    page.get_by_role("link", name="إدخالات مختلفة").click()
    page.wait_for_url("**/staff/results/entry/differences/")
    page.get_by_role("link", name="KI0001-01").click()
    page.wait_for_url("**/staff/results/entry/*/")
    _fits_a_phone(page)
    marked = page.locator("table.entries mark").all_inner_texts()
    assert {"30", "31"} <= set(marked)
    assert "401" not in marked  # registered voters: the same in both, not marked
    page.get_by_role("button", name="اعتماد الإدخال الثاني").click()
    page.wait_for_url("**/staff/results/entry/*/")
    text = page.locator("main").inner_text()
    assert "نهائي" in text
    assert "اعتماد الإدخال الثاني" not in text  # nothing more to resolve
