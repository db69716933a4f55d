"""Recording forms and settling a station: the right count is adopted, and the totals
follow it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import transaction

from shafaf.elections.models import Contest, PollingStation
from shafaf.entities.models import NominationList
from shafaf.results.adoption import station_result
from shafaf.results.forms import VoteRow, record_form
from shafaf.results.models import (
    BoardOrder,
    ContestTotal,
    FormState,
    Outcome,
    ResultForm,
    Source,
    StationResult,
    VoteTotal,
)
from shafaf.results.settlement import settle, transmission_deadline

pytestmark = pytest.mark.django_db


def _numbers(valid: int, *, invalid: int = 10) -> dict[str, int]:
    box = valid + invalid
    return {"registered": 2000, "voted": box, "ballots_received": box + 100,
            "ballots_in_box": box, "ballots_spoiled": 0, "ballots_unused": 100,
            "invalid": invalid, "valid": valid}


def _record(contest: Contest, station: PollingStation, source: Source,
            a: int, b: int, **numbers: int) -> ResultForm:
    lists = list(NominationList.objects.filter(contest=contest).order_by("entity__code"))
    with transaction.atomic():
        return record_form(station=station, contest=contest, source=source,
                           numbers={**_numbers(a + b), **numbers},
                           votes=[VoteRow(nomination_id=lists[0].pk, candidate_id=None, votes=a),
                                  VoteRow(nomination_id=lists[1].pk, candidate_id=None, votes=b)])


def _settle(contest: Contest, station: PollingStation, *, now: datetime | None = None
            ) -> StationResult:
    with transaction.atomic():
        result = station_result(station=station, contest=contest)
        settle(result=result, now=now)
    return StationResult.objects.get(pk=result.pk)


def _list_total(contest: Contest) -> int:
    return sum(VoteTotal.objects.filter(contest=contest).values_list("votes", flat=True))


def test_electronic_then_manual_within_five_per_cent(kirkuk: Contest) -> None:
    station = PollingStation.objects.filter(centre__governorate=kirkuk.governorate).first()
    assert station is not None
    _record(kirkuk, station, Source.ELECTRONIC, 600, 400)
    result = _settle(kirkuk, station)
    assert (result.outcome, result.adopted_form.source) == (Outcome.ADOPTED, Source.ELECTRONIC)
    manual = _record(kirkuk, station, Source.MANUAL, 620, 400)
    result = _settle(kirkuk, station)
    assert result.adopted_form == manual
    assert _list_total(kirkuk) == 1020
    assert ContestTotal.objects.get(contest=kirkuk).valid == 1020


def test_five_per_cent_apart_sends_the_station_to_audit_and_out_of_the_totals(
        kirkuk: Contest) -> None:
    station = PollingStation.objects.filter(centre__governorate=kirkuk.governorate).first()
    assert station is not None
    _record(kirkuk, station, Source.ELECTRONIC, 650, 400)
    _record(kirkuk, station, Source.MANUAL, 600, 400)
    result = _settle(kirkuk, station)
    assert (result.outcome, result.audit_reason, result.adopted_form) == (
        Outcome.AUDIT, "difference", None)
    assert _list_total(kirkuk) == 0
    _record(kirkuk, station, Source.AUDIT, 640, 400)
    assert _settle(kirkuk, station).adopted_form.source == Source.AUDIT
    assert _list_total(kirkuk) == 1040


def test_a_form_with_an_error_is_quarantined_and_a_correction_supersedes_it(
        kirkuk: Contest) -> None:
    station = PollingStation.objects.filter(centre__governorate=kirkuk.governorate).first()
    assert station is not None
    bad = _record(kirkuk, station, Source.MANUAL, 600, 400, valid=999)
    assert (bad.state, bad.errors) == (FormState.QUARANTINED,
                                      ["box_vs_counted", "valid_vs_votes"])
    assert _settle(kirkuk, station).audit_reason == "quarantine"
    _record(kirkuk, station, Source.MANUAL, 600, 400)
    bad.refresh_from_db()
    assert bad.state == FormState.SUPERSEDED
    assert _settle(kirkuk, station).outcome == Outcome.ADOPTED


def test_late_and_cancelled(kirkuk: Contest) -> None:
    station = PollingStation.objects.filter(centre__governorate=kirkuk.governorate).first()
    assert station is not None
    deadline = transmission_deadline(kirkuk.election, station)
    assert _settle(kirkuk, station, now=deadline - timedelta(minutes=1)).audit_reason == ""
    assert _settle(kirkuk, station, now=deadline + timedelta(minutes=1)).audit_reason == "late"
    _record(kirkuk, station, Source.MANUAL, 5, 5)
    result = _settle(kirkuk, station, now=deadline + timedelta(hours=1))
    assert (result.outcome, result.audit_reason) == (Outcome.ADOPTED, "late")
    StationResult.objects.filter(pk=result.pk).update(board_order=BoardOrder.CANCEL)
    assert _settle(kirkuk, station).outcome == Outcome.CANCELLED
    assert _list_total(kirkuk) == 0
