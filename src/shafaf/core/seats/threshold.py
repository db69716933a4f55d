"""An optional electoral threshold: a share of all list votes below which a list wins
no seat. Iraq's councils (2023) have none; the parameter serves other laws."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from shafaf.core.contest import ListId


def passing_threshold(
    votes: Mapping[ListId, int], threshold: Fraction | None
) -> tuple[tuple[ListId, ...], tuple[ListId, ...]]:
    """(lists that may win seats, lists below the threshold), each sorted by id.

    A list with no votes never wins a seat, threshold or not.
    """
    total = sum(votes.values())
    eligible: list[ListId] = []
    below: list[ListId] = []
    for list_id in sorted(votes):
        count = votes[list_id]
        if threshold is not None and count < threshold * total:
            below.append(list_id)
        elif count > 0:
            eligible.append(list_id)
    return tuple(eligible), tuple(below)
