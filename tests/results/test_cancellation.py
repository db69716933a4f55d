"""The Board cancels a station held at the audit centre, with a reason: nothing of it
counts, a complaint's later decision does not lift it, and nobody else may."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import Contest, PollingStation
from shafaf.results import complaints
from shafaf.results.adoption import station_result
from shafaf.results.models import ContestTotal, Outcome, StationCancellation, StationResult
from shafaf.results.settlement import settle
from tests.results.conftest import FormMaker

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(kirkuk: Contest, make_form: FormMaker) -> StationResult:
    """Kirkuk's first station: its manual count quarantined, so at the audit centre."""
    station = PollingStation.objects.filter(centre__governorate=kirkuk.governorate).first()
    assert station is not None
    form = make_form(station, votes={(1, 0): 40, (2, 0): 30})
    form.state, form.errors = "quarantined", ["ballot_reconciliation"]
    form.save()
    with transaction.atomic():
        result = station_result(station=station, contest=kirkuk)
        settle(result=result)
    result.refresh_from_db()
    assert (result.outcome, result.audit_reason) == (Outcome.AUDIT, "quarantine")
    return result


def _signed_in(role: Role, kirkuk: Contest) -> tuple[Client, User]:
    user = User.objects.create_user(username=role.value, password="x" * 12, role=role,
                                    governorate=kirkuk.governorate
                                    if role in (Role.CLERK, Role.OFFICE_MANAGER) else None)
    client = Client()
    client.force_login(user)
    return client, user


def test_the_board_cancels_a_held_station_from_its_page(held: StationResult,
                                                        kirkuk: Contest) -> None:
    board, _user = _signed_in(Role.COMMISSIONER, kirkuk)
    page = board.get(f"/staff/results/stations/{held.station_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Cancel the station" in page.content.decode()
    done = board.post(f"/staff/results/stations/{held.station_id}/cancel/",
                      {"component": "", "reason": "Ballots found outside the box."},
                      HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "The station is cancelled" in done.content.decode()
    held.refresh_from_db()
    assert (held.outcome, held.note, held.adopted_form) == (
        Outcome.CANCELLED, "Ballots found outside the box.", None)
    assert not ContestTotal.objects.filter(contest=kirkuk, stations_counted__gt=0).exists()
    event = AuditEvent.objects.get(action="results.station_cancel")
    assert event.data["reason"] == "Ballots found outside the box."
    # A complaint decided on the station later keeps the cancellation standing.
    assert complaints._standing(held.station)[0].value == "cancel"
    # Once cancelled, the form is offered no more.
    again = board.get(f"/staff/results/stations/{held.station_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Cancel the station" not in again.content.decode()


def test_only_a_held_station_with_a_reason_and_only_by_the_board(
        held: StationResult, kirkuk: Contest, make_form: FormMaker) -> None:
    admin, _ = _signed_in(Role.ADMIN, kirkuk)
    assert "Cancel the station" not in admin.get(
        f"/staff/results/stations/{held.station_id}/").content.decode()
    refused = admin.post(f"/staff/results/stations/{held.station_id}/cancel/",
                         {"component": "", "reason": "no"})
    assert refused.status_code == 403
    board, _ = _signed_in(Role.COMMISSIONER, kirkuk)
    empty = board.post(f"/staff/results/stations/{held.station_id}/cancel/",
                       {"component": "", "reason": "   "}, follow=True)
    assert empty.status_code == 200
    # An adopted station is not at the audit centre: refused, and the page says why.
    other = PollingStation.objects.filter(centre__governorate=kirkuk.governorate)[1]
    make_form(other, votes={(1, 0): 5})
    with transaction.atomic():
        adopted = station_result(station=other, contest=kirkuk)
        settle(result=adopted)
    answer = board.post(f"/staff/results/stations/{other.pk}/cancel/",
                        {"component": "", "reason": "A reason."}, HTTP_ACCEPT_LANGUAGE="en",
                        follow=True)
    assert "Only a station held at the audit centre" in answer.content.decode()
    held.refresh_from_db()
    assert held.outcome == Outcome.AUDIT
    assert not StationCancellation.objects.exists()
    assert StationResult.objects.get(station=other).outcome == Outcome.ADOPTED
