"""Synthetic certified entities, lists and candidates: for the demo, the tests and
the benchmarks. Every name says it is invented ("كيان تجريبي", "Synthetic entity").

The lists obey the 2023 rules (a woman at every fourth position, degrees for all
but a fifth), so they pass the eligibility checks; they are written as already
certified, without the workflow, which the workflow's own tests exercise.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date

from shafaf.core.certification import CandidateState, ListState
from shafaf.core.eligibility import EducationLevel
from shafaf.elections.models import Contest, Election
from shafaf.entities.models import (
    Candidate,
    Entity,
    EntityKind,
    EntityStatus,
    ListKind,
    NominationList,
)

GIVEN = ["محمد", "علي", "حسين", "أحمد", "عمر", "خالد", "حيدر", "مصطفى", "يوسف", "كريم"]
WOMEN = ["زينب", "فاطمة", "مريم", "نور", "سارة", "هدى", "رنا", "آمنة", "ليلى", "شيماء"]
SURNAMES = ["العبيدي", "الجبوري", "الدليمي", "الموسوي", "الحسيني", "التميمي", "الزبيدي"]


def create_entities(election: Election, *, lists: Mapping[str, int], candidates_per_list: int,
                    seed: int = 2023, numbered: bool = False) -> list[Entity]:
    """``lists`` maps a governorate code to how many general lists stand there; the
    same entities stand in every governorate, as the large ones do. With
    ``numbered``, entities get ballot numbers 1, 2, 3, … (as if drawn)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic names, not secrets
    count = max(lists.values(), default=0)
    entities = Entity.objects.bulk_create(
        Entity(election=election, kind=EntityKind.ALLIANCE if n % 3 == 0 else EntityKind.PARTY,
               code=f"synthetic-{n:03d}", status=EntityStatus.APPROVED,
               name_ar=f"كيان تجريبي {n}", name_en=f"Synthetic entity {n}",
               name_ckb=f"قەوارەی تاقیکاری {n}", ballot_number=n if numbered else None)
        for n in range(1, count + 1))
    contests = {c.governorate.code: c for c in
                Contest.objects.filter(election=election).select_related("governorate")}
    for code, how_many in lists.items():
        contest = contests[code]
        nominations = NominationList.objects.bulk_create(
            NominationList(entity=entity, contest=contest, kind=ListKind.GENERAL,
                           status=ListState.CERTIFIED)
            for entity in entities[:how_many])
        Candidate.objects.bulk_create(
            _candidate(rng, nomination, position, contest)
            for nomination in nominations for position in range(1, candidates_per_list + 1))
    return entities


def _candidate(rng: random.Random, nomination: NominationList, position: int,
               contest: Contest) -> Candidate:
    woman = position % 4 == 0 or position == 2
    first = rng.choice(WOMEN if woman else GIVEN)
    name = " ".join([first, *(rng.choice(GIVEN) for _ in range(3))])
    return Candidate(
        nomination=nomination, position=position, sequence=position,
        status=CandidateState.APPROVED, name_ar=name, surname_ar=rng.choice(SURNAMES),
        mother_name_ar=f"{rng.choice(WOMEN)} {rng.choice(GIVEN)}", sex="F" if woman else "M",
        date_of_birth=date(rng.randint(1950, 1990), rng.randint(1, 12), rng.randint(1, 28)),
        education=EducationLevel.DIPLOMA if position % 5 == 0 else EducationLevel.BACHELOR,
        governorate=contest.governorate)


def create_named_entities(election: Election, *, governorate: str,
                          names: Sequence[tuple[str, str, str]], candidates_per_list: int,
                          seed: int = 2023) -> list[Entity]:
    """Entities standing in one governorate only, each with a certified general list of
    ``candidates_per_list`` invented candidates. ``names`` gives each entity's code, its
    Arabic and its English name (the demo's Anbar lists carry the real lists' names)."""
    rng = random.Random(f"{seed}-{governorate}")  # noqa: S311 - synthetic names, not secrets
    contest = Contest.objects.select_related("governorate").get(
        election=election, governorate__code=governorate)
    entities = Entity.objects.bulk_create(
        Entity(election=election, kind=EntityKind.PARTY, code=code,
               status=EntityStatus.APPROVED, name_ar=name_ar, name_en=name_en,
               name_ckb=name_ar)
        for code, name_ar, name_en in names)
    nominations = NominationList.objects.bulk_create(
        NominationList(entity=entity, contest=contest, kind=ListKind.GENERAL,
                       status=ListState.CERTIFIED) for entity in entities)
    Candidate.objects.bulk_create(
        _candidate(rng, nomination, position, contest)
        for nomination in nominations for position in range(1, candidates_per_list + 1))
    return entities
