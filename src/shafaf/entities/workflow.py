"""What the core's workflow tables need to know about a user and a list: in which
capacities the user acts on it (``shafaf.core.certification.Actor``), and whether the
list's entity is already in the lottery. Pages and actions ask the tables with these,
so a page offers exactly the steps an action accepts."""

from __future__ import annotations

from django.db.models import QuerySet

from shafaf.access.checks import can, governorate_scope
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.core.certification import Actor, ListState, list_steps_from
from shafaf.entities.access import acts_for, lists_for
from shafaf.entities.models import DrawStatus, LotteryDraw, NominationList


def actors_for(user: Visitor, nomination: NominationList) -> frozenset[Actor]:
    """The capacities in which ``user`` acts on ``nomination``: the agent of its entity,
    its reviewer (in the list's governorate, for a scoped role), the recorder of rulings."""
    actors: set[Actor] = set()
    if acts_for(user, nomination.entity):
        actors.add(Actor.AGENT)
    if can(user, Capability.REVIEW_CANDIDATES):
        scope = governorate_scope(user)
        if scope is None or scope == nomination.contest.governorate_id:
            actors.add(Actor.REVIEWER)
    if can(user, Capability.RECORD_RULING):
        actors.add(Actor.RULING)
    return frozenset(actors)


def in_the_draw(nomination: NominationList) -> bool:
    """Whether the list's entity is among the frozen participants of a live draw of
    its election (from then on, the ballot numbering rests on it)."""
    code = nomination.entity.code
    return any(p.get("participant_id") == code
               for draw in LotteryDraw.objects.filter(election_id=nomination.entity.election_id)
               .exclude(status=DrawStatus.SUPERSEDED).only("participants")
               for p in draw.participants)


def lists_awaiting_review(user: Visitor) -> QuerySet[NominationList]:
    """The lists on which ``user`` has a reviewer's step to take (submitted or under
    review, as the core's table says), in their governorate if the role is scoped;
    the oldest submission first. Empty for a user who does not review."""
    if not can(user, Capability.REVIEW_CANDIDATES):
        return NominationList.objects.none()
    states = [s.value for s in ListState if list_steps_from(s, {Actor.REVIEWER})]
    return (lists_for(user).filter(status__in=states)
            .order_by("submitted_at", "contest__governorate__code", "entity__code"))
