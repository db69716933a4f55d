"""The public ballot-number lottery, as the commission holds it (domain brief, section 4;
docs/lottery.md, "The ceremony"): algorithm ``shafaf-lottery/1`` from the core, run in
five audited steps.

1. **Freeze** (the commission's administrators): the participants (every approved
   entity with a certified list), their hash, the number pool and the public
   randomness beacon, if any, are fixed and published before the ceremony.
2. **Seed parts**, entered one by one as they are made in the room (dice rolled by
   agents and observers), each with who made it; then the **beacon's value**, once
   it is out. No part is taken after the beacon's value: whoever enters the last
   part could otherwise choose the result, the beacon being known.
3. **Run**, once: the seed is built by the core's :func:`~shafaf.core.lottery.build_seed`
   (docs/decisions/0009-lottery-seed-format.md), the core draws, and the
   transcript is stored. A draw is never run again; the database refuses a second
   transcript for the same draw (migration 0002).
4. **Sign-off** by a member of the Board of Commissioners, which publishes the draw
   and writes every entity's ballot number.
5. **Correction**, by the Board, with a reason: the draw is superseded (its record
   stays public) and a new frozen draw starts; the numbers of a superseded published
   draw are withdrawn until the correction is signed off.

Which step is possible when, and who takes it, is the core's table
(``shafaf.core.ceremony``): the pages offer its steps, and every refusal here is a
:class:`CeremonyRefused` with its code, which the pages word.
"""

from __future__ import annotations

from datetime import UTC

from django.db import transaction
from django.utils import timezone

from shafaf.access.checks import can, require
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record, take_checkpoint
from shafaf.core import lottery
from shafaf.core.ceremony import MAX_SEED_PARTS, Actor, DrawFacts, DrawStep, refusal
from shafaf.core.lottery import build_seed
from shafaf.core.lottery_transcript import to_transcript
from shafaf.core.refusal import Refused
from shafaf.elections.models import Election, Governorate
from shafaf.entities.models import DrawStatus, Entity, LotteryDraw
from shafaf.entities.selectors import awaiting_a_number, lottery_participants

MAX_PARTS = MAX_SEED_PARTS
MAX_PART_LENGTH = 64
MAX_CONTRIBUTOR_LENGTH = 200
MAX_REASON_LENGTH = 4000
MAX_BEACON_LENGTH = 300
"""With these limits a seed always fits the 2,000 characters the model keeps."""


class CeremonyRefused(Refused):
    """A ceremony step refused, with a code the pages word and its parameters."""


def actors_for(user: Visitor) -> frozenset[Actor]:
    """The capacities in which ``user`` takes ceremony steps."""
    actors = set()
    if can(user, Capability.RUN_LOTTERY):
        actors.add(Actor.OPERATOR)
    if can(user, Capability.SIGN_OFF_LOTTERY):
        actors.add(Actor.BOARD)
    return frozenset(actors)


def facts_of(draw: LotteryDraw) -> DrawFacts:
    """What the core's table needs to know of the draw besides its state."""
    return DrawFacts(seed_parts=len(draw.seed_parts), beacon_announced=bool(draw.beacon),
                     beacon_value_recorded=bool(draw.beacon_value),
                     has_transcript=bool(draw.transcript))


def _possible(draw: LotteryDraw, step: DrawStep) -> None:
    """Refuse ``step`` with the core table's code unless the draw allows it now."""
    code = refusal(draw.status, step, facts_of(draw))
    if code is not None:
        raise CeremonyRefused(code, **({"limit": MAX_PARTS} if code == "too_many_parts"
                                       else {}))


def seed_of(draw: LotteryDraw) -> str:
    """The seed the draw's parts and beacon value give (so far, before the run)."""
    return build_seed([part["value"] for part in draw.seed_parts],
                      draw.beacon_value if draw.beacon else "")


def _now_iso() -> str:
    return timezone.now().astimezone(UTC).isoformat()


def _one_line(value: str, *, limit: int, code: str) -> str:
    value = value.strip()
    if not value or "\n" in value or "\r" in value:
        raise CeremonyRefused(code)
    if len(value) > limit:
        raise CeremonyRefused(f"{code}_too_long", limit=limit)
    return value


def _pool(numbers: str, exclude: str, participants: int) -> lottery.NumberPool:
    try:
        pool = lottery.parse_pool(numbers, exclude)
    except lottery.LotteryError as exc:
        raise CeremonyRefused("bad_pool", detail=str(exc)) from None
    if pool.size() < participants:
        raise CeremonyRefused("pool_too_small", size=pool.size(), participants=participants)
    return pool


