"""A whole contest: lists → seats → candidates → women's quota → component seats.

The order follows the domain brief, section 2: general seats are distributed
among lists (or, under SNTV, straight to candidates); inside each list they go
to candidates by personal votes; the women's quota then replaces elected men
where the law requires; component seats are filled on top. A disqualified
candidate's votes are struck from the list's total before anything is computed
(section 2.7: the Salahaddin ruling of 10 January 2024), so a disqualification
re-runs the whole allocation, never patches it.

A deciding tie with no lot to draw it returns :class:`Undecided` rather than a
result, so a seat is never given by the accident of input order.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from shafaf.core.contest import Candidate, CandidateId, Component, Contest, ListId, Sex
from shafaf.core.quotas import (
    ComponentOutcome,
    QuotaOutcome,
    WomenQuota,
    apply_women_quota,
    elect_components,
)
from shafaf.core.seats import Apportionment, Method, apportion
from shafaf.core.seats.open_list import elect_from_list
from shafaf.core.seats.sntv import elect_in_district
from shafaf.core.ties import Tie, TieBreaker, TieResolution, UndecidedTie


class CandidateSelection(StrEnum):
    OPEN_LIST = "open_list"
    """Seats go to lists first, then inside each list by personal votes."""
    SNTV = "sntv"
    """Single non-transferable vote: the best-voted candidates of the district win."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ContestRules:
    """Every parameter of the rules that turn votes into seats in one district."""

    method: Method
    """Seats to lists (ignored under SNTV)."""
    selection: CandidateSelection = CandidateSelection.OPEN_LIST
    threshold: Fraction | None = None
    women_quota: WomenQuota | None = None


class Basis(StrEnum):
    VOTES = "votes"
    WOMEN_QUOTA = "women_quota"
    COMPONENT = "component"


@dataclass(frozen=True, slots=True, kw_only=True)
class ElectedCandidate:
    candidate_id: CandidateId
    list_id: ListId | None
    """None for a component seat: candidacy there is individual."""
    component: Component | None
    sex: Sex
    votes: int
    basis: Basis
    quota_stage: str | None = None

    @property
    def basis_code(self) -> str:
        """``votes``, ``component``, or ``women_quota_stage_<label>`` (``women_quota``
        for a stage without a label)."""
        if self.basis is Basis.WOMEN_QUOTA and self.quota_stage:
            return f"women_quota_stage_{self.quota_stage.lower()}"
        return self.basis.value


