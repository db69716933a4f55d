"""NIST SP 1500-100 v2, the Election Results Reporting common data format, as JSON.

One builder of ``ElectionReport`` documents from plain values: the places (GpUnits),
the parties and coalitions, the candidates and the contests with their selections.
The candidate directory gives it the certified lists (a ``pre-election`` report);
the results will give it the same structure with counts. It imports no app: each
caller turns its rows into the values below. docs/candidate-directory.md describes
the mapping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

NIST = "ElectionResults."
ISSUER = "Independent High Electoral Commission"
ISSUER_ABBREVIATION = "IHEC"
COUNTRY_ID = "gpu-iq"
COUNTRY_NAMES = {"ar": "العراق", "ckb": "عێراق", "en": "Iraq"}
GENDER = {"F": "female", "M": "male"}
LANGUAGES = ("ar", "ckb", "en")

Names = Mapping[str, str]
"""A name by language code (``ar``, ``ckb``, ``en``); an empty name is left out."""
Json = dict[str, object]


@dataclass(frozen=True, kw_only=True)
class Area:
    """A governorate: its ISO 3166-2 code and names."""

    code: str
    names: Names


@dataclass(frozen=True, kw_only=True)
class Party:
    """A party, an alliance (``coalition``) or an individual candidacy standing as a
    list. ``recognised``: approved by the Commission."""

    code: str
    kind: str
    names: Names
    recognised: bool
    coalition: bool = False


@dataclass(frozen=True, kw_only=True)
class Candidate:
    id: int
    sequence: int | None
    sex: str
    names: Names


@dataclass(frozen=True, kw_only=True)
class Standing:
    """A list standing in one contest: a governorate's general seats (``component``
    empty) or one component's seats there."""

    area: Area
    component: str
    party: Party
    ballot_number: int | None
    members: tuple[Party, ...] = ()
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Contest:
    """A governorate's seats: the general ones and each component's."""

    area: Area
    general_seats: int
    component_seats: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Election:
    code: str
    names: Names
    polling_day: date


@dataclass(frozen=True, kw_only=True)
class Components:
    """The components with seats of their own, in the order they are listed, with
    their names by language."""

    order: Sequence[str]
    labels: Mapping[str, Names]


def text(names: Names) -> Json:
    """InternationalizedText: one LanguageString per language that has a name."""
    return {"@type": NIST + "InternationalizedText",
            "Text": [{"@type": NIST + "LanguageString", "Content": names[language],
                      "Language": language}
                     for language in LANGUAGES if names.get(language)]}


def identifier(kind: str, value: object) -> Json:
    return {"@type": NIST + "ExternalIdentifier", "Type": "other", "OtherType": kind,
            "Value": str(value)}


def gpu_id(area: Area) -> str:
    return "gpu-" + area.code.lower()


def party_id(party: Party) -> str:
    return f"party-{party.code}"


def contest_id(area: Area, component: str) -> str:
    return f"contest-{area.code.lower()}" + (f"-{component}" if component else "")


def _gpunits(contests: Sequence[Contest]) -> list[Json]:
    country: Json = {
        "@id": COUNTRY_ID, "@type": NIST + "ReportingUnit", "Type": "country",
        "Name": text(COUNTRY_NAMES),
        "ExternalIdentifier": [identifier("iso-3166-1", "IQ")],
        "ComposingGpUnitIds": [gpu_id(c.area) for c in contests],
    }
    return [country, *({
        "@id": gpu_id(c.area), "@type": NIST + "ReportingUnit", "Type": "other",
        "OtherType": "governorate", "IsDistricted": True, "Name": text(c.area.names),
        "ExternalIdentifier": [identifier("iso-3166-2", c.area.code)],
    } for c in contests)]


def _party(party: Party, *, ballot_number: int | None, scope: Sequence[str],
           members: Sequence[Party] | None) -> Json:
    identifiers = [identifier("shafaf-entity-code", party.code),
                   identifier("shafaf-entity-kind", party.kind)]
    if ballot_number is not None:
        identifiers.append(identifier("ballot-number", ballot_number))
    result: Json = {
        "@id": party_id(party),
        "@type": NIST + ("Coalition" if members is not None else "Party"),
        "Name": text(party.names),
        "ExternalIdentifier": identifiers,
        # Approved by the Commission: a party, an alliance, or an individual candidate
        # standing on their own (who is a list, and draws a number, like a party).
        "IsRecognizedParty": party.recognised,
    }
    if scope:
        result["PartyScopeGpUnitIds"] = list(scope)
    if members is not None:
        result["PartyIds"] = [party_id(m) for m in members]
    return result