def _locked(draw: LotteryDraw) -> LotteryDraw:
    """The draw re-read under a row lock: two clicks of the same button queue, and the
    second sees what the first did."""
    return LotteryDraw.objects.select_for_update().select_related("election").get(pk=draw.pk)


def _new_frozen_draw(*, actor: Account, election: Election, numbers: str, exclude: str,
                     beacon: str, supersedes: LotteryDraw | None = None,
                     reason: str = "", entities: list[Entity] | None = None,
                     governorate: Governorate | None = None) -> LotteryDraw:
    if entities is None:
        entities = list(lottery_participants(election))
    if not entities:
        raise CeremonyRefused("no_participants")
    if len(numbers) > 200 or len(exclude) > 200:
        raise CeremonyRefused("bad_pool", detail="too long")
    pool = _pool(numbers, exclude, len(entities))
    beacon = beacon.strip()
    if len(beacon) > MAX_BEACON_LENGTH or "\n" in beacon or "\r" in beacon:
        raise CeremonyRefused("bad_beacon", limit=MAX_BEACON_LENGTH)
    participants = [{"participant_id": e.code, "name": e.name_ar} for e in entities]
    digest = lottery.participants_sha256(p["participant_id"] for p in participants)
    draw = LotteryDraw.objects.create(
        election=election, status=DrawStatus.FROZEN, participants=participants,
        participants_sha256=digest, numbers=numbers.strip(), exclude=exclude.strip(),
        beacon=beacon, frozen_by=actor, supersedes=supersedes, correction_reason=reason,
        governorate=governorate)
    record(actor=actor, action="lottery.freeze", target=draw, data={
        "election": election.code, "participants": len(participants),
        "supplementary_for": governorate.code if governorate else None,
        "participants_sha256": digest, "participant_ids": [p["participant_id"]
                                                           for p in participants],
        "numbers": draw.numbers, "exclude": draw.exclude, "pool_size": pool.size(),
        "beacon": beacon, "supersedes": supersedes.pk if supersedes else None})
    return draw


@transaction.atomic
def freeze(*, actor: Visitor, election: Election, numbers: str, exclude: str = "",
           beacon: str = "") -> LotteryDraw:
    """Fix the participants, their hash, the pool and the beacon: to be published
    before the ceremony. Refused while the election has a live draw."""
    actor = require(actor, Capability.RUN_LOTTERY)
    # The election's row lock makes two freezes queue (SQLite queues every writer).
    Election.objects.select_for_update().filter(pk=election.pk).first()
    if LotteryDraw.objects.filter(election=election, governorate=None).exclude(
            status=DrawStatus.SUPERSEDED).exists():
        raise CeremonyRefused("live_draw_exists")
    return _new_frozen_draw(actor=actor, election=election, numbers=numbers, exclude=exclude,
                            beacon=beacon)


def _main_draw(election: Election) -> LotteryDraw | None:
    return LotteryDraw.objects.filter(election=election, governorate=None).exclude(
        status=DrawStatus.SUPERSEDED).first()


def _new_supplementary_draw(*, actor: Account, election: Election, governorate: Governorate,
                            beacon: str, supersedes: LotteryDraw | None = None,
                            reason: str = "") -> LotteryDraw:
    main = _main_draw(election)
    if main is None or main.status != DrawStatus.PUBLISHED:
        raise CeremonyRefused("main_draw_not_published")
    entities = list(awaiting_a_number(election, governorate))
    if not entities:
        raise CeremonyRefused("nobody_awaits_a_number")
    held = Entity.objects.filter(election=election).exclude(ballot_number=None)
    pool = lottery.numbers_not_drawn(lottery.parse_pool(main.numbers, main.exclude),
                                     (number for number in held.values_list(
                                         "ballot_number", flat=True) if number is not None))
    if pool.size() < len(entities):
        raise CeremonyRefused("pool_too_small", size=pool.size(), participants=len(entities))
    numbers, exclude = lottery.pool_text(pool)
    return _new_frozen_draw(actor=actor, election=election, numbers=numbers, exclude=exclude,
                            beacon=beacon, supersedes=supersedes, reason=reason,
                            entities=entities, governorate=governorate)


