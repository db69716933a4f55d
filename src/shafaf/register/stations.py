"""Polling stations filled from the register (docs/register-stations.md).

Each centre's active voters, in the order of its lists, fill as few stations as the
maximum per station allows, in contiguous runs as even as possible
(:mod:`shafaf.core.station_filling`). The stations are created when missing and get
their number of registered voters; every active voter gets their station in one
set-wise UPDATE per governorate, from each voter's rank in its centre
(``row_number()`` over the list order), never one query per voter.

The SQL here is built from this module's own constants (table and column names),
never from input; every value is a parameter.
"""
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from shafaf.access.checks import governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core.station_filling import fill
from shafaf.elections.imports import station_code
from shafaf.elections.models import Election, Governorate, PollingCentre, PollingStation
from shafaf.register.finality import refuse_if_final
from shafaf.register.models import Status, Voter

# (voters placed so far, active voters in all)
Progress = Callable[[int, int], None]

PLAN = "register_station_plan"
# Station codes of the empty stations named in the audit event (the count is whole).
EMPTY_NAMED = 50


def maximum_per_station() -> int:
    return int(settings.SHAFAF_VOTERS_PER_STATION)


def _number(value: int) -> str:
    return str(number_format(value, force_grouping=True))


@dataclass(frozen=True)
class StationAssignment:
    """What a filling did: the counts of its audit event."""

    election: str
    governorate: str | None
    maximum: int
    centres: int
    voters: int
    stations: int
    stations_created: int
    stations_recounted: int
    voters_moved: int
    empty: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.stations_created or self.stations_recounted or self.voters_moved)

    def audit_data(self) -> dict[str, Any]:
        return {"election": self.election, "governorate": self.governorate,
                "maximum": self.maximum, "centres": self.centres, "voters": self.voters,
                "stations": self.stations, "stations_created": self.stations_created,
                "stations_recounted": self.stations_recounted,
                "voters_moved": self.voters_moved, "empty_stations": len(self.empty),
                "empty_station_codes": list(self.empty[:EMPTY_NAMED])}

    def text(self) -> str:
        text = str(gettext(
            "%(voters)s voters in %(centres)s centres fill %(stations)s stations (at most "
            "%(maximum)s voters each): %(created)s stations created, %(moved)s voters "
            "given a new station.")) % {
            "voters": _number(self.voters), "centres": _number(self.centres),
            "stations": _number(self.stations), "maximum": _number(self.maximum),
            "created": _number(self.stations_created), "moved": _number(self.voters_moved)}
        if self.empty:
            text += " " + str(ngettext(
                "%(count)s station is left with no voters: %(codes)s.",
                "%(count)s stations are left with no voters: %(codes)s.",
                len(self.empty))) % {
                "count": _number(len(self.empty)),
                "codes": ", ".join(self.empty[:EMPTY_NAMED])
                + (" …" if len(self.empty) > EMPTY_NAMED else "")}
        if not self.changed:
            text += " " + str(gettext("Nothing changed."))
        return text


def _collation() -> str:
    return '"C"' if connection.vendor == "postgresql" else "BINARY"


def _differs() -> str:
    return "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"


def assign_stations(*, actor: Visitor | None, election: Election,
                    governorate: Governorate | None = None,
                    progress: Progress | None = None) -> StationAssignment:
    """Fill every centre's stations of ``election`` (or one governorate's) from the
    register. A second run changes nothing; stations left with no voters are kept
    (something may refer to them) and reported. One audit event when anything
    changed."""
    scope = None
    if actor is not None:
        actor = require(actor, Capability.IMPORT_REGISTER)
        scope = governorate_scope(actor)
    maximum = maximum_per_station()
    with transaction.atomic():
        # Locking the election serialises fillings and imports into it.
        election = Election.objects.select_for_update().get(pk=election.pk)
        refuse_if_final(election)
        centres = PollingCentre.objects.filter(election=election)
        if governorate is not None:
            centres = centres.filter(governorate=governorate)
        if scope is not None:
            centres = centres.filter(governorate_id=scope)
        centre_rows = list(centres.order_by("pk").values_list("pk", "code", "governorate_id"))
        counts = dict(Voter.objects.filter(centre__in=centres, status=Status.ACTIVE)
                      .values("centre_id").annotate(n=Count("pk"))
                      .values_list("centre_id", "n"))
        with connection.cursor() as cursor:
            _create_plan(cursor, centre_rows, counts, maximum)
            created, recounted, empty = _stations(cursor, centre_rows, counts, maximum)
            moved = _assign(cursor, centre_rows, counts, progress)
            cursor.execute(f"DROP TABLE {PLAN}")
        total = sum(counts.values())
        summary = StationAssignment(
            election=election.code,
            governorate=governorate.code if governorate is not None else None,
            maximum=maximum, centres=len(centre_rows), voters=total,
            stations=sum(fill(n, maximum).stations for n in counts.values()),
            stations_created=created, stations_recounted=recounted, voters_moved=moved,
            empty=tuple(empty))
        if progress:
            progress(total, total)
        if summary.changed:
            record(actor=actor, action="register.assign_stations", target=election,
                   data=summary.audit_data())
    return summary


