"""The public candidate directory: who stands in each governorate, in ballot order,
and the open-data forms of the same reads (CSV rows, NIST SP 1500-100 v2 JSON).

Only what the Commission has decided is public: certified lists and their approved
candidates (domain brief, section 3). A list's ballot number is shown once the
lottery is published (section 4): while a draw is frozen or drawn but not yet
published, every number is withheld, and lists are ordered by entity code so that
the order does not give the numbers away. docs/candidate-directory.md describes
the downloads and the NIST mapping.

Every read here costs a fixed number of queries, whatever the number of lists and
candidates: lists with their entity, alliance and governorate in one query, the
candidates and the alliances' members each prefetched in one more.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from importlib import metadata
from operator import and_, or_

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Replace
from django.db.models.lookups import IContains
from django.utils import translation
from django.utils.translation import get_language

from shafaf.core.certification import CandidateState, ListState
from shafaf.elections.models import Component, Contest, Election, Governorate
from shafaf.entities.models import (
    Candidate,
    DrawStatus,
    Entity,
    EntityKind,
    EntityStatus,
    ListKind,
    LotteryDraw,
    NominationList,
)

LANGUAGES = ("ar", "ckb", "en")
COMPONENT_ORDER = {value: index for index, value in enumerate(Component.values)}

# --- search ---------------------------------------------------------------------------

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8

# Spellings a reader types interchangeably: the forms of alif, taa marbuta and haa,
# alif maqsura and yaa, the Persian/Kurdish yeh and keheh for the Arabic yaa and
# kaf, and the tatweel that only stretches a word. Applied to the query in Python
# and to the stored names in SQL (REPLACE exists in SQLite and PostgreSQL alike).
FOLDS: tuple[tuple[str, str], ...] = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"),
    ("ة", "ه"), ("ى", "ي"), ("ی", "ي"), ("ک", "ك"), ("ـ", ""),
)


def fold(text: str) -> str:
    for old, new in FOLDS:
        text = text.replace(old, new)
    return text


def _folded(field: str) -> Replace | F:
    expression: Replace | F = F(field)
    for old, new in FOLDS:
        expression = Replace(expression, Value(old), Value(new))
    return expression


def _any_contains(fields: Iterable[str], term: str) -> Q:
    return reduce(or_, (Q(IContains(_folded(field), term)) for field in fields))


CANDIDATE_FIELDS = ("name_ar", "surname_ar", "name_ckb", "name_en")
ENTITY_FIELDS = ("name_ar", "name_ckb", "name_en")


@dataclass(frozen=True)
class Search:
    """A reader's query: words that must all appear (in any of the names, in any
    order and spelling variant), or a ballot number."""

    terms: tuple[str, ...]
    number: int | None

    @classmethod
    def parse(cls, query: str) -> Search:
        text = " ".join(fold(query).split())[:MAX_QUERY_LENGTH]
        # int() reads Arabic-Indic and Persian digits (٣, ۳) as well as ASCII ones.
        number = int(text) if text.isdecimal() else None
        return cls(terms=tuple(text.split()[:MAX_TERMS]), number=number)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def candidate(self, prefix: str = "") -> Q:
        """All the words in the candidate's names (Arabic name and surname, Kurdish,
        English): "حيدر العبيدي" finds Haidar … al-Ubaidi."""
        return reduce(and_, (_any_contains((prefix + f for f in CANDIDATE_FIELDS), term)
                             for term in self.terms))

    def entity(self, *, numbers_public: bool) -> Q:
        """On a list: all the words in its entity's name, or in the name of one of its
        alliance's member parties; or its ballot number, once it is public."""
        names = reduce(and_, (_any_contains((f"entity__{f}" for f in ENTITY_FIELDS), term)
                              for term in self.terms))
        member_names = reduce(and_, (_any_contains(ENTITY_FIELDS, term)
                                     for term in self.terms))
        members = Entity.objects.filter(member_names, alliance_id=OuterRef("entity_id"))
        condition = names | Q(Exists(members))
        if numbers_public and self.number is not None:
            condition |= Q(entity__ballot_number=self.number)
        return condition


# --- the directory's rows -------------------------------------------------------------

def candidate_name(candidate: Candidate, language: str | None = None) -> str:
    """The candidate's name in ``language`` (default: the reader's), else Arabic."""
    language = (language or get_language() or "ar").split("-")[0]
    if language == "ckb" and candidate.name_ckb:
        return candidate.name_ckb
    if language == "en" and candidate.name_en:
        return candidate.name_en
    return candidate.full_name


