"""The published record of a ballot-number draw, and its verification by anyone.

A transcript holds everything needed to redo the draw: the algorithm, the
participants and their hash, the seed and its hash, the number pool, and every
assignment with its ticket, with when and by whom it was drawn (docs/lottery.md).

- ``shafaf-lottery-transcript/2`` (written since the committed seed parts) adds the
  ceremony (every seed part's commitment, its reveal or that it was withheld, the
  beacon and its value) and ``transcript_sha256``: the SHA-256 of the canonical JSON
  of every other field, so that no field, a name, ``drawn_by`` or an exclusion, can be
  changed without changing the hash published with the draw.
- ``shafaf-lottery-transcript/1`` (older draws) is still verified; its names,
  ``drawn_at``, ``drawn_by`` and pool size are a record that no hash covers.

Verification recomputes all of it and names the first thing that does not match,
checked in a fixed order: form, algorithm, participants' hash, (for /2) the
commitments and the seed rebuilt from the parts and the beacon, seed's hash, (for
/2) the pool's size, who was assigned, each assignment's ticket and number, and
last (for /2) the transcript's hash, which holds every other field.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shafaf.core.lottery import (
    ALGORITHM,
    Draw,
    LotteryError,
    NumberPool,
    Participant,
    build_seed,
    draw,
    participants_sha256,
    seed_part_commitment,
    seed_sha256,
)

SCHEMA_1 = "shafaf-lottery-transcript/1"
SCHEMA = "shafaf-lottery-transcript/2"
HASH_FIELD = "transcript_sha256"
MAX_SAFE_INTEGER = 2**53 - 1
"""Beyond it a browser's JSON reads another number: a /2 transcript holds none."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SeedPartRecord:
    """A seed part as the ceremony made it: its commitment, and its value and nonce
    once revealed (both None if it was withheld)."""

    commitment: str
    contributor: str
    capacity: str
    committed_at: str
    value: str | None = None
    nonce: str | None = None
    revealed_at: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CeremonyRecord:
    seed_parts: tuple[SeedPartRecord, ...]
    beacon: str
    beacon_value: str


def canonical_json(value: Any) -> bytes:
    """The bytes ``transcript_sha256`` hashes: UTF-8 JSON, keys sorted by code point,
    no spaces, non-ASCII as itself (what JSON.stringify gives with sorted keys)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def transcript_sha256(transcript: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the transcript without its own hash."""
    body = {key: value for key, value in transcript.items() if key != HASH_FIELD}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def _pool(result: Draw) -> dict[str, Any]:
    return {"ranges": [[low, high] for low, high in result.pool.ranges],
            "excluded": sorted(result.pool.excluded), "size": result.pool.size()}


def to_transcript(result: Draw, *, drawn_at: str | None, drawn_by: str | None,
                  ceremony: CeremonyRecord | None = None, election: str | None = None
                  ) -> dict[str, Any]:
    """A /2 transcript. ``ceremony`` is None for a draw made from a given seed (the
    command line), else the parts and beacon the seed was built from."""
    transcript: dict[str, Any] = {
        "schema": SCHEMA,
        "algorithm": result.algorithm,
        "election": election,
        "participants": [{"participant_id": p.participant_id, "name": p.name}
                         for p in result.participants],
        "participants_sha256": result.participants_sha256,
        "ceremony": None if ceremony is None else {
            "seed_parts": [{"position": i, "commitment": part.commitment,
                            "contributor": part.contributor, "capacity": part.capacity,
                            "committed_at": part.committed_at, "value": part.value,
                            "nonce": part.nonce, "revealed_at": part.revealed_at,
                            "withheld": part.value is None}
                           for i, part in enumerate(ceremony.seed_parts, start=1)],
            "beacon": ceremony.beacon,
            "beacon_value": ceremony.beacon_value,
        },
        "seed": result.seed,
        "seed_sha256": result.seed_sha256,
        "pool": _pool(result),
        "assignments": [{"participant_id": a.participant_id, "number": a.number,
                         "ticket": a.ticket} for a in result.assignments],
        "drawn_at": drawn_at,
        "drawn_by": drawn_by,
    }
    transcript[HASH_FIELD] = transcript_sha256(transcript)
    return transcript


def to_transcript_1(result: Draw, *, drawn_at: str | None, drawn_by: str | None
                    ) -> dict[str, Any]:
    """The old /1 form, kept to make test vectors of transcripts published before /2."""
    return {
        "schema": SCHEMA_1,
        "algorithm": result.algorithm,
        "participants": [{"participant_id": p.participant_id, "name": p.name}
                         for p in result.participants],
        "participants_sha256": result.participants_sha256,
        "seed": result.seed,
        "seed_sha256": result.seed_sha256,
        "pool": _pool(result),
        "assignments": [{"participant_id": a.participant_id, "number": a.number,
                         "ticket": a.ticket} for a in result.assignments],
        "drawn_at": drawn_at,
        "drawn_by": drawn_by,
    }


