"""The public lottery, algorithm ``shafaf-lottery/1`` (domain brief, section 4).

The commission draws every entity's ballot number in one public ceremony, and
breaks ties for a seat by lot before the lists' agents. Shafaf makes both
reproducible by anyone: the participants are fixed and hashed before the draw,
the seed is built in public, and every participant's ticket is a hash of the
two. This module holds the parts the seat allocation needs (hashes, tickets,
ticket order); the algorithm is fixed, and any change is a new version name.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

ALGORITHM = "shafaf-lottery/1"


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def participants_sha256(ids: Iterable[str]) -> str:
    """SHA-256 of the ids sorted by code point and joined by newlines."""
    return _sha256_hex("\n".join(sorted(ids)))


def seed_sha256(seed: str) -> str:
    """SHA-256 of the seed in Unicode normal form C, so that the same seed
    typed on two keyboards hashes the same."""
    return _sha256_hex(unicodedata.normalize("NFC", seed))


def ticket(seed_hash: str, participant_id: str) -> str:
    """A participant's ticket: SHA-256 of ``seed_sha256 + "," + id``."""
    return _sha256_hex(f"{seed_hash},{participant_id}")


def ticket_order(ids: Iterable[str], *, seed: str) -> tuple[str, ...]:
    """The ids in draw order: by ticket, then by id."""
    seed_hash = seed_sha256(seed)
    return tuple(sorted(ids, key=lambda ident: (ticket(seed_hash, ident), ident)))