@dataclass(frozen=True, slots=True, kw_only=True)
class ListResult:
    list_id: ListId
    votes: int
    """After striking the votes of disqualified candidates."""
    votes_struck: int
    seats: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Disqualification:
    candidate_id: CandidateId
    list_id: ListId | None
    votes_struck: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Allocation:
    rules: ContestRules
    seats: int
    lists: tuple[ListResult, ...]
    """Every list, by descending votes (then id)."""
    apportionment: Apportionment | None
    """Seats to lists step by step; None under SNTV."""
    sntv_order: tuple[Candidate, ...]
    """Under SNTV, the candidates in the order their seats fell."""
    elected: tuple[ElectedCandidate, ...]
    """General seats by list (lists by votes), candidates by votes; component seats last."""
    quota: QuotaOutcome | None
    components: ComponentOutcome | None
    disqualified: tuple[Disqualification, ...]
    ties: tuple[TieResolution, ...]
    unfilled: int
    """General seats that nobody could take."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Undecided:
    """The allocation stopped at a tie that only a lot can decide."""

    tie: Tie


def allocate(
    contest: Contest,
    *,
    rules: ContestRules,
    breaker: TieBreaker | None = None,
    disqualified: Collection[CandidateId] = (),
) -> Allocation | Undecided:
    breaker = breaker or TieBreaker()
    try:
        return _allocate(contest, rules, breaker, frozenset(disqualified))
    except UndecidedTie as undecided:
        return Undecided(tie=undecided.tie)


def _allocate(contest: Contest, rules: ContestRules, breaker: TieBreaker,
              disqualified: frozenset[CandidateId]) -> Allocation:
    struck, strikes = _strike(contest, disqualified)
    votes = {lst.list_id: lst.votes - struck.get(lst.list_id, 0) for lst in contest.lists}
    candidates = [c for c in contest.candidates if c.candidate_id not in disqualified]
    by_list: dict[ListId, list[Candidate]] = {}
    for cand in candidates:
        by_list.setdefault(cand.list_id, []).append(cand)
    ties: list[TieResolution] = []

    apportionment: Apportionment | None = None
    sntv_order: tuple[Candidate, ...] = ()
    elected_on_votes: dict[ListId, list[Candidate]] = {}
    if rules.selection is CandidateSelection.SNTV:
        if not contest.candidates:
            raise ValueError("an SNTV contest needs its candidates")
        winners, resolution = elect_in_district(candidates, seats=contest.seats, breaker=breaker)
        _keep(ties, resolution)
        sntv_order = tuple(winners)
        for cand in winners:
            elected_on_votes.setdefault(cand.list_id, []).append(cand)
        unfilled = contest.seats - len(winners)
    else:
        caps = {list_id: len(by_list.get(list_id, ())) for list_id in votes} if (
            contest.candidates) else None
        apportionment = apportion(rules.method, votes=votes, seats=contest.seats, caps=caps,
                                  threshold=rules.threshold, breaker=breaker)
        ties.extend(apportionment.ties)
        unfilled = apportionment.unfilled
        if contest.candidates:
            for list_id in sorted(apportionment.seats):
                seats = apportionment.seats[list_id]
                if seats:
                    winners, resolution = elect_from_list(
                        list_id, by_list.get(list_id, ()), seats=seats, breaker=breaker)
                    _keep(ties, resolution)
                    elected_on_votes[list_id] = winners

    seated: Mapping[ListId, tuple[Candidate, ...]] = {
        list_id: tuple(members) for list_id, members in elected_on_votes.items()}
    quota: QuotaOutcome | None = None
    if rules.women_quota is not None and contest.candidates:
        quota = apply_women_quota(rules.women_quota, seats=contest.seats, list_votes=votes,
                                  elected=elected_on_votes, candidates=by_list, breaker=breaker)
        ties.extend(quota.ties)
        seated = quota.seated

    components: ComponentOutcome | None = None
    if contest.component_seats:
        components = elect_components(
            contest.component_seats,
            [c for c in contest.component_candidates if c.candidate_id not in disqualified],
            breaker=breaker,
        )
        ties.extend(components.ties)

    list_seats = (
        {list_id: len(seated.get(list_id, ())) for list_id in votes}
        if apportionment is None else dict(apportionment.seats)
    )
    lists = tuple(
        ListResult(list_id=list_id, votes=votes[list_id], votes_struck=struck.get(list_id, 0),
                   seats=list_seats[list_id])
        for list_id in sorted(votes, key=lambda list_id: (-votes[list_id], list_id))
    )
    return Allocation(
        rules=rules,
        seats=contest.seats,
        lists=lists,
        apportionment=apportionment,
        sntv_order=sntv_order,
        elected=_elected(lists, seated, quota, components),
        quota=quota,
        components=components,
        disqualified=strikes,
        ties=tuple(ties),
        unfilled=unfilled,
    )


def _keep(ties: list[TieResolution], resolution: TieResolution | None) -> None:
    if resolution is not None:
        ties.append(resolution)


def _strike(contest: Contest, disqualified: frozenset[CandidateId]
            ) -> tuple[dict[ListId, int], tuple[Disqualification, ...]]:
    """The votes struck from each list, and a record of every disqualification."""
    general = {c.candidate_id: c for c in contest.candidates}
    component = {c.candidate_id for c in contest.component_candidates}
    struck: dict[ListId, int] = {}
    strikes: list[Disqualification] = []
    for candidate_id in sorted(disqualified):
        if candidate_id in general:
            cand = general[candidate_id]
            struck[cand.list_id] = struck.get(cand.list_id, 0) + cand.votes
            strikes.append(Disqualification(candidate_id=candidate_id, list_id=cand.list_id,
                                            votes_struck=cand.votes))
        elif candidate_id in component:
            strikes.append(Disqualification(candidate_id=candidate_id, list_id=None,
                                            votes_struck=0))
        else:
            raise ValueError(f"cannot disqualify {candidate_id}: no such candidate")
    return struck, tuple(strikes)


def _elected(lists: tuple[ListResult, ...], seated: Mapping[ListId, tuple[Candidate, ...]],
             quota: QuotaOutcome | None,
             components: ComponentOutcome | None) -> tuple[ElectedCandidate, ...]:
    stage_of = quota.stage_of if quota else {}
    out: list[ElectedCandidate] = []
    for lst in lists:
        for cand in sorted(seated.get(lst.list_id, ()),
                           key=lambda c: (-c.votes, c.candidate_id)):
            stage = stage_of.get(cand.candidate_id)
            out.append(ElectedCandidate(
                candidate_id=cand.candidate_id, list_id=cand.list_id, component=None,
                sex=cand.sex, votes=cand.votes,
                basis=Basis.VOTES if stage is None else Basis.WOMEN_QUOTA, quota_stage=stage,
            ))
    if components:
        for comp in components.elected:
            out.append(ElectedCandidate(
                candidate_id=comp.candidate_id, list_id=None, component=comp.component,
                sex=comp.sex, votes=comp.votes, basis=Basis.COMPONENT,
            ))
    return tuple(out)
