"""Seats to lists checked against votelib 0.4.0, an independent implementation of
the divisor methods, on random vote tables and on hand-checked cases."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from numbers import Number

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from votelib.component import divisor
from votelib.evaluate.core import Tie
from votelib.evaluate.proportional import HighestAverages as VotelibHighestAverages

from shafaf.core.contest import ListId
from shafaf.core.seats import HighestAverages, apportion
from shafaf.core.seats.divisor import dhondt, sainte_lague
from shafaf.core.ties import TieBreaker

DivisorFunction = str | Callable[[int], Number]
Election = tuple[dict[ListId, int], int, dict[ListId, int]]


def modified(first: Fraction) -> Callable[[int], Number]:
    return divisor.modified_first_coef(divisor.sainte_lague, first)


PAIRS = [
    pytest.param(dhondt(), "d_hondt", id="dhondt"),
    pytest.param(sainte_lague(), "sainte_lague", id="sainte_lague"),
    *(
        pytest.param(sainte_lague(first), modified(first), id=f"sainte_lague_{float(first)}")
        for first in (Fraction(7, 5), Fraction(17, 10), Fraction(19, 10))
    ),
]


@st.composite
def elections(draw: st.DrawFn, *, capped: bool) -> Election:
    counts = draw(st.lists(st.integers(0, 100_000), min_size=2, max_size=15))
    votes = {ListId(f"L{i:02d}"): n for i, n in enumerate(counts)}
    caps = {list_id: draw(st.integers(0, 10)) for list_id in votes} if capped else {}
    return votes, draw(st.integers(1, 60)), caps


def shafaf_seats(
    method: HighestAverages, votes: Mapping[ListId, int], seats: int, caps: Mapping[ListId, int]
) -> dict[ListId, int] | None:
    """Seats of the lists that win any; None when a lot decides a seat."""
    result = apportion(method, votes=votes, seats=seats, caps=caps, breaker=TieBreaker(seed="0"))
    return None if result.ties else {list_id: n for list_id, n in result.seats.items() if n}


def votelib_seats(
    divisor_function: DivisorFunction,
    votes: Mapping[ListId, int],
    seats: int,
    caps: Mapping[ListId, int],
) -> dict[ListId, int] | None:
    """Seats of the lists that win any; None when votelib reports a tie."""
    # votelib gives a list with no votes a quotient of 0, so once every list with
    # votes is capped it seats the empty lists (or reports a tie among them);
    # shafaf, like the law, never seats a list nobody voted for. Lists without
    # votes are therefore left out of votelib's input, and so are lists without
    # candidates, as votelib fails on a table where no list can take a seat.
    runners = {
        list_id: n for list_id, n in votes.items() if n > 0 and caps.get(list_id, seats) > 0
    }
    if not runners:
        return {}
    result = VotelibHighestAverages(divisor_function).evaluate(
        runners, seats, max_seats={list_id: caps[list_id] for list_id in runners if list_id in caps}
    )
    if any(isinstance(key, Tie) for key in result):
        return None
    return {list_id: n for list_id, n in result.items() if n}


@pytest.mark.parametrize(("method", "divisor_function"), PAIRS)
@settings(max_examples=100, deadline=None)
@given(election=elections(capped=False))
def test_divisor_methods_agree_with_votelib(
    method: HighestAverages, divisor_function: DivisorFunction, election: Election
) -> None:
    """Any vote table gets the same seats from shafaf as from votelib."""
    ours, theirs = shafaf_seats(method, *election), votelib_seats(divisor_function, *election)
    assume(ours is not None and theirs is not None)
    assert ours == theirs


@pytest.mark.parametrize(("method", "divisor_function"), PAIRS)
@settings(max_examples=100, deadline=None)
@given(election=elections(capped=True))
def test_divisor_methods_with_caps_agree_with_votelib(
    method: HighestAverages, divisor_function: DivisorFunction, election: Election
) -> None:
    """Lists that run out of candidates drop out at the same point in both."""
    ours, theirs = shafaf_seats(method, *election), votelib_seats(divisor_function, *election)
    assume(ours is not None and theirs is not None)
    assert ours == theirs


# Quotients are written out so each case can be checked by hand.
FIXED = [
    # 100000, 80000, 50000, 40000, 33333, 30000, 26667; D's 20000 misses.
    pytest.param(dhondt(), "d_hondt", {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}, 7,
                 {}, {"A": 3, "B": 3, "C": 1}, id="dhondt"),
    # 100000, 80000, 33333, 30000, 26667, then A/5 = D/1 = 20000 take the last two.
    pytest.param(sainte_lague(), "sainte_lague",
                 {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}, 7,
                 {}, {"A": 3, "B": 2, "C": 1, "D": 1}, id="sainte_lague"),
    # A 7142.9, 3333.3, 2000, 1428.6; B 2857.1, 1333.3; C's 1071.4 misses
    # (plain Sainte-Laguë would seat C with 1500).
    pytest.param(sainte_lague(Fraction(7, 5)), modified(Fraction(7, 5)),
                 {"A": 10_000, "B": 4_000, "C": 1_500}, 6,
                 {}, {"A": 4, "B": 2}, id="sainte_lague_1.4"),
    # A 588.2, 333.3; B 294.1; C 211.8 beats A's 200.
    pytest.param(sainte_lague(Fraction(17, 10)), modified(Fraction(17, 10)),
                 {"A": 1_000, "B": 500, "C": 360}, 4,
                 {}, {"A": 2, "B": 1, "C": 1}, id="sainte_lague_1.7"),
    # A 526.3, 333.3, 200; B 263.2; C's 189.5 now loses to A's 200.
    pytest.param(sainte_lague(Fraction(19, 10)), modified(Fraction(19, 10)),
                 {"A": 1_000, "B": 500, "C": 360}, 4,
                 {}, {"A": 3, "B": 1}, id="sainte_lague_1.9"),
    # A stops at its 2 candidates: B 2857.1, 1333.3, 800; C 1071.4 take A's place.
    pytest.param(sainte_lague(Fraction(7, 5)), modified(Fraction(7, 5)),
                 {"A": 10_000, "B": 4_000, "C": 1_500}, 6,
                 {"A": 2}, {"A": 2, "B": 3, "C": 1}, id="sainte_lague_1.4_capped"),
]


@pytest.mark.parametrize(("method", "divisor_function", "votes", "seats", "caps", "expected"),
                         FIXED)
def test_hand_checked_cases(
    method: HighestAverages,
    divisor_function: DivisorFunction,
    votes: dict[ListId, int],
    seats: int,
    caps: dict[ListId, int],
    expected: dict[ListId, int],
) -> None:
    """Both implementations give the seats worked out by hand."""
    assert shafaf_seats(method, votes, seats, caps) == expected
    assert votelib_seats(divisor_function, votes, seats, caps) == expected
