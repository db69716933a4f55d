"""The demo's entities: synthetic certified lists in every governorate, numbered by
a real draw through the ceremony's own actions (frozen, seeded, drawn, signed off),
so the directory, the ballots and the lottery pages have something to show."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from shafaf.access.people import Account
from shafaf.elections.models import Contest, Election
from shafaf.entities import synthetic
from shafaf.entities.actions import ceremony
from shafaf.entities.models import Entity, EntityAgent

# The 2025 practice (brief, section 4): numbers from 201, with 56 left out of an
# earlier pool; the demo leaves out 256 in the same spirit.
NUMBERS, EXCLUDE = "201-500", "256"
SEED_PARTS = (("6-2-4", "نرد وكيل الكيان الأول"), ("1-5-3", "نرد مراقب شبكة شمس"),
              ("4-4-2", "نرد صحفي"))


@transaction.atomic
def load_demo_entities(*, election: Election, admin: Account, board: Account,
                       agent: Account) -> int:
    """Create the entities and run the draw once; returns how many entities stand.
    A second call changes nothing; a crash midway leaves nothing behind."""
    if Entity.objects.filter(election=election).exists():
        return Entity.objects.filter(election=election).count()
    lists = {contest.governorate.code: min(30, max(6, contest.general_seats // 2))
             for contest in Contest.objects.filter(election=election).select_related(
                 "governorate")}
    entities = synthetic.create_entities(election, lists=lists, candidates_per_list=10)
    EntityAgent.objects.get_or_create(user=agent, defaults={"entity": entities[0]})
    draw = ceremony.freeze(actor=admin, election=election, numbers=NUMBERS, exclude=EXCLUDE)
    for value, who in SEED_PARTS:
        draw = ceremony.add_seed_part(actor=admin, draw=draw, value=value, contributed_by=who)
    draw = ceremony.run(actor=admin, draw=draw)
    ceremony.sign_off(actor=board, draw=draw)
    return len(entities)


def demo_actors() -> dict[str, Account]:
    user = get_user_model()
    return {name: user.objects.get(username=name) for name in ("admin", "commissioner", "agent")}
