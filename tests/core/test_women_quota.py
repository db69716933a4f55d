"""The women's quota procedure on a council worked out by hand.

Eight seats, lists L1 1000 votes, L2 600, L3 300. Modified Sainte-Laguë (1.7):
L1 588.2, 333.3, 200, 142.9 | L2 352.9, 200, 120 | L3 176.5 → L1 4, L2 3, L3 1
(the two quotients of 200 both fall above the cut: not a tie). Every list's
best-voted candidates are men, so no woman is elected on her own votes.
"""

import dataclasses
from fractions import Fraction

from shafaf.core.allocation import Allocation, Undecided, allocate
from shafaf.core.contest import Candidate, CandidateId, Component, ComponentCandidate, ListId, Sex
from shafaf.core.laws import get
from shafaf.core.quotas import (
    AcrossDistrictStage,
    FixedSeats,
    ReplacementReason,
    Rounding,
    ShareOfSeats,
    WomenQuota,
    apply_women_quota,
    elect_components,
)
from shafaf.core.ties import TieBreaker, TieKind
from tests.core.builders import contest, elected_ids, list_seats

COUNCIL = contest(
    8,
    {"L1": 1000, "L2": 600, "L3": 300},
    {
        "L1": [("m1", "M", 300), ("m2", "M", 200), ("m3", "M", 150), ("m4", "M", 100),
               ("f1", "F", 90), ("f2", "F", 50)],
        "L2": [("m5", "M", 200), ("m6", "M", 150), ("m7", "M", 100), ("f3", "F", 80)],
        "L3": [("m8", "M", 150), ("f4", "F", 120)],
    },
)
GC_2023 = get("iraq-gc-2023").rules


def run(rules, council=COUNCIL, **kwargs) -> Allocation:
    result = allocate(council, rules=rules, breaker=TieBreaker(seed="test"), **kwargs)
    assert isinstance(result, Allocation)
    return result


def test_target_is_a_quarter_of_general_seats_rounded_up():
    target = GC_2023.women_quota.target
    assert [target.target(s) for s in (49, 26, 16, 13, 12, 8)] == [13, 7, 4, 4, 3, 2]


def test_rounding_rules():
    share = Fraction(3, 10)
    assert ShareOfSeats(share=share, rounding=Rounding.UP).target(25) == 8
    assert ShareOfSeats(share=share, rounding=Rounding.DOWN).target(25) == 7
    assert ShareOfSeats(share=share, rounding=Rounding.NEAREST).target(25) == 8
    assert ShareOfSeats(share=share, rounding=Rounding.NEAREST).target(34) == 10
    assert FixedSeats(seats=1).target(0) == 0


def test_gc_2023_stage_a_inside_the_list_then_stage_b_across_the_governorate():
    result = run(GC_2023)
    assert list_seats(result) == {"L1": 4, "L2": 3, "L3": 1}
    assert result.quota.target == 2
    assert result.quota.women_on_votes == 0
    # Stage A: L1 won 4 seats, owes ⌊4/4⌋ = 1 woman: f1 replaces its lowest man m4.
    # Stage B: still one short; the best woman not elected anywhere is f4 (120), who
    # replaces the lowest man of her own list, m8.
    moves = [(r.stage, r.elected.candidate_id, r.replaced.candidate_id)
             for r in result.quota.replacements]
    assert moves == [("A", "f1", "m4"), ("B", "f4", "m8")]
    assert sorted(elected_ids(result)) == sorted(["m1", "m2", "m3", "f1", "m5", "m6", "m7", "f4"])
    basis = {e.candidate_id: e.basis_code for e in result.elected}
    assert basis["f1"] == "women_quota_stage_a"
    assert basis["f4"] == "women_quota_stage_b"
    assert basis["m1"] == "votes"
    assert result.quota.shortfall == 0


