"""Accreditation badge codes: what a badge's QR code carries (docs/observation.md).

A code is 16 characters of a random 80-bit serial and 8 characters of its HMAC-SHA256
under the commission's key, in Crockford's base 32 (no I, L, O or U to misread), shown
in groups of four. Without the key a code can be neither guessed (2^80 serials) nor
forged (a 40-bit tag, checked before the database is asked); a code is never derived
from a counter. Pure: the key is given by the caller.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SERIAL_CHARS = 16
TAG_CHARS = 8
LENGTH = SERIAL_CHARS + TAG_CHARS
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _b32(data: bytes, chars: int) -> str:
    number = int.from_bytes(data, "big")
    out = []
    for _ in range(chars):
        number, digit = divmod(number, 32)
        out.append(ALPHABET[digit])
    return "".join(reversed(out))


def _tag(key: bytes, serial: str) -> str:
    digest = hmac.new(key, b"shafaf-badge/1:" + serial.encode("ascii"), hashlib.sha256).digest()
    return _b32(digest[:5], TAG_CHARS)


def new_code(key: bytes) -> str:
    """A fresh code (24 characters, without separators)."""
    serial = _b32(secrets.token_bytes(10), SERIAL_CHARS)
    return serial + _tag(key, serial)


def normalised(text: str) -> str | None:
    """The code as stored, from what a person or a scanner gives (any case, spaces or
    hyphens, O for 0, I or L for 1), or None if it cannot be a code."""
    if len(text) > 64:
        return None
    code = "".join(c for c in text.upper() if c not in " -").translate(_FOLD)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def authentic(key: bytes, code: str) -> bool:
    """Whether a normalised code's tag is the key's: a forged or mistyped code is
    refused without looking it up."""
    return len(code) == LENGTH and hmac.compare_digest(
        code[SERIAL_CHARS:], _tag(key, code[:SERIAL_CHARS]))


def shown(code: str) -> str:
    """In groups of four, as printed under the QR code."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
