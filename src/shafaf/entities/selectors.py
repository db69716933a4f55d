"""Reads of entities data that more than one page, the API or the CLI need."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, QuerySet

from shafaf.core.certification import CandidateState, ListState
from shafaf.elections.models import Election
from shafaf.entities.models import (
    Candidate,
    DrawStatus,
    Entity,
    EntityStatus,
    LotteryDraw,
    NominationList,
)


def lottery_participants(election: Election) -> QuerySet[Entity]:
    """Who draws a ballot number: every approved entity with at least one certified
    list, general or component (brief, section 4: one central draw for all)."""
    certified = NominationList.objects.filter(entity=OuterRef("pk"),
                                              status=ListState.CERTIFIED)
    return (Entity.objects.filter(election=election, status=EntityStatus.APPROVED)
            .filter(Exists(certified)).order_by("code"))


def published_draw(election: Election) -> LotteryDraw | None:
    return LotteryDraw.objects.filter(election=election, status=DrawStatus.PUBLISHED).first()


def certified_lists(election: Election) -> QuerySet[NominationList]:
    """The lists that stand, in ballot order (entities without a number yet last)."""
    return (NominationList.objects
            .filter(contest__election=election, status=ListState.CERTIFIED)
            .select_related("entity", "contest__governorate")
            .order_by("contest__governorate__code", "component",
                      F("entity__ballot_number").asc(nulls_last=True), "entity__code"))


def standing_candidates(nomination: NominationList) -> QuerySet[Candidate]:
    """A certified list's candidates on the ballot, by sequence number."""
    return nomination.candidates.filter(status=CandidateState.APPROVED).order_by("sequence")
