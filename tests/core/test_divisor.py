"""Highest-averages methods on small cases worked out by hand."""

from fractions import Fraction

import pytest

from shafaf.core.contest import ListId
from shafaf.core.seats import apportion
from shafaf.core.seats.apportionment import AwardReason
from shafaf.core.seats.divisor import dhondt, sainte_lague
from shafaf.core.ties import RecordedDraw, TieBreaker, TieKind, TieMethod, UndecidedTie

SEEDED = TieBreaker(seed="1-2-3-4-5")


def votes(**counts: int) -> dict[ListId, int]:
    return {ListId(k): v for k, v in counts.items()}


def seats_of(result) -> dict[str, int]:
    return {k: v for k, v in result.seats.items() if v}


def test_dhondt_favours_the_large_list():
    # A: 53000, 26500, 17667, 13250 | B: 24000, 12000 | C: 23000, 11500 → top 7.
    result = apportion(dhondt(), votes=votes(A=53000, B=24000, C=23000), seats=7, breaker=SEEDED)
    assert seats_of(result) == {"A": 4, "B": 2, "C": 1}
    assert [a.list_id for a in result.awards] == ["A", "A", "B", "C", "A", "A", "B"]


def test_sainte_lague_on_the_same_votes_gives_the_small_lists_more():
    # A: 53000, 17667, 10600 | B: 24000, 8000 | C: 23000, 7667 → top 7.
    result = apportion(sainte_lague(), votes=votes(A=53000, B=24000, C=23000), seats=7,
                       breaker=SEEDED)
    assert seats_of(result) == {"A": 3, "B": 2, "C": 2}


def test_first_divisor_of_1_7_keeps_a_small_list_out():
    # Plain: A 100, 33.3, 20 | B 30 → A2 B1.  First divisor 1.7: A 58.8, 33.3, 20 | B 17.6.
    plain = apportion(sainte_lague(), votes=votes(A=100, B=30), seats=3, breaker=SEEDED)
    modified = apportion(sainte_lague(Fraction(17, 10)), votes=votes(A=100, B=30), seats=3,
                         breaker=SEEDED)
    assert seats_of(plain) == {"A": 2, "B": 1}
    assert seats_of(modified) == {"A": 3}
    assert modified.divisors == (Fraction(17, 10), Fraction(3), Fraction(5), Fraction(7))
    assert modified.quotients()[ListId("A")][0] == Fraction(1000, 17)


def test_quotient_table_shows_the_first_losing_quotient():
    result = apportion(sainte_lague(Fraction(17, 10)), votes=votes(A=100, B=30), seats=3,
                       breaker=SEEDED)
    assert result.quotients()[ListId("A")] == (Fraction(1000, 17), Fraction(100, 3), Fraction(20),
                                             Fraction(100, 7))
    assert result.quotients()[ListId("B")] == (Fraction(300, 17),)


def test_a_list_never_gets_more_seats_than_candidates():
    result = apportion(sainte_lague(), votes=votes(A=100, B=10), seats=3, caps=votes(A=1, B=5),
                       breaker=SEEDED)
    assert seats_of(result) == {"A": 1, "B": 2}
    assert result.capped == ("A",)


def test_seats_stay_unfilled_when_every_list_is_out_of_candidates():
    result = apportion(dhondt(), votes=votes(A=100, B=10), seats=5, caps=votes(A=1, B=1),
                       breaker=SEEDED)
    assert seats_of(result) == {"A": 1, "B": 1}
    assert result.unfilled == 3


def test_lists_without_votes_win_nothing():
    result = apportion(dhondt(), votes=votes(A=0, B=0), seats=2, breaker=SEEDED)
    assert seats_of(result) == {}
    assert result.unfilled == 2


