"""Every write to elections data, each with its audit event."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.db import connection, models, transaction

from shafaf.access.checks import governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core import laws
from shafaf.elections import imports
from shafaf.elections.models import (
    CalendarPhase,
    ComponentSeat,
    Contest,
    District,
    Election,
    ElectionKind,
    Governorate,
    Phase,
    PollingCentre,
    PollingStation,
    Region,
    SubDistrict,
)
from shafaf.elections.refusals import ElectionsRefused

KURDISTAN = {
    "IQ-AR": ("أربيل", "Erbil", "هەولێر"),
    "IQ-SU": ("السليمانية", "Sulaymaniyah", "سلێمانی"),
    "IQ-DA": ("دهوك", "Duhok", "دهۆک"),
    "IQ-HA": ("حلبجة", "Halabja", "هەڵەبجە"),
}

# The 2023 calendar (domain brief, section 1). Where the brief gives only a start or
# a month, the end is our estimate, marked in docs/demo.md.
CALENDAR_2023 = {
    Phase.PARTY_REGISTRATION: (date(2023, 7, 1), date(2023, 8, 6)),
    Phase.REGISTER_UPDATE: (date(2023, 7, 9), date(2023, 8, 7)),
    Phase.CANDIDATE_LISTS: (date(2023, 7, 15), date(2023, 8, 15)),
    Phase.VETTING: (date(2023, 8, 16), date(2023, 10, 31)),
    Phase.BALLOT_LOTTERY: (date(2023, 9, 17), date(2023, 9, 20)),
    Phase.STATIONS_APPROVED: (date(2023, 10, 4), date(2023, 10, 4)),
    Phase.CAMPAIGN: (date(2023, 11, 1), date(2023, 12, 15)),
    Phase.SPECIAL_VOTING: (date(2023, 12, 16), date(2023, 12, 16)),
    Phase.GENERAL_VOTING: (date(2023, 12, 18), date(2023, 12, 18)),
    Phase.PRELIMINARY_RESULTS: (date(2023, 12, 19), date(2023, 12, 19)),
    Phase.MANUAL_COUNT: (date(2023, 12, 22), date(2023, 12, 24)),
    Phase.FINAL_RESULTS: (date(2023, 12, 28), date(2023, 12, 28)),
    Phase.APPEALS: (date(2024, 1, 1), date(2024, 1, 20)),
    Phase.RATIFICATION: (date(2024, 1, 21), date(2024, 1, 21)),
}


@transaction.atomic
def load_governorates(*, actor: Visitor | None) -> int:
    """The 19 governorates with their names; returns how many were created."""
    created = 0
    rows = {d.code: (d.name_ar, d.name_en, d.name_ckb, Region.FEDERAL)
            for d in laws.get("iraq-gc-2023").districts.values()}
    rows.update({code: (*names, Region.KURDISTAN) for code, names in KURDISTAN.items()})
    for code, (name_ar, name_en, name_ckb, region) in sorted(rows.items()):
        _, made = Governorate.objects.get_or_create(code=code, defaults={
            "name_ar": name_ar, "name_en": name_en, "name_ckb": name_ckb, "region": region})
        created += made
    if created:
        record(actor=actor, action="elections.load_governorates", data={"created": created})
    return created


CODE_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Words an address uses where an election's code goes (/results/complaints/ beside
# /results/<election>/, /lottery/verify/ beside /lottery/<election>/): an election so
# coded could never be reached there. A test derives them from the URL patterns.
RESERVED_CODES = frozenset({"complaints", "verify", "transmissions"})


@transaction.atomic
def create_election(*, actor: Visitor | None, code: str, kind: str, polling_day: date,
                    law: str, name_ar: str, name_en: str = "", name_ckb: str = "",
                    calendar: Mapping[str, tuple[date, date]] | None = None) -> Election:
    """Set up an election: its contests are the law profile's districts, each with its
    general seats, its women's quota (the profile's target on the general seats) and
    its component seats; ``calendar`` maps a :class:`Phase` to its first and last day.
    Only an administrator (``actor=None``: the system, as the demo) may; refused with
    :class:`ElectionsRefused` for a code in use, an unknown law, a kind, a phase or
    dates that do not fit, or a district whose governorate is not loaded."""
    if actor is not None:
        require(actor, Capability.IMPORT_GEOGRAPHY)
    if not CODE_PATTERN.fullmatch(code) or len(code) > 32:
        raise ElectionsRefused("election_code_invalid", code=code[:40])
    if code in RESERVED_CODES:
        raise ElectionsRefused("election_code_reserved", code=code)
    if kind not in ElectionKind.values:
        raise ElectionsRefused("election_kind_unknown", kind=kind[:40])
    if law not in laws.PROFILES:
        raise ElectionsRefused("election_law_unknown", law=law[:40])
    if not name_ar.strip():
        raise ElectionsRefused("election_name_missing")
    calendar = dict(calendar or {})
    for phase, (starts, ends) in calendar.items():
        if phase not in Phase.values:
            raise ElectionsRefused("election_phase_unknown", phase=str(phase)[:40])
        if ends < starts:
            raise ElectionsRefused("election_phase_ends_before_it_starts",
                                   phase=Phase(phase).label, starts=starts, ends=ends)
    profile = laws.get(law)
    governorates = Governorate.objects.in_bulk(profile.districts, field_name="code")
    missing = sorted(set(profile.districts) - set(governorates))
    if missing:
        raise ElectionsRefused("election_governorates_missing", codes=", ".join(missing))
    # Locking the governorates serialises two administrators creating the same code.
    list(Governorate.objects.select_for_update().filter(pk__in=[g.pk for g in
                                                                governorates.values()]))
    if Election.objects.filter(code=code).exists():
        raise ElectionsRefused("election_code_taken", code=code)
    election = Election.objects.create(code=code, kind=kind, polling_day=polling_day,
                                       law=law, name_ar=name_ar.strip(),
                                       name_en=name_en.strip(), name_ckb=name_ckb.strip())
    quota = profile.rules.women_quota
    for district in profile.districts.values():
        contest = Contest.objects.create(
            election=election, governorate=governorates[district.code],
            general_seats=district.general_seats,
            women_quota=quota.target.target(district.general_seats) if quota else 0)
        ComponentSeat.objects.bulk_create(
            ComponentSeat(contest=contest, component=component, seats=seats)
            for component, seats in district.component_seats.items())
    CalendarPhase.objects.bulk_create(
        CalendarPhase(election=election, phase=phase, starts=starts, ends=ends)
        for phase, (starts, ends) in calendar.items())
    record(actor=actor, action="elections.create_election", target=election,
           data={"code": election.code, "law": law, "kind": kind,
                 "polling_day": polling_day.isoformat(),
                 "contests": len(profile.districts), "calendar": len(calendar)})
    return election


def create_council_election_2023(*, actor: Visitor | None) -> Election:
    """The governorate-council election of 18 December 2023, with its 15 contests and
    their seats from the law profile, and its calendar. Idempotent."""
    existing = Election.objects.filter(code="gc-2023").first()
    if existing:
        return existing
    return create_election(
        actor=actor, code="gc-2023", kind=ElectionKind.GOVERNORATE_COUNCILS,
        polling_day=date(2023, 12, 18), law="iraq-gc-2023",
        name_ar="انتخابات مجالس المحافظات 2023", name_en="Governorate council elections 2023",
        name_ckb="هەڵبژاردنی ئەنجومەنی پارێزگاکان ٢٠٢٣",
        calendar={phase.value: days for phase, days in CALENDAR_2023.items()})


# --- imports of geography, polling centres and stations (docs/imports.md) ---------------

# Rows per statement: few round trips, and an IN list within the 999 parameters of
# older SQLite builds (Django splits bulk inserts further where it must).
BATCH = 500
Key = TypeVar("Key", bound=Hashable)  # a code, or a centre's code and a station's number


@dataclass
class _Plan:
    """One model's part of an import: rows to create, rows to update, the rest."""

    model: type[models.Model]
    fields: list[str]  # what an update may change
    create: list[Any] = field(default_factory=list)
    update: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)  # row, changes
    unchanged: int = 0
    kept: int = 0

    def tally(self) -> imports.Tally:
        return imports.Tally(created=len(self.create), updated=len(self.update),
                             unchanged=self.unchanged, kept=self.kept)


