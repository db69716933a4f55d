"""How a polling centre's voters fill its stations (docs/register-stations.md).

The centre's active voters, in the order of its lists, are cut into contiguous runs,
one run per station: station 1 takes the first run, station 2 the next, and so on.
The centre gets as few stations as the maximum per station allows
(``ceil(voters / maximum)``), and the runs are as even as possible: they differ by at
most one voter, the longer ones first. So no station is ever above the maximum, and
no station is left with a handful of voters while its neighbour is full: the queues
on polling day are alike, and a voter finds their station from the first and last
names posted on each station's door.

Pure: no Django, no database. The database applies the same arithmetic to each
voter's rank in its centre (:func:`station_of` is the formula it uses).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Filling:
    """How one centre's voters fill its stations."""

    voters: int
    maximum: int

    def __post_init__(self) -> None:
        if self.voters < 0:
            raise ValueError("a centre cannot have fewer than no voters")
        if self.maximum < 1:
            raise ValueError("the maximum per station must be at least one voter")

    @property
    def stations(self) -> int:
        """How many stations: the fewest that keep every station within the maximum."""
        return -(-self.voters // self.maximum)

    @property
    def base(self) -> int:
        """The voters of a shorter station (the longer ones have one more)."""
        return self.voters // self.stations if self.stations else 0

    @property
    def longer(self) -> int:
        """How many stations, the first ones, take one voter more than :attr:`base`."""
        return self.voters % self.stations if self.stations else 0

    def sizes(self) -> tuple[int, ...]:
        """Each station's voters, station 1 first."""
        return tuple(self.base + (1 if number <= self.longer else 0)
                     for number in range(1, self.stations + 1))

    def largest(self) -> int:
        return self.base + (1 if self.longer else 0)

    def runs(self) -> tuple[tuple[int, int], ...]:
        """Each station's run as (first, last) ranks in the centre's list, from 1."""
        runs, first = [], 1
        for size in self.sizes():
            runs.append((first, first + size - 1))
            first += size
        return tuple(runs)


def fill(voters: int, maximum: int) -> Filling:
    return Filling(voters, maximum)


def station_of(rank: int, *, base: int, longer: int) -> int:
    """The station number of the voter ranked ``rank`` (from 1) in a centre filled with
    ``longer`` stations of ``base + 1`` voters, then stations of ``base``."""
    if rank < 1:
        raise ValueError("ranks start at 1")
    head = longer * (base + 1)
    if rank <= head:
        return (rank - 1) // (base + 1) + 1
    return longer + (rank - 1 - head) // base + 1
