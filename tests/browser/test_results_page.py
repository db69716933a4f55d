"""The public results page in Chromium, at a phone's width, in Arabic: right to left,
the seat chart drawn by the server (no script), the lists and the elected, nothing
wider than the screen, the files linked, and the chart still there when printed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.elections.models import Contest, PollingStation
from shafaf.entities.models import Candidate, NominationList
from shafaf.entities.synthetic import create_entities
from shafaf.results.adoption import station_result
from shafaf.results.models import FormVote, ResultForm, Source
from shafaf.results.publication import publish
from shafaf.results.settlement import settle

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def published(stations, users) -> str:
    """Kirkuk's six general seats, four stations counted, published as preliminary."""
    create_entities(stations, lists={"IQ-KI": 3}, candidates_per_list=4, numbered=True)
    contest = Contest.objects.get(election=stations, governorate__code="IQ-KI")
    contest.general_seats = 6
    contest.save()
    lists = list(NominationList.objects.filter(contest=contest).order_by("entity__code"))
    for n, station in enumerate(PollingStation.objects.filter(
            centre__governorate=contest.governorate).order_by("code")[:4]):
        votes = {(0, 1): 120 + n, (0, 2): 31, (1, 1): 90, (1, 3): 44 + n, (2, 4): 70,
                 (2, 2): 12}
        valid = sum(votes.values())
        form = ResultForm.objects.create(
            station=station, contest=contest, source=Source.MANUAL, registered=600,
            voted=valid + 5, ballots_received=valid + 55, ballots_in_box=valid + 5,
            ballots_spoiled=5, ballots_unused=45, invalid=5, valid=valid)
        FormVote.objects.bulk_create(
            FormVote(form=form, nomination=lists[li], votes=count,
                     candidate=Candidate.objects.get(nomination=lists[li], position=pos))
            for (li, pos), count in votes.items())
        with transaction.atomic():
            settle(result=station_result(station=station, contest=contest))
    publish(actor=users[Role.ADMIN], contest=contest, stage="preliminary", lot_seed="lot")
    return f"/results/{stations.code}/IQ-KI/"


def test_the_public_results_page_reads_on_a_phone_in_arabic(published: str, page: Any,
                                                            live_server: Any) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/results/gc-2023/")
    page.locator(f'a[href="{published}"]').click()
    page.wait_for_url(f"**{published}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("h1")).to_contain_text("كركوك")
    chart = page.locator(".seat-chart svg").first
    expect(chart).to_be_visible()
    # Six general seats and Kirkuk's component seat, one circle each.
    assert page.locator(".seat-chart svg circle").count() - page.locator(
        ".seat-legend circle").count() == 7
    expect(page.locator(".results-lists tbody tr")).to_have_count(3)
    expect(page.locator(".results-elected tbody tr")).to_have_count(6)
    expect(page.locator("main")).to_contain_text("عُدّت 4 من أصل 12 محطة")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.evaluate("document.scripts.length") == page.evaluate(
        "[...document.scripts].filter(s => s.src).length")  # no inline script
    response = page.request.get(f"{live_server.url}{published}votes.csv")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    page.emulate_media(media="print")
    expect(chart).to_be_visible()
