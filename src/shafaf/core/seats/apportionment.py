"""The result of distributing seats among lists, with every step that led to it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from shafaf.core.contest import ListId
from shafaf.core.ties import TieResolution


class AwardReason(StrEnum):
    QUOTIENT = "quotient"
    """Highest averages: the list had one of the largest quotients."""
    QUOTA = "quota"
    """Largest remainder: the list's votes filled a whole quota."""
    REMAINDER = "remainder"
    """Largest remainder: the list had one of the largest remainders."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SeatAward:
    """The ``seat``-th seat to fall, in order, and why."""

    seat: int
    list_id: ListId
    reason: AwardReason
    value: Fraction
    """The quotient (or remainder) that won the seat; for a quota seat, the quota."""
    divisor: Fraction | None = None
    tie: bool = False
    """True when this seat was decided by lot among equal values."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Apportionment:
    seats: Mapping[ListId, int]
    """Seats won by every list, zero included."""
    awards: tuple[SeatAward, ...]
    votes: Mapping[ListId, int]
    """The votes the seats were distributed on (after any votes struck)."""
    eligible: tuple[ListId, ...]
    """Lists that could win seats: with votes, and above any threshold."""
    caps: Mapping[ListId, int]
    divisors: tuple[Fraction, ...]
    """Highest averages: the divisors, as deep as the quotient table needs; empty
    for largest remainder."""
    quota: Fraction | None
    """Largest remainder: the quota."""
    below_threshold: tuple[ListId, ...]
    capped: tuple[ListId, ...]
    """Lists that ran out of candidates before the seats ran out."""
    unfilled: int
    """Seats nobody could take (every list capped or without votes)."""
    ties: tuple[TieResolution, ...]

    def quotients(self) -> dict[ListId, tuple[Fraction, ...]]:
        """Highest averages: each list's quotients, up to and including the first
        that won nothing (or its last, if it ran out of candidates), so the cut can be
        checked by hand. Built on request: only a report needs it."""
        table: dict[ListId, tuple[Fraction, ...]] = {}
        if not self.divisors:
            return table
        for list_id in self.eligible:
            depth = min(self.seats[list_id] + 1, self.caps.get(list_id, self.seats[list_id] + 1))
            votes = self.votes[list_id]
            table[list_id] = tuple(
                Fraction(votes * d.denominator, d.numerator) for d in self.divisors[:depth])
        return table
