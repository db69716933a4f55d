"""What a contest is made of: its seats, its lists and their candidates.

A *list* (قائمة) is every alliance, party or individual candidate standing in a
district; an individual candidate is a list with one candidate. A list's vote
total counts every valid vote cast for it, whether or not the voter also marked
one of its candidates, so it may exceed the sum of its candidates' votes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NewType

ListId = NewType("ListId", str)
CandidateId = NewType("CandidateId", str)
Component = NewType("Component", str)
"""A minority community with reserved seats, by code: ``christian``, ``yazidi``…"""


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


@dataclass(frozen=True, slots=True, kw_only=True)
class ElectoralList:
    list_id: ListId
    votes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    candidate_id: CandidateId
    list_id: ListId
    sex: Sex
    votes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentCandidate:
    """A candidate for a component seat; candidacy there is individual."""

    candidate_id: CandidateId
    component: Component
    sex: Sex
    votes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Contest:
    """One district's race: ``seats`` general seats plus reserved component seats.

    ``candidates`` may be empty, in which case only the lists' seats are computed.
    """

    seats: int
    lists: tuple[ElectoralList, ...]
    candidates: tuple[Candidate, ...] = ()
    component_seats: Mapping[Component, int] = field(default_factory=dict)
    component_candidates: tuple[ComponentCandidate, ...] = ()

    def __post_init__(self) -> None:
        if self.seats < 0:
            raise ValueError("seats must not be negative")
        for lst in self.lists:
            if lst.votes < 0:
                raise ValueError(f"list {lst.list_id} has negative votes")
        _require_unique("list", [lst.list_id for lst in self.lists])
        _require_unique(
            "candidate",
            [c.candidate_id for c in self.candidates]
            + [c.candidate_id for c in self.component_candidates],  # one id space: see disqualify
        )
        known = {lst.list_id for lst in self.lists}
        for cand in self.candidates:
            if cand.list_id not in known:
                raise ValueError(f"candidate {cand.candidate_id} is on unknown list {cand.list_id}")
            if cand.votes < 0:
                raise ValueError(f"candidate {cand.candidate_id} has negative votes")
        for comp in self.component_candidates:
            if comp.component not in self.component_seats:
                raise ValueError(
                    f"candidate {comp.candidate_id} stands for component {comp.component},"
                    " which has no seat in this contest"
                )
            if comp.votes < 0:
                raise ValueError(f"candidate {comp.candidate_id} has negative votes")


def _require_unique(kind: str, ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise ValueError(f"duplicate {kind} id {ident}")
        seen.add(ident)