def _plan(model: type[models.Model], fields: list[str], existing: Mapping[Key, Any],
          wanted: Mapping[Key, dict[str, Any]], new: Callable[[Key, dict[str, Any]], Any]
          ) -> _Plan:
    """Compare the file's rows with the database's, in memory."""
    plan = _Plan(model, fields)
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            plan.create.append(new(key, values))
        elif changes := {name: value for name, value in values.items()
                         if getattr(row, name) != value}:
            for name, value in changes.items():
                setattr(row, name, value)
            plan.update.append((row, changes))
        else:
            plan.unchanged += 1
    plan.kept = sum(key not in wanted for key in existing)
    return plan


def _write(plans: list[_Plan], progress: imports.Progress | None) -> None:
    """Parents first: a row created in one plan has its id before the next plan's rows
    that point to it are written."""
    total = sum(len(plan.create) + len(plan.update) for plan in plans)
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        if progress:
            progress(done, total)

    advance(0)
    for plan in plans:
        manager = plan.model._default_manager
        for chunk in _chunks(plan.create):
            manager.bulk_create(chunk)
            advance(len(chunk))
        # The same change to many rows (a register update moving voter counts) is one
        # UPDATE per value: bulk_update builds a CASE branch per row in Python, some 40
        # times slower for 35,000 stations. Changes of a row's own (a renamed centre)
        # go through bulk_update.
        alike: dict[tuple[tuple[str, Any], ...], list[Any]] = defaultdict(list)
        for row, changes in plan.update:
            alike[_columns(plan.model, changes)].append(row)
        own = []
        for columns, rows in alike.items():
            if len(rows) == 1:
                own.extend(rows)
                continue
            for chunk in _chunks(rows):
                manager.filter(pk__in=[row.pk for row in chunk]).update(**dict(columns))
                advance(len(chunk))
        for chunk in _chunks(own):
            manager.bulk_update(chunk, plan.fields)
            advance(len(chunk))
    if connection.vendor == "postgresql" and total >= BATCH:
        # After a bulk load PostgreSQL's planner still sees the tables as they were
        # (autovacuum catches up later): refresh its statistics so the station pages
        # get good plans from the first request.
        with connection.cursor() as cursor:
            for plan in plans:
                cursor.execute(f'ANALYZE "{plan.model._meta.db_table}"')


