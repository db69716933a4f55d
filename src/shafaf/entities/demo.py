"""The demo's entities: synthetic certified lists in every governorate, numbered by
a real draw through the ceremony's own actions (frozen, seed parts committed and
revealed, the beacon's value, drawn, signed off),
so the directory, the ballots and the lottery pages have something to show."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Sequence
from importlib import resources

from django.contrib.auth import get_user_model
from django.db import transaction

from shafaf.access.people import Account
from shafaf.core.lottery import seed_part_commitment
from shafaf.elections.models import Contest, Election
from shafaf.entities import synthetic
from shafaf.entities.actions import ceremony
from shafaf.entities.models import Entity, EntityAgent, LotteryDraw

# The 2025 practice (brief, section 4): numbers from 201, with 56 left out of an
# earlier pool; the demo leaves out 256 in the same spirit.
NUMBERS, EXCLUDE = "201-500", "256"
SEED_PARTS = ("6-2-4", "1-5-3", "4-4-2")
"""The dice of the agent, the administrator and the Board member, in that order."""
BEACON = "NIST randomness beacon 2.0, chain 2, first pulse after the reveals close"
BEACON_VALUE = "5f0c9a" * 8


def hold_ceremony(*, draw: LotteryDraw, operator: Account,
                  contributors: Sequence[tuple[Account, str]], beacon_value: str
                  ) -> LotteryDraw:
    """Take a frozen draw through the ceremony up to the run: every contributor commits
    (with a fresh secret), the operator seals, each reveals, the operator closes the
    reveals, records the beacon's value and runs the draw."""
    nonces = [secrets.token_hex(16) for _ in contributors]
    for (user, value), nonce in zip(contributors, nonces, strict=True):
        draw = ceremony.commit(actor=user, draw=draw,
                               commitment=seed_part_commitment(value, nonce))
    draw = ceremony.seal(actor=operator, draw=draw)
    for (user, value), nonce in zip(contributors, nonces, strict=True):
        draw = ceremony.reveal(actor=user, draw=draw, value=value, nonce=nonce)
    draw = ceremony.close_reveals(actor=operator, draw=draw)
    draw = ceremony.record_beacon_value(actor=operator, draw=draw, value=beacon_value)
    return ceremony.run(actor=operator, draw=draw)


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
    # Anbar's lists are the seven that won seats in 2023 (their real names, invented
    # candidates), so that its demo results can equal the official totals.
    anbar = lists.pop(ANBAR, None) is not None
    entities = synthetic.create_entities(election, lists=lists, candidates_per_list=10)
    if anbar:
        entities += synthetic.create_named_entities(
            election, governorate=ANBAR, candidates_per_list=10,
            names=[(f"anbar-{row['list_id'].lower()}", row["name_ar"], row["name"])
                   for row in anbar_lists()])
    EntityAgent.objects.get_or_create(user=agent, defaults={"entity": entities[0]})
    draw = ceremony.freeze(actor=admin, election=election, numbers=NUMBERS, exclude=EXCLUDE,
                           beacon=BEACON)
    draw = hold_ceremony(draw=draw, operator=admin, contributors=list(zip(
        (agent, admin, board), SEED_PARTS, strict=True)), beacon_value=BEACON_VALUE)
    ceremony.sign_off(actor=board, draw=draw)
    return len(entities)


ANBAR = "IQ-AN"
ANBAR_FINAL = "demo_data/gc2023_anbar_final.csv"


def anbar_lists() -> list[dict[str, str]]:
    """Anbar's seven winning lists of 2023 with their official votes and seats (IHEC's
    final results of 28 December 2023): ``list_id``, ``name``, ``name_ar``, ``votes``,
    ``official_seats``."""
    text = resources.files("shafaf").joinpath(ANBAR_FINAL).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def demo_actors() -> dict[str, Account]:
    user = get_user_model()
    return {name: user.objects.get(username=name) for name in ("admin", "commissioner", "agent")}
