"""A whole contest: lists, open-list candidates, components, disqualification, ties."""

from fractions import Fraction

from shafaf.core.allocation import Allocation, ContestRules, Undecided, allocate
from shafaf.core.laws import get
from shafaf.core.seats.divisor import sainte_lague
from shafaf.core.ties import RecordedDraw, TieBreaker, TieKind, TieMethod
from tests.core.builders import contest, elected_ids, list_seats

GC_2023 = get("iraq-gc-2023").rules


def test_open_list_seats_go_by_personal_votes_not_list_order():
    council = contest(2, {"L": 100}, {"L": [("first", "M", 10), ("second", "F", 60),
                                            ("third", "M", 30)]})
    result = allocate(council, rules=GC_2023)
    assert isinstance(result, Allocation)
    assert elected_ids(result) == ["second", "third"]


def test_equal_votes_at_a_lists_cut_are_a_tie():
    council = contest(1, {"L": 100}, {"L": [("a", "M", 40), ("b", "M", 40)]})
    undecided = allocate(council, rules=GC_2023)
    assert isinstance(undecided, Undecided)
    assert undecided.tie.kind is TieKind.CANDIDATE_SEAT
    assert undecided.tie.scope == "L"
    drawn = allocate(council, rules=GC_2023, breaker=TieBreaker(draws=(
        RecordedDraw(order=("b", "a")),)))
    assert elected_ids(drawn) == ["b"]
    assert drawn.ties[0].method is TieMethod.PHYSICAL_DRAW


def test_disqualification_strikes_votes_and_moves_a_seat():
    # Before: A 1000 → 588.2, 333.3 | B 900 → 529.4, 300: A 2, B 1.
    # Strike a1's 300 votes: A 700 → 411.8, 233.3 | B 529.4, 300: B 2, A 1.
    council = contest(3, {"A": 1000, "B": 900},
                      {"A": [("a1", "M", 300), ("a2", "M", 200), ("a3", "F", 100)],
                       "B": [("b1", "M", 300), ("b2", "F", 200), ("b3", "M", 100)]})
    rules = ContestRules(method=sainte_lague(Fraction(17, 10)))  # no quota: seats only
    before = allocate(council, rules=rules)
    after = allocate(council, rules=rules, disqualified=["a1"])
    assert list_seats(before) == {"A": 2, "B": 1}
    assert list_seats(after) == {"A": 1, "B": 2}
    assert "a1" not in elected_ids(after)
    assert after.disqualified[0].votes_struck == 300
    assert {lst.list_id: lst.votes for lst in after.lists} == {"A": 700, "B": 900}


def test_component_seats_go_to_the_best_voted_of_each_component():
    council = contest(1, {"L": 10}, {"L": [("m", "M", 10)]},
                      components={"christian": 1, "yazidi": 1},
                      component_candidates=[("c1", "christian", "M", 100),
                                            ("c2", "christian", "F", 200),
                                            ("y1", "yazidi", "M", 5)])
    result = allocate(council, rules=GC_2023)
    comp = [(e.candidate_id, e.component, e.basis_code) for e in result.elected if e.component]
    assert comp == [("c2", "christian", "component"), ("y1", "yazidi", "component")]


def test_a_component_seat_without_candidates_is_reported_unfilled():
    council = contest(1, {"L": 10}, {"L": [("m", "M", 10)]}, components={"shabak": 1})
    result = allocate(council, rules=GC_2023)
    assert result.components.unfilled == {"shabak": 1}


def test_a_disqualified_component_candidate_loses_the_seat():
    council = contest(1, {"L": 10}, {"L": [("m", "M", 10)]}, components={"christian": 1},
                      component_candidates=[("c1", "christian", "M", 100),
                                            ("c2", "christian", "M", 50)])
    result = allocate(council, rules=GC_2023, disqualified=["c1"])
    assert [e.candidate_id for e in result.elected if e.component] == ["c2"]


def test_equal_component_votes_are_a_tie():
    council = contest(0, {"L": 0}, components={"christian": 1},
                      component_candidates=[("c1", "christian", "M", 7),
                                            ("c2", "christian", "M", 7)])
    undecided = allocate(council, rules=GC_2023)
    assert isinstance(undecided, Undecided)
    assert undecided.tie.kind is TieKind.COMPONENT_SEAT


def test_without_candidates_only_list_seats_are_computed():
    result = allocate(contest(4, {"A": 100, "B": 50}), rules=GC_2023)
    assert list_seats(result) == {"A": 3, "B": 1}
    assert result.elected == ()
    assert result.quota is None


def test_sntv_elects_the_best_voted_whatever_the_party():
    rules = get("iraq-cor-2021").rules
    district = contest(3, {"P": 0, "Q": 0},
                       {"P": [("p1", "F", 900), ("p2", "M", 800), ("p3", "M", 10)],
                        "Q": [("q1", "M", 850), ("q2", "M", 20)]})
    result = allocate(district, rules=rules)
    assert [s.candidate_id for s in result.sntv_order] == ["p1", "q1", "p2"]
    assert list_seats(result) == {"P": 2, "Q": 1}
    assert result.apportionment is None
