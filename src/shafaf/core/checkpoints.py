"""Signed checkpoints of the audit chain: what the database alone cannot prove.

A hash chain shows that no event was altered *between* two events, but whoever can
write the database can delete the newest events, or rewrite the whole chain and
recompute every hash, and the chain is consistent again. A checkpoint is the
commission's Ed25519 signature over the chain's head at one moment, numbered
1, 2, 3, ...: it cannot be made without the signing key, which the database does
not hold. Verifying the chain against every checkpoint therefore fails when the
chain is shorter than a checkpoint's sequence number (events removed at the end,
or all of them), when the event at a checkpoint's sequence number has another hash
(rewritten and rehashed), or when a signature is wrong.

The signed message is a versioned text, one value per line (:func:`message`).
Signature checking is passed in as a function: this module is pure, the
cryptography lives in ``shafaf.signatures``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

FORMAT = "shafaf-checkpoint/1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Checkpoint:
    number: int
    seq: int
    """The sequence number of the chain's head when it was signed (0: empty chain)."""
    hash: str
    at: str
    """When it was signed, ISO 8601 in UTC."""
    key_id: str
    signature: str
    """Base64 Ed25519 signature of :func:`message`."""


def message(*, number: int, seq: int, hash: str, at: str) -> str:
    """The exact text a checkpoint's signature covers."""
    return f"{FORMAT}\n{number}\n{seq}\n{hash}\n{at}\n"


def signed_text(checkpoint: Checkpoint) -> str:
    return message(number=checkpoint.number, seq=checkpoint.seq, hash=checkpoint.hash,
                   at=checkpoint.at)


class Problem(StrEnum):
    UNKNOWN_KEY = "unknown_key"
    """Signed with a key that is not the commission's published key."""
    SIGNATURE = "signature"
    """The signature does not match the checkpoint: forged or altered."""
    NUMBERING = "numbering"
    """A checkpoint is missing before this one (numbers run 1, 2, 3, ...)."""
    ORDER = "order"
    """This checkpoint covers fewer events than one signed before it."""
    FORK = "fork"
    """Two checkpoints sign different hashes for one sequence number."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckpointFault:
    problem: Problem
    number: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Checked:
    """The checkpoints' verdict: the hashes they fix, by sequence number, for
    ``ledger.verify(signed=...)``, the newest checkpoint, and the first fault."""

    signed: dict[int, str]
    latest: Checkpoint | None
    fault: CheckpointFault | None


def check(checkpoints: Iterable[Checkpoint], *, keys: Mapping[str, str],
          valid: Callable[[str, str, str], bool]) -> Checked:
    """Check ``checkpoints`` in number order against ``keys`` (key id → public key),
    with ``valid(public_key, message, signature)``. Stops at the first fault."""
    signed: dict[int, str] = {}
    latest: Checkpoint | None = None
    for expected, checkpoint in enumerate(checkpoints, start=1):
        fault = _fault(checkpoint, expected, latest, keys, valid)
        if fault is not None:
            return Checked(signed=signed, latest=latest,
                           fault=CheckpointFault(problem=fault, number=checkpoint.number))
        if checkpoint.seq > 0:
            signed[checkpoint.seq] = checkpoint.hash
        latest = checkpoint
    return Checked(signed=signed, latest=latest, fault=None)


def _fault(checkpoint: Checkpoint, expected: int, previous: Checkpoint | None,
           keys: Mapping[str, str], valid: Callable[[str, str, str], bool]) -> Problem | None:
    public = keys.get(checkpoint.key_id)
    if public is None:
        return Problem.UNKNOWN_KEY
    if not valid(public, signed_text(checkpoint), checkpoint.signature):
        return Problem.SIGNATURE
    if checkpoint.number != expected:
        return Problem.NUMBERING
    if previous is not None and checkpoint.seq < previous.seq:
        return Problem.ORDER
    if previous is not None and checkpoint.seq == previous.seq and \
            checkpoint.hash != previous.hash:
        return Problem.FORK
    return None