def test_threshold_excludes_small_lists():
    # Without C: A 60, 30, 20, 15, 12, 10 | B 36, 18, 12, 9 → top 10.
    result = apportion(dhondt(), votes=votes(A=60, B=36, C=4), seats=10,
                       threshold=Fraction(5, 100), breaker=SEEDED)
    assert result.below_threshold == ("C",)
    assert seats_of(result) == {"A": 6, "B": 4}


def test_equal_quotients_above_the_cut_are_not_a_tie():
    result = apportion(dhondt(), votes=votes(A=10, B=10, C=1), seats=2, breaker=TieBreaker())
    assert seats_of(result) == {"A": 1, "B": 1}
    assert result.ties == ()


def test_equal_quotients_for_the_last_seat_need_a_lot():
    with pytest.raises(UndecidedTie) as caught:
        apportion(dhondt(), votes=votes(A=15, B=10, C=10), seats=2, breaker=TieBreaker())
    assert caught.value.tie.kind is TieKind.LIST_SEAT
    assert caught.value.tie.contenders == ("B", "C")
    assert caught.value.tie.places == 1


def test_a_seeded_lot_draws_by_ticket_order():
    # shafaf-lottery/1 with seed 1-2-3-4-5 orders B before A before C (domain brief, §4).
    result = apportion(dhondt(), votes=votes(A=10, B=10, C=10), seats=1, breaker=SEEDED)
    assert seats_of(result) == {"B": 1}
    (tie,) = result.ties
    assert tie.method is TieMethod.LOT_SEED
    assert tie.order == ("B", "A", "C")
    assert result.awards[0].tie


def test_a_recorded_physical_draw_decides_the_tie():
    breaker = TieBreaker(draws=(RecordedDraw(order=("C", "B")),))
    result = apportion(dhondt(), votes=votes(A=15, B=10, C=10), seats=2, breaker=breaker)
    assert seats_of(result) == {"A": 1, "C": 1}
    assert result.ties[0].method is TieMethod.PHYSICAL_DRAW


# A, B, C, D with 470, 170, 90 and 80 votes for 7 seats: a case where the first divisor
# alone decides, worked by hand (quotients rounded to two places; * marks a seat):
#
#   first divisor 1.7 (Iraq 2023)       | 1.0 (plain Sainte-Laguë), 1.4 (Norway)
#   A 276.47* 156.67* 94.00* 67.14* 52.22 | A 470.00*/335.71* 156.67* 94.00* 67.14*
#   B 100.00*  56.67*                     | B 170.00*/121.43*  56.67
#   C  52.94*                             | C  90.00*/64.29*
#   D  47.06                              | D  80.00*/57.14*
#   → A4 B2 C1: C's 52.94 beats A's fifth, | → A4 B1 C1 D1: D's 80 or 57.14 beats B's
#     52.22; D's 47.06 does not.           |   second, 56.67.
#
#   first divisor 1.9                     | d'Hondt (1, 2, 3, …)
#   A 247.37* 156.67* 94.00* 67.14* 52.22*| A 470* 235* 156.67* 117.5* 94* 78.33
#   B  89.47*  56.67*                     | B 170*  85
#   C  47.37                              | C  90*
#   D  42.11                              | D  80
#   → A5 B2: C's 47.37 loses to 52.22.    | → A5 B1 C1: B's second, 85, loses to C's 90.
DECISIVE = {"A": 470, "B": 170, "C": 90, "D": 80}


@pytest.mark.parametrize(("method", "expected"), [
    (sainte_lague(Fraction(17, 10)), {"A": 4, "B": 2, "C": 1}),
    (sainte_lague(), {"A": 4, "B": 1, "C": 1, "D": 1}),
    (sainte_lague(Fraction(14, 10)), {"A": 4, "B": 1, "C": 1, "D": 1}),
    (sainte_lague(Fraction(19, 10)), {"A": 5, "B": 2}),
    (dhondt(), {"A": 5, "B": 1, "C": 1}),
], ids=["1.7", "1.0", "1.4", "1.9", "dhondt"])
def test_the_first_divisor_decides_who_gets_the_last_seats(method, expected):
    result = apportion(method, votes=votes(**DECISIVE), seats=7, breaker=SEEDED)
    assert seats_of(result) == expected
    assert result.ties == ()


