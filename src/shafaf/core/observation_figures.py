"""The arithmetic of observation's dashboards and public figures (docs/observation-dashboards.md).

Pure: plain rows in, counts and shares out, so that every figure can be checked by
hand against a small fixture. Where one station has several reports of one form (two
observers, or one who sent a correction), the last received counts for the station.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", str, tuple[str, str])

TURNOUT_HOURS = (("voters_10", 10), ("voters_13", 13), ("voters_16", 16))


def share(part: int, whole: int) -> Fraction | None:
    """``part`` of ``whole``, exact; None when there is nothing to share."""
    return Fraction(part, whole) if whole else None


def percent(value: Fraction | None) -> str:
    """A share as a percentage with one decimal, "–" when there is none."""
    return "–" if value is None else f"{float(value) * 100:.1f}%"


@dataclass(frozen=True, slots=True)
class Place:
    """A station where observers may be deployed."""

    governorate: str
    centre: str
    station: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """One governorate's coverage: centres and stations with at least one observer."""

    governorate: str
    centres: int
    centres_covered: int
    stations: int
    stations_covered: int

    @property
    def centre_share(self) -> Fraction | None:
        return share(self.centres_covered, self.centres)

    @property
    def station_share(self) -> Fraction | None:
        return share(self.stations_covered, self.stations)


def coverage(places: Iterable[Place], covered: Iterable[str]) -> list[Coverage]:
    """Per governorate (in code order), of the stations in ``places``, how many of
    them and of their centres have an observer (``covered``: station codes). A centre
    is covered when any of its stations is."""
    covered_stations = set(covered)
    centres: dict[str, set[str]] = {}
    centres_hit: dict[str, set[str]] = {}
    stations: Counter[str] = Counter()
    stations_hit: Counter[str] = Counter()
    for place in places:
        centres.setdefault(place.governorate, set()).add(place.centre)
        centres_hit.setdefault(place.governorate, set())
        stations[place.governorate] += 1
        if place.station in covered_stations:
            stations_hit[place.governorate] += 1
            centres_hit[place.governorate].add(place.centre)
    return [Coverage(g, len(centres[g]), len(centres_hit[g]), stations[g], stations_hit[g])
            for g in sorted(centres)]


def total_coverage(rows: Iterable[Coverage]) -> Coverage:
    rows = list(rows)
    return Coverage("", sum(r.centres for r in rows), sum(r.centres_covered for r in rows),
                    sum(r.stations for r in rows), sum(r.stations_covered for r in rows))


@dataclass(frozen=True, slots=True)
class HourCount:
    hour: int
    received: int
    cumulative: int
    expected: int

    @property
    def cumulative_share(self) -> Fraction | None:
        return share(self.cumulative, self.expected)


def received_by_hour(hours: Iterable[int], expected: int, *, first: int = 6,
                     last: int = 23) -> list[HourCount]:
    """Reports received in each hour from ``first`` to ``last`` (the local hour each was
    received; one outside that range is counted in the nearest end) and the running
    total against what is expected (assignments × forms)."""
    counts = Counter(min(max(hour, first), last) for hour in hours)
    rows, running = [], 0
    for hour in range(first, last + 1):
        running += counts[hour]
        rows.append(HourCount(hour, counts[hour], running, expected))
    return rows


def _latest(reports: Iterable[tuple[str, Mapping[str, object]]]
            ) -> dict[str, Mapping[str, object]]:
    """The last report of each station (``reports`` in the order received)."""
    last: dict[str, Mapping[str, object]] = {}
    for station, answers in reports:
        last[station] = answers
    return last


@dataclass(frozen=True, slots=True)
class OnTime:
    stations: int
    on_time: int

    @property
    def late(self) -> int:
        return self.stations - self.on_time

    @property
    def on_time_share(self) -> Fraction | None:
        return share(self.on_time, self.stations)


def opened_on_time(reports: Iterable[tuple[str, Mapping[str, object]]]) -> OnTime:
    """Of the stations with an opening report that answers ``opened_on_time``, those
    whose last such report says yes."""
    answered = {station: answers["opened_on_time"]
                for station, answers in _latest(
                    (s, a) for s, a in reports
                    if isinstance(a.get("opened_on_time"), bool)).items()}
    return OnTime(len(answered), sum(1 for value in answered.values() if value is True))


@dataclass(frozen=True, slots=True)
class Turnout:
    hour: int
    stations: int
    voters: int
    registered: int

    @property
    def turnout(self) -> Fraction | None:
        return share(self.voters, self.registered)


def turnout_by_hour(reports: Iterable[tuple[str, Mapping[str, object]]],
                    registered: Mapping[str, int]) -> list[Turnout]:
    """Observed turnout at 10:00, 13:00 and 16:00: over the stations that reported a
    count at that hour (each station's last report), the voters counted over those
    same stations' registered voters."""
    last = _latest(reports)
    rows = []
    for question, hour in TURNOUT_HOURS:
        stations = voters = on_register = 0
        for station, answers in last.items():
            value = answers.get(question)
            if isinstance(value, int) and not isinstance(value, bool) and station in registered:
                stations += 1
                voters += value
                on_register += registered[station]
        rows.append(Turnout(hour, stations, voters, on_register))
    return rows


@dataclass(frozen=True, slots=True)
class Incident:
    category: str
    severity: str
    governorate: str


@dataclass(frozen=True, slots=True)
class IncidentCounts:
    total: int
    by_category: dict[str, int]
    by_governorate: dict[str, int]
    by_severity: dict[str, int]
    by_governorate_and_category: dict[tuple[str, str], int]


def _tally(keys: Iterable[K]) -> dict[K, int]:
    return dict(sorted(Counter(keys).items()))


def incident_counts(incidents: Iterable[Incident]) -> IncidentCounts:
    """Incidents counted by category, governorate and severity (each in key order)."""
    items = list(incidents)
    return IncidentCounts(
        len(items), _tally(i.category for i in items), _tally(i.governorate for i in items),
        _tally(i.severity for i in items),
        _tally((i.governorate, i.category) for i in items))
