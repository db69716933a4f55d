"""The Board cancels a station held at the audit centre, in Chromium: the member of the
Board opens the station's page, gives the reason and presses the button; the page then
says the station is cancelled with the reason, and its count is in no total."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from shafaf.elections.models import Contest, PollingStation
from shafaf.entities.models import NominationList
from shafaf.entities.synthetic import create_entities
from shafaf.results.adoption import station_result
from shafaf.results.models import (
    ContestTotal,
    FormVote,
    Outcome,
    ResultForm,
    Source,
    StationResult,
)
from shafaf.results.settlement import settle
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

REASON = "وُجدت أوراق اقتراع خارج الصندوق."


@pytest.fixture
def held(stations) -> StationResult:
    """Kirkuk's first station, its manual count quarantined: held at the audit centre."""
    create_entities(stations, lists={"IQ-KI": 2}, candidates_per_list=2)
    contest = Contest.objects.get(election=stations, governorate__code="IQ-KI")
    station = PollingStation.objects.get(code="KI0001-01")
    lists = list(NominationList.objects.filter(contest=contest).order_by("entity__code"))
    form = ResultForm.objects.create(
        station=station, contest=contest, source=Source.MANUAL, registered=401, voted=80,
        ballots_received=130, ballots_in_box=80, ballots_spoiled=5, ballots_unused=45,
        invalid=10, valid=70, state="quarantined", errors=["ballot_reconciliation"])
    FormVote.objects.bulk_create([FormVote(form=form, nomination=lists[0], votes=40),
                                  FormVote(form=form, nomination=lists[1], votes=30)])
    with transaction.atomic():
        result = station_result(station=station, contest=contest)
        settle(result=result)
    result.refresh_from_db()
    assert result.outcome == Outcome.AUDIT
    return result


def test_the_board_cancels_a_held_station_by_clicking(held, page) -> None:
    log_in(page, "commissioner")
    page.goto(f"/staff/results/stations/{held.station_id}/")
    form = page.locator("form.cancel-station")
    form.locator("textarea[name=reason]").fill(REASON)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    outcome = page.locator("ul.station-outcome").inner_text()
    assert REASON in outcome
    assert page.locator("form.cancel-station").count() == 0  # nothing left to cancel
    # Playwright runs an event loop in this thread: the database is read from another.
    with ThreadPoolExecutor(1) as other:
        outcome_row, counted = other.submit(_stored, held.pk).result()
    assert outcome_row == (Outcome.CANCELLED, REASON)
    assert not counted


def _stored(pk: int) -> tuple[tuple[str, str], bool]:
    try:
        result = StationResult.objects.get(pk=pk)
        return (result.outcome, result.note), ContestTotal.objects.filter(
            contest_id=result.contest_id, stations_counted__gt=0).exists()
    finally:
        connection.close()


def test_a_clerk_sees_no_cancel_button(held, page) -> None:
    log_in(page, "clerk")
    page.goto(f"/staff/results/stations/{held.station_id}/")
    assert page.locator("ul.station-outcome").count() == 1
    assert page.locator("form.cancel-station").count() == 0
