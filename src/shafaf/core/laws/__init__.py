"""Law profiles: the rules and seat tables of each election Shafaf can run.

A profile names its sources and flags every parameter that is an
interpretation, contested, inferred or unverified, so a user can see exactly
what the computation rests on (domain brief, introduction).
"""

from __future__ import annotations

from shafaf.core.laws import iraq_cor_2021, iraq_gc_2023, krg_2024
from shafaf.core.laws.profile import District, Flag, LawProfile, SourceStatus

PROFILES: dict[str, LawProfile] = {
    profile.code: profile
    for profile in (iraq_gc_2023.PROFILE, iraq_cor_2021.PROFILE, krg_2024.PROFILE)
}


def get(code: str) -> LawProfile:
    """The profile named ``code``; KeyError names the known ones."""
    try:
        return PROFILES[code]
    except KeyError:
        raise KeyError(f"unknown law {code!r}; known: {', '.join(sorted(PROFILES))}") from None


__all__ = ["PROFILES", "District", "Flag", "LawProfile", "SourceStatus", "get"]