@transaction.atomic
def freeze_supplementary(*, actor: Visitor, election: Election, governorate: Governorate,
                         beacon: str = "") -> LotteryDraw:
    """A supplementary draw for the lists certified in ``governorate`` after the
    election's draw was published: its participants are the entities that have no
    number yet (and are in no live draw), its pool the numbers of the published draw's
    pool that nobody has drawn. The rest of the ceremony is the same: seed parts, the
    beacon, the run, the Board's sign-off. One supplementary draw at a time."""
    actor = require(actor, Capability.RUN_LOTTERY)
    Election.objects.select_for_update().filter(pk=election.pk).first()
    if LotteryDraw.objects.filter(election=election, governorate__isnull=False,
                                  status__in=[DrawStatus.FROZEN, DrawStatus.DRAWN]).exists():
        raise CeremonyRefused("supplementary_draw_open")
    return _new_supplementary_draw(actor=actor, election=election, governorate=governorate,
                                   beacon=beacon)


@transaction.atomic
def add_seed_part(*, actor: Visitor, draw: LotteryDraw, value: str, contributed_by: str
                  ) -> LotteryDraw:
    """One part of the seed as made in the room (``"4"``, a die rolled by the agent of
    an entity), with who made it; kept in the order entered."""
    require(actor, Capability.RUN_LOTTERY)
    draw = _locked(draw)
    _possible(draw, DrawStep.SEED)
    value = _one_line(value, limit=MAX_PART_LENGTH, code="seed_part")
    contributed_by = _one_line(contributed_by, limit=MAX_CONTRIBUTOR_LENGTH,
                               code="contributor")
    part = {"value": value, "contributed_by": contributed_by,
            "entered_by": actor.get_username(), "at": _now_iso()}
    draw.seed_parts = [*draw.seed_parts, part]
    draw.save(update_fields=["seed_parts"])
    record(actor=actor, action="lottery.seed_part", target=draw, data={
        "position": len(draw.seed_parts), **part})
    return draw


@transaction.atomic
def record_beacon_value(*, actor: Visitor, draw: LotteryDraw, value: str) -> LotteryDraw:
    """The value the announced beacon gave, once it is out: after the last seed part."""
    require(actor, Capability.RUN_LOTTERY)
    draw = _locked(draw)
    _possible(draw, DrawStep.BEACON)
    draw.beacon_value = _one_line(value, limit=MAX_BEACON_LENGTH, code="beacon_value")
    draw.save(update_fields=["beacon_value"])
    record(actor=actor, action="lottery.beacon_value", target=draw, data={
        "beacon": draw.beacon, "value": draw.beacon_value})
    return draw


@transaction.atomic
def run(*, actor: Visitor, draw: LotteryDraw) -> LotteryDraw:
    """Draw the numbers, once. Refused unless the draw is frozen, has its seed parts
    and, if a beacon was announced, its value."""
    require(actor, Capability.RUN_LOTTERY)
    draw = _locked(draw)
    _possible(draw, DrawStep.RUN)
    seed = seed_of(draw)
    participants = [lottery.Participant(participant_id=p["participant_id"], name=p["name"])
                    for p in draw.participants]
    try:
        result = lottery.draw(participants, seed=seed,
                              pool=lottery.parse_pool(draw.numbers, draw.exclude))
    except lottery.LotteryError as exc:  # the freeze checked all this: not expected
        raise CeremonyRefused("bad_pool", detail=str(exc)) from None
    if result.participants_sha256 != draw.participants_sha256:
        raise CeremonyRefused("participants_changed")
    drawn_at = timezone.now()
    transcript = to_transcript(result, drawn_at=drawn_at.astimezone(UTC).isoformat(),
                               drawn_by=actor.get_username())
    # Compare-and-set: only a frozen draw without a transcript takes one.
    updated = LotteryDraw.objects.filter(
        pk=draw.pk, status=DrawStatus.FROZEN, transcript__isnull=True).update(
        status=DrawStatus.DRAWN, seed=seed, transcript=transcript, drawn_at=drawn_at,
        drawn_by=actor)
    if updated != 1:
        raise CeremonyRefused("already_drawn")
    draw.refresh_from_db()
    record(actor=actor, action="lottery.run", target=draw, data={
        "election": draw.election.code, "participants_sha256": result.participants_sha256,
        "seed": seed, "seed_sha256": result.seed_sha256,
        "numbers": {a.participant_id: a.number for a in result.assignments}})
    return draw


