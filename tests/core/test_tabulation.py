"""Tabulation: station forms add up to list, candidate and component totals, the
quarantined are left out until included, and batches add up to the whole."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.core import laws
from shafaf.core.allocation import Allocation
from shafaf.core.contest import CandidateId, Component, ListId, Sex
from shafaf.core.tabulation import (
    Roster,
    StationForm,
    Totals,
    VoteKey,
    station_form,
    tabulate,
    tally,
)
from shafaf.core.ties import TieBreaker

L1, L2, L3 = ListId("L1"), ListId("L2"), ListId("L3")
A1, A2, B1, B2, C1 = (CandidateId(i) for i in ("L1-1", "L1-2", "L2-1", "L2-2", "L3-1"))
X1 = CandidateId("X1")
CHRISTIAN = Component("christian")
ROSTER = Roster(
    lists=(L1, L2, L3),
    candidates=((A1, L1, Sex.MALE), (A2, L1, Sex.FEMALE), (B1, L2, Sex.MALE),
                (B2, L2, Sex.FEMALE), (C1, L3, Sex.MALE)),
    components=((X1, CHRISTIAN, Sex.MALE),))
RULES = laws.get("iraq-gc-2023").rules
TOLERANCE = 5


def form(station_id: str, votes: Mapping[VoteKey, int], *, valid: int | None = None
         ) -> StationForm:
    """A form whose numbers add up (``valid`` other than the votes' sum makes it err);
    component votes are on their own ballot, outside the station's valid ballots."""
    general = sum(count for (list_id, _), count in votes.items() if list_id is not None)
    counted = general if valid is None else valid
    box = counted + 10
    return station_form(station_id=station_id, registered=box + 100, voted=box,
                        ballots_received=box + 20, ballots_in_box=box, ballots_spoiled=5,
                        ballots_unused=15, invalid=10, valid=counted, votes=votes)


def test_a_lists_total_is_its_list_alone_votes_plus_its_candidates():
    totals = tally([
        form("S1", {(L1, None): 50, (L1, A1): 60, (L1, A2): 30, (L2, B1): 100, (None, X1): 7}),
        form("S2", {(L1, A1): 80, (L2, None): 20, (L3, C1): 40}),
    ], box_over_voted_tolerance=TOLERANCE)
    assert totals.lists == {L1: 220, L2: 120, L3: 40}
    assert totals.candidates == {A1: 140, A2: 30, B1: 100, C1: 40}
    assert totals.components == {X1: 7}  # on their own, in no list
    assert totals.stations() == {"total": 2, "counted": 2, "quarantined": []}


def test_a_station_with_an_error_is_left_out_unless_included():
    forms = [form("S1", {(L1, A1): 60}), form("S2", {(L1, A1): 500}, valid=499)]
    left_out = tally(forms, box_over_voted_tolerance=TOLERANCE)
    assert left_out.lists == {L1: 60}
    assert left_out.stations() == {"total": 2, "counted": 1, "quarantined": ["S2"]}
    included = tally(forms, box_over_voted_tolerance=TOLERANCE, include_quarantined=True)
    assert included.lists == {L1: 560}
    assert included.stations() == {"total": 2, "counted": 2, "quarantined": ["S2"]}


def test_a_station_with_only_a_warning_counts():
    # 96% of 100 valid votes to one list: single_list_share, a warning only.
    totals = tally([form("S1", {(L1, A1): 96, (L2, B1): 4})],
                   box_over_voted_tolerance=TOLERANCE)
    assert totals.counted == 1
    assert totals.lists[L1] == 96


def test_seats_by_the_one_allocation_with_zero_for_lists_no_station_gave_votes():
    totals = tally([form("S1", {(L1, A1): 300, (L1, A2): 100, (L2, B1): 150, (None, X1): 9})],
                   box_over_voted_tolerance=TOLERANCE)
    result = tabulate(totals, roster=ROSTER, seats=3, component_seats={CHRISTIAN: 1},
                      rules=RULES)
    assert isinstance(result, Allocation)
    assert {r.list_id: (r.votes, r.seats) for r in result.lists} == {
        L1: (400, 2), L2: (150, 1), L3: (0, 0)}
    # 400/1.7, 150/1.7, 400/3: L1, L2, L1. Quota: 1 woman of 3; A2 replaces none (L1
    # has a woman in its two), so the elected are A1, A2, B1 and the component's X1.
    assert [e.candidate_id for e in result.elected] == [A1, A2, B1, X1]


def test_a_disqualified_candidates_votes_are_struck_from_the_list():
    totals = tally([form("S1", {(L1, A1): 300, (L1, A2): 100, (L2, B1): 250})],
                   box_over_voted_tolerance=TOLERANCE)
    result = tabulate(totals, roster=ROSTER, seats=1, component_seats={CHRISTIAN: 1},
                      rules=RULES, disqualified=[A1])
    assert isinstance(result, Allocation)
    assert {r.list_id: (r.votes, r.votes_struck, r.seats) for r in result.lists} == {
        L1: (100, 300, 0), L2: (250, 0, 1), L3: (0, 0, 0)}


# -- Properties -----------------------------------------------------------------------

KEYS: list[VoteKey] = [(L1, None), (L1, A1), (L1, A2), (L2, None), (L2, B1), (L2, B2),
                       (L3, C1), (None, X1)]
votes_of_a_station = st.dictionaries(st.sampled_from(KEYS), st.integers(0, 400), max_size=8)
stations = st.lists(votes_of_a_station, min_size=1, max_size=12).map(
    lambda many: [form(f"S{n}", votes) for n, votes in enumerate(many)])


def seats(totals: Totals) -> object:
    result = tabulate(totals, roster=ROSTER, seats=4, component_seats={CHRISTIAN: 1},
                      rules=RULES, breaker=TieBreaker(seed="tabulation"))
    assert isinstance(result, Allocation)
    return ([(r.list_id, r.votes, r.seats) for r in result.lists],
            [e.candidate_id for e in result.elected])


@settings(max_examples=60, deadline=None)
@given(stations, st.randoms(use_true_random=False), st.lists(st.integers(0, 12), max_size=5))
def test_any_order_and_any_batches_give_the_same_totals_and_seats(forms, random, cuts):
    whole = tally(forms, box_over_voted_tolerance=TOLERANCE)
    shuffled = list(forms)
    random.shuffle(shuffled)
    bounds = sorted({0, len(shuffled), *(min(c, len(shuffled)) for c in cuts)})
    batches = [tally(shuffled[a:b], box_over_voted_tolerance=TOLERANCE)
               for a, b in itertools.pairwise(bounds)]
    added = sum(batches, Totals())
    assert added == whole
    assert seats(added) == seats(whole)


@settings(max_examples=60, deadline=None)
@given(stations, votes_of_a_station, st.integers(1, 50))
def test_a_quarantined_station_changes_nothing_until_it_is_included(forms, votes, excess):
    # Its valid ballots exceed the sum of its votes: valid_vs_votes, an error.
    bad = form("Q", votes, valid=sum(n for (lst, _), n in votes.items() if lst) + excess)
    before = tally(forms, box_over_voted_tolerance=TOLERANCE)
    after = tally([*forms, bad], box_over_voted_tolerance=TOLERANCE)
    assert (after.lists, after.candidates, after.components) == (
        before.lists, before.candidates, before.components)
    assert seats(after) == seats(before)
    assert after.quarantined == {"Q"} | before.quarantined
    included = tally([*forms, bad], box_over_voted_tolerance=TOLERANCE,
                     include_quarantined=True)
    expected = tally([*forms, form("Q", votes)], box_over_voted_tolerance=TOLERANCE)
    assert included.lists == expected.lists
    assert included.candidates == expected.candidates