def test_krg_2024_takes_the_best_women_first_then_a_third_of_each_list():
    result = run(get("krg-2024").rules)
    # Target ⌈30% of 8⌉ = 3. Stage A: the three best women not elected (f4 120, f1 90,
    # f3 80) each replace the lowest man of their own list. Stage B: every list
    # already holds ⌊s/3⌋ women.
    assert result.quota.target == 3
    moves = {(r.stage, r.elected.candidate_id, r.replaced.candidate_id)
             for r in result.quota.replacements}
    assert moves == {("A", "f4", "m8"), ("A", "f1", "m4"), ("A", "f3", "m7")}


def test_krg_2024_stage_b_enforces_each_lists_third_beyond_the_target():
    council = contest(
        6, {"L1": 1000, "L2": 1000},
        {"L1": [("a1", "M", 500), ("a2", "M", 400), ("a3", "M", 300), ("af", "F", 250)],
         "L2": [("b1", "F", 500), ("b2", "F", 400), ("b3", "M", 300), ("bf", "F", 10)]},
    )
    result = run(get("krg-2024").rules, council)
    # Each list 3 seats; L2 elects two women, the target ⌈1.8⌉ = 2 is met on votes, but
    # L1 holds no woman and owes ⌊3/3⌋ = 1: af replaces a3 in stage B.
    assert result.quota.women_on_votes == 2
    assert [(r.stage, r.elected.candidate_id, r.replaced.candidate_id)
            for r in result.quota.replacements] == [("B", "af", "a3")]


def test_no_change_when_enough_women_win_on_their_votes():
    council = contest(4, {"L1": 100},
                      {"L1": [("f1", "F", 50), ("m1", "M", 40), ("m2", "M", 5), ("m3", "M", 4)]})
    result = run(GC_2023, council)
    assert result.quota.replacements == ()
    assert result.quota.women_seated == 1


def test_a_shortfall_is_reported_not_hidden():
    council = contest(4, {"L1": 100, "L2": 90},
                      {"L1": [("m1", "M", 50), ("m2", "M", 40)],
                       "L2": [("m3", "M", 50), ("m4", "M", 40)]})
    result = run(GC_2023, council)
    assert result.quota.target == 1
    assert result.quota.shortfall == 1
    assert result.quota.replacements == ()


def test_stage_b_never_moves_a_seat_to_a_list_that_won_none():
    council = contest(
        4, {"L1": 1000, "L2": 10},
        {"L1": [("m1", "M", 500), ("m2", "M", 400), ("m3", "M", 50), ("m4", "M", 40)],
         "L2": [("f1", "F", 10)]},
    )
    result = run(GC_2023, council)
    assert list_seats(result) == {"L1": 4}
    assert "f1" not in elected_ids(result)
    assert result.quota.shortfall == 1


def test_equal_lowest_men_are_a_tie_drawn_by_lot():
    council = contest(4, {"L1": 100},
                      {"L1": [("m1", "M", 30), ("m2", "M", 30), ("m3", "M", 20), ("m4", "M", 20),
                              ("f1", "F", 0)]})
    undecided = allocate(council, rules=GC_2023)
    assert isinstance(undecided, Undecided)
    assert undecided.tie.kind is TieKind.QUOTA_REPLACED_MAN
    assert undecided.tie.contenders == ("m3", "m4")
    drawn = run(GC_2023, council)
    assert len({"m3", "m4"} & set(elected_ids(drawn))) == 1
    assert "f1" in elected_ids(drawn)


def test_equal_women_for_one_quota_seat_are_a_tie():
    council = contest(4, {"L1": 100},
                      {"L1": [("m1", "M", 30), ("m2", "M", 30), ("m3", "M", 20), ("m4", "M", 10),
                              ("f1", "F", 5), ("f2", "F", 5)]})
    undecided = allocate(council, rules=GC_2023)
    assert isinstance(undecided, Undecided)
    assert undecided.tie.kind is TieKind.QUOTA_WOMAN
    assert undecided.tie.contenders == ("f1", "f2")


def test_the_2021_district_seat_may_move_between_parties():
    rules = get("iraq-cor-2021").rules
    council = contest(3, {"P1": 0, "P2": 0},
                      {"P1": [("a", "M", 900), ("b", "M", 800), ("c", "M", 700)],
                       "P2": [("w", "F", 600), ("d", "M", 100)]})
    result = run(rules, council)
    assert sorted(elected_ids(result)) == ["a", "b", "w"]
    (move,) = result.quota.replacements
    assert (move.elected.candidate_id, move.replaced.candidate_id) == ("w", "c")
    assert list_seats(result) == {"P1": 2, "P2": 1}


