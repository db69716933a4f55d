"""Small contests for tests, written the way a person writes them down."""

from __future__ import annotations

from shafaf.core.contest import (
    Candidate,
    CandidateId,
    Component,
    ComponentCandidate,
    Contest,
    ElectoralList,
    ListId,
    Sex,
)


def contest(seats: int, lists: dict[str, int], candidates: dict[str, list[tuple[str, str, int]]]
            | None = None, components: dict[str, int] | None = None,
            component_candidates: list[tuple[str, str, str, int]] = ()) -> Contest:
    """``candidates`` maps a list id to (id, sex, votes) triples; component candidates
    are (id, component, sex, votes)."""
    return Contest(
        seats=seats,
        lists=tuple(ElectoralList(list_id=ListId(k), votes=v) for k, v in lists.items()),
        candidates=tuple(
            Candidate(candidate_id=CandidateId(cid), list_id=ListId(list_id), sex=Sex(sex),
                      votes=votes)
            for list_id, people in (candidates or {}).items() for cid, sex, votes in people
        ),
        component_seats={Component(k): v for k, v in (components or {}).items()},
        component_candidates=tuple(
            ComponentCandidate(candidate_id=CandidateId(cid), component=Component(comp),
                               sex=Sex(sex), votes=votes)
            for cid, comp, sex, votes in component_candidates
        ),
    )


def elected_ids(allocation) -> list[str]:
    return [e.candidate_id for e in allocation.elected]


def list_seats(allocation) -> dict[str, int]:
    return {lst.list_id: lst.seats for lst in allocation.lists if lst.seats}
