"""Ties as values, and how they are decided (domain brief, sections 2.3, 2.4 and 4.5).

Only a tie that decides something is a tie: equal quotients or equal votes
above the cut change nothing and are not reported. A tie that decides a seat
or a quota replacement is decided by lot in public. Shafaf accepts either a
seed built at a public ceremony (``shafaf-lottery/1``: the tied ids ordered by
ticket, first wins) or the recorded result of a physical draw. Without either,
the computation stops and hands the tie back to the caller, so that no seat is
ever given by the accident of input order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar


class TieKind(StrEnum):
    LIST_SEAT = "list_seat"
    """Lists with equal quotients (or remainders) for fewer seats than lists."""
    CANDIDATE_SEAT = "candidate_seat"
    """Candidates with equal votes for a seat of their list (or of an SNTV district)."""
    QUOTA_WOMAN = "quota_woman"
    """Women with equal votes for fewer quota seats than women."""
    QUOTA_REPLACED_MAN = "quota_replaced_man"
    """Lowest-voted elected men with equal votes, fewer of whom give up a seat."""
    QUOTA_LIST_ORDER = "quota_list_order"
    """Lists with equal votes that each owe a woman, when the target runs out
    before all of them are served."""
    COMPONENT_SEAT = "component_seat"
    """Candidates of a component with equal votes for its reserved seat."""


class TieMethod(StrEnum):
    LOT_SEED = "lot_seed"
    PHYSICAL_DRAW = "physical_draw"


@dataclass(frozen=True, slots=True, kw_only=True)
class Tie:
    """``places`` of the ``contenders`` are to be chosen, and their standing is equal.

    For :attr:`TieKind.QUOTA_REPLACED_MAN` the chosen ones are those who give
    up their seat. ``scope`` names the list or component the tie is inside,
    or is empty for the whole district.
    """

    kind: TieKind
    scope: str
    contenders: tuple[str, ...]
    places: int

    def describe_ids(self) -> str:
        return ", ".join(self.contenders)


@dataclass(frozen=True, slots=True, kw_only=True)
class TieResolution:
    tie: Tie
    method: TieMethod
    order: tuple[str, ...]
    """Every contender, in the order drawn; the first ``places`` are chosen."""
    seed_sha256: str | None = None
    tickets: tuple[tuple[str, str], ...] = ()
    """(id, ticket) for a seeded lot, in draw order."""

    @property
    def chosen(self) -> tuple[str, ...]:
        return self.order[: self.tie.places]


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedDraw:
    """The result of a lot drawn physically: the tied ids in the order drawn."""

    order: tuple[str, ...]


class UndecidedTie(Exception):
    """Raised inside a computation when a deciding tie has no way to be drawn."""

    def __init__(self, tie: Tie) -> None:
        super().__init__(f"undecided {tie.kind} tie among {tie.describe_ids()}")
        self.tie = tie


@dataclass(frozen=True, slots=True, kw_only=True)
class TieBreaker:
    """How deciding ties are drawn: recorded physical draws first, then the seed."""

    seed: str | None = None
    draws: tuple[RecordedDraw, ...] = ()

    def resolve(self, tie: Tie) -> TieResolution:
        wanted = set(tie.contenders)
        for draw in self.draws:
            if set(draw.order) == wanted and len(draw.order) == len(wanted):
                return TieResolution(tie=tie, method=TieMethod.PHYSICAL_DRAW, order=draw.order)
        if self.seed is None:
            raise UndecidedTie(tie)
        # Imported only when a tie is drawn by seed (with hashlib): most allocations
        # have no deciding tie, and the command line should not wait for it.
        from shafaf.core import lottery

        seed_hash = lottery.seed_sha256(self.seed)
        order = lottery.ticket_order(tie.contenders, seed=self.seed)
        return TieResolution(
            tie=tie,
            method=TieMethod.LOT_SEED,
            order=order,
            seed_sha256=seed_hash,
            tickets=tuple((ident, lottery.ticket(seed_hash, ident)) for ident in order),
        )


T = TypeVar("T")
K = TypeVar("K", int, Fraction)  # votes, quotients and remainders


def choose_best(
    items: Sequence[T],
    *,
    places: int,
    key: Callable[[T], K],
    ident: Callable[[T], str],
    kind: TieKind,
    scope: str,
    breaker: TieBreaker,
) -> tuple[list[T], TieResolution | None]:
    """The ``places`` items with the greatest ``key``, best first.

    When the cut falls inside a group of equal keys, that group is a tie and
    ``breaker`` draws which of its members are chosen. The result never depends
    on the order of ``items``.
    """
    if places <= 0:
        return [], None
    ranked = sorted(sorted(items, key=ident), key=key, reverse=True)
    if places >= len(ranked):
        return ranked, None
    cut = key(ranked[places - 1])
    if key(ranked[places]) != cut:
        return ranked[:places], None
    # ``ranked`` is sorted, so the items equal to the cut are one contiguous run.
    start = next(i for i, item in enumerate(ranked) if key(item) == cut)
    end = start
    while end < len(ranked) and key(ranked[end]) == cut:
        end += 1
    above, tied = ranked[:start], ranked[start:end]
    tie = Tie(
        kind=kind,
        scope=scope,
        contenders=tuple(ident(item) for item in tied),
        places=places - len(above),
    )
    resolution = breaker.resolve(tie)
    by_id = {ident(item): item for item in tied}
    return above + [by_id[i] for i in resolution.chosen], resolution