def test_quota_off_leaves_men_elected():
    result = run(dataclasses.replace(GC_2023, women_quota=None))
    assert result.quota is None
    assert "m4" in elected_ids(result)


# Two lists of four seats each owe a woman under stage A (⌊4/4⌋ = 1), but the target is
# one seat. Modified Sainte-Laguë (1.7): H 588.2, 333.3, 200, 142.9 | G 529.4, 300, 180,
# 128.6 → H 4, G 4. Stage A goes by list votes, highest first, and stops at the target:
# only H's woman is seated, in place of H's lowest man.
TWO_OWING = contest(
    8,
    {"G": 900, "H": 1000},
    {
        "G": [("g1", "M", 400), ("g2", "M", 300), ("g3", "M", 200), ("g4", "M", 100),
              ("gf", "F", 90)],
        "H": [("h1", "M", 400), ("h2", "M", 300), ("h3", "M", 200), ("h4", "M", 100),
              ("hf", "F", 80)],
    },
)


def test_stage_a_serves_the_lists_by_descending_votes_and_stops_at_the_target():
    rules = dataclasses.replace(GC_2023, women_quota=dataclasses.replace(
        GC_2023.women_quota, target=FixedSeats(seats=1)))
    result = run(rules, council=TWO_OWING)
    assert list_seats(result) == {"G": 4, "H": 4}
    moves = [(r.stage, r.elected.candidate_id, r.replaced.candidate_id)
             for r in result.quota.replacements]
    assert moves == [("A", "hf", "h4")]
    assert result.ties == ()


def test_without_its_stop_stage_a_serves_every_list_that_owes():
    rules = dataclasses.replace(GC_2023, women_quota=dataclasses.replace(
        GC_2023.women_quota, target=FixedSeats(seats=1),
        stages=(dataclasses.replace(GC_2023.women_quota.stages[0], stop_at_target=False),)))
    result = run(rules, council=TWO_OWING)
    moves = sorted((r.stage, r.elected.candidate_id, r.replaced.candidate_id)
                   for r in result.quota.replacements)
    assert moves == [("A", "gf", "g4"), ("A", "hf", "h4")]


def _four_men_and_a_woman(prefix: str) -> list[tuple[str, str, int]]:
    return [(f"{prefix}{n}", "M", 500 - 100 * n) for n in range(1, 5)] + [(f"{prefix}f", "F", 50)]


ONE_SEAT_FOR_WOMEN = dataclasses.replace(GC_2023, women_quota=dataclasses.replace(
    GC_2023.women_quota, target=FixedSeats(seats=1)))


def test_two_lists_with_equal_votes_owing_a_woman_for_one_place_are_a_tie():
    # G and H, 1000 votes each: 588.2, 333.3, 200, 142.9 both → 4 seats each; each owes
    # one woman under stage A, and the target leaves one place: the order is drawn.
    council = contest(8, {"G": 1000, "H": 1000},
                      {"G": _four_men_and_a_woman("g"), "H": _four_men_and_a_woman("h")})
    result = run(ONE_SEAT_FOR_WOMEN, council=council)
    assert len(result.quota.replacements) == 1
    assert [(t.tie.kind, set(t.tie.contenders)) for t in result.ties] == [
        (TieKind.QUOTA_LIST_ORDER, {"G", "H"})]
    undecided = allocate(council, rules=ONE_SEAT_FOR_WOMEN)
    assert isinstance(undecided, Undecided)
    assert undecided.tie.kind is TieKind.QUOTA_LIST_ORDER


