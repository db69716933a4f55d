"""Registering political entities and their agents; each write is audited."""

from __future__ import annotations

import hashlib

from django.db import transaction

from shafaf.access.checks import require
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability, Role
from shafaf.audit.actions import record
from shafaf.core.refusal import Refused
from shafaf.elections.models import Election
from shafaf.entities import logos
from shafaf.entities.models import Entity, EntityAgent, EntityKind, EntityStatus


class RegistrationRefused(Refused):
    """A registration step refused, with a code the pages word and its parameters."""


@transaction.atomic
def register_entity(*, actor: Visitor, election: Election, kind: str, code: str, name_ar: str,
                    name_ckb: str = "", name_en: str = "", logo: bytes | None = None) -> Entity:
    require(actor, Capability.REGISTER_ENTITIES)
    if not name_ar.strip():
        raise RegistrationRefused("arabic_name_required")
    if Entity.objects.filter(election=election, code=code).exists():
        raise RegistrationRefused("code_taken", entity_code=code)
    # Decoded in full and written again: what is stored is a PNG Shafaf wrote.
    stored = logos.clean(logo) if logo else None
    entity = Entity.objects.create(
        election=election, kind=EntityKind(kind), code=code, name_ar=name_ar.strip(),
        name_ckb=name_ckb.strip(), name_en=name_en.strip(),
        logo=stored, logo_type="image/png" if stored else "")
    record(actor=actor, action="entities.register", target=entity,
           data={"election": election.code, "kind": entity.kind, "code": code,
                 "name_ar": entity.name_ar, "logo_bytes": len(stored or b""),
                 # Which logo the ballots print: anyone holding the file can check it.
                 "logo_sha256": hashlib.sha256(stored).hexdigest() if stored else None})
    return entity


@transaction.atomic
def replace_logo(*, actor: Visitor, entity: Entity, logo: bytes | None) -> Entity:
    """Give an entity a new logo, decoded and written again as at registration, or
    none (``logo=None``): how a logo its ballots cannot show is put right. The
    event holds the SHA-256 of the logo before and after."""
    require(actor, Capability.REGISTER_ENTITIES)
    stored = logos.clean(logo) if logo else None
    before = hashlib.sha256(bytes(entity.logo)).hexdigest() if entity.logo else None
    entity.logo = stored
    entity.logo_type = "image/png" if stored else ""
    entity.save(update_fields=["logo", "logo_type"])
    record(actor=actor, action="entities.logo", target=entity,
           data={"code": entity.code, "from": before,
                 "to": hashlib.sha256(stored).hexdigest() if stored else None})
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
