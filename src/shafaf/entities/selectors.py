"""Reads of entities data that more than one page, the API or the CLI need: the public
candidate directory (who stands in each governorate, in ballot order, and what a
reader's search finds) and who draws a ballot number.

Only what the Commission has decided is public: certified lists and their approved
candidates (domain brief, section 3). A list's ballot number is shown once the
lottery is published (section 4): while a draw is frozen or drawn but not yet
published, every number is withheld, and lists are ordered by entity code so that
the order does not give the numbers away. docs/candidate-directory.md describes
the pages and downloads.

Every read here costs a fixed number of queries, whatever the number of lists and
candidates: lists with their entity, alliance and governorate in one query, the
candidates and the alliances' members each prefetched in one more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
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
from django.utils.translation import get_language

from shafaf.core.certification import CandidateState, ListState
from shafaf.core.names import FOLDS, as_number, search_terms, search_text
from shafaf.elections.models import Component, Contest, Election, Governorate
from shafaf.entities.models import (
    DRAW_UNDER_WAY,
    Candidate,
    DrawStatus,
    Entity,
    EntityStatus,
    ListKind,
    LotteryDraw,
    NominationList,
)

COMPONENT_ORDER = {value: index for index, value in enumerate(Component.values)}

# --- search ---------------------------------------------------------------------------

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8

def _folded(field: str) -> Replace | F:
    """The stored name with the folds of :mod:`shafaf.core.names` applied in SQL, as
    the query is folded in Python."""
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
        text = search_text(query, max_length=MAX_QUERY_LENGTH)
        return cls(terms=search_terms(text, max_terms=MAX_TERMS), number=as_number(text))

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
    """False while the election's draw is under way (frozen, sealed, revealed or drawn,
    not yet published): the numbers on the entities are then not yet the Commission's. A
    supplementary draw under way hides nothing: its participants have no number yet."""
    return not LotteryDraw.objects.filter(
        election=election, governorate=None,
        status__in=DRAW_UNDER_WAY).exists()


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
        # A search annotated both flags above; their querysets' types cannot say so.
        if search and not getattr(nomination, "entity_match", False):
            shown = [c for c in shown if getattr(c, "matches", False)]
        entity = nomination.entity
        entries.append(ListEntry(
            nomination=nomination,
            ballot_number=entity.ballot_number if public else None,
            # The plugin puts a nested Prefetch's to_attr on the outer model.
            members=tuple(entity.member_list),  # type: ignore[attr-defined]
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


def lottery_participants(election: Election) -> QuerySet[Entity]:
    """Who draws a ballot number: every approved entity with at least one certified
    list, general or component (brief, section 4: one central draw for all)."""
    certified = NominationList.objects.filter(entity=OuterRef("pk"),
                                              status=ListState.CERTIFIED)
    return (Entity.objects.filter(election=election, status=EntityStatus.APPROVED)
            .filter(Exists(certified)).order_by("code"))


def awaiting_a_number(election: Election, governorate: Governorate | None = None
                      ) -> QuerySet[Entity]:
    """Who a supplementary draw numbers: every approved entity with a list certified
    (in ``governorate``, if given) that has no ballot number and is in no live draw
    of the election, main or supplementary."""
    drawn = {p["participant_id"]
             for draw in LotteryDraw.objects.filter(election=election)
             .exclude(status=DrawStatus.SUPERSEDED).only("participants")
             for p in draw.participants}
    certified = NominationList.objects.filter(entity=OuterRef("pk"),
                                              status=ListState.CERTIFIED)
    if governorate is not None:
        certified = certified.filter(contest__governorate=governorate)
    return (Entity.objects.filter(election=election, status=EntityStatus.APPROVED,
                                  ballot_number=None)
            .filter(Exists(certified)).exclude(code__in=drawn).order_by("code"))
