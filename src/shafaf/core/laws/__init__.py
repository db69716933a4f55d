"""Law profiles: the rules and seat tables of each election Shafaf can run.

A profile names its sources and flags every parameter that is an
interpretation, contested, inferred or unverified, so a user can see exactly
what the computation rests on (domain brief, introduction).

Each profile's module is imported the first time that profile is asked for, so
that ``shafaf allocate --law iraq-gc-2023`` does not load the other laws' tables.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from shafaf.core.laws.profile import District, Flag, LawProfile, SourceStatus

# Code of each profile → the module (in this package) whose PROFILE it is.
MODULES: dict[str, str] = {
    "iraq-gc-2023": "iraq_gc_2023",
    "iraq-cor-2021": "iraq_cor_2021",
    "krg-2024": "krg_2024",
}


class _Profiles(Mapping[str, LawProfile]):
    """The profiles by code: the codes are known without importing anything, a
    profile's module is imported when the profile is looked up."""

    def __getitem__(self, code: str) -> LawProfile:
        profile: LawProfile = importlib.import_module(f"{__name__}.{MODULES[code]}").PROFILE
        return profile

    def __contains__(self, code: object) -> bool:
        return code in MODULES  # without importing the profile, as Mapping's would

    def __iter__(self) -> Iterator[str]:
        return iter(MODULES)

    def __len__(self) -> int:
        return len(MODULES)

    def __repr__(self) -> str:
        return f"<law profiles: {', '.join(MODULES)}>"


PROFILES: Mapping[str, LawProfile] = _Profiles()


def get(code: str) -> LawProfile:
    """The profile named ``code``; KeyError names the known ones."""
    try:
        return PROFILES[code]
    except KeyError:
        raise KeyError(f"unknown law {code!r}; known: {', '.join(sorted(PROFILES))}") from None


__all__ = ["PROFILES", "District", "Flag", "LawProfile", "SourceStatus", "get"]
