"""Adoption keeps the running totals equal to the sum of the adopted forms, whatever
forms are adopted, replaced or withdrawn, and in whatever order."""

from __future__ import annotations

import random

import pytest
from django.db import transaction
from django.db.models import Sum

from shafaf.elections.models import Contest, PollingStation
from shafaf.results.adoption import adopt, station_result
from shafaf.results.models import (
    ContestTotal,
    FormState,
    FormVote,
    Outcome,
    ResultForm,
    Source,
    StationResult,
    VoteTotal,
)
from tests.results.conftest import FormMaker

pytestmark = pytest.mark.django_db(transaction=True)


def _totals(contest: Contest) -> dict[tuple[int, int], int]:
    return {(t.nomination_id, t.candidate_key): t.votes
            for t in VoteTotal.objects.filter(contest=contest) if t.votes}


def _summed(contest: Contest) -> dict[tuple[int, int], int]:
    """The totals the slow way: every adopted form's rows summed."""
    rows = (FormVote.objects.filter(form__adopted_for__contest=contest)
            .values("nomination_id", "candidate_id").annotate(total=Sum("votes")))
    return {(r["nomination_id"], r["candidate_id"] or 0): r["total"] for r in rows
            if r["total"]}


def _adopt(station: PollingStation, contest: Contest, form: ResultForm | None) -> None:
    with transaction.atomic():
        result = station_result(station=station, contest=contest)
        adopt(result=result, form=form,
              outcome=Outcome.ADOPTED if form else Outcome.AUDIT,
              audit_reason="" if form else "difference")


def test_adopting_replacing_and_withdrawing_a_form_moves_the_totals(
        kirkuk: Contest, make_form: FormMaker) -> None:
    station = PollingStation.objects.filter(centre__governorate__code="IQ-KI").first()
    assert station is not None
    manual = make_form(station, votes={(1, 0): 40, (1, 1): 25, (2, 2): 30})
    _adopt(station, kirkuk, manual)
    assert sorted(_totals(kirkuk).values()) == [25, 30, 40]
    total = ContestTotal.objects.get(contest=kirkuk, component="")
    assert (total.stations_counted, total.valid, total.invalid) == (1, 95, 10)

    # The audit centre's recount replaces the manual count: its numbers replace them.
    manual.state = FormState.SUPERSEDED
    manual.save()
    recount = make_form(station, source=Source.AUDIT, votes={(1, 0): 41, (3, 1): 7})
    _adopt(station, kirkuk, recount)
    assert _totals(kirkuk) == _summed(kirkuk)
    assert sorted(_totals(kirkuk).values()) == [7, 41]
    assert ContestTotal.objects.get(contest=kirkuk).stations_counted == 1

    # Withdrawn (sent to audit, or cancelled): nothing of the station counts.
    _adopt(station, kirkuk, None)
    assert _totals(kirkuk) == {}
    total = ContestTotal.objects.get(contest=kirkuk)
    assert (total.stations_counted, total.valid, total.registered) == (0, 0, 0)
    assert StationResult.objects.get(station=station).outcome == Outcome.AUDIT


def test_totals_equal_the_sum_of_adopted_forms_in_any_order(
        kirkuk: Contest, make_form: FormMaker) -> None:
    rng = random.Random(11)  # noqa: S311 - a test's order, not a secret
    stations = list(PollingStation.objects.filter(centre__governorate__code="IQ-KI"))
    forms = {station.pk: [make_form(station, source=source, votes={
        (rng.randint(1, 3), rng.randint(0, 4)): rng.randint(0, 90) for _ in range(6)})
        for source in (Source.ELECTRONIC, Source.MANUAL)] for station in stations}
    for _step in range(40):
        station = rng.choice(stations)
        _adopt(station, kirkuk, rng.choice([*forms[station.pk], None]))
        assert _totals(kirkuk) == _summed(kirkuk)
    counted = StationResult.objects.filter(contest=kirkuk, adopted_form__isnull=False).count()
    assert ContestTotal.objects.get(contest=kirkuk).stations_counted == counted


def test_a_form_of_another_station_is_refused(kirkuk: Contest, make_form: FormMaker) -> None:
    first, second = PollingStation.objects.filter(centre__governorate__code="IQ-KI")[:2]
    form = make_form(second, votes={(1, 0): 3})
    with pytest.raises(ValueError, match="another station"), transaction.atomic():
        adopt(result=station_result(station=first, contest=kirkuk), form=form,
              outcome=Outcome.ADOPTED)
