"""Open lists: a list's seats go to its candidates in order of their personal votes
(domain brief, section 2.4). The entity's own ordering of its list decides nothing
here; equal votes that decide a seat are a tie, drawn by lot.
"""

from __future__ import annotations

from collections.abc import Sequence

from shafaf.core.contest import Candidate, ListId
from shafaf.core.ties import TieBreaker, TieKind, TieResolution, choose_best


def by_votes(candidate: Candidate) -> int:
    return candidate.votes


def elect_from_list(
    list_id: ListId,
    candidates: Sequence[Candidate],
    *,
    seats: int,
    breaker: TieBreaker,
) -> tuple[list[Candidate], TieResolution | None]:
    """The ``seats`` best-voted candidates of one list, best first."""
    return choose_best(
        candidates, places=seats, key=by_votes, ident=lambda c: c.candidate_id,
        kind=TieKind.CANDIDATE_SEAT, scope=list_id, breaker=breaker,
    )
