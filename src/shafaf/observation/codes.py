"""The commission's key for badge codes (:mod:`shafaf.core.badge_codes`): derived from
the server's secret key, so that no second secret has to be kept, and salted so that
it is used for nothing else."""

from __future__ import annotations

import hashlib

from django.conf import settings

from shafaf.core import badge_codes


def key() -> bytes:
    return hashlib.sha256(b"shafaf.observation.badge:" +
                          str(settings.SECRET_KEY).encode()).digest()


def new_code() -> str:
    return badge_codes.new_code(key())


def checked(text: str) -> str | None:
    """The stored form of a code given by anyone, if it is authentic; None if it is
    malformed or forged (answered like a code never issued)."""
    code = badge_codes.normalised(text)
    if code is None or not badge_codes.authentic(key(), code):
        return None
    return code