def test_once_the_target_is_met_lists_with_equal_votes_draw_nothing():
    # H 1000: 588.2, 333.3, 200, 142.9; G1 and G2 900: 529.4, 300, 180, 128.6 → 4 seats
    # each of 12. H's woman meets the target of one; G1 and G2 also owe one each, but
    # no place is left, so nothing is drawn between them.
    council = contest(12, {"H": 1000, "G1": 900, "G2": 900},
                      {"H": _four_men_and_a_woman("h"), "G1": _four_men_and_a_woman("a"),
                       "G2": _four_men_and_a_woman("b")})
    result = run(ONE_SEAT_FOR_WOMEN, council=council)
    assert list_seats(result) == {"H": 4, "G1": 4, "G2": 4}
    assert [(r.stage, r.elected.candidate_id) for r in result.quota.replacements] == [
        ("A", "hf")]
    assert result.ties == ()


def test_equal_vote_lists_are_no_tie_when_there_is_room_for_both():
    # G and H as above, but the target is two: both are served, nothing is drawn.
    council = contest(8, {"G": 1000, "H": 1000},
                      {"G": _four_men_and_a_woman("g"), "H": _four_men_and_a_woman("h")})
    rules = dataclasses.replace(GC_2023, women_quota=dataclasses.replace(
        GC_2023.women_quota, target=FixedSeats(seats=2)))
    result = run(rules, council=council)
    assert sorted(r.elected.candidate_id for r in result.quota.replacements) == ["gf", "hf"]
    assert result.ties == ()


def _component_candidate(ident: str, component: str, votes: int) -> ComponentCandidate:
    return ComponentCandidate(candidate_id=CandidateId(ident), component=Component(component),
                              sex=Sex.MALE, votes=votes)


def test_component_seats_report_what_is_left_unfilled_and_only_that():
    outcome = elect_components(
        {Component("christian"): 2, Component("yazidi"): 1},
        [_component_candidate("c1", "christian", 40), _component_candidate("y1", "yazidi", 9)],
        breaker=TieBreaker(seed="x"))
    assert [c.candidate_id for c in outcome.elected] == ["c1", "y1"]
    assert outcome.unfilled == {"christian": 1}
    assert outcome.ties == ()


def test_equal_votes_for_a_component_seat_are_a_tie_in_that_component():
    outcome = elect_components(
        {Component("shabak"): 1},
        [_component_candidate("s1", "shabak", 30), _component_candidate("s2", "shabak", 30)],
        breaker=TieBreaker(seed="x"))
    assert len(outcome.elected) == 1
    assert [(t.tie.kind, t.tie.scope, set(t.tie.contenders)) for t in outcome.ties] == [
        (TieKind.COMPONENT_SEAT, "shabak", {"s1", "s2"})]


# --- What the allocation report says about each replacement and each lot ----------------


def _drawn(result: Allocation) -> list[tuple[TieKind, str, set[str], int]]:
    return [(t.tie.kind, t.tie.scope, set(t.tie.contenders), t.tie.places) for t in result.ties]


def test_a_lot_between_a_lists_lowest_men_is_reported_in_that_list():
    # One list, 4 seats: m1 30, m2 30, m3 20, m4 20 elected; it owes ⌊4/4⌋ = 1 woman.
    # f1 takes the seat of one of m3 and m4 (equal votes): the report shows that lot,
    # drawn inside list L1 for one place, and stage A's reason for the replacement.
    council = contest(4, {"L1": 100},
                      {"L1": [("m1", "M", 30), ("m2", "M", 30), ("m3", "M", 20), ("m4", "M", 20),
                              ("f1", "F", 0)]})
    result = run(GC_2023, council)
    assert _drawn(result) == [(TieKind.QUOTA_REPLACED_MAN, "L1", {"m3", "m4"}, 1)]
    (move,) = result.quota.replacements
    assert (move.stage, move.reason, move.elected.candidate_id) == (
        "A", ReplacementReason.LIST_BELOW_ITS_SHARE, "f1")