@dataclass(frozen=True)
class StandingCandidate:
    candidate: Candidate

    @property
    def sequence(self) -> int | None:
        return self.candidate.sequence

    @property
    def sex(self) -> str:
        return self.candidate.sex

    @property
    def name(self) -> str:
        return candidate_name(self.candidate)

    def name_in(self, language: str) -> str:
        """The name as entered in ``language``; empty if it was not (no fallback)."""
        if language == "ar":
            return self.candidate.full_name
        return str(getattr(self.candidate, f"name_{language}"))


@dataclass(frozen=True)
class ListEntry:
    """A certified list as the directory shows it. ``candidates`` are the approved
    ones by sequence number, or, for a search that matched candidates rather than
    the entity, only those that matched."""

    nomination: NominationList
    ballot_number: int | None
    members: tuple[Entity, ...]
    candidates: tuple[StandingCandidate, ...]

    @property
    def entity(self) -> Entity:
        return self.nomination.entity

    @property
    def governorate(self) -> Governorate:
        return self.nomination.contest.governorate

    @property
    def is_component(self) -> bool:
        return self.nomination.kind == ListKind.COMPONENT

    @property
    def component(self) -> str:
        return self.nomination.component

    def sort_key(self) -> tuple[str, bool, int, bool, int, str]:
        return (self.governorate.code, self.is_component,
                COMPONENT_ORDER.get(self.component, len(COMPONENT_ORDER)),
                self.ballot_number is None, self.ballot_number or 0, self.entity.code)


def ballot_numbers_public(election: Election) -> bool:
    """False while the election's draw is under way (frozen or drawn, not yet
    published): the numbers on the entities are then not yet the Commission's. A
    supplementary draw under way hides nothing: its participants have no number yet."""
    return not LotteryDraw.objects.filter(
        election=election, governorate=None,
        status__in=[DrawStatus.FROZEN, DrawStatus.DRAWN]).exists()


def standing_lists(election: Election, *, governorate: Governorate | None = None,
                   query: str = "") -> list[ListEntry]:
    """The certified lists of an election (or of one governorate), ordered by
    governorate, general lists before component candidacies (by component), then
    ballot number. With a ``query``: the lists whose entity matches, with all their
    candidates, and the lists with matching candidates, with only those."""
    public = ballot_numbers_public(election)
    search = Search.parse(query)
    candidates: QuerySet[Candidate] = (Candidate.objects.filter(status=CandidateState.APPROVED)
                                       .order_by(F("sequence").asc(nulls_last=True),
                                                 "position", "pk"))
    lists = (NominationList.objects
             .filter(contest__election=election, status=ListState.CERTIFIED)
             .select_related("entity__alliance", "contest__governorate"))
    if governorate is not None:
        lists = lists.filter(contest__governorate=governorate)
    if search:
        entity_match = search.entity(numbers_public=public)
        candidate_match = search.candidate()
        lists = lists.annotate(entity_match=Case(
            When(entity_match, then=Value(True)), default=Value(False),
            output_field=BooleanField()))
        lists = lists.filter(Q(entity_match=True) | Q(Exists(
            candidates.filter(candidate_match, nomination=OuterRef("pk")))))
        candidates = candidates.annotate(matches=Case(
            When(candidate_match, then=Value(True)), default=Value(False),
            output_field=BooleanField()))
    lists = lists.prefetch_related(
        Prefetch("candidates", queryset=candidates, to_attr="standing"),
        Prefetch("entity__members", queryset=Entity.objects.order_by("code"),
                 to_attr="member_list"))
    entries = []
    for nomination in lists:
        shown = nomination.standing
        if search and not nomination.entity_match:
            shown = [c for c in shown if c.matches]
        entity = nomination.entity
        entries.append(ListEntry(
            nomination=nomination,
            ballot_number=entity.ballot_number if public else None,
            members=tuple(entity.member_list),
            candidates=tuple(StandingCandidate(c) for c in shown)))
    return sorted(entries, key=ListEntry.sort_key)


@dataclass(frozen=True)
class ComponentSection:
    component: str
    label: str
    lists: list[ListEntry]


def by_component(entries: Iterable[ListEntry]) -> list[ComponentSection]:
    """Component candidacies grouped by component, in the order of ``Component``."""
    groups: dict[str, list[ListEntry]] = {}
    for entry in entries:
        if entry.is_component:
            groups.setdefault(entry.component, []).append(entry)
    labels = dict(Component.choices)
    return [ComponentSection(component=c, label=str(labels.get(c, c)), lists=lists)
            for c, lists in sorted(groups.items(),
                                   key=lambda item: COMPONENT_ORDER.get(item[0], 99))]


def contests_with_counts(elections: Iterable[Election]) -> QuerySet[Contest]:
    """Each election's contests with how many certified lists stand in each."""
    return (Contest.objects.filter(election__in=list(elections))
            .select_related("governorate", "election")
            .annotate(standing=Count("lists", filter=Q(lists__status=ListState.CERTIFIED)))
            .order_by("election", "governorate__code"))


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


