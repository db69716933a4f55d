"""From station forms to a contest's totals, then to seats by the one allocation.

A station's form (:class:`StationForm`) is its numbers (``result_checks.FormNumbers``)
and its votes, each keyed by (list, candidate): ``(list, None)`` is the votes for
the list alone, ``(list, candidate)`` a candidate's personal votes, ``(None,
candidate)`` a component candidate's votes. Tabulating adds them up:

- a list's total is its list-alone votes plus its candidates' votes (every valid
  vote cast for it, domain brief section 2.1);
- a candidate's votes are its personal votes;
- a component candidate's votes are counted on their own.

A station with any error of :func:`shafaf.core.result_checks.check` is left out
(quarantined) unless ``include_quarantined``; the totals remember how many stations
they hold and which were quarantined. :class:`Totals` add: tallying stations in
batches and adding the batches gives the totals of tallying them all at once, in
any order, as the results app's running totals do.

The seats then come from :func:`shafaf.core.allocation.allocate` with the contest
built here (:func:`contest`): the one code path of ``shafaf allocate``, including
its striking of disqualified candidates' votes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from shafaf.core.allocation import Allocation, ContestRules, Undecided, allocate
from shafaf.core.contest import (
    Candidate,
    CandidateId,
    Component,
    ComponentCandidate,
    Contest,
    ElectoralList,
    ListId,
    Sex,
)
from shafaf.core.result_checks import FormNumbers, check
from shafaf.core.ties import TieBreaker

K = TypeVar("K")

VoteKey = tuple[ListId | None, CandidateId | None]
"""(list, None): the list alone; (list, candidate): a candidate; (None, candidate): a
component candidate."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StationForm:
    station_id: str
    numbers: FormNumbers
    votes: Mapping[VoteKey, int]


def list_votes(votes: Mapping[VoteKey, int]) -> dict[str, int]:
    """The votes summed per list (alone + its candidates): what the checks compare with
    the valid ballots. A component's seats have their own ballot and form (docs/results.md),
    whose valid ballots the station's form does not hold, so component votes are left out."""
    out: dict[str, int] = {}
    for (list_id, _candidate_id), count in votes.items():
        if list_id is not None:
            out[list_id] = out.get(list_id, 0) + count
    return out


def station_form(*, station_id: str, registered: int, voted: int, ballots_received: int,
                 ballots_in_box: int, ballots_spoiled: int, ballots_unused: int, invalid: int,
                 valid: int, votes: Mapping[VoteKey, int]) -> StationForm:
    """A station's form, its numbers' per-list sums taken from ``votes``."""
    return StationForm(station_id=station_id, votes=votes, numbers=FormNumbers(
        registered=registered, voted=voted, ballots_received=ballots_received,
        ballots_in_box=ballots_in_box, ballots_spoiled=ballots_spoiled,
        ballots_unused=ballots_unused, invalid=invalid, valid=valid,
        list_votes=list_votes(votes)))


@dataclass(frozen=True, slots=True, kw_only=True)
class Totals:
    """What stations add up to. ``total`` stations were seen, ``counted`` of them are
    in the votes; ``quarantined`` are those with an error (counted only when they
    were included)."""

    lists: Mapping[ListId, int] = field(default_factory=dict)
    candidates: Mapping[CandidateId, int] = field(default_factory=dict)
    components: Mapping[CandidateId, int] = field(default_factory=dict)
    total: int = 0
    counted: int = 0
    quarantined: frozenset[str] = frozenset()

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            lists=_added(self.lists, other.lists),
            candidates=_added(self.candidates, other.candidates),
            components=_added(self.components, other.components),
            total=self.total + other.total, counted=self.counted + other.counted,
            quarantined=self.quarantined | other.quarantined)

    def stations(self) -> dict[str, object]:
        """``{"total", "counted", "quarantined": [ids]}`` as the reports give it."""
        return {"total": self.total, "counted": self.counted,
                "quarantined": sorted(self.quarantined)}


def _added(a: Mapping[K, int], b: Mapping[K, int]) -> dict[K, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def quarantined(forms: Iterable[tuple[str, FormNumbers]], *,
                box_over_voted_tolerance: int) -> frozenset[str]:
    """The stations whose form has an error of :func:`check`: those :func:`tally` leaves
    out. The one decision, whoever summed the stations' votes (the command line's
    set-wise reading of a votes file asks it too)."""
    return frozenset(station_id for station_id, numbers in forms
                     if check(numbers, box_over_voted_tolerance=box_over_voted_tolerance).errors)


def summed(votes: Iterable[Mapping[VoteKey, int]], *, total: int, counted: int,
           quarantined: frozenset[str]) -> Totals:
    """The totals of the counted stations' ``votes`` (one mapping a station, or any
    grouping of them: the sums are the same)."""
    lists: dict[ListId, int] = {}
    candidates: dict[CandidateId, int] = {}
    components: dict[CandidateId, int] = {}
    for station_votes in votes:
        for (list_id, candidate_id), count in station_votes.items():
            if list_id is None:
                if candidate_id is not None:
                    components[candidate_id] = components.get(candidate_id, 0) + count
                continue
            lists[list_id] = lists.get(list_id, 0) + count
            if candidate_id is not None:
                candidates[candidate_id] = candidates.get(candidate_id, 0) + count
    return Totals(lists=lists, candidates=candidates, components=components, total=total,
                  counted=counted, quarantined=quarantined)


def tally(forms: Iterable[StationForm], *, box_over_voted_tolerance: int,
          include_quarantined: bool = False) -> Totals:
    """The totals of ``forms`` (each station once)."""
    forms = list(forms)
    left = quarantined(((form.station_id, form.numbers) for form in forms),
                       box_over_voted_tolerance=box_over_voted_tolerance)
    counted = [form for form in forms
               if include_quarantined or form.station_id not in left]
    return summed((form.votes for form in counted), total=len(forms), counted=len(counted),
                  quarantined=left)


@dataclass(frozen=True, slots=True, kw_only=True)
class Roster:
    """Who stands: the lists, each candidate's list and sex, each component
    candidate's component and sex. Its order is the order of the files."""

    lists: tuple[ListId, ...]
    candidates: tuple[tuple[CandidateId, ListId, Sex], ...] = ()
    components: tuple[tuple[CandidateId, Component, Sex], ...] = ()


def contest(totals: Totals, *, roster: Roster, seats: int,
            component_seats: Mapping[Component, int]) -> Contest:
    """The contest these totals make: every list and candidate of the roster, with
    the votes it received (0 where no station gave it any)."""
    return Contest(
        seats=seats,
        lists=tuple(ElectoralList(list_id=i, votes=totals.lists.get(i, 0))
                    for i in roster.lists),
        candidates=tuple(Candidate(candidate_id=i, list_id=lst, sex=sex,
                                   votes=totals.candidates.get(i, 0))
                         for i, lst, sex in roster.candidates),
        component_seats=dict(component_seats),
        component_candidates=tuple(
            ComponentCandidate(candidate_id=i, component=comp, sex=sex,
                               votes=totals.components.get(i, 0))
            for i, comp, sex in roster.components))


def tabulate(totals: Totals, *, roster: Roster, seats: int,
             component_seats: Mapping[Component, int], rules: ContestRules,
             breaker: TieBreaker | None = None,
             disqualified: Collection[CandidateId] = ()) -> Allocation | Undecided:
    """The seats of these totals, by the allocation ``shafaf allocate`` runs."""
    return allocate(contest(totals, roster=roster, seats=seats,
                            component_seats=component_seats),
                    rules=rules, breaker=breaker, disqualified=disqualified)
