"""Registering political entities and their agents; each write is audited."""

from __future__ import annotations

from django.db import transaction

from shafaf.access.checks import require
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability, Role
from shafaf.audit.actions import record
from shafaf.core.refusal import Refused
from shafaf.elections.models import Election
from shafaf.entities.logos import image_type
from shafaf.entities.models import Entity, EntityAgent, EntityKind, EntityStatus

# No SVG at registration: it can carry scripts.
REGISTERED_LOGO_TYPES = frozenset({"image/png", "image/jpeg"})
MAX_LOGO_BYTES = 512 * 1024


class RegistrationRefused(Refused):
    """A registration step refused, with a code the pages word and its parameters."""


def logo_type(content: bytes) -> str:
    """The image type of a logo from its first bytes: PNG or JPEG, nothing else
    (no SVG, which can carry scripts)."""
    if len(content) > MAX_LOGO_BYTES:
        raise RegistrationRefused("logo_too_large", limit=MAX_LOGO_BYTES // 1024)
    kind = image_type(content)
    if kind not in REGISTERED_LOGO_TYPES:
        raise RegistrationRefused("logo_not_an_image")
    return kind


@transaction.atomic
def register_entity(*, actor: Visitor, election: Election, kind: str, code: str, name_ar: str,
                    name_ckb: str = "", name_en: str = "", logo: bytes | None = None) -> Entity:
    require(actor, Capability.REGISTER_ENTITIES)
    if not name_ar.strip():
        raise RegistrationRefused("arabic_name_required")
    if Entity.objects.filter(election=election, code=code).exists():
        raise RegistrationRefused("code_taken", entity_code=code)
    entity = Entity.objects.create(
        election=election, kind=EntityKind(kind), code=code, name_ar=name_ar.strip(),
        name_ckb=name_ckb.strip(), name_en=name_en.strip(),
        logo=logo or None, logo_type=logo_type(logo) if logo else "")
    record(actor=actor, action="entities.register", target=entity,
           data={"election": election.code, "kind": entity.kind, "code": code,
                 "name_ar": entity.name_ar, "logo_bytes": len(logo or b"")})
    return entity


@transaction.atomic
def decide_entity(*, actor: Visitor, entity: Entity, approve: bool, reason: str = "") -> Entity:
    require(actor, Capability.REGISTER_ENTITIES)
    if not approve and not reason.strip():
        raise RegistrationRefused("reason_required")
    entity.status = EntityStatus.APPROVED if approve else EntityStatus.REJECTED
    entity.save(update_fields=["status"])
    record(actor=actor, action="entities.approve" if approve else "entities.reject",
           target=entity, data={"code": entity.code, "reason": reason.strip()})
    return entity


@transaction.atomic
def join_alliance(*, actor: Visitor, party: Entity, alliance: Entity | None) -> Entity:
    """Put a party in an alliance, or take it out (``alliance=None``). A party is in
    at most one alliance: joining another one moves it, and the event says so."""
    require(actor, Capability.REGISTER_ENTITIES)
    if party.kind != EntityKind.PARTY:
        raise RegistrationRefused("only_parties_join_alliances")
    if alliance is not None and (alliance.kind != EntityKind.ALLIANCE
                                 or alliance.election_id != party.election_id):
        raise RegistrationRefused("not_an_alliance_of_this_election")
    before = party.alliance.code if party.alliance else None
    party.alliance = alliance
    party.save(update_fields=["alliance"])
    record(actor=actor, action="entities.alliance", target=party,
           data={"party": party.code, "from": before,
                 "to": alliance.code if alliance else None})
    return party


@transaction.atomic
def assign_agent(*, actor: Visitor, user: Account, entity: Entity) -> EntityAgent:
    """Make a user with the entity agent role act for this entity (and only it)."""
    require(actor, Capability.REGISTER_ENTITIES)
    if Role(user.role) != Role.ENTITY_AGENT:
        raise RegistrationRefused("not_an_agent", username=user.username)
    agency, _ = EntityAgent.objects.update_or_create(user=user, defaults={"entity": entity})
    record(actor=actor, action="entities.agent", target=entity,
           data={"user": user.username, "entity": entity.code})
    return agency