# --- NIST SP 1500-100 v2 (Election Results Reporting common data format), JSON --------

NIST = "ElectionResults."
ISSUER = "Independent High Electoral Commission"
ISSUER_ABBREVIATION = "IHEC"
COUNTRY_ID = "gpu-iq"
GENDER = {"F": "female", "M": "male"}


def _text(names: Mapping[str, str]) -> dict[str, object]:
    """InternationalizedText: one LanguageString per language that has a name."""
    return {"@type": NIST + "InternationalizedText",
            "Text": [{"@type": NIST + "LanguageString", "Content": names[language],
                      "Language": language}
                     for language in LANGUAGES if names.get(language)]}


def _named(obj: Entity | Governorate | Election) -> dict[str, object]:
    return _text({language: getattr(obj, f"name_{language}") for language in LANGUAGES})


def _identifier(kind: str, value: object) -> dict[str, object]:
    return {"@type": NIST + "ExternalIdentifier", "Type": "other", "OtherType": kind,
            "Value": str(value)}


def _gpu_id(governorate: Governorate) -> str:
    return "gpu-" + governorate.code.lower()


def _party_id(entity: Entity) -> str:
    return f"party-{entity.code}"


def _contest_id(governorate: Governorate, component: str) -> str:
    return f"contest-{governorate.code.lower()}" + (f"-{component}" if component else "")


def _vendor() -> str:
    try:
        return f"Shafaf {metadata.version('shafaf')}"
    except metadata.PackageNotFoundError:
        return "Shafaf"


def _party(entity: Entity, *, ballot_number: int | None, scope: Sequence[str],
           members: Sequence[Entity] | None) -> dict[str, object]:
    identifiers = [_identifier("shafaf-entity-code", entity.code),
                   _identifier("shafaf-entity-kind", entity.kind)]
    if ballot_number is not None:
        identifiers.append(_identifier("ballot-number", ballot_number))
    party: dict[str, object] = {
        "@id": _party_id(entity),
        "@type": NIST + ("Coalition" if members is not None else "Party"),
        "Name": _named(entity),
        "ExternalIdentifier": identifiers,
        # Approved by the Commission: a party, an alliance, or an individual candidate
        # standing on their own (who is a list, and draws a number, like a party).
        "IsRecognizedParty": entity.status == EntityStatus.APPROVED,
    }
    if scope:
        party["PartyScopeGpUnitIds"] = list(scope)
    if members is not None:
        party["PartyIds"] = [_party_id(m) for m in members]
    return party