def _chunks(rows: list[Any]) -> list[list[Any]]:
    return [rows[start:start + BATCH] for start in range(0, len(rows), BATCH)]


def _columns(model: type[models.Model], changes: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Changes as column values, hashable: a parent by its id (a new one has it by now)."""
    return tuple(sorted(_column(model, name, value) for name, value in changes.items()))


def _column(model: type[models.Model], name: str, value: Any) -> tuple[str, Any]:
    field = model._meta.get_field(name)
    if isinstance(value, models.Model) and isinstance(field, models.ForeignKey):
        return field.attname, value.pk
    return name, value


def _importer_scope(actor: Visitor | None, capability: Capability) -> str | None:
    """The code of the only governorate ``actor`` may import into, None for all. The
    system itself (``actor=None``: an operator at the server's command line) may
    import everything."""
    if actor is None:
        return None
    actor = require(actor, capability)
    scope = governorate_scope(actor)
    return None if scope is None else Governorate.objects.get(pk=scope).code


def _named(values: dict[str, str | None]) -> dict[str, str]:
    """The values the file gives; a column the file lacks leaves the database's."""
    return {name: value for name, value in values.items() if value is not None}


def import_geography(*, actor: Visitor | None, name: str, content: bytes,
                     progress: imports.Progress | None = None) -> imports.ImportSummary:
    """Create or update districts and sub-districts from a geography file (CSV or
    XLSX): all of it, or nothing and :class:`~shafaf.elections.imports.ImportRejected`
    with every problem. Rows absent from the file are kept, never deleted."""
    scope = _importer_scope(actor, Capability.IMPORT_GEOGRAPHY)
    table = imports.read_table(name=name, content=content, required=imports.GEOGRAPHY_REQUIRED,
                               optional=imports.GEOGRAPHY_OPTIONAL)
    with transaction.atomic():
        # Locking the governorates serialises concurrent geography imports.
        governorates = {g.code: g for g in Governorate.objects.select_for_update()}
        codes = {g.pk: code for code, g in governorates.items()}
        districts = {d.code: d for d in District.objects.all()}
        sub_districts = {s.code: s for s in SubDistrict.objects.select_related("district")}
        geography = imports.check_geography(
            table, governorates={code: g.name for code, g in governorates.items()},
            scope=scope,
            district_governorates={code: codes[d.governorate_id]
                                   for code, d in districts.items()},
            sub_district_governorates={code: codes[s.district.governorate_id]
                                       for code, s in sub_districts.items()})
        district_plan = _plan(
            District, ["governorate", "name_ar", "name_en", "name_ckb"], districts,
            {code: {"governorate_id": governorates[d.governorate_code].pk,
                    **_named({"name_ar": d.name_ar, "name_en": d.name_en,
                              "name_ckb": d.name_ckb})}
             for code, d in geography.districts.items()},
            lambda code, values: District(code=code, **values))
        district_of = {**districts, **{d.code: d for d in district_plan.create}}
        sub_district_plan = _plan(
            SubDistrict, ["district", "name_ar", "name_en", "name_ckb"], sub_districts,
            {code: {"district": district_of[s.district_code],
                    **_named({"name_ar": s.name_ar, "name_en": s.name_en,
                              "name_ckb": s.name_ckb})}
             for code, s in geography.sub_districts.items()},
            lambda code, values: SubDistrict(code=code, **values))
        summary = imports.ImportSummary(table.name, table.sha256, {
            "districts": district_plan.tally(), "sub_districts": sub_district_plan.tally()})
        if summary.changed:
            _write([district_plan, sub_district_plan], progress)
            record(actor=actor, action="elections.import_geography",
                   data=summary.audit_data())
    return summary


def import_stations(*, actor: Visitor | None, election: Election, name: str, content: bytes,
                    progress: imports.Progress | None = None) -> imports.ImportSummary:
    """Create or update an election's polling centres and stations from a stations file
    (CSV or XLSX): all of it, or nothing and
    :class:`~shafaf.elections.imports.ImportRejected` with every problem. A user with a
    governorate may import only that governorate's centres. Rows absent from the file
    are kept, never deleted."""
    scope = _importer_scope(actor, Capability.IMPORT_STATIONS)
    table = imports.read_table(name=name, content=content, required=imports.STATIONS_REQUIRED,
                               optional=imports.STATIONS_OPTIONAL)
    with transaction.atomic():
        # Locking the election serialises concurrent imports into it.
        election = Election.objects.select_for_update().get(pk=election.pk)
        governorates = {g.pk: g for g in Governorate.objects.all()}
        places = {code: (pk, governorate_id) for code, pk, governorate_id in
                  SubDistrict.objects.values_list("code", "pk", "district__governorate_id")}
        centres = {c.code: c for c in PollingCentre.objects.filter(election=election)}
        plan = imports.check_stations(
            table, governorates={g.code: g.name for g in governorates.values()},
            sub_district_governorates={code: governorates[gid].code
                                       for code, (_, gid) in places.items()},
            contested=frozenset(Contest.objects.filter(election=election)
                                .values_list("governorate__code", flat=True)),
            scope=scope,
            centre_governorates={code: governorates[c.governorate_id].code
                                 for code, c in centres.items()})
        centre_plan = _plan(
            PollingCentre, ["name_ar", "name_en", "sub_district", "governorate", "kind"],
            centres,
            {code: {"sub_district_id": places[c.sub_district_code][0],
                    "governorate_id": places[c.sub_district_code][1],
                    **_named({"name_ar": c.name_ar, "name_en": c.name_en, "kind": c.kind})}
             for code, c in plan.centres.items()},
            lambda code, values: PollingCentre(election=election, code=code, **values))
        code_of = {c.pk: code for code, c in centres.items()}
        centre_of = {**centres, **{c.code: c for c in centre_plan.create}}
        # Only the fields compared are loaded: 35,000 stations is the national size.
        stations = {(code_of[s.centre_id], s.number): s for s in PollingStation.objects.filter(
            centre__election=election).only("pk", "centre_id", "number", "code",
                                            "registered_voters")}
        station_plan = _plan(
            PollingStation, ["code", "registered_voters"], stations,
            {(s.centre_code, s.number): {"code": s.code,
                                         "registered_voters": s.registered_voters}
             for s in plan.stations},
            lambda key, values: PollingStation(centre=centre_of[key[0]], number=key[1],
                                               **values))
        summary = imports.ImportSummary(table.name, table.sha256, {
            "centres": centre_plan.tally(), "stations": station_plan.tally()})
        if summary.changed:
            _write([centre_plan, station_plan], progress)
            record(actor=actor, action="elections.import_stations", target=election,
                   data={"election": election.code, **summary.audit_data()})
    return summary
