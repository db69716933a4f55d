"""Reads of entities data that more than one page, the API or the CLI need."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from shafaf.core.certification import ListState
from shafaf.elections.models import Election
from shafaf.entities.models import Entity, EntityStatus, NominationList


def lottery_participants(election: Election) -> QuerySet[Entity]:
    """Who draws a ballot number: every approved entity with at least one certified
    list, general or component (brief, section 4: one central draw for all)."""
    certified = NominationList.objects.filter(entity=OuterRef("pk"),
                                              status=ListState.CERTIFIED)
    return (Entity.objects.filter(election=election, status=EntityStatus.APPROVED)
            .filter(Exists(certified)).order_by("code"))