def test_a_lot_between_a_lists_equal_women_is_reported_in_that_list():
    # L1 owes one woman (4 seats, all men); f1 and f2 have 5 votes each: one is drawn,
    # inside L1, and takes the seat of m4 (10), the lowest man.
    council = contest(4, {"L1": 100},
                      {"L1": [("m1", "M", 30), ("m2", "M", 30), ("m3", "M", 20), ("m4", "M", 10),
                              ("f1", "F", 5), ("f2", "F", 5)]})
    result = run(GC_2023, council)
    assert _drawn(result) == [(TieKind.QUOTA_WOMAN, "L1", {"f1", "f2"}, 1)]
    (move,) = result.quota.replacements
    assert move.replaced.candidate_id == "m4"


def test_the_lot_for_the_order_of_lists_is_drawn_for_the_whole_district():
    # G and H (1000 votes each, 4 seats each) both owe a woman; one place: the order of
    # the lists is drawn, and that lot belongs to the district, not to a list (scope "").
    council = contest(8, {"G": 1000, "H": 1000},
                      {"G": _four_men_and_a_woman("g"), "H": _four_men_and_a_woman("h")})
    result = run(ONE_SEAT_FOR_WOMEN, council=council)
    assert _drawn(result) == [(TieKind.QUOTA_LIST_ORDER, "", {"G", "H"}, 1)]


def _men_and_women(prefix: str, men: int, women: list[int]) -> list[tuple[str, str, int]]:
    """``men`` men with 1000, 990, … votes and women with the given (lower) votes."""
    return ([(f"{prefix}{n}", "M", 1000 - 10 * n) for n in range(men)]
            + [(f"{prefix}f{n}", "F", votes) for n, votes in enumerate(women)])


# G and H, 1000 votes each, share 16 seats: their quotients are equal all the way down,
# so each wins 8 (equal quotients that all win are not drawn). A list of 8 seats owes
# ⌊8/4⌋ = 2 women.
def _sixteen_seats(g: list[tuple[str, str, int]], h: list[tuple[str, str, int]]):
    return contest(16, {"G": 1000, "H": 1000}, {"G": g, "H": h})


def test_a_list_that_owes_no_woman_takes_no_part_in_the_lot_for_the_order():
    # H's two women are elected on their votes (2 of its 8): H owes nothing. G owes two
    # and the target (3) leaves one place: G alone is served, nothing is drawn.
    council = _sixteen_seats(_men_and_women("g", 8, [50, 40]),
                             [*_men_and_women("h", 6, []), ("hf0", "F", 2000), ("hf1", "F", 1500)])
    rules = dataclasses.replace(GC_2023, women_quota=dataclasses.replace(
        GC_2023.women_quota, target=FixedSeats(seats=3)))
    result = run(rules, council=council)
    assert result.quota.women_on_votes == 2
    assert [(r.stage, r.elected.candidate_id, r.replaced.candidate_id)
            for r in result.quota.replacements] == [("A", "gf0", "g7")]
    assert result.ties == ()


def test_the_list_that_loses_the_lot_for_the_order_is_served_with_what_is_left():
    # G and H both owe two women; the target is three. The lot decides which list goes
    # first and has its two; the other still gets the third place, in stage A: three
    # women seated, none through stage B, whichever way the lot falls.
    council = _sixteen_seats(_men_and_women("g", 8, [50, 40]), _men_and_women("h", 8, [50, 40]))
    rules = dataclasses.replace(GC_2023, women_quota=dataclasses.replace(
        GC_2023.women_quota, target=FixedSeats(seats=3)))
    for seed in ("1", "2", "3", "4"):
        result = allocate(council, rules=rules, breaker=TieBreaker(seed=seed))
        assert isinstance(result, Allocation)
        assert [t.tie.kind for t in result.ties] == [TieKind.QUOTA_LIST_ORDER]
        assert result.quota.women_seated == 3
        assert {r.stage for r in result.quota.replacements} == {"A"}
        assert sorted(r.elected.list_id for r in result.quota.replacements) in (
            ["G", "G", "H"], ["G", "H", "H"])


