"""Largest-remainder methods on small cases worked out by hand."""

from fractions import Fraction

import pytest

from shafaf.core.contest import ListId
from shafaf.core.seats import apportion
from shafaf.core.seats.apportionment import AwardReason
from shafaf.core.seats.largest_remainder import droop, hare
from shafaf.core.ties import TieBreaker, UndecidedTie

VOTES = {ListId("A"): 53000, ListId("B"): 24000, ListId("C"): 23000}


def test_hare_gives_whole_quotas_then_largest_remainders():
    # Quota 100000/7 = 14285.7: A 3.71, B 1.68, C 1.61 → 3+1+1, remainders to A and B.
    result = apportion(hare(), votes=VOTES, seats=7, breaker=TieBreaker())
    assert result.quota == Fraction(100000, 7)
    assert dict(result.seats) == {"A": 4, "B": 2, "C": 1}
    assert [a.reason for a in result.awards].count(AwardReason.REMAINDER) == 2


def test_droop_quota_is_whole():
    # Quota ⌊100000/8⌋ + 1 = 12501: A 4.24, B 1.92, C 1.84 → 4+1+1, one remainder to B.
    result = apportion(droop(), votes=VOTES, seats=7, breaker=TieBreaker())
    assert result.quota == 12501
    assert dict(result.seats) == {"A": 4, "B": 2, "C": 1}
    assert result.awards[-1].list_id == "B"


def test_hare_differs_from_dhondt_for_small_lists():
    # Quota 10: A 8.5, B 1.5 → 8+1, last seat to the larger remainder... both .5: a tie.
    votes = {ListId("A"): 85, ListId("B"): 15}
    with pytest.raises(UndecidedTie):
        apportion(hare(), votes=votes, seats=10, breaker=TieBreaker())
    drawn = apportion(hare(), votes=votes, seats=10, breaker=TieBreaker(seed="x"))
    assert sum(drawn.seats.values()) == 10


def test_capped_lists_pass_their_seats_on():
    result = apportion(hare(), votes=VOTES, seats=7, caps={ListId("A"): 2},
                       breaker=TieBreaker())
    assert dict(result.seats) == {"A": 2, "B": 3, "C": 2}
    assert result.capped == ("A",)
