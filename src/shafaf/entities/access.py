"""The only way views and the API fetch entities data: scoped to the user.

An entity agent sees and acts for their own entity only; an office manager or a
clerk sees the lists of their governorate; national staff see everything. A list
outside the user's reach is a 404, so nobody learns what another entity is
preparing before it is published.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from shafaf.access.checks import can, governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability, Role
from shafaf.entities.models import Candidate, Entity, EntityAgent, NominationList


def agent_entity(user: Visitor) -> Entity | None:
    """The entity an agent acts for, or None (other roles, or an agent not yet assigned)."""
    if not user.is_authenticated or Role(user.role) != Role.ENTITY_AGENT:
        return None
    agency = EntityAgent.objects.select_related("entity").filter(user=user).first()
    return agency.entity if agency else None


def entities_for(user: Visitor) -> QuerySet[Entity]:
    user = require(user, Capability.VIEW_NOMINATIONS)
    entities = Entity.objects.select_related("election", "alliance")
    if Role(user.role) == Role.ENTITY_AGENT:
        entity = agent_entity(user)
        return entities.filter(pk=entity.pk) if entity else entities.none()
    return entities


def lists_for(user: Visitor) -> QuerySet[NominationList]:
    user = require(user, Capability.VIEW_NOMINATIONS)
    lists = NominationList.objects.select_related("entity", "contest__governorate",
                                                  "contest__election")
    if Role(user.role) == Role.ENTITY_AGENT:
        entity = agent_entity(user)
        return lists.filter(entity_id=entity.pk) if entity else lists.none()
    scope = governorate_scope(user)
    return lists if scope is None else lists.filter(contest__governorate_id=scope)


def access_entity(user: Visitor, entity_id: int) -> Entity:
    return get_object_or_404(entities_for(user), pk=entity_id)


def access_list(user: Visitor, list_id: int) -> NominationList:
    return get_object_or_404(lists_for(user), pk=list_id)


def access_candidate(user: Visitor, candidate_id: int) -> Candidate:
    return get_object_or_404(
        Candidate.objects.select_related("nomination__entity", "nomination__contest__governorate",
                                         "nomination__contest__election")
        .filter(nomination__in=lists_for(user)), pk=candidate_id)


def acts_for(user: Visitor, entity: Entity) -> bool:
    """Whether the user may submit and correct this entity's lists."""
    if not can(user, Capability.SUBMIT_NOMINATIONS):
        return False
    own = agent_entity(user)
    return own is not None and own.pk == entity.pk