# Four lists share 8 seats, modified Sainte-Laguë (1.7): A 588.2, 333.3 | B 529.4, 300 |
# C 470.6, 266.7 | D 411.8, 233.3 are the eight best (A's next is 200): 2 seats each, so
# stage A asks nothing (⌊2/4⌋ = 0). The target is ⌈8/4⌉ = 2; af is elected on her votes.
def _four_lists(b: list[tuple[str, str, int]], c: list[tuple[str, str, int]]):
    return contest(8, {"A": 1000, "B": 900, "C": 800, "D": 700},
                   {"A": [("a1", "M", 100), ("af", "F", 90)], "B": b, "C": c,
                    "D": [("d1", "M", 100), ("d2", "M", 90), ("df", "F", 10)]})


def test_stage_b_seats_no_more_women_than_the_target_and_draws_among_equal_women():
    # One place is left (2 − 1). bf and cf have 50 votes each: one of them is drawn, for
    # the whole district, and takes the seat of her own list's lowest man.
    council = _four_lists(b=[("b1", "M", 100), ("b2", "M", 90), ("bf", "F", 50)],
                          c=[("c1", "M", 100), ("c2", "M", 90), ("cf", "F", 50)])
    result = run(GC_2023, council)
    assert result.quota.women_seated == 2
    assert _drawn(result) == [(TieKind.QUOTA_WOMAN, "", {"bf", "cf"}, 1)]
    (move,) = result.quota.replacements
    assert move.stage == "B"
    assert move.reason is ReplacementReason.DISTRICT_BELOW_TARGET
    assert (move.elected.candidate_id, move.replaced.candidate_id) in (
        ("bf", "b2"), ("cf", "c2"))


def test_in_stage_b_a_lot_between_a_lists_lowest_men_is_reported_in_that_list():
    # bf (80) is the best woman waiting; B's two men have 90 votes each: which of them
    # gives way is drawn, inside list B.
    council = _four_lists(b=[("b1", "M", 90), ("b2", "M", 90), ("bf", "F", 80)],
                          c=[("c1", "M", 100), ("c2", "M", 90), ("cf", "F", 50)])
    result = run(GC_2023, council)
    assert _drawn(result) == [(TieKind.QUOTA_REPLACED_MAN, "B", {"b1", "b2"}, 1)]
    (move,) = result.quota.replacements
    assert move.elected.candidate_id == "bf"


def test_the_2021_lot_between_the_districts_lowest_men_is_drawn_for_the_district():
    # Three seats by personal votes: a 900, b 700, c 700 (w, 600, is fourth). The district
    # seat for women goes to w; b and c, of different parties, are the lowest men with
    # equal votes: the lot between them belongs to the district (scope "").
    rules = get("iraq-cor-2021").rules
    council = contest(3, {"P1": 0, "P2": 0},
                      {"P1": [("a", "M", 900), ("b", "M", 700)],
                       "P2": [("c", "M", 700), ("w", "F", 600)]})
    result = run(rules, council)
    assert _drawn(result) == [(TieKind.QUOTA_REPLACED_MAN, "", {"b", "c"}, 1)]
    (move,) = result.quota.replacements
    assert move.elected.candidate_id == "w"


def test_with_no_man_elected_the_district_wide_stage_seats_nobody_and_reports_it():
    # The 2021 rule (a woman replaces the district's lowest-voted elected man, whatever
    # his party) with a target of ⌈3/2⌉ = 2: only w1 is elected, so one woman is missing,
    # but there is no man to give way. w2 stays out and the shortfall of 1 is reported.
    rule = WomenQuota(target=ShareOfSeats(share=Fraction(1, 2), rounding=Rounding.UP),
                      stages=(AcrossDistrictStage(label="A", own_list=False),))
    w1, w2 = (Candidate(candidate_id=CandidateId(c), list_id=ListId(p), sex=Sex.FEMALE, votes=v)
              for c, p, v in (("w1", "P1", 10), ("w2", "P2", 5)))
    outcome = apply_women_quota(rule, seats=3, list_votes={ListId("P1"): 10, ListId("P2"): 5},
                                elected={ListId("P1"): [w1]},
                                candidates={ListId("P1"): [w1], ListId("P2"): [w2]},
                                breaker=TieBreaker(seed="test"))
    assert (outcome.target, outcome.women_seated, outcome.shortfall) == (2, 1, 1)
    assert outcome.replacements == ()