def test_the_seventh_seat_under_1_7_goes_to_c_on_its_first_quotient():
    result = apportion(sainte_lague(Fraction(17, 10)), votes=votes(**DECISIVE), seats=7,
                       breaker=SEEDED)
    assert [a.list_id for a in result.awards] == ["A", "A", "B", "A", "A", "B", "C"]
    assert result.awards[-1].value == Fraction(900, 17)
    assert result.awards[-1].divisor == Fraction(17, 10)


def test_each_method_has_the_code_the_published_report_names_it_by():
    assert dhondt().code == "dhondt"
    assert sainte_lague().code == "sainte_lague"
    assert sainte_lague(Fraction(17, 10)).code == "modified_sainte_lague:1.7"
    assert sainte_lague(Fraction(2)).code == "modified_sainte_lague:2"


def test_seats_are_numbered_in_the_order_they_are_won():
    result = apportion(sainte_lague(Fraction(17, 10)), votes=votes(**DECISIVE), seats=7,
                       breaker=SEEDED)
    assert [a.seat for a in result.awards] == [1, 2, 3, 4, 5, 6, 7]
    assert {a.reason for a in result.awards} == {AwardReason.QUOTIENT}
    assert not any(a.tie for a in result.awards)


def test_equal_quotients_that_all_win_are_not_drawn():
    # A 10, B 10 for 2 seats: both first quotients win; nothing is decided by lot.
    result = apportion(sainte_lague(), votes=votes(A=10, B=10), seats=2, breaker=SEEDED)
    assert seats_of(result) == {"A": 1, "B": 1}
    assert [a.tie for a in result.awards] == [False, False]
    assert result.ties == ()


def test_equal_quotients_for_the_last_seat_are_drawn_and_recorded():
    # A 30, 10 | B 10: the second seat is A's second quotient or B's first, by lot.
    result = apportion(sainte_lague(), votes=votes(A=30, B=10), seats=2, breaker=SEEDED)
    assert [(t.tie.kind, t.tie.scope, set(t.tie.contenders), t.tie.places)
            for t in result.ties] == [(TieKind.LIST_SEAT, "", {"A", "B"}, 1)]
    assert [a.tie for a in result.awards] == [False, True]
    assert result.capped == ()


def test_a_list_at_its_cap_whose_next_quotient_would_lose_anyway_is_not_capped_out():
    # A 100 (1 candidate), B 90, 2 seats: A 100 and B 90 win; A's next, 33.3, would
    # not have beaten B's 90, so A lost nothing to its cap.
    result = apportion(sainte_lague(), votes=votes(A=100, B=90), seats=2, caps=votes(A=1),
                       breaker=SEEDED)
    assert seats_of(result) == {"A": 1, "B": 1}
    assert result.capped == ()


def test_a_list_whose_next_quotient_ties_the_last_seat_lost_it_to_its_cap():
    # A 30 (1 candidate), B 10, 2 seats: A 30, then A's 10 and B's 10 are equal, but A
    # has no candidate left: B takes the seat, and A is reported as capped.
    result = apportion(sainte_lague(), votes=votes(A=30, B=10), seats=2, caps=votes(A=1),
                       breaker=SEEDED)
    assert seats_of(result) == {"A": 1, "B": 1}
    assert result.capped == ("A",)
    assert result.ties == ()


def test_no_lists_leave_every_seat_unfilled():
    result = apportion(sainte_lague(Fraction(17, 10)), votes={}, seats=3, breaker=SEEDED)
    assert result.awards == ()
    assert result.unfilled == 3
    assert result.divisors == (Fraction(17, 10),)
