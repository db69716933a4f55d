"""What a law profile holds: the rules of a contest, the seat table, the sources."""

from __future__ import annotations

import csv
import io
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Not imported to run: the rules come with a law's module, and the eligibility
    # rules are built on demand (LawProfile.eligibility), which an allocation never is;
    # ``shafaf allocate --help`` lists the laws without loading either.
    from shafaf.core.allocation import ContestRules
    from shafaf.core.contest import Component
    from shafaf.core.counting import CountingRules
    from shafaf.core.eligibility import EligibilityRules


class SourceStatus(StrEnum):
    CONFIRMED = "confirmed"
    INFERRED = "inferred"
    """Derived from other confirmed figures, not published as such."""
    INTERPRETATION = "interpretation"
    """Our reading where the gazetted text was not available."""
    CONTESTED = "contested"
    """Sources disagree."""
    UNVERIFIED = "unverified"
    """A single secondary source."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Flag:
    """A parameter the computation rests on whose source is not the gazetted text."""

    parameter: str
    status: SourceStatus
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class District:
    """A district (for councils, a whole governorate) and its seats."""

    code: str
    name_en: str
    name_ar: str
    name_ckb: str
    general_seats: int
    component_seats: Mapping[Component, int] = field(default_factory=dict)
    seats_status: SourceStatus = SourceStatus.CONFIRMED


@dataclass(frozen=True, slots=True, kw_only=True)
class LawProfile:
    code: str
    title: str
    rules: ContestRules
    districts: Mapping[str, District]
    sources: tuple[str, ...]
    flags: tuple[Flag, ...]
    counting: CountingRules | None = None
    """How the two counts are reconciled, the transmission window and the deadlines of
    complaints (``shafaf.core.counting``); None where the law sets no such rule."""
    eligibility_rules: Callable[[], EligibilityRules] | None = None
    """Builds the candidacy and list rules, importing ``shafaf.core.eligibility`` only
    when they are asked for (an allocation does not need them); None if not set."""

    @property
    def eligibility(self) -> EligibilityRules | None:
        """The candidacy and list rules (``shafaf.core.eligibility``); None if not set."""
        return None if self.eligibility_rules is None else self.eligibility_rules()


def parse_component_seats(text: str) -> dict[Component, int]:
    """``christian:1;yazidi:1`` → {"christian": 1, "yazidi": 1}."""
    from shafaf.core.contest import Component

    seats: dict[Component, int] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, count = part.partition(":")
        seats[Component(name.strip())] = int(count)
    return seats


def governorates_2023() -> dict[str, District]:
    """The 2023 governorate-council seat table shipped with the package (the 15
    governorates not organised in a region)."""
    # pkgutil rather than importlib.resources, which imports tempfile, zipfile and
    # hashlib: the command line would wait for them at every start.
    data = pkgutil.get_data(__package__, "data/iraq_governorates.csv")
    if data is None:
        raise FileNotFoundError("the package's seat table, data/iraq_governorates.csv")
    text = data.decode("utf-8")
    districts: dict[str, District] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if not row["gc2023_general_seats"]:
            continue  # the Kurdistan Region's governorates elect no council under this law
        districts[row["code"]] = District(
            code=row["code"],
            name_en=row["name_en"],
            name_ar=row["name_ar"],
            name_ckb=row["name_ckb"],
            general_seats=int(row["gc2023_general_seats"]),
            component_seats=parse_component_seats(row["gc2023_component_seats"]),
            seats_status=SourceStatus(row["gc2023_general_seats_status"]),
        )
    return districts
