"""The candidate directory's open-data downloads: the CSV (one row per standing
candidate) and the NIST SP 1500-100 v2 report, built from the directory's reads
(:mod:`shafaf.entities.selectors`). docs/candidate-directory.md describes both."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from importlib import metadata

from django.utils import translation

from shafaf.elections.models import Component, Contest, Election, Governorate
from shafaf.entities.models import Entity, EntityKind, EntityStatus
from shafaf.entities.selectors import ListEntry
from shafaf.exports import nist

LANGUAGES = nist.LANGUAGES

# --- CSV ------------------------------------------------------------------------------

CSV_COLUMNS = (
    "governorate", "ballot_number", "entity_code", "entity_name_ar", "entity_name_ckb",
    "entity_name_en", "entity_kind", "list_kind", "component", "sequence",
    "candidate_name_ar", "candidate_name_ckb", "candidate_name_en", "sex",
)
# A cell a spreadsheet would run as a formula (OWASP "CSV injection"); names are
# typed by entities' agents, so such a cell gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(entries: Iterable[ListEntry]) -> Iterator[list[str]]:
    """The header, then one row per candidate: codes, not translated labels, so that
    the file reads the same in every language."""
    yield list(CSV_COLUMNS)
    for entry in entries:
        entity = entry.entity
        for candidate in entry.candidates:
            yield [_cell(v) for v in (
                entry.governorate.code, entry.ballot_number, entity.code, entity.name_ar,
                entity.name_ckb, entity.name_en, entity.kind, entry.nomination.kind,
                entry.component, candidate.sequence, candidate.name_in("ar"),
                candidate.name_in("ckb"), candidate.name_in("en"), candidate.sex)]


# --- NIST SP 1500-100 v2 ----------------------------------------------------------------

NOTES = ("Candidate directory: certified lists and approved candidates. "
         "See docs/candidate-directory.md in Shafaf for the mapping.")


def _names(obj: Entity | Governorate | Election) -> dict[str, str]:
    return {language: str(getattr(obj, f"name_{language}")) for language in LANGUAGES}


def _area(governorate: Governorate) -> nist.Area:
    return nist.Area(code=governorate.code, names=_names(governorate))


def _party(entity: Entity) -> nist.Party:
    return nist.Party(code=entity.code, kind=entity.kind, names=_names(entity),
                      recognised=entity.status == EntityStatus.APPROVED,
                      coalition=entity.kind == EntityKind.ALLIANCE)


def _standing(entry: ListEntry) -> nist.Standing:
    return nist.Standing(
        area=_area(entry.governorate), component=entry.component,
        party=_party(entry.entity), ballot_number=entry.ballot_number,
        members=tuple(_party(m) for m in entry.members),
        candidates=tuple(
            nist.Candidate(id=c.candidate.pk, sequence=c.sequence, sex=c.sex,
                           names={language: c.name_in(language) for language in LANGUAGES})
            for c in entry.candidates))


def _components() -> nist.Components:
    labels: dict[str, dict[str, str]] = {value: {} for value in Component.values}
    for language in LANGUAGES:
        with translation.override(language):
            for value, label in Component.choices:
                labels[value][language] = str(label)
    return nist.Components(order=tuple(Component.values), labels=labels)


def _vendor() -> str:
    try:
        return f"Shafaf {metadata.version('shafaf')}"
    except metadata.PackageNotFoundError:
        return "Shafaf"


def nist_report(election: Election, entries: Sequence[ListEntry], *,
                contests: Iterable[Contest], generated: datetime) -> dict[str, object]:
    """The directory as an ElectionReport (status ``pre-election``): each contest (a
    governorate's general seats, or one component's seats there) with the certified
    lists, by ballot number, and their approved candidates. ``contests`` should have
    their ``component_seats`` prefetched."""
    return nist.pre_election_report(
        election=nist.Election(code=election.code, names=_names(election),
                               polling_day=election.polling_day),
        contests=[nist.Contest(area=_area(c.governorate), general_seats=c.general_seats,
                               component_seats={s.component: s.seats
                                                for s in c.component_seats.all()})
                  for c in contests],
        lists=[_standing(entry) for entry in entries],
        components=_components(), generated=generated, vendor=_vendor(), notes=NOTES)
