"""Reads of entities data that more than one page, the API or the CLI need."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from shafaf.core.certification import ListState
from shafaf.elections.models import Election, Governorate
from shafaf.entities.models import (
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
