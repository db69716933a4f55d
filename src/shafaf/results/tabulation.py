"""Tabulation: a contest's seats from the running totals (docs/results-publication.md).

The totals come from :class:`VoteTotal` and :class:`ContestTotal`, which adoption keeps
equal to the sum of the adopted forms: tabulating reads a few dozen rows per
governorate, never the forms. They become the core's :class:`~shafaf.core.contest.Contest`
and go through :func:`shafaf.core.allocation.allocate` and
:func:`shafaf.core.report.allocation_report`, the one code path of ``shafaf allocate``,
so the report is the same JSON ``shafaf allocate --format json`` prints for the same
totals, plus ``stations``.

Identifiers are those of the open data (docs/results.md): a list is its ballot number
(its entity's code where none is drawn), a candidate ``<list_id>-<position>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shafaf.core import laws
from shafaf.core.allocation import Undecided, allocate
from shafaf.core.contest import (
    Candidate as CoreCandidate,
)
from shafaf.core.contest import (
    CandidateId,
    ComponentCandidate,
    ElectoralList,
    ListId,
    Sex,
)
from shafaf.core.contest import (
    Component as CoreComponent,
)
from shafaf.core.contest import (
    Contest as CoreContest,
)
from shafaf.core.laws.profile import District, LawProfile
from shafaf.core.report import allocation_report
from shafaf.core.ties import Tie, TieBreaker
from shafaf.elections.models import ComponentSeat, Contest, PollingStation
from shafaf.entities.models import Candidate, NominationList
from shafaf.results.models import ContestTotal, Disqualification, Outcome, StationResult, VoteTotal

# Candidates who never stood on the ballot (excluded, withdrawn, replaced) are left out
# unless they have votes.
_OFF_BALLOT = ("excluded", "withdrawn", "replaced")
_LISTED = ("certified",)
_SEX = {sex.value: sex for sex in Sex}


@dataclass(frozen=True, kw_only=True)
class ListRow:
    list_id: str
    name: str
    nomination_id: int
    component: str


@dataclass(frozen=True, kw_only=True)
class CandidateRow:
    candidate_id: str
    list_id: str
    component: str
    name: str
    sex: str
    pk: int
    votes: int


@dataclass(frozen=True, kw_only=True)
class Turnout:
    stations_counted: int = 0
    registered: int = 0
    voted: int = 0
    ballots_in_box: int = 0
    invalid: int = 0
    valid: int = 0

    @property
    def share(self) -> float | None:
        """Voters who voted over registered voters of the counted stations."""
        return self.voted / self.registered if self.registered else None


@dataclass(frozen=True, kw_only=True)
class Tabulation:
    """A contest's live tabulation. ``report`` is None when a tie decides a seat and no
    lot seed was given (``tie`` says which)."""

    contest: Contest
    law: LawProfile
    district: District | None
    lists: tuple[ListRow, ...]
    candidates: tuple[CandidateRow, ...]
    list_votes: dict[str, int]
    disqualified: tuple[str, ...]
    lot_seed: str | None
    stations: dict[str, Any]
    turnout: Turnout
    report: dict[str, Any] | None
    tie: Tie | None = None
    names: dict[str, str] = field(default_factory=dict)

    @property
    def decided(self) -> bool:
        return self.report is not None

    @property
    def general_candidates(self) -> tuple[CandidateRow, ...]:
        return tuple(c for c in self.candidates if not c.component)

    @property
    def component_candidates(self) -> tuple[CandidateRow, ...]:
        return tuple(c for c in self.candidates if c.component)


def contest_stations(contest: Contest) -> Any:
    return PollingStation.objects.filter(centre__election_id=contest.election_id,
                                         centre__governorate_id=contest.governorate_id)


def station_progress(contest: Contest, totals: ContestTotal | None = None) -> dict[str, Any]:
    """``total`` stations of the governorate, ``counted`` (with an adopted general
    form), ``quarantined``: the codes of the stations at the audit centre."""
    total = contest_stations(contest).count()
    if totals is None:
        totals = ContestTotal.objects.filter(contest=contest, component="").first()
    at_audit = (StationResult.objects.filter(contest=contest, outcome=Outcome.AUDIT)
                .values_list("station__code", flat=True).distinct().order_by("station__code"))
    return {"total": total, "counted": totals.stations_counted if totals else 0,
            "quarantined": list(at_audit)}


def pending_stations(contest: Contest) -> int:
    """Stations not yet settled: awaiting (or with no result at all) or at the audit
    centre in any part of the contest."""
    stations = contest_stations(contest)
    open_ = (StationResult.objects.filter(contest=contest,
                                          outcome__in=(Outcome.AWAITING, Outcome.AUDIT))
             .values_list("station_id", flat=True))
    settled = (StationResult.objects.filter(contest=contest, component="")
               .exclude(outcome__in=(Outcome.AWAITING, Outcome.AUDIT))
               .values_list("station_id", flat=True))
    return int(stations.filter(pk__in=open_).count()
               + stations.exclude(pk__in=settled).exclude(pk__in=open_).count())


def tabulate(contest: Contest, *, lot_seed: str | None = None) -> Tabulation:
    """The contest's seats from its running totals, with the law profile's rules, the
    contest's seats and the Panel's disqualifications struck."""
    law = laws.get(contest.election.law)
    governorate = contest.governorate
    district = law.districts.get(governorate.code)
    component_seats = {CoreComponent(row.component): row.seats
                       for row in ComponentSeat.objects.filter(contest=contest)
                       .order_by("component") if row.seats}

    totals: dict[tuple[int, int], int] = {}
    for nomination_id, candidate_key, votes in VoteTotal.objects.filter(
            contest=contest).values_list("nomination_id", "candidate_key", "votes"):
        key = (nomination_id, candidate_key)
        totals[key] = totals.get(key, 0) + votes
    voted_lists = {n for n, _c in totals}
    voted_candidates = {c for _n, c in totals if c}

    # Plain rows, not model instances: a governorate has up to a few thousand candidates
    # and the national tabulation reads them all.
    nominations = (NominationList.objects.filter(contest=contest)
                   .order_by("component", "entity__ballot_number", "entity__code")
                   .values_list("pk", "status", "component", "entity__ballot_number",
                                "entity__code", "entity__name_ar"))
    lists: list[ListRow] = []
    for pk, status, component, number, code, name in nominations:
        if status not in _LISTED and pk not in voted_lists:
            continue
        if component and component not in component_seats:
            continue
        lists.append(ListRow(list_id=str(number) if number is not None else code, name=name,
                             nomination_id=pk, component=component))
    by_pk = {row.nomination_id: row for row in lists}

    candidates: list[CandidateRow] = []
    for pk, nomination_id, position, name, sex, status in (
            Candidate.objects.filter(nomination_id__in=by_pk)
            .order_by("nomination_id", "position")
            .values_list("pk", "nomination_id", "position", "name_ar", "sex", "status")):
        if status in _OFF_BALLOT and pk not in voted_candidates:
            continue
        row = by_pk[nomination_id]
        candidates.append(CandidateRow(
            candidate_id=f"{row.list_id}-{position}", list_id=row.list_id,
            component=row.component, name=name, sex=sex, pk=pk,
            votes=totals.get((nomination_id, pk), 0)))
    candidates.sort(key=lambda c: (c.component, c.list_id, int(c.candidate_id.rsplit("-", 1)[1])))

    # A list's total: its list-alone votes plus its candidates'. A component's seats are
    # individual: a component candidate's votes are their own.
    list_votes = {row.list_id: totals.get((row.nomination_id, 0), 0)
                  for row in lists if not row.component}
    for cand in candidates:
        if not cand.component:
            list_votes[cand.list_id] += cand.votes

    ids = {c.pk: c.candidate_id for c in candidates}
    disqualified = tuple(sorted(
        ids[pk] for pk in Disqualification.objects.filter(contest=contest)
        .values_list("candidate_id", flat=True) if pk in ids))

    core = CoreContest(
        seats=contest.general_seats,
        lists=tuple(ElectoralList(list_id=ListId(lid), votes=votes)
                    for lid, votes in list_votes.items()),
        candidates=tuple(CoreCandidate(candidate_id=CandidateId(c.candidate_id),
                                       list_id=ListId(c.list_id), sex=_SEX[c.sex], votes=c.votes)
                         for c in candidates if not c.component),
        component_seats=component_seats,
        component_candidates=tuple(
            ComponentCandidate(candidate_id=CandidateId(c.candidate_id),
                               component=CoreComponent(c.component), sex=_SEX[c.sex],
                               votes=c.votes)
            for c in candidates if c.component),
    )
    names = {row.list_id: row.name for row in lists if not row.component}
    names |= {c.candidate_id: c.name for c in candidates}
    result = allocate(core, rules=law.rules, breaker=TieBreaker(seed=lot_seed),
                      disqualified=[CandidateId(i) for i in disqualified])
    counted = ContestTotal.objects.filter(contest=contest, component="").first()
    stations = station_progress(contest, counted)
    turnout = Turnout(**{name: getattr(counted, name) for name in (
        "stations_counted", "registered", "voted", "ballots_in_box", "invalid", "valid")}
    ) if counted else Turnout()
    report = None
    tie = None
    if isinstance(result, Undecided):
        tie = result.tie
    else:
        report = allocation_report(result, law=law, district=district, names=names)
        report["stations"] = stations
    return Tabulation(contest=contest, law=law, district=district, lists=tuple(lists),
                      candidates=tuple(candidates), list_votes=list_votes,
                      disqualified=disqualified, lot_seed=lot_seed, stations=stations,
                      turnout=turnout, report=report, tie=tie, names=names)
