"""A hash chain of events, so that anyone can tell whether a log was altered.

Each event's hash is the SHA-256 of its canonical JSON (keys sorted, no spaces,
UTF-8), and that JSON includes the previous event's hash. Altering an event
changes its hash; removing or inserting one breaks the next event's link or the
sequence numbers. Removing or rewriting the newest events is caught by checking
that a head hash pinned earlier (the public audit page shows it for that purpose),
or signed in a checkpoint (:mod:`shafaf.core.checkpoints`), is still in the chain.

Two formats coexist, recorded per event:

* **Format 1** hashes the event as recorded: :data:`HASHED_FIELDS`.
* **Format 2** (``"v": 2`` in the hashed form) hashes the same fields, but the
  actor's user name and every value under a personal key of ``data``
  (:data:`PERSONAL_KEYS`, at any depth) are replaced by a salted commitment,
  ``"sha256:" + SHA-256(salt || path || canonical value)``. The salt is the
  event's own, kept privately; the hashed form can therefore be published for
  anyone to recompute the hash without showing who did what to whom, and staff can
  open one event's commitments by giving out its salt.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64

HASHED_FIELDS = ("seq", "at", "actor_id", "actor_username", "action", "object_type",
                 "object_id", "data", "prev_hash")
FORMAT_2_FIELDS = ("v", *HASHED_FIELDS)
CURRENT_FORMAT = 2

PERSONAL_KEYS = frozenset({
    # Who someone is: names of people, in any script the forms take.
    "username", "user", "full_name", "name_ar", "surname_ar", "mother_name_ar", "name_ckb",
    "name_en", "contributed_by",
    # How to reach or identify them.
    "date_of_birth", "national_id", "voter_id", "phone", "email", "address",
})
"""Keys of an event's ``data`` whose values are personal: committed to, never
published, in format 2. A key listed here is committed wherever it appears (a party's
``name_ar`` too: committing a public value costs nothing)."""

ACTOR = "actor_username"
COMMITMENT = re.compile(r"sha256:[0-9a-f]{64}")


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def commitment(salt: str, path: str, value: object) -> str:
    """The commitment to ``value`` found at ``path`` of an event salted with ``salt``
    (hex): anyone given the salt and the value can check it."""
    try:
        secret = bytes.fromhex(salt)
    except ValueError:  # a salt altered in the database: the hash will not match
        secret = salt.encode("utf-8")
    material = secret + b"\n" + path.encode("utf-8") + b"\n" + \
        _canonical(value).encode("utf-8")
    return "sha256:" + hashlib.sha256(material).hexdigest()


def _committed(data: object, salt: str, path: str) -> object:
    if isinstance(data, dict):
        return {key: commitment(salt, f"{path}.{key}", value) if key in PERSONAL_KEYS
                else _committed(value, salt, f"{path}.{key}") for key, value in data.items()}
    if isinstance(data, list):
        return [_committed(value, salt, f"{path}.{index}") for index, value in enumerate(data)]
    return data


def hashed_form(event: Mapping[str, Any], *, version: int, salt: str | None) -> dict[str, Any]:
    """What the hash of a recorded ``event`` covers (``at`` already ISO 8601 text):
    the event itself in format 1; in format 2, the event with its personal values
    replaced by commitments salted with ``salt``."""
    if version == 1:
        return {name: event[name] for name in HASHED_FIELDS}
    # An unknown format or a missing salt can only come from tampering: the form is
    # still built (never an error), and its hash will not match.
    salt = salt or ""
    form = {name: event[name] for name in HASHED_FIELDS}
    form[ACTOR] = commitment(salt, ACTOR, event[ACTOR])
    form["data"] = _committed(event["data"], salt, "data")
    return {"v": version, **form}


def canonical_json(event: Mapping[str, Any]) -> str:
    """The text hashed for an event given in its hashed form (not its own hash):
    canonical JSON of the fields of its format."""
    fields = FORMAT_2_FIELDS if event.get("v") == CURRENT_FORMAT else HASHED_FIELDS
    return _canonical({name: event[name] for name in fields})


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
    SHORTER = "shorter"
    """The chain ends before an event a signed checkpoint covers: events were removed
    at the end (or all of them)."""
    CHECKPOINT = "checkpoint"
    """The event at a signed checkpoint has another hash: the chain was rewritten and
    its hashes recomputed."""


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


class BadPin(ValueError):
    """A pinned hash that is not a full SHA-256: refused, not taken for tampering."""


def normalise_pin(text: str) -> str:
    """A pinned hash as people paste it: spaces around it and either case are fine;
    anything but 64 hexadecimal digits (a prefix, say) raises :class:`BadPin`."""
    pin = text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", pin):
        raise BadPin(pin)
    return pin


def verify(events: Iterable[Mapping[str, Any]], *, pinned: str | None = None,
           signed: Mapping[int, str] | None = None) -> ChainStatus:
    """Walk ``events`` (hashed forms with their ``hash``) in sequence order; report the
    first break, if any. ``pinned`` is a head hash published earlier, which must still
    be somewhere in the chain; ``signed`` maps sequence numbers to the hashes signed
    checkpoints give them, which the chain must reach and match."""
    signed = signed or {}
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
        if count in signed and signed[count] != event["hash"]:
            return ChainStatus(events=count, head=previous,
                               broken=ChainBreak(kind=Break.CHECKPOINT, seq=count))
        previous = event["hash"]
        seen_pinned = seen_pinned or previous == pinned
    if signed and max(signed) > count:
        return ChainStatus(events=count, head=previous,
                           broken=ChainBreak(kind=Break.SHORTER, seq=count + 1))
    if not seen_pinned:
        return ChainStatus(events=count, head=previous,
                           broken=ChainBreak(kind=Break.PINNED, seq=count + 1))
    return ChainStatus(events=count, head=previous, broken=None)
