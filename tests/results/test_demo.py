"""The demo's results: the bulk path equals record_form and settle; Anbar's counts add
up to the official 2023 totals and give the official seats; the Kurdistan Region
Parliament 2024 is set up with its constituencies, stations and settled results."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.db import transaction

from shafaf.audit.models import AuditEvent
from shafaf.core import laws
from shafaf.core.allocation import Allocation, allocate
from shafaf.core.contest import Contest as CoreContest
from shafaf.core.contest import ElectoralList, ListId
from shafaf.elections.models import Contest, PollingStation
from shafaf.entities.demo import ANBAR, anbar_lists
from shafaf.entities.demo_krg import create_krg_2024
from shafaf.entities.models import NominationList
from shafaf.entities.synthetic import create_named_entities
from shafaf.results import demo
from shafaf.results.models import (
    ContestTotal,
    FormVote,
    ResultForm,
    StationResult,
    VoteTotal,
)
from tests.web.conftest import _stations_in


def _snapshot() -> dict[str, list[tuple]]:
    """Everything a user could notice of the results, without the rows' ids."""
    forms = {f.pk: f for f in ResultForm.objects.select_related("station")}
    return {
        "forms": sorted((f.station.code, f.source, f.state, tuple(f.errors), tuple(f.warnings),
                         f.registered, f.voted, f.ballots_received, f.ballots_in_box,
                         f.ballots_spoiled, f.ballots_unused, f.invalid, f.valid)
                        for f in forms.values()),
        "votes": sorted((forms[v.form_id].station.code, forms[v.form_id].source,
                         v.nomination_id, v.candidate_id or 0, v.votes)
                        for v in FormVote.objects.all()),
        "results": sorted((r.station.code, r.component, r.outcome, r.audit_reason,
                           r.adopted_form.source if r.adopted_form else "")
                          for r in StationResult.objects.select_related("station",
                                                                        "adopted_form")),
        "totals": sorted(VoteTotal.objects.values_list(
            "contest_id", "component", "nomination_id", "candidate_key", "votes")),
        "contest": sorted(ContestTotal.objects.values_list(
            "contest_id", "component", "stations_counted", "registered", "voted",
            "ballots_in_box", "invalid", "valid")),
    }


class _Undo(Exception):
    pass


def test_the_bulk_path_leaves_what_record_form_and_settle_leave(kirkuk):
    counts = list(demo.contest_counts(kirkuk))
    now = demo.settled_time(kirkuk.election)
    try:
        with transaction.atomic():
            demo.record_each(counts, now=now)
            one_by_one = _snapshot()
            raise _Undo
    except _Undo:
        pass
    assert not ResultForm.objects.exists()
    demo.record_in_bulk(counts, now=now)
    assert _snapshot() == one_by_one
    # The comparison covers every outcome the demo shows.
    assert {(code, outcome, reason, adopted) for code, _c, outcome, reason, adopted
            in one_by_one["results"] if outcome != "adopted" or reason} == {
        ("KI0001-03", "audit", "difference", ""),
        ("KI0002-01", "audit", "quarantine", ""),
        ("KI0002-03", "adopted", "late", "manual")}
    assert len(one_by_one["forms"]) == 2 * 12 - 1  # the late station sent nothing


def test_the_bulk_path_refuses_stations_that_already_have_results(kirkuk):
    counts = list(demo.contest_counts(kirkuk))
    demo.record_in_bulk(counts, now=demo.settled_time(kirkuk.election))
    with pytest.raises(ValueError, match="no results yet"):
        demo.record_in_bulk(counts, now=demo.settled_time(kirkuk.election))


def _seats(contest: Contest, votes: dict[str, int]) -> dict[str, int]:
    law = laws.get(contest.election.law)
    result = allocate(CoreContest(
        seats=law.districts[contest.governorate.code].general_seats,
        lists=tuple(ElectoralList(list_id=ListId(code), votes=v) for code, v in votes.items())),
        rules=law.rules)
    assert isinstance(result, Allocation)
    return {lst.list_id: lst.seats for lst in result.lists}


def test_anbars_running_totals_are_the_official_totals_and_give_the_official_seats(kirkuk):
    election = kirkuk.election
    _stations_in(election, ANBAR, 4, 5)
    # Twenty stations carry Anbar's 443,453 votes here: make room for them.
    PollingStation.objects.filter(centre__governorate__code=ANBAR).update(
        registered_voters=40_000)
    official = anbar_lists()
    create_named_entities(election, governorate=ANBAR, candidates_per_list=10, names=[
        (f"anbar-{row['list_id'].lower()}", row["name_ar"], row["name"]) for row in official])
    anbar = Contest.objects.select_related("election", "governorate").get(
        election=election, governorate__code=ANBAR)
    summary = demo.Summary(election.code)
    counts = list(demo.contest_counts(anbar, official=[int(r["votes"]) for r in official],
                                      summary=summary))
    demo.record_in_bulk(counts, now=demo.settled_time(election))
    assert summary.shown == {"late": ["AN0002-02"]}
    codes = dict(NominationList.objects.filter(contest=anbar).values_list("pk", "entity__code"))
    totals: dict[str, int] = {}
    for nomination, votes in VoteTotal.objects.filter(contest=anbar).values_list(
            "nomination_id", "votes"):
        key = codes[nomination].removeprefix("anbar-").upper()
        totals[key] = totals.get(key, 0) + votes
    assert totals == {row["list_id"]: int(row["votes"]) for row in official}
    assert _seats(anbar, totals) == {row["list_id"]: int(row["official_seats"])
                                     for row in official}
    assert ContestTotal.objects.get(contest=anbar).stations_counted == 20


def test_the_kurdistan_parliament_is_set_up_with_stations_lists_and_settled_results(kirkuk):
    election, line = create_krg_2024()
    assert "160 stations" in line
    contests = Contest.objects.filter(election=election).select_related("governorate")
    assert sorted(c.governorate.code for c in contests) == ["IQ-AR", "IQ-DA", "IQ-HA", "IQ-SU"]
    assert sum(c.general_seats + sum(s.seats for s in c.component_seats.all())
               for c in contests) == 95 + 5
    summary = demo.load_results(election, bulk=False)
    assert summary is not None
    assert summary.stations == 160
    assert demo.load_results(election, bulk=False) is None  # once only
    event = AuditEvent.objects.get(action="results.load_demo")
    assert event.data["stations"] == 160
    assert event.data["shown"]["late"] == ["AR00002-03", "DA00002-02", "SU00002-02"]
    for contest in contests:
        assert PollingStation.objects.filter(centre__election=election,
                                             centre__governorate=contest.governorate).exists()
        counted = ContestTotal.objects.get(contest=contest)
        listed = StationResult.objects.filter(contest=contest)
        assert counted.stations_counted == listed.filter(outcome="adopted").count() > 0
        assert counted.valid == sum(VoteTotal.objects.filter(contest=contest)
                                    .values_list("votes", flat=True))
    outcomes = set(StationResult.objects.filter(contest__election=election)
                   .values_list("outcome", "audit_reason"))
    assert outcomes == {("adopted", ""), ("adopted", "late"), ("audit", "difference"),
                        ("audit", "quarantine")}
    assert summary.shown["difference"] == ["AR00001-03", "DA00001-03", "HA00001-03",
                                           "SU00001-03"]
    turnout = ContestTotal.objects.get(contest__governorate__code="IQ-SU",
                                       contest__election=election)
    assert Fraction(35, 100) < Fraction(turnout.voted, turnout.registered) < Fraction(60, 100)
