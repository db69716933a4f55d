"""Seats to lists, and seats to candidates inside a list or a district.

``apportion`` dispatches to the method's module; each module cites its rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from shafaf.core.contest import ListId
from shafaf.core.seats.apportionment import Apportionment, SeatAward
from shafaf.core.seats.divisor import HighestAverages, apportion_by_divisors
from shafaf.core.seats.largest_remainder import LargestRemainder, apportion_by_remainders
from shafaf.core.seats.threshold import passing_threshold
from shafaf.core.ties import TieBreaker

Method = HighestAverages | LargestRemainder

__all__ = [
    "Apportionment",
    "HighestAverages",
    "LargestRemainder",
    "Method",
    "SeatAward",
    "apportion",
]


def apportion(
    method: Method,
    *,
    votes: Mapping[ListId, int],
    seats: int,
    caps: Mapping[ListId, int] | None = None,
    threshold: Fraction | None = None,
    breaker: TieBreaker,
) -> Apportionment:
    """Distribute ``seats`` among lists by ``method``.

    ``caps`` limits a list to as many seats as it has candidates; a list not in
    ``caps`` is unlimited. ``threshold`` is a share of all list votes below
    which a list takes no seat.
    """
    eligible, below = passing_threshold(votes, threshold)
    if isinstance(method, HighestAverages):
        return apportion_by_divisors(
            method, votes=votes, eligible=eligible, below_threshold=below,
            seats=seats, caps=caps or {}, breaker=breaker,
        )
    return apportion_by_remainders(
        method, votes=votes, eligible=eligible, below_threshold=below,
        seats=seats, caps=caps or {}, breaker=breaker,
    )
