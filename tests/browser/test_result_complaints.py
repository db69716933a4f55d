"""A complaint on the count in Arabic, in Chromium: an agent files it against a
station, the Board classes it red and orders a recount, and the station's outcome on
the complaint's page says it is at the audit centre."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from shafaf.elections.models import Contest, PollingStation
from shafaf.entities.synthetic import create_entities
from shafaf.results.adoption import station_result
from shafaf.results.forms import VoteRow, record_form
from shafaf.results.models import Source
from shafaf.results.settlement import settle
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def counted(stations):
    """Polling day is today; station KI0001-01 is counted twice and adopted."""
    stations.polling_day = timezone.localdate()
    stations.save(update_fields=["polling_day"])
    create_entities(stations, lists={"IQ-KI": 2}, candidates_per_list=3, numbered=True)
    contest = Contest.objects.get(election=stations, governorate__code="IQ-KI")
    station = PollingStation.objects.get(code="KI0001-01")
    lists = list(contest.lists.order_by("pk"))
    numbers = {"registered": 401, "voted": 310, "ballots_received": 400,
               "ballots_in_box": 310, "ballots_spoiled": 0, "ballots_unused": 90,
               "invalid": 10, "valid": 300}
    for source in (Source.ELECTRONIC, Source.MANUAL):
        with transaction.atomic():
            record_form(station=station, contest=contest, source=source, numbers=numbers,
                        votes=[VoteRow(nomination_id=lists[0].pk, candidate_id=None, votes=200),
                               VoteRow(nomination_id=lists[1].pk, candidate_id=None,
                                       votes=100)])
            settle(result=station_result(station=station, contest=contest))
    return stations


def test_an_agent_complains_and_the_board_orders_a_recount(counted, page):
    log_in(page, "entity_agent")
    page.goto("/staff/results/complaints/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#id_place", "KI0001-01")
    page.select_option("#id_ground", "count_error")
    page.fill("#id_statement", "غُيّرت ورقة العدّ بعد خروج الوكلاء")
    page.locator("main form button[type=submit]").click()
    page.locator("h1", has_text="RC-").wait_for()
    assert "مقدَّمة، بانتظار مجلس المفوضين" in page.locator("h1").inner_text()
    assert page.locator("table.station-results td.outcome").inner_text() == "معتمدة"

    page.context.clear_cookies()
    log_in(page, "commissioner")
    page.goto("/staff/results/complaints/")
    page.locator("table.complaints a").first.click()
    page.fill("#id_reason", "قد تؤثر في نتيجة المحطة")
    page.locator("button[value=class_red]").click()
    page.locator("h1", has_text="حمراء").wait_for()
    page.fill("#id_reason", "يُعاد العدّ في مركز التدقيق")
    page.locator("button[value=recount]").click()
    page.locator("h1", has_text="أمر مجلس المفوضين بإعادة العدّ").wait_for()
    outcome = page.locator("table.station-results td.outcome").inner_text()
    assert "في مركز التدقيق" in outcome
    assert "إعادة العدّ في مركز التدقيق" in page.locator("table.station-results").inner_text()
    # The page fits a phone: nothing scrolls sideways at 360 pixels.
    page.set_viewport_size({"width": 360, "height": 740})
    for url in (page.url, "/staff/results/complaints/", "/results/complaints/decisions/",
                "/results/complaints/new/"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (url, width)