def nist_report(election: Election, entries: Sequence[ListEntry], *,
                contests: Iterable[Contest], generated: datetime) -> dict[str, object]:
    """An ElectionReport (status ``pre-election``) of the directory: governorates as
    GpUnits, every entity as a Party (alliances as Coalitions, with their members),
    each approved candidate as a Candidate (with a Person for the sex), and each
    contest (a governorate's general seats, or one component's seats there) as a
    CandidateContest whose selections are the lists, by ballot number, and the
    candidates. ``contests`` should have their ``component_seats`` prefetched."""
    contests = list(contests)
    gpunits: list[dict[str, object]] = [{
        "@id": COUNTRY_ID, "@type": NIST + "ReportingUnit", "Type": "country",
        "Name": _text({"ar": "العراق", "ckb": "عێراق", "en": "Iraq"}),
        "ExternalIdentifier": [_identifier("iso-3166-1", "IQ")],
        "ComposingGpUnitIds": [_gpu_id(c.governorate) for c in contests],
    }]
    gpunits += [{
        "@id": _gpu_id(c.governorate), "@type": NIST + "ReportingUnit", "Type": "other",
        "OtherType": "governorate", "IsDistricted": True, "Name": _named(c.governorate),
        "ExternalIdentifier": [_identifier("iso-3166-2", c.governorate.code)],
    } for c in contests]

    # Every entity with a list, and every member of a standing alliance (a Coalition
    # may only name Parties that the report defines).
    standing: dict[int, Entity] = {}
    numbers: dict[int, int | None] = {}
    scope: dict[int, list[str]] = {}
    members: dict[int, tuple[Entity, ...]] = {}
    for entry in entries:
        entity = entry.entity
        standing.setdefault(entity.pk, entity)
        numbers[entity.pk] = entry.ballot_number
        gpu = _gpu_id(entry.governorate)
        if gpu not in scope.setdefault(entity.pk, []):
            scope[entity.pk].append(gpu)
        if entity.kind == EntityKind.ALLIANCE:
            members[entity.pk] = entry.members
    parties = [_party(e, ballot_number=numbers[pk], scope=scope[pk],
                      members=members.get(pk, ()) if e.kind == EntityKind.ALLIANCE else None)
               for pk, e in sorted(standing.items(), key=lambda item: item[1].code)]
    extra = {m.pk: m for ms in members.values() for m in ms if m.pk not in standing}
    parties += [_party(m, ballot_number=None, scope=(), members=None)
                for m in sorted(extra.values(), key=lambda m: m.code)]

    persons: list[dict[str, object]] = []
    candidates: list[dict[str, object]] = []
    selections: dict[str, list[dict[str, object]]] = {}
    for entry in entries:
        contest_id = _contest_id(entry.governorate, entry.component)
        party_selection: dict[str, object] = {
            "@id": f"sel-{contest_id}-{entry.entity.code}",
            "@type": NIST + "PartySelection", "PartyIds": [_party_id(entry.entity)]}
        if entry.ballot_number is not None:
            party_selection["SequenceOrder"] = entry.ballot_number
        selections.setdefault(contest_id, []).append(party_selection)
        for standing_candidate in entry.candidates:
            candidate = standing_candidate.candidate
            ballot_name = _text({language: standing_candidate.name_in(language)
                                 for language in LANGUAGES})
            identifiers = [_identifier("shafaf-candidate-id", candidate.pk)]
            if candidate.sequence is not None:
                identifiers.append(_identifier("ballot-sequence", candidate.sequence))
            persons.append({"@id": f"person-{candidate.pk}", "@type": NIST + "Person",
                            "FullName": ballot_name, "Gender": GENDER.get(candidate.sex, ""),
                            "PartyId": _party_id(entry.entity)})
            candidates.append({
                "@id": f"cand-{candidate.pk}", "@type": NIST + "Candidate",
                "BallotName": ballot_name, "PartyId": _party_id(entry.entity),
                "PersonId": f"person-{candidate.pk}", "PreElectionStatus": "qualified",
                "ExternalIdentifier": identifiers})
            selections[contest_id].append({
                "@id": f"sel-cand-{candidate.pk}", "@type": NIST + "CandidateSelection",
                "CandidateIds": [f"cand-{candidate.pk}"]})

    nist_contests: list[dict[str, object]] = []
    labels = {}
    for language in LANGUAGES:
        with translation.override(language):
            labels[language] = {value: str(label) for value, label in Component.choices}
    seats = {(c.governorate.code, ""): c.general_seats for c in contests}
    seats |= {(c.governorate.code, s.component): s.seats
              for c in contests for s in c.component_seats.all()}
    governorates = {c.governorate.code: c.governorate for c in contests}
    for entry in entries:  # a component list without a seat row still gets its contest
        seats.setdefault((entry.governorate.code, entry.component), 0)
        governorates.setdefault(entry.governorate.code, entry.governorate)
    for (code, component), number in sorted(
            seats.items(), key=lambda item: (item[0][0], COMPONENT_ORDER.get(item[0][1], -1))):
        governorate = governorates[code]
        contest_id = _contest_id(governorate, component)
        title = {language: getattr(governorate, f"name_{language}")
                 + (f" — {labels[language].get(component, component)}" if component else "")
                 for language in LANGUAGES if getattr(governorate, f"name_{language}")}
        nist_contest: dict[str, object] = {
            "@id": contest_id, "@type": NIST + "CandidateContest",
            "Name": f"{code} {component or 'general'}",
            "BallotTitle": _text(title), "ElectionDistrictId": _gpu_id(governorate),
            # The voter marks one list and, optionally, one of its candidates.
            "VotesAllowed": 1,
            "ContestSelection": selections.get(contest_id, []),
        }
        if number:
            nist_contest["NumberElected"] = number
        nist_contests.append(nist_contest)

    return {
        "@type": NIST + "ElectionReport",
        "Format": "summary-contest",
        "GeneratedDate": generated.isoformat(timespec="seconds"),
        "Issuer": ISSUER,
        "IssuerAbbreviation": ISSUER_ABBREVIATION,
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": "pre-election",
        "VendorApplicationId": _vendor(),
        "Notes": "Candidate directory: certified lists and approved candidates. "
                 "See docs/candidate-directory.md in Shafaf for the mapping.",
        "GpUnit": gpunits,
        "Party": parties,
        "Person": persons,
        "Election": [{
            "@type": NIST + "Election",
            "Name": _named(election),
            "Type": "general",
            "StartDate": election.polling_day.isoformat(),
            "EndDate": election.polling_day.isoformat(),
            "ElectionScopeId": COUNTRY_ID,
            "ExternalIdentifier": [_identifier("shafaf-election-code", election.code)],
            "Candidate": candidates,
            "Contest": nist_contests,
        }],
    }