def _parties(lists: Sequence[Standing]) -> list[Json]:
    """Every party with a list, and every member of a standing coalition (a Coalition
    may only name Parties that the report defines), by code."""
    standing: dict[str, Party] = {}
    numbers: dict[str, int | None] = {}
    scope: dict[str, list[str]] = {}
    members: dict[str, tuple[Party, ...]] = {}
    for entry in lists:
        code = entry.party.code
        standing.setdefault(code, entry.party)
        numbers[code] = entry.ballot_number
        gpu = gpu_id(entry.area)
        if gpu not in scope.setdefault(code, []):
            scope[code].append(gpu)
        if entry.party.coalition:
            members[code] = entry.members
    parties = [_party(p, ballot_number=numbers[code], scope=scope[code],
                      members=members.get(code, ()) if p.coalition else None)
               for code, p in sorted(standing.items())]
    extra = {m.code: m for ms in members.values() for m in ms if m.code not in standing}
    parties += [_party(m, ballot_number=None, scope=(), members=None)
                for _, m in sorted(extra.items())]
    return parties


@dataclass
class _Selections:
    """The people, candidates and each contest's selections, in the order of the lists."""

    persons: list[Json] = field(default_factory=list)
    candidates: list[Json] = field(default_factory=list)
    by_contest: dict[str, list[Json]] = field(default_factory=dict)

    def add(self, entry: Standing) -> None:
        contest = contest_id(entry.area, entry.component)
        pid = party_id(entry.party)
        selection: Json = {"@id": f"sel-{contest}-{entry.party.code}",
                           "@type": NIST + "PartySelection", "PartyIds": [pid]}
        if entry.ballot_number is not None:
            selection["SequenceOrder"] = entry.ballot_number
        selections = self.by_contest.setdefault(contest, [])
        selections.append(selection)
        for candidate in entry.candidates:
            ballot_name = text(candidate.names)
            identifiers = [identifier("shafaf-candidate-id", candidate.id)]
            if candidate.sequence is not None:
                identifiers.append(identifier("ballot-sequence", candidate.sequence))
            self.persons.append({
                "@id": f"person-{candidate.id}", "@type": NIST + "Person",
                "FullName": ballot_name, "Gender": GENDER.get(candidate.sex, ""),
                "PartyId": pid})
            self.candidates.append({
                "@id": f"cand-{candidate.id}", "@type": NIST + "Candidate",
                "BallotName": ballot_name, "PartyId": pid,
                "PersonId": f"person-{candidate.id}", "PreElectionStatus": "qualified",
                "ExternalIdentifier": identifiers})
            selections.append({
                "@id": f"sel-cand-{candidate.id}", "@type": NIST + "CandidateSelection",
                "CandidateIds": [f"cand-{candidate.id}"]})


def _contests(contests: Sequence[Contest], lists: Sequence[Standing],
              components: Components, selections: Mapping[str, list[Json]]) -> list[Json]:
    """One CandidateContest per governorate's general seats and per component with
    seats (or with a list: a component list without a seat row still gets its
    contest), by governorate, then general before the components in their order."""
    seats = {(c.area.code, ""): c.general_seats for c in contests}
    seats |= {(c.area.code, component): number
              for c in contests for component, number in c.component_seats.items()}
    areas = {c.area.code: c.area for c in contests}
    for entry in lists:
        seats.setdefault((entry.area.code, entry.component), 0)
        areas.setdefault(entry.area.code, entry.area)
    order = {component: index for index, component in enumerate(components.order)}
    result = []
    for (code, component), number in sorted(
            seats.items(), key=lambda item: (item[0][0], order.get(item[0][1], -1))):
        area = areas[code]
        labels = components.labels.get(component, {})
        title = {language: area.names[language]
                 + (f" — {labels.get(language) or component}" if component else "")
                 for language in LANGUAGES if area.names.get(language)}
        contest: Json = {
            "@id": contest_id(area, component), "@type": NIST + "CandidateContest",
            "Name": f"{code} {component or 'general'}",
            "BallotTitle": text(title), "ElectionDistrictId": gpu_id(area),
            # The voter marks one list and, optionally, one of its candidates.
            "VotesAllowed": 1,
            "ContestSelection": selections.get(contest_id(area, component), []),
        }
        if number:
            contest["NumberElected"] = number
        result.append(contest)
    return result


