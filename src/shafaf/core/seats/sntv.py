"""Single non-transferable vote: in a multi-member district each voter marks one
candidate and the ``seats`` best-voted candidates win, whatever their party
(Council of Representatives, Law 9 of 2020: 83 districts of 3 to 5 seats;
domain brief, section 5). A tie that decides a seat is drawn by lot.
"""

from __future__ import annotations

from collections.abc import Sequence

from shafaf.core.contest import Candidate
from shafaf.core.seats.open_list import by_votes
from shafaf.core.ties import TieBreaker, TieKind, TieResolution, choose_best


def elect_in_district(
    candidates: Sequence[Candidate], *, seats: int, breaker: TieBreaker
) -> tuple[list[Candidate], TieResolution | None]:
    """The ``seats`` best-voted candidates of the district, best first."""
    return choose_best(
        candidates, places=seats, key=by_votes, ident=lambda c: c.candidate_id,
        kind=TieKind.CANDIDATE_SEAT, scope="", breaker=breaker,
    )
