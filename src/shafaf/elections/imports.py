"""Checking the geography and polling-station import files.

The files are read by the one tabular reader (:mod:`shafaf.tabular`: CSV or XLSX,
row by row, a header row, the spreadsheet's row numbers). Every problem of every
row is collected (the first thousand listed, the rest counted), so that whoever
prepared the file can fix it in one pass; a file with a single problem is rejected
whole. The formats are described in docs/imports.md.

Nothing here touches the database: the actions (``shafaf.elections.actions``) pass
in what the database holds as plain mappings and write only a file without a
problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from shafaf import tabular
from shafaf.core.names import bidi_controls, character_label
from shafaf.tabular import ImportRejected, Problem, Problems, Row, Table

__all__ = ["ImportRejected", "Problem", "Problems", "Row", "Table", "check_geography",
           "check_stations", "read_table"]


def _number(value: int) -> str:
    """A count grouped in thousands as the active language writes it."""
    return str(number_format(value, force_grouping=True))


def _(message: str) -> str:
    """gettext, typed (Django ships no types); translated for the active language."""
    return str(gettext(message))


# A callback for long imports: (records written so far, records to write).
Progress = Callable[[int, int], None]

GEOGRAPHY_REQUIRED = ("governorate_code", "district_code", "district_name_ar",
                      "sub_district_code", "sub_district_name_ar")
GEOGRAPHY_OPTIONAL = ("district_name_en", "district_name_ckb",
                      "sub_district_name_en", "sub_district_name_ckb")
GEOGRAPHY_NAMES = ("district_name_ar", "district_name_en", "district_name_ckb",
                   "sub_district_name_ar", "sub_district_name_en", "sub_district_name_ckb")
STATIONS_REQUIRED = ("centre_code", "centre_name_ar", "sub_district_code", "station_number",
                     "registered_voters")
STATIONS_OPTIONAL = ("centre_name_en", "kind")

# The models' limits, checked here so that a long value is a problem on its row and
# not a database error after everything else was validated.
CODE_LENGTH = 16
NAME_LENGTH = 200
# Two digits in the station code for the usual centre; three leave room for the
# largest, and keep the code within its 24 characters.
STATION_NUMBERS = (1, 999)
VOTERS = (0, 2_147_483_647)  # PostgreSQL's integer
KINDS = ("general", "special")
# A national stations file has about 35,000 rows; geography fewer.
ROWS_LIMIT = 200_000


# --- checking values -------------------------------------------------------------


def read_table(*, name: str, content: bytes, required: Sequence[str],
               optional: Sequence[str] = ()) -> Table:
    """A geography or stations file's header and rows, its problems worded in the
    active language (:func:`shafaf.tabular.read_table`)."""
    return tabular.read_table(name=name, content=content, required=required,
                              optional=optional, limit=ROWS_LIMIT, translate=_)


def _required(row: Row, columns: Iterable[str], problems: Problems) -> None:
    for column in columns:
        if not row[column]:
            problems.add(row.number, column, _("required, but empty"))


def _lengths(row: Row, limits: Mapping[str, int], problems: Problems) -> None:
    for column, limit in limits.items():
        if len(row[column]) > limit:
            problems.add(row.number, column, _("longer than %(limit)d characters"), {
                "limit": limit})


def _names(row: Row, columns: Iterable[str], problems: Problems) -> None:
    """No name may hold a bidirectional embedding, override or isolate control."""
    for column in columns:
        if controls := bidi_controls(row[column]):
            problems.add(row.number, column, _("%(character)s is not allowed in a name"), {
                "character": character_label(controls[0])})


# Lazy: translated only for a row with a problem, not for each of 35,000 rows.
DISTRICT, CENTRE = gettext_lazy("district"), gettext_lazy("centre")


@dataclass(frozen=True, slots=True)
class First:
    """The first row that named a district or centre, against which later rows are
    compared."""

    row: int
    values: Mapping[str, str | None]


def _agree(kind: Any, code: str, first: First, row: Row, values: Mapping[str, str | None],
           problems: Problems) -> None:
    """Every row of a district or centre must say the same about it."""
    for column, value in values.items():
        if value != first.values[column]:
            problems.add(row.number, column, _(
                "%(kind)s %(code)s has %(first)s at row %(row)d but %(this)s here"), {
                "kind": kind, "code": code, "first": _shown(first.values[column]),
                "row": first.row, "this": _shown(value)})


def _shown(value: str | None) -> str:
    return f"“{value}”" if value else "—"


# --- geography -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DistrictRow:
    code: str
    governorate_code: str
    name_ar: str
    name_en: str | None  # None: the file has no such column; keep what exists
    name_ckb: str | None


@dataclass(frozen=True, slots=True)
class SubDistrictRow:
    code: str
    district_code: str
    name_ar: str
    name_en: str | None
    name_ckb: str | None


@dataclass(frozen=True, slots=True)
class Geography:
    districts: dict[str, DistrictRow]
    sub_districts: dict[str, SubDistrictRow]


def check_geography(table: Table, *, governorates: Mapping[str, str], scope: str | None,
                    district_governorates: Mapping[str, str],
                    sub_district_governorates: Mapping[str, str]) -> Geography:
    """The districts and sub-districts of a geography file, or :class:`ImportRejected`.

    ``governorates`` maps each governorate's code to its name; ``scope`` is the only
    governorate the importer may touch (None: all); the two other mappings give the
    governorate of each district and sub-district already in the database, which an
    import may rename but never move to another governorate (their polling centres
    would follow them out of their office's scope).
    """
    problems = table.problems
    districts: dict[str, DistrictRow] = {}
    district_rows: dict[str, First] = {}
    sub_districts: dict[str, SubDistrictRow] = {}
    sub_district_rows: dict[str, int] = {}
    for row in table.rows:
        _required(row, GEOGRAPHY_REQUIRED, problems)
        _lengths(row, {"district_code": CODE_LENGTH, "sub_district_code": CODE_LENGTH,
                       **dict.fromkeys(("district_name_ar", "district_name_en",
                                        "district_name_ckb", "sub_district_name_ar",
                                        "sub_district_name_en", "sub_district_name_ckb"),
                                       NAME_LENGTH)}, problems)
        _names(row, GEOGRAPHY_NAMES, problems)
        governorate = row["governorate_code"].upper()
        if governorate and governorate not in governorates:
            problems.add(row.number, "governorate_code", _(
                "unknown governorate code %(code)s"), {"code": row["governorate_code"]})
        elif governorate and scope is not None and governorate != scope:
            problems.add(row.number, "governorate_code", _outside(governorate, scope,
                                                                  governorates))
        code = row["district_code"]
        district = DistrictRow(code, governorate, row["district_name_ar"],
                               table.optional(row, "district_name_en"),
                               table.optional(row, "district_name_ckb"))
        if code and code in district_rows:
            _agree(DISTRICT, code, district_rows[code], row, {
                "governorate_code": governorate, "district_name_ar": district.name_ar,
                "district_name_en": district.name_en, "district_name_ckb": district.name_ckb,
            }, problems)
        elif code:
            district_rows[code] = First(row.number, {
                "governorate_code": governorate, "district_name_ar": district.name_ar,
                "district_name_en": district.name_en, "district_name_ckb": district.name_ckb})
            districts[code] = district
            existing = district_governorates.get(code)
            if governorate and existing is not None and existing != governorate:
                problems.add(row.number, "governorate_code", _(
                    "district %(code)s is in governorate %(existing)s; an import cannot move "
                    "it to %(this)s"), {"code": code,
                                         "existing": _named(existing, governorates),
                                         "this": _named(governorate, governorates)})
        sub = row["sub_district_code"]
        if sub in sub_district_rows:
            problems.add(row.number, "sub_district_code", _(
                "duplicate sub-district %(code)s (first at row %(row)d)"), {
                "code": sub, "row": sub_district_rows[sub]})
        elif sub:
            sub_district_rows[sub] = row.number
            sub_districts[sub] = SubDistrictRow(sub, code, row["sub_district_name_ar"],
                                                table.optional(row, "sub_district_name_en"),
                                                table.optional(row, "sub_district_name_ckb"))
            existing = sub_district_governorates.get(sub)
            if governorate and existing is not None and existing != governorate:
                problems.add(row.number, "sub_district_code", _(
                    "sub-district %(code)s is in governorate %(existing)s; an import cannot "
                    "move it to %(this)s"), {"code": sub,
                                              "existing": _named(existing, governorates),
                                              "this": _named(governorate, governorates)})
    problems.raise_if_any()
    return Geography(districts, sub_districts)


def _named(code: str, governorates: Mapping[str, str]) -> str:
    return f"{code} ({governorates[code]})" if code in governorates else code


def _outside(code: str, scope: str, governorates: Mapping[str, str]) -> str:
    return _("%(this)s is outside your governorate, %(scope)s") % {
        "this": _named(code, governorates), "scope": _named(scope, governorates)}


# --- polling centres and stations --------------------------------------------------


@dataclass(frozen=True, slots=True)
class CentreRow:
    code: str
    name_ar: str
    name_en: str | None  # None: the file has no such column; keep what exists
    sub_district_code: str
    kind: str | None


@dataclass(frozen=True, slots=True)
class StationRow:
    centre_code: str
    number: int
    registered_voters: int

    @property
    def code(self) -> str:
        return station_code(self.centre_code, self.number)


def station_code(centre_code: str, number: int) -> str:
    return f"{centre_code}-{number:02d}"


@dataclass(frozen=True, slots=True)
class Stations:
    centres: dict[str, CentreRow]
    stations: list[StationRow]


def check_stations(table: Table, *, sub_district_governorates: Mapping[str, str],
                   governorates: Mapping[str, str], contested: frozenset[str],
                   scope: str | None, centre_governorates: Mapping[str, str]) -> Stations:
    """The centres and stations of a stations file, or :class:`ImportRejected`.

    ``sub_district_governorates`` maps each sub-district's code to its governorate's
    code, which becomes the centre's; ``contested`` holds the governorates with a
    contest in the election; ``scope`` is the only governorate the importer may touch
    (None: all); ``centre_governorates`` gives the governorate of each centre the
    election already has, so that a scoped user cannot take over another office's
    centre by reusing its code.
    """
    problems = table.problems
    centres: dict[str, CentreRow] = {}
    centre_rows: dict[str, First] = {}
    stations: list[StationRow] = []
    station_rows: dict[tuple[str, int], int] = {}
    for row in table.rows:
        _required(row, STATIONS_REQUIRED, problems)
        _lengths(row, {"centre_code": CODE_LENGTH, "centre_name_ar": NAME_LENGTH,
                       "centre_name_en": NAME_LENGTH}, problems)
        _names(row, ("centre_name_ar", "centre_name_en"), problems)
        sub = row["sub_district_code"]
        governorate = sub_district_governorates.get(sub)
        if sub and governorate is None:
            problems.add(row.number, "sub_district_code", _(
                "unknown sub-district code %(code)s: import it with the geography first"), {
                "code": sub})
        elif governorate is not None and governorate not in contested:
            problems.add(row.number, "sub_district_code", _(
                "the sub-district is in %(governorate)s, which has no contest in this "
                "election"), {"governorate": _named(governorate, governorates)})
        elif governorate is not None and scope is not None and governorate != scope:
            problems.add(row.number, "sub_district_code", _outside(governorate, scope,
                                                                   governorates))
        kind = table.optional(row, "kind")
        if kind is not None:
            kind = kind.lower() or "general"
            if kind not in KINDS:
                problems.add(row.number, "kind", _("%(value)s must be general or special"), {
                    "value": _shown(row["kind"])})
        code = row["centre_code"]
        existing = centre_governorates.get(code)
        if code and scope is not None and existing is not None and existing != scope:
            problems.add(row.number, "centre_code", _(
                "centre %(code)s exists in %(governorate)s, outside your governorate"), {
                "code": code, "governorate": _named(existing, governorates)})
        centre = CentreRow(code, row["centre_name_ar"], table.optional(row, "centre_name_en"),
                           sub, kind)
        facts: dict[str, str | None] = {
            "centre_name_ar": centre.name_ar, "centre_name_en": centre.name_en,
            "sub_district_code": sub, "kind": kind}
        if code in centre_rows:
            _agree(CENTRE, code, centre_rows[code], row, facts, problems)
        elif code:
            centre_rows[code] = First(row.number, facts)
            centres[code] = centre
        number = _count(row, "station_number", STATION_NUMBERS, problems)
        voters = _count(row, "registered_voters", VOTERS, problems)
        if code and number is not None:
            first = station_rows.setdefault((code, number), row.number)
            if first != row.number:
                problems.add(row.number, "station_number", _(
                    "duplicate station %(code)s (first at row %(row)d)"), {
                    "code": station_code(code, number), "row": first})
            elif voters is not None:
                stations.append(StationRow(code, number, voters))
    problems.raise_if_any()
    return Stations(centres, stations)


def _count(row: Row, column: str, limits: tuple[int, int], problems: Problems) -> int | None:
    if not row[column]:
        return None  # already reported as required
    number = tabular.whole(row[column], limits)
    if isinstance(number, tuple):
        problems.add(row.number, column, *number)
        return None
    return number


# --- what an import did --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # in the database but not in the file: imports never delete

    def as_data(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "kept": self.kept}


WHAT = {"districts": gettext_lazy("districts"), "sub_districts": gettext_lazy("sub-districts"),
        "centres": gettext_lazy("polling centres"), "stations": gettext_lazy("polling stations")}


@dataclass(frozen=True)
class ImportSummary:
    file: str
    sha256: str
    tallies: dict[str, Tally]  # keys of WHAT, in the order of the file's hierarchy

    @property
    def changed(self) -> bool:
        return any(t.created or t.updated for t in self.tallies.values())

    def audit_data(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256,
                **{what: tally.as_data() for what, tally in self.tallies.items()}}

    def text(self) -> str:
        """One paragraph for people, in the active language."""
        parts = [_("%(what)s: %(created)s created, %(updated)s updated, %(unchanged)s "
                   "unchanged") % {"what": WHAT[what], "created": _number(t.created),
                                   "updated": _number(t.updated),
                                   "unchanged": _number(t.unchanged)}
                 for what, t in self.tallies.items()]
        text = f"{self.file}: " + "; ".join(parts) + "."
        if not self.changed:
            text += " " + _("Nothing changed.")
        kept = [f"{_number(t.kept)} {WHAT[what]}" for what, t in self.tallies.items() if t.kept]
        if kept:
            text += " " + _("Not in the file but kept (imports never delete): %(kept)s.") % {
                "kept": ", ".join(kept)}
        return text


@contextmanager
def terminal_progress(description: str) -> Iterator[Progress]:
    """A rich progress bar on the terminal, as a :data:`Progress` callback (for the
    command line and the demo)."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    with Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
             TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update