@transaction.atomic
def sign_off(*, actor: Visitor, draw: LotteryDraw) -> LotteryDraw:
    """The Board ratifies a drawn table of numbers: the draw is published and every
    participant's ballot number written (any other entity of the election has none)."""
    actor = require(actor, Capability.SIGN_OFF_LOTTERY)
    draw = _locked(draw)
    _possible(draw, DrawStep.SIGN_OFF)
    transcript = draw.transcript
    if not transcript:  # a drawn draw has one: the model's constraint
        raise CeremonyRefused("not_drawn")
    numbers = {a["participant_id"]: int(a["number"]) for a in transcript["assignments"]}
    entities = {e.code: e for e in Entity.objects.select_for_update().filter(
        election=draw.election, code__in=numbers)}
    missing = sorted(set(numbers) - set(entities))
    if missing:
        raise CeremonyRefused("unknown_participant", participant=missing[0])
    if draw.governorate_id is not None:
        # A supplementary draw numbers its own participants, with numbers nobody holds.
        taken = Entity.objects.filter(election=draw.election,
                                      ballot_number__in=numbers.values()).first()
        if taken is not None:
            raise CeremonyRefused("number_taken", number=taken.ballot_number)
    else:
        # Everyone's number off first: the unique number per election never sees two.
        Entity.objects.filter(election=draw.election).exclude(ballot_number=None).update(
            ballot_number=None)
    for code, entity in entities.items():
        entity.ballot_number = numbers[code]
    Entity.objects.bulk_update(list(entities.values()), ["ballot_number"], batch_size=500)
    draw.status = DrawStatus.PUBLISHED
    draw.published_at = timezone.now()
    draw.signed_off_by = actor
    draw.save(update_fields=["status", "published_at", "signed_off_by"])
    record(actor=actor, action="lottery.sign_off", target=draw, data={
        "election": draw.election.code, "participants_sha256": draw.participants_sha256,
        "seed_sha256": transcript["seed_sha256"], "numbers_written": len(numbers)})
    take_checkpoint()  # a publication: the commission signs the chain that led to it
    return draw


@transaction.atomic
def correct(*, actor: Visitor, draw: LotteryDraw, reason: str, numbers: str | None = None,
            exclude: str | None = None, beacon: str | None = None) -> LotteryDraw:
    """The Board sets a live draw aside, with a public reason, and a new draw is frozen
    in its place (the pool and beacon as given, else as before; the participants as
    they are now). A superseded published draw's numbers are withdrawn: entities have
    none until the correction is signed off."""
    actor = require(actor, Capability.SIGN_OFF_LOTTERY)
    reason = reason.strip()
    if not reason:
        raise CeremonyRefused("reason_required")
    if len(reason) > MAX_REASON_LENGTH:
        raise CeremonyRefused("reason_too_long", limit=MAX_REASON_LENGTH)
    Election.objects.select_for_update().filter(pk=draw.election_id).first()
    old = _locked(draw)
    _possible(old, DrawStep.CORRECT)
    withdrawn = 0
    holders = Entity.objects.filter(election=old.election)
    if old.governorate_id is not None:  # a supplementary draw's numbers are its own
        holders = holders.filter(code__in=[p["participant_id"] for p in old.participants])
    if old.status == DrawStatus.PUBLISHED:
        withdrawn = holders.exclude(ballot_number=None).update(ballot_number=None)
    was = old.status
    old.status = DrawStatus.SUPERSEDED
    old.save(update_fields=["status"])
    supplementary: list[int] = []
    if old.governorate_id is None:
        # The whole country is drawn again: the supplementary draws go with the old one
        # (their numbers were withdrawn above), and the new draw holds their entities.
        later = LotteryDraw.objects.filter(election=old.election, governorate__isnull=False
                                           ).exclude(status=DrawStatus.SUPERSEDED)
        supplementary = list(later.values_list("pk", flat=True))
        later.update(status=DrawStatus.SUPERSEDED)
    record(actor=actor, action="lottery.supersede", target=old, data={
        "election": old.election.code, "was": was, "reason": reason,
        "participants_sha256": old.participants_sha256,
        "seed_sha256": old.transcript["seed_sha256"] if old.transcript else None,
        "numbers_withdrawn": withdrawn, "supplementary_superseded": supplementary})
    if old.governorate is not None:
        return _new_supplementary_draw(
            actor=actor, election=old.election, governorate=old.governorate,
            beacon=old.beacon if beacon is None else beacon, supersedes=old, reason=reason)
    return _new_frozen_draw(
        actor=actor, election=old.election,
        numbers=old.numbers if numbers is None else numbers,
        exclude=old.exclude if exclude is None else exclude,
        beacon=old.beacon if beacon is None else beacon, supersedes=old, reason=reason)
