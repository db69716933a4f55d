"""Highest-averages (divisor) methods: d'Hondt, Sainte-Laguë, modified Sainte-Laguë.

Each list's votes are divided by a rising sequence of divisors; the seats go,
one each, to the largest quotients. Iraq's governorate councils (Law 12 of 2018
as amended by Law 4 of 2023, art. 14) use Sainte-Laguë with the first divisor
raised to 1.7: 1.7, 3, 5, 7, … (domain brief, section 2.2). Quotients are exact
fractions: 1.7 is 17/10, never a float.

A list never gets more seats than it has candidates: once its candidates are
used up it drops out, and the seat goes to the next largest quotient. Equal
quotients for fewer seats than lists are a tie, drawn by lot; equal quotients
above the cut all win and are not a tie.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from shafaf.core.contest import ListId
from shafaf.core.seats.apportionment import Apportionment, AwardReason, SeatAward
from shafaf.core.ties import TieBreaker, TieKind, TieResolution, choose_best


class DivisorSeries(StrEnum):
    DHONDT = "dhondt"
    """1, 2, 3, 4, …"""
    SAINTE_LAGUE = "sainte_lague"
    """1, 3, 5, 7, …"""


@dataclass(frozen=True, slots=True, kw_only=True)
class HighestAverages:
    series: DivisorSeries
    first_divisor: Fraction | None = None
    """Replaces the series' first divisor (1.7 for Iraq 2023, 1.4 in Norway)."""

    def divisor(self, seats_won: int) -> Fraction:
        if seats_won == 0 and self.first_divisor is not None:
            return self.first_divisor
        if self.series is DivisorSeries.DHONDT:
            return Fraction(seats_won + 1)
        return Fraction(2 * seats_won + 1)

    @property
    def code(self) -> str:
        if self.first_divisor is None:
            return self.series.value
        return f"modified_{self.series.value}:{_decimal(self.first_divisor)}"


def dhondt() -> HighestAverages:
    return HighestAverages(series=DivisorSeries.DHONDT)


def sainte_lague(first_divisor: Fraction | None = None) -> HighestAverages:
    """Sainte-Laguë; with ``first_divisor``, its modified form (1.4, 1.7, 1.9…)."""
    return HighestAverages(series=DivisorSeries.SAINTE_LAGUE, first_divisor=first_divisor)


def _decimal(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return str(float(value))


def apportion_by_divisors(
    method: HighestAverages,
    *,
    votes: Mapping[ListId, int],
    eligible: tuple[ListId, ...],
    below_threshold: tuple[ListId, ...],
    seats: int,
    caps: Mapping[ListId, int],
    breaker: TieBreaker,
) -> Apportionment:
    won: dict[ListId, int] = dict.fromkeys(votes, 0)
    awards: list[SeatAward] = []
    ties: list[TieResolution] = []
    divisors = [method.divisor(k) for k in range(max(seats, 1))]
    # Order quotients by exact integers: votes × (M ÷ divisor), where M is a common
    # multiple of every divisor's numerator. Integer comparisons are exact (equal
    # quotients stay equal, so ties are found) and far cheaper than Fractions.
    common = math.lcm(*(d.numerator for d in divisors))
    scale = [d.denominator * (common // d.numerator) for d in divisors]
    heap: list[tuple[int, ListId]] = []

    def offer(list_id: ListId) -> None:
        k = won[list_id]
        if k < seats and k < caps.get(list_id, seats):
            heapq.heappush(heap, (-votes[list_id] * scale[k], list_id))

    for list_id in eligible:
        offer(list_id)
    remaining = seats
    while remaining > 0 and heap:
        best, first = heapq.heappop(heap)
        group = [first]
        while heap and heap[0][0] == best:
            group.append(heapq.heappop(heap)[1])
        winners = sorted(group)
        decided_by_lot = len(group) > remaining
        if decided_by_lot:
            winners, resolution = choose_best(
                group, places=remaining, key=lambda _: 0, ident=str,
                kind=TieKind.LIST_SEAT, scope="", breaker=breaker,
            )
            if resolution is not None:
                ties.append(resolution)
        for list_id in winners:
            divisor = divisors[won[list_id]]
            awards.append(
                SeatAward(
                    seat=seats - remaining + 1, list_id=list_id, reason=AwardReason.QUOTIENT,
                    value=Fraction(votes[list_id] * divisor.denominator, divisor.numerator),
                    divisor=divisor, tie=decided_by_lot,
                )
            )
            won[list_id] += 1
            remaining -= 1
            offer(list_id)

    # A list "lost to its cap" if its next quotient would still have won a seat.
    last_winning = awards[-1].value if awards and remaining == 0 else Fraction(0)
    capped = [
        list_id for list_id in eligible
        if list_id in caps and won[list_id] >= caps[list_id]
        and Fraction(votes[list_id]) / method.divisor(won[list_id]) >= last_winning
    ]
    return Apportionment(
        seats=won,
        awards=tuple(awards),
        votes=votes,
        eligible=eligible,
        caps=caps,
        divisors=tuple(method.divisor(k) for k in range(max(won.values(), default=0) + 1)),
        quota=None,
        below_threshold=below_threshold,
        capped=tuple(capped),
        unfilled=remaining,
        ties=tuple(ties),
    )