class MismatchKind(StrEnum):
    MALFORMED = "malformed"
    TRANSCRIPT_HASH = "transcript_sha256"
    """/2: a field was changed after the transcript was hashed."""
    ALGORITHM = "algorithm"
    PARTICIPANTS_HASH = "participants_sha256"
    COMMITMENT = "commitment"
    """/2: a revealed part does not match its commitment."""
    SEED = "seed"
    """/2: the seed is not the one the revealed parts and the beacon's value give."""
    SEED_HASH = "seed_sha256"
    POOL_SIZE = "pool_size"
    """/2: the pool's stated size is not the size of its ranges less its exclusions."""
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


def _well_formed_2(value: Any, path: str = "$") -> str | None:
    """Where a /2 transcript holds what its canonical JSON cannot carry the same way in
    every language: a fraction, a number beyond 2**53 - 1, a lone surrogate."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return path
    if isinstance(value, int):
        return path if abs(value) > MAX_SAFE_INTEGER else None
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _well_formed_2(item, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _well_formed_2(key, path) or _well_formed_2(item, f"{path}.{key}")
            if found:
                return found
        return None
    return path


def _check_ceremony(ceremony: Any, seed: str) -> Mismatch | None:
    """/2: each revealed part matches its commitment, and the seed is the one the
    revealed parts, in the order committed, and the beacon's value give."""
    if ceremony is None:
        return None
    revealed: list[str] = []
    for i, part in enumerate(ceremony["seed_parts"], start=1):
        if int(part["position"]) != i:
            return Mismatch(kind=MismatchKind.MALFORMED, found=f"seed part {i}")
        value, nonce = part["value"], part["nonce"]
        if bool(part["withheld"]) != (value is None):
            return Mismatch(kind=MismatchKind.MALFORMED, found=f"seed part {i}")
        if value is None:
            continue
        expected = seed_part_commitment(str(value), str(nonce))
        if expected != str(part["commitment"]):
            return Mismatch(kind=MismatchKind.COMMITMENT, participant_id=None,
                            expected=expected, found=str(part["commitment"]))
        revealed.append(str(value))
    rebuilt = build_seed(revealed, str(ceremony["beacon_value"]))
    if rebuilt != seed:
        return Mismatch(kind=MismatchKind.SEED, expected=rebuilt, found=seed)
    return None


def verify(transcript: Mapping[str, Any]) -> Mismatch | None:
    """None if the transcript is exactly the draw its inputs produce (and, for /2,
    its hash covers it as it is and its ceremony gives its seed)."""
    # A transcript carrying a /2 hash is read as /2 whatever its schema says: relabelling
    # it /1 must not drop the hash's check.
    second = transcript.get("schema") == SCHEMA or HASH_FIELD in transcript
    if second:
        where = _well_formed_2(dict(transcript))
        if where:
            return Mismatch(kind=MismatchKind.MALFORMED, found=where)
    stated_hash, stated_size, ceremony_check = "", 0, None
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
        if second:
            stated_hash = str(transcript[HASH_FIELD])
            stated_size = int(transcript["pool"]["size"])
            ceremony_check = _check_ceremony(transcript["ceremony"], seed)
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
    if second and ceremony_check is not None:
        return ceremony_check
    recomputed = seed_sha256(seed)
    if recomputed != stated_seed_hash:
        return Mismatch(kind=MismatchKind.SEED_HASH, expected=recomputed, found=stated_seed_hash)
    if second and stated_size != pool.size():
        return Mismatch(kind=MismatchKind.POOL_SIZE, expected=str(pool.size()),
                        found=str(stated_size))
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
    # Last: whatever the checks above do not redo (names, times, who drew, the order
    # listed, an exclusion beyond the numbers used) is held by the hash alone.
    if second:
        recomputed = transcript_sha256(transcript)
        if recomputed != stated_hash:
            return Mismatch(kind=MismatchKind.TRANSCRIPT_HASH, expected=recomputed,
                            found=stated_hash)
    return None


def seed_parts_of(records: Sequence[Mapping[str, Any]]) -> tuple[SeedPartRecord, ...]:
    """The ceremony's stored parts (as the actions keep them) as records."""
    return tuple(SeedPartRecord(
        commitment=str(r["commitment"]), contributor=str(r["contributor"]),
        capacity=str(r["capacity"]), committed_at=str(r["committed_at"]),
        value=r.get("value"), nonce=r.get("nonce"), revealed_at=r.get("revealed_at"))
        for r in records)