def pre_election_report(*, election: Election, contests: Sequence[Contest],
                        lists: Sequence[Standing], components: Components,
                        generated: datetime, vendor: str, notes: str) -> Json:
    """An ElectionReport (status ``pre-election``): governorates as GpUnits, every
    party as a Party (coalitions as Coalitions, with their members), each candidate as
    a Candidate (with a Person for the sex), and each contest as a CandidateContest
    whose selections are the lists, by ballot number, and their candidates."""
    selections = _Selections()
    for entry in lists:
        selections.add(entry)
    return {
        "@type": NIST + "ElectionReport",
        "Format": "summary-contest",
        "GeneratedDate": generated.isoformat(timespec="seconds"),
        "Issuer": ISSUER,
        "IssuerAbbreviation": ISSUER_ABBREVIATION,
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": "pre-election",
        "VendorApplicationId": vendor,
        "Notes": notes,
        "GpUnit": _gpunits(contests),
        "Party": _parties(lists),
        "Person": selections.persons,
        "Election": [{
            "@type": NIST + "Election",
            "Name": text(election.names),
            "Type": "general",
            "StartDate": election.polling_day.isoformat(),
            "EndDate": election.polling_day.isoformat(),
            "ElectionScopeId": COUNTRY_ID,
            "ExternalIdentifier": [identifier("shafaf-election-code", election.code)],
            "Candidate": selections.candidates,
            "Contest": _contests(contests, lists, components, selections.by_contest),
        }],
    }


# --- Results ----------------------------------------------------------------------------

RESULTS_STATUS = ("unofficial-partial", "unofficial-complete", "certified")


@dataclass(frozen=True, kw_only=True)
class Counts:
    """A results report's figures: the votes of each list in each contest (by area
    code, component and party code), of each candidate (by id), who was elected, and
    the report's status: ``unofficial-partial`` (some stations counted),
    ``unofficial-complete`` or ``certified``."""

    lists: Mapping[tuple[str, str, str], int]
    candidates: Mapping[int, int]
    elected: frozenset[int]
    status: str


def vote_counts(count: int, gpu: str) -> list[Json]:
    return [{"@type": NIST + "VoteCounts", "Count": count, "GpUnitId": gpu, "Type": "total"}]


def results_report(*, election: Election, contests: Sequence[Contest],
                   lists: Sequence[Standing], components: Components, counts: Counts,
                   generated: datetime, vendor: str, notes: str) -> Json:
    """The same ElectionReport as :func:`pre_election_report`, with results: each list's
    and candidate's total votes (``VoteCounts`` of type ``total`` over the governorate)
    and each candidate's ``PostElectionStatus`` (``winner`` or ``defeated``)."""
    if counts.status not in RESULTS_STATUS:
        raise ValueError(f"unknown results status {counts.status!r}")
    report = pre_election_report(election=election, contests=contests, lists=lists,
                                 components=components, generated=generated, vendor=vendor,
                                 notes=notes)
    report["Status"] = counts.status
    parties = {f"sel-{contest_id(entry.area, entry.component)}-{entry.party.code}":
               counts.lists.get((entry.area.code, entry.component, entry.party.code), 0)
               for entry in lists}
    elections: Any = report["Election"]
    record = elections[0]
    for contest in record["Contest"]:
        gpu = contest["ElectionDistrictId"]
        for selection in contest["ContestSelection"]:
            if selection["@type"] == NIST + "PartySelection":
                selection["VoteCounts"] = vote_counts(parties.get(selection["@id"], 0), gpu)
            else:
                [candidate] = selection["CandidateIds"]
                ident = int(candidate.removeprefix("cand-"))
                selection["VoteCounts"] = vote_counts(counts.candidates.get(ident, 0), gpu)
    for candidate in record["Candidate"]:
        ident = int(candidate["@id"].removeprefix("cand-"))
        candidate["PostElectionStatus"] = "winner" if ident in counts.elected else "defeated"
    return report
