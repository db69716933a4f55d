"""The published record of a ballot-number draw, and its verification by anyone.

A transcript (schema ``shafaf-lottery-transcript/1``, documented in
docs/lottery.md) holds everything needed to redo the draw: the algorithm, the
participants and their hash, the seed and its hash, the number pool, and every
assignment with its ticket, with when and by whom it was drawn. Verification
recomputes all of it and names the first thing that does not match, checked in
a fixed order: form, algorithm, participants' hash, seed's hash, who was
assigned, then each assignment's ticket and number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shafaf.core.lottery import (
    ALGORITHM,
    Draw,
    LotteryError,
    NumberPool,
    Participant,
    draw,
    participants_sha256,
    seed_sha256,
)

SCHEMA = "shafaf-lottery-transcript/1"


def to_transcript(result: Draw, *, drawn_at: str | None, drawn_by: str | None) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "algorithm": result.algorithm,
        "participants": [{"participant_id": p.participant_id, "name": p.name}
                         for p in result.participants],
        "participants_sha256": result.participants_sha256,
        "seed": result.seed,
        "seed_sha256": result.seed_sha256,
        "pool": {
            "ranges": [[low, high] for low, high in result.pool.ranges],
            "excluded": sorted(result.pool.excluded),
            "size": result.pool.size(),
        },
        "assignments": [{"participant_id": a.participant_id, "number": a.number,
                         "ticket": a.ticket} for a in result.assignments],
        "drawn_at": drawn_at,
        "drawn_by": drawn_by,
    }


class MismatchKind(StrEnum):
    MALFORMED = "malformed"
    ALGORITHM = "algorithm"
    PARTICIPANTS_HASH = "participants_sha256"
    SEED_HASH = "seed_sha256"
    PARTICIPANTS = "participants"
    """The assignments are not exactly one for each participant."""
    TICKET = "ticket"
    NUMBER = "number"


@dataclass(frozen=True, slots=True, kw_only=True)
class Mismatch:
    kind: MismatchKind
    participant_id: str | None = None
    expected: str = ""
    found: str = ""


def verify(transcript: Mapping[str, Any]) -> Mismatch | None:
    """None if the transcript is exactly the draw its inputs produce."""
    try:
        participants = tuple(Participant(participant_id=str(p["participant_id"]),
                                         name=str(p.get("name", "")))
                             for p in transcript["participants"])
        pool = NumberPool(
            ranges=tuple((int(r[0]), int(r[1])) for r in transcript["pool"]["ranges"]),
            excluded=frozenset(int(n) for n in transcript["pool"]["excluded"]))
        seed = str(transcript["seed"])
        stated = [(str(a["participant_id"]), int(a["number"]), str(a["ticket"]))
                  for a in transcript["assignments"]]
        algorithm = str(transcript["algorithm"])
        stated_participants_hash = str(transcript["participants_sha256"])
        stated_seed_hash = str(transcript["seed_sha256"])
    # OverflowError: a number of 1e400 in the JSON, which is infinity.
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError) as exc:
        return Mismatch(kind=MismatchKind.MALFORMED, found=f"{type(exc).__name__}: {exc}")

    try:
        "".join([seed, *(p.participant_id for p in participants)]).encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate, which JSON can carry
        return Mismatch(kind=MismatchKind.MALFORMED, found=str(exc))
    if algorithm != ALGORITHM:
        return Mismatch(kind=MismatchKind.ALGORITHM, expected=ALGORITHM, found=algorithm)
    ids = [p.participant_id for p in participants]
    recomputed = participants_sha256(ids)
    if recomputed != stated_participants_hash:
        return Mismatch(kind=MismatchKind.PARTICIPANTS_HASH, expected=recomputed,
                        found=stated_participants_hash)
    recomputed = seed_sha256(seed)
    if recomputed != stated_seed_hash:
        return Mismatch(kind=MismatchKind.SEED_HASH, expected=recomputed, found=stated_seed_hash)
    try:
        redone = draw(participants, seed=seed, pool=pool)
    except LotteryError as exc:
        return Mismatch(kind=MismatchKind.MALFORMED, found=str(exc))
    assigned = sorted(ident for ident, _, _ in stated)
    if assigned != sorted(ids):
        extra = sorted(set(assigned) - set(ids)) or sorted(set(ids) - set(assigned))
        return Mismatch(kind=MismatchKind.PARTICIPANTS, participant_id=extra[0] if extra else None,
                        expected=str(len(ids)), found=str(len(assigned)))
    expected = {a.participant_id: a for a in redone.assignments}
    for ident, number, ticket in stated:
        truth = expected[ident]
        if ticket != truth.ticket:
            return Mismatch(kind=MismatchKind.TICKET, participant_id=ident,
                            expected=truth.ticket, found=ticket)
        if number != truth.number:
            return Mismatch(kind=MismatchKind.NUMBER, participant_id=ident,
                            expected=str(truth.number), found=str(number))
    return None
