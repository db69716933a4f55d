"""Largest-remainder methods: Hare and Droop quotas.

Each list takes one seat for every whole quota its votes fill; the seats left
go to the largest remainders, one per list. Offered for laws whose formula is
a quota method, and for the Kurdistan Region's 2024 parliament, where the
sources disagree between a quota method and Sainte-Laguë (domain brief, §5).

- Hare quota: total votes ÷ seats (exact).
- Droop quota: ⌊total votes ÷ (seats + 1)⌋ + 1, the smallest whole number that
  cannot be filled more times than there are seats.

The quota is taken over the votes of the lists that pass the threshold.
**Interpretation** where laws differ: a list that runs out of candidates keeps
what it has; when the caps leave seats over after every other list took one
remainder seat, further rounds follow in the same remainder order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from shafaf.core.contest import ListId
from shafaf.core.seats.apportionment import Apportionment, AwardReason, SeatAward
from shafaf.core.ties import TieBreaker, TieKind, TieResolution, choose_best


class QuotaKind(StrEnum):
    HARE = "hare"
    DROOP = "droop"


@dataclass(frozen=True, slots=True, kw_only=True)
class LargestRemainder:
    quota: QuotaKind

    @property
    def code(self) -> str:
        return f"largest_remainder_{self.quota.value}"

    def quota_for(self, *, total_votes: int, seats: int) -> Fraction:
        if self.quota is QuotaKind.HARE:
            return Fraction(total_votes, seats)
        return Fraction(total_votes // (seats + 1) + 1)


def hare() -> LargestRemainder:
    return LargestRemainder(quota=QuotaKind.HARE)


def droop() -> LargestRemainder:
    return LargestRemainder(quota=QuotaKind.DROOP)


def apportion_by_remainders(
    method: LargestRemainder,
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
    total = sum(votes[list_id] for list_id in eligible)
    if seats == 0 or total == 0:
        return _result(votes, eligible, caps, won, awards, None, below_threshold, set(), seats,
                       ties)

    quota = method.quota_for(total_votes=total, seats=seats)
    cap = {list_id: caps.get(list_id, seats) for list_id in eligible}
    remainders: dict[ListId, Fraction] = {}
    for list_id in eligible:
        share = Fraction(votes[list_id]) / quota
        whole = math.floor(share)
        remainders[list_id] = share - whole
        for _ in range(min(whole, cap[list_id])):
            won[list_id] += 1
            awards.append(
                SeatAward(seat=len(awards) + 1, list_id=list_id,
                          reason=AwardReason.QUOTA, value=quota)
            )
    remaining = seats - len(awards)
    while remaining > 0:
        open_lists = [list_id for list_id in eligible if won[list_id] < cap[list_id]]
        if not open_lists:
            break
        winners, resolution = choose_best(
            open_lists, places=min(remaining, len(open_lists)),
            key=lambda list_id: remainders[list_id], ident=str,
            kind=TieKind.LIST_SEAT, scope="", breaker=breaker,
        )
        if resolution is not None:
            ties.append(resolution)
        lot = set(resolution.tie.contenders) if resolution else set()
        for list_id in winners:
            won[list_id] += 1
            remaining -= 1
            awards.append(
                SeatAward(seat=len(awards) + 1, list_id=list_id, reason=AwardReason.REMAINDER,
                          value=remainders[list_id], tie=list_id in lot)
            )
    # A list "lost to its cap" if it had a claim left when its candidates ran out: a
    # further quota, a remainder as large as one that won, or seats left unfilled.
    smallest_winning = min((a.value for a in awards if a.reason is AwardReason.REMAINDER),
                           default=None)
    capped = {
        list_id for list_id in eligible
        if list_id in caps and won[list_id] >= cap[list_id] and (
            remaining > 0
            or Fraction(votes[list_id]) / quota > cap[list_id]
            or (smallest_winning is not None and remainders[list_id] >= smallest_winning))
    }
    return _result(votes, eligible, caps, won, awards, quota, below_threshold, capped, remaining,
                   ties)


def _result(
    votes: Mapping[ListId, int],
    eligible: tuple[ListId, ...],
    caps: Mapping[ListId, int],
    won: dict[ListId, int],
    awards: list[SeatAward],
    quota: Fraction | None,
    below_threshold: tuple[ListId, ...],
    capped: set[ListId],
    unfilled: int,
    ties: list[TieResolution],
) -> Apportionment:
    return Apportionment(
        seats=won, awards=tuple(awards), votes=votes, eligible=eligible, caps=caps,
        divisors=(), quota=quota,
        below_threshold=below_threshold, capped=tuple(sorted(capped)),
        unfilled=unfilled, ties=tuple(ties),
    )
