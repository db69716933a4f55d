"""A synthetic but realistic set of districts, sub-districts, polling centres and
stations for the demo and the import benchmark.

The totals are the real ones of the governorate-council election of 18 December
2023 (general vote: 7,166 polling centres, 35,560 stations in the 15 governorates);
everything else is invented, and every name says so ("قضاء تجريبي", "Synthetic
district"). Centres and stations are shared out in proportion to each
governorate's general seats, as the electorate roughly is; a governorate has 4 to
12 districts of 2 to 5 sub-districts, a centre 1 to 12 stations, a station 300 to
600 registered voters. A fixed seed makes every run the same, so loading it twice
changes nothing. It is loaded through the import actions, as a real file would be.
"""

from __future__ import annotations

import contextlib
import csv
import io
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from shafaf.core.contest import ListId
from shafaf.core.seats import apportion
from shafaf.core.seats.largest_remainder import hare
from shafaf.core.ties import TieBreaker
from shafaf.elections import actions, imports
from shafaf.elections.models import Contest, Election

SEED = 2023
CENTRES = 7_166
STATIONS = 35_560
MAX_STATIONS_PER_CENTRE = 12


@dataclass(frozen=True, slots=True)
class Place:
    """A governorate with its share of the electorate (its general seats)."""

    code: str
    name_ar: str
    name_en: str
    name_ckb: str
    seats: int


@dataclass(frozen=True, slots=True)
class SyntheticFiles:
    geography: str  # CSV text in the import formats of docs/imports.md
    stations: str


def share(total: int, places: Sequence[Place]) -> list[int]:
    """``total`` shared out in proportion to the places' seats: the core's Hare
    method, its equal remainders drawn with the demo's fixed seed."""
    result = apportion(hare(), votes={ListId(p.code): p.seats for p in places}, seats=total,
                       breaker=TieBreaker(seed=f"shafaf-demo-{SEED}"))
    return [result.seats[ListId(p.code)] for p in places]


def _centre_sizes(rng: random.Random, centres: int, stations: int) -> list[int]:
    """Stations per centre: at least 1, at most 12, adding up to ``stations``."""
    sizes = [1] * centres
    for _ in range(stations - centres):
        i = rng.randrange(centres)
        while sizes[i] >= MAX_STATIONS_PER_CENTRE:
            i = rng.randrange(centres)
        sizes[i] += 1
    return sizes


def synthetic_files(places: Sequence[Place], *, centres: int = CENTRES,
                    stations: int = STATIONS, seed: int = SEED) -> SyntheticFiles:
    """The geography and stations files of ``places``: ``centres`` centres and
    ``stations`` stations shared out by their seats (the 2023 totals by default)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible on purpose
    places = sorted(places, key=lambda p: p.code)
    geography, station_rows = io.StringIO(), io.StringIO()
    geo = csv.writer(geography)
    geo.writerow(["governorate_code", "district_code", "district_name_ar", "district_name_en",
                  "district_name_ckb", "sub_district_code", "sub_district_name_ar",
                  "sub_district_name_en", "sub_district_name_ckb"])
    out = csv.writer(station_rows)
    out.writerow(["centre_code", "centre_name_ar", "centre_name_en", "sub_district_code",
                  "kind", "station_number", "registered_voters"])
    for place, how_many, total in zip(places, share(centres, places), share(stations, places),
                                      strict=True):
        sub_districts = list(_geography(rng, place, geo))
        for number, size in enumerate(_centre_sizes(rng, how_many, total), start=1):
            code = f"{place.code[3:]}{number:05d}"
            sub_district = rng.choice(sub_districts)
            for station in range(1, size + 1):
                out.writerow([code, f"مدرسة تجريبية {number} ({place.name_ar})",
                              f"Synthetic school {number} ({place.name_en})", sub_district,
                              "general", station, rng.randint(300, 600)])
    return SyntheticFiles(geography.getvalue(), station_rows.getvalue())


def _geography(rng: random.Random, place: Place, out: Any) -> Iterator[str]:
    """Write a governorate's districts and sub-districts; yield the sub-districts."""
    for d in range(1, rng.randint(4, 12) + 1):
        district = f"{place.code}-D{d:02d}"
        for s in range(1, rng.randint(2, 5) + 1):
            sub_district = f"{district}-S{s}"
            out.writerow([
                place.code, district, f"قضاء تجريبي {d} – {place.name_ar}",
                f"Synthetic district {d}, {place.name_en}",
                f"قەزای تاقیکاری {d} – {place.name_ckb}", sub_district,
                f"ناحية تجريبية {d}-{s} – {place.name_ar}",
                f"Synthetic sub-district {d}-{s}, {place.name_en}",
                f"ناحیەی تاقیکاری {d}-{s} – {place.name_ckb}"])
            yield sub_district


def places_of(election: Election) -> list[Place]:
    """The election's governorates, weighted by their general seats."""
    return [Place(c.governorate.code, c.governorate.name_ar, c.governorate.name_en,
                  c.governorate.name_ckb, c.general_seats)
            for c in Contest.objects.filter(election=election).select_related("governorate")]


def load_demo_stations(*, election: Election, progress: bool, centre_count: int = CENTRES,
                       station_count: int = STATIONS) -> str:
    """Load the synthetic set into ``election`` (as the system, through the import
    actions); return one line saying what changed."""
    files = synthetic_files(places_of(election), centres=centre_count, stations=station_count)

    def bar(description: str) -> contextlib.AbstractContextManager[imports.Progress | None]:
        if progress:
            return imports.terminal_progress(description)
        return contextlib.nullcontext()

    with bar("Synthetic geography") as tick:
        geography = actions.import_geography(
            actor=None, name="synthetic-geography.csv", content=files.geography.encode(),
            progress=tick)
    with bar("Synthetic polling stations") as tick:
        stations = actions.import_stations(
            actor=None, election=election, name="synthetic-stations.csv",
            content=files.stations.encode(), progress=tick)
    centres, each = stations.tallies["centres"], stations.tallies["stations"]
    in_file = each.created + each.updated + each.unchanged
    if geography.changed or stations.changed:
        change = f"created {each.created:,}" + (f", updated {each.updated:,}"
                                                if each.updated else "")
    else:
        change = "no change: created 0"
    return (f"Synthetic geography and stations: "
            f"{centres.created + centres.updated + centres.unchanged:,} centres, "
            f"{in_file:,} stations ({change})")
