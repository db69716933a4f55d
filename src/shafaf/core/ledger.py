"""A hash chain of events, so that anyone can tell whether a log was altered.

Each event's hash is the SHA-256 of its canonical JSON (keys sorted, no spaces,
UTF-8), and that JSON includes the previous event's hash. Altering an event
changes its hash; removing or inserting one breaks the next event's link or the
sequence numbers. Removing the newest events is caught by checking that a head
hash pinned earlier (the public audit page shows it for that purpose) is still
in the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64

HASHED_FIELDS = ("seq", "at", "actor_id", "actor_username", "action", "object_type",
                 "object_id", "data", "prev_hash")


def canonical_json(event: Mapping[str, Any]) -> str:
    """The hashed form of an event: its fields (not its own hash), canonical JSON."""
    content = {name: event[name] for name in HASHED_FIELDS}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(event).encode("utf-8")).hexdigest()


class Break(StrEnum):
    SEQUENCE = "sequence"
    """A sequence number is missing or repeated: an event was removed or inserted."""
    LINK = "link"
    """An event does not point to the hash of the one before it."""
    CONTENT = "content"
    """An event's content no longer matches its hash: it was altered."""
    PINNED = "pinned"
    """A hash pinned earlier is no longer in the chain: events were removed at the end."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainBreak:
    kind: Break
    seq: int
    """The sequence number of the first event found bad (or expected there)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainStatus:
    events: int
    head: str
    broken: ChainBreak | None


def verify(events: Iterable[Mapping[str, Any]], *, pinned: str | None = None) -> ChainStatus:
    """Walk ``events`` in sequence order; report the first break, if any. ``pinned``
    is a head hash published earlier, which must still be somewhere in the chain."""
    previous = GENESIS
    count = 0
    seen_pinned = pinned is None or pinned == GENESIS
    for event in events:
        count += 1
        if event["seq"] != count:
            return ChainStatus(events=count, head=previous,
                               broken=ChainBreak(kind=Break.SEQUENCE, seq=count))
        if event["prev_hash"] != previous:
            return ChainStatus(events=count, head=previous,
                               broken=ChainBreak(kind=Break.LINK, seq=count))
        if event_hash(event) != event["hash"]:
            return ChainStatus(events=count, head=previous,
                               broken=ChainBreak(kind=Break.CONTENT, seq=count))
        previous = event["hash"]
        seen_pinned = seen_pinned or previous == pinned
    if not seen_pinned:
        return ChainStatus(events=count, head=previous,
                           broken=ChainBreak(kind=Break.PINNED, seq=count + 1))
    return ChainStatus(events=count, head=previous, broken=None)