def _create_plan(cursor: Any, centre_rows: list[tuple[int, str, int]],
                 counts: dict[int, int], maximum: int) -> None:
    """A temporary table of every centre in scope: its governorate and how its voters
    fill its stations (:class:`shafaf.core.station_filling.Filling`)."""
    cursor.execute(f"DROP TABLE IF EXISTS {PLAN}")
    cursor.execute(f"CREATE TEMPORARY TABLE {PLAN} (centre_id integer PRIMARY KEY, "
                   "governorate_id integer NOT NULL, stations integer NOT NULL, "
                   "base integer NOT NULL, longer integer NOT NULL)")
    rows = []
    for pk, _code, governorate in centre_rows:
        filling = fill(counts.get(pk, 0), maximum)
        rows.append((pk, governorate, filling.stations, filling.base, filling.longer))
    for start in range(0, len(rows), 1_000):
        batch = rows[start:start + 1_000]
        cursor.execute(f"INSERT INTO {PLAN} VALUES "
                       + ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch)),
                       [value for row in batch for value in row])
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {PLAN}")


def _stations(cursor: Any, centre_rows: list[tuple[int, str, int]], counts: dict[int, int],
              maximum: int) -> tuple[int, int, list[str]]:
    """Create the missing stations and set every station's registered voters, set-wise;
    returns (created, recounted, codes of the stations left empty)."""
    stations = PollingStation._meta.db_table
    cursor.execute(f"SELECT s.centre_id, s.number FROM {stations} s "
                   f"JOIN {PLAN} p ON p.centre_id = s.centre_id")
    have = set(cursor.fetchall())
    new = []
    for pk, code, _governorate in centre_rows:
        for number, size in enumerate(fill(counts.get(pk, 0), maximum).sizes(), start=1):
            if (pk, number) not in have:
                new.append(PollingStation(centre_id=pk, number=number,
                                          code=station_code(code, number),
                                          registered_voters=size))
    PollingStation.objects.bulk_create(new, batch_size=1_000)
    sized = (f"CASE WHEN {stations}.number <= p.longer THEN p.base + 1 "
            f"WHEN {stations}.number <= p.stations THEN p.base ELSE 0 END")
    cursor.execute(f"UPDATE {stations} SET registered_voters = {sized} FROM {PLAN} p "
                   f"WHERE {stations}.centre_id = p.centre_id AND "
                   f"{stations}.registered_voters <> {sized}")
    recounted = int(cursor.rowcount)
    cursor.execute(f"SELECT s.code FROM {stations} s JOIN {PLAN} p ON p.centre_id = s.centre_id "
                   "WHERE s.number > p.stations ORDER BY s.code")
    return len(new), recounted, [code for (code,) in cursor.fetchall()]


def _assign(cursor: Any, centre_rows: list[tuple[int, str, int]], counts: dict[int, int],
            progress: Progress | None) -> int:
    """Set every voter's station of these centres; returns how many voters changed."""
    voters, stations = Voter._meta.db_table, PollingStation._meta.db_table
    # Voters no longer active, in these centres, leave their station.
    cursor.execute(f"UPDATE {voters} SET station_id = NULL WHERE station_id IS NOT NULL AND "
                   f"status <> %s AND centre_id IN (SELECT centre_id FROM {PLAN})",
                   [Status.ACTIVE])
    moved = int(cursor.rowcount)
    total = sum(counts.values())
    done = 0
    # One statement a governorate: the rank of each voter in its centre's list order,
    # the station that rank falls in (core.station_filling.station_of), and only the
    # voters whose station differs are written.
    for governorate in sorted({row[2] for row in centre_rows}):
        cursor.execute(
            f"UPDATE {voters} SET station_id = target.station_id FROM ("
            "SELECT r.id, s.id AS station_id FROM ("
            "SELECT v.id, v.centre_id, row_number() OVER (PARTITION BY v.centre_id "
            f"ORDER BY v.sort_key COLLATE {_collation()}, "
            f"v.voter_number COLLATE {_collation()}) AS list_rank "
            f"FROM {voters} v JOIN {PLAN} p ON p.centre_id = v.centre_id "
            "WHERE v.status = %s AND p.governorate_id = %s AND p.stations > 0) r "
            f"JOIN {PLAN} p ON p.centre_id = r.centre_id "
            f"JOIN {stations} s ON s.centre_id = r.centre_id AND s.number = "
            "CASE WHEN r.list_rank <= p.longer * (p.base + 1) "
            "THEN (r.list_rank - 1) / (p.base + 1) + 1 "
            "ELSE p.longer + (r.list_rank - 1 - p.longer * (p.base + 1)) / p.base + 1 END"
            f") target WHERE {voters}.id = target.id AND "
            f"{voters}.station_id {_differs()} target.station_id",
            [Status.ACTIVE, governorate])
        moved += int(cursor.rowcount)
        done += sum(counts.get(pk, 0) for pk, _code, gov in centre_rows if gov == governorate)
        if progress:
            progress(done, total)
    return moved


# --- Reads for the stations page -------------------------------------------------------


def centres_with_stations(centres: QuerySet[PollingCentre]) -> QuerySet[PollingCentre]:
    """Each centre with its active voters in the register (``register_voters``), its
    stations, the voters they hold and its largest station."""
    active = (Voter.objects.filter(centre=OuterRef("pk"), status=Status.ACTIVE)
              .order_by().values("centre").annotate(n=Count("pk")).values("n"))
    return centres.annotate(
        register_voters=Coalesce(Subquery(active), 0),
        station_count=Count("stations"),
        station_voters=Coalesce(Sum("stations__registered_voters"), 0),
        largest=Coalesce(Max("stations__registered_voters"), 0))
