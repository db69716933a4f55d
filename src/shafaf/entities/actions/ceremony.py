"""The public ballot-number lottery, as the commission holds it (domain brief, section 4;
docs/lottery.md, "The ceremony"): algorithm ``shafaf-lottery/1`` from the core, run in
audited steps so that nobody, the operator included, can know the result before the
seed is fixed (docs/decisions/0015-committed-seed-parts.md).

1. **Freeze** (the commission's administrators): the participants (every approved
   entity with a certified list), their hash, the number pool and the public
   randomness beacon's round, mandatory, are fixed and published before the ceremony.
2. **Commit**: each contributor (an agent of an entity in the draw, an observer, a
   civil-society coordinator, commission staff) sends the SHA-256 commitment of their
   part, computed in their browser from their dice and a secret nonce; only the hash
   is stored and shown. The operator **seals** the commitments.
3. **Reveal**: each contributor sends their part and nonce, refused unless they match
   the commitment. The operator **closes the reveals**: a part not revealed is withheld
   and left out. Then the operator records the **beacon's value**.
4. **Run**, once: the seed is the core's :func:`~shafaf.core.ceremony.sealed_seed`
   (refused before all this), the core draws, and the transcript /2 is stored. The
   database refuses a second transcript for the same draw (migration 0002).
5. **Sign-off** by a member of the Board of Commissioners who did not run the draw,
   which publishes it and writes every entity's ballot number.
6. **Correction**, by the Board, with a reason and a new beacon round: the draw is
   superseded (its record stays public) and a new frozen draw starts; the numbers of a
   superseded published draw are withdrawn until the correction is signed off.

Which step is possible when, and who takes it, is the core's table
(``shafaf.core.ceremony``): the pages offer its steps, and every refusal here is a
:class:`CeremonyRefused` with its code, which the pages word.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from shafaf.access.checks import can, require
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability, Role
from shafaf.audit.actions import record, take_checkpoint
from shafaf.core import lottery
from shafaf.core.ceremony import (
    MAX_SEED_PARTS,
    Actor,
    DrawFacts,
    DrawStep,
    NotSealed,
    refusal,
    sealed_seed,
)
from shafaf.core.lottery import seed_part_commitment
from shafaf.core.lottery_transcript import CeremonyRecord, seed_parts_of, to_transcript
from shafaf.core.refusal import Refused
from shafaf.elections.models import Election, Governorate
from shafaf.entities.models import DRAW_UNDER_WAY, DrawStatus, Entity, EntityAgent, LotteryDraw
from shafaf.entities.selectors import awaiting_a_number, lottery_participants

MAX_PARTS = MAX_SEED_PARTS
MAX_PART_LENGTH = 64
MIN_NONCE_LENGTH = 16
MAX_NONCE_LENGTH = 128
MAX_REASON_LENGTH = 4000
MAX_BEACON_LENGTH = 300
"""With these limits a seed always fits the 2,000 characters the model keeps."""
SHA256_HEX = frozenset("0123456789abcdef")


class CeremonyRefused(Refused):
    """A ceremony step refused, with a code the pages word and its parameters."""


def capacity_of(user: Visitor, draw: LotteryDraw) -> str | None:
    """In what capacity ``user`` may make a part of ``draw``'s seed, or None: the agent
    of an entity in the draw (``agent:<code>``), an observer, a civil-society
    coordinator, the commission's lottery staff or a member of the Board."""
    if not can(user, Capability.CONTRIBUTE_SEED_PART) and not can(user, Capability.RUN_LOTTERY):
        return None
    role = Role(user.role)
    if role is Role.ENTITY_AGENT:
        agency = EntityAgent.objects.filter(user=user).select_related("entity").first()
        ids = {p["participant_id"] for p in draw.participants}
        if agency is None or agency.entity.election_id != draw.election_id \
                or agency.entity.code not in ids:
            return None
        return f"agent:{agency.entity.code}"
    return role.value


def actors_for(user: Visitor, draw: LotteryDraw | None = None) -> frozenset[Actor]:
    """The capacities in which ``user`` takes ceremony steps (of ``draw``, for a
    contributor, whose right may depend on the draw's participants)."""
    actors = set()
    if can(user, Capability.RUN_LOTTERY):
        actors.add(Actor.OPERATOR)
    if can(user, Capability.SIGN_OFF_LOTTERY):
        actors.add(Actor.BOARD)
    if draw is not None and capacity_of(user, draw) is not None:
        actors.add(Actor.CONTRIBUTOR)
    return frozenset(actors)


def own_part(draw: LotteryDraw, user: Visitor) -> dict[str, Any] | None:
    """The part ``user`` committed to in ``draw``, if any."""
    if not user.is_authenticated:
        return None
    name = user.get_username()
    return next((part for part in draw.seed_parts if part.get("contributor") == name), None)


def facts_of(draw: LotteryDraw, user: Visitor | None = None) -> DrawFacts:
    """What the core's table needs to know of the draw besides its state (and of the
    user asking, if any)."""
    mine = own_part(draw, user) if user is not None else None
    return DrawFacts(commitments=len(draw.seed_parts), own_commitment=mine is not None,
                     own_part_revealed=bool(mine and mine.get("value") is not None),
                     beacon_value_recorded=bool(draw.beacon_value),
                     has_transcript=bool(draw.transcript),
                     ran_the_draw=bool(user is not None and draw.drawn_by_id is not None
                                       and draw.drawn_by_id == getattr(user, "pk", None)))


def _possible(draw: LotteryDraw, step: DrawStep, user: Visitor | None = None) -> None:
    """Refuse ``step`` with the core table's code unless the draw allows it now."""
    code = refusal(draw.status, step, facts_of(draw, user))
    if code is not None:
        raise CeremonyRefused(code, **({"limit": MAX_PARTS} if code == "too_many_parts"
                                       else {}))


def revealed_parts(draw: LotteryDraw) -> list[str]:
    """The revealed values, in the order committed."""
    return [part["value"] for part in draw.seed_parts if part.get("value") is not None]


def seed_of(draw: LotteryDraw) -> str:
    """The seed a drawn draw used; empty before the run. Before it, only the core's
    ``sealed_seed`` gives a seed, in the run itself."""
    return draw.seed if draw.transcript else ""


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
    # Mandatory: a value nobody knows until after the reveals makes the seed unknowable
    # when every other part is fixed, and withholding a part blind.
    if not beacon:
        raise CeremonyRefused("beacon_required")
    if supersedes is not None and beacon == supersedes.beacon:
        raise CeremonyRefused("beacon_reused")
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
                                  status__in=DRAW_UNDER_WAY).exists():
        raise CeremonyRefused("supplementary_draw_open")
    return _new_supplementary_draw(actor=actor, election=election, governorate=governorate,
                                   beacon=beacon)


def _committed_parts_only(draw: LotteryDraw) -> None:
    """A draw frozen under the old ceremony holds parts the operator entered in the
    clear: it cannot go on (docs/lottery.md); the Board corrects it."""
    if any("commitment" not in part for part in draw.seed_parts):
        raise CeremonyRefused("frozen_before_commitments")


def _hex_commitment(value: str) -> str:
    value = value.strip().lower()
    if len(value) != 64 or not set(value) <= SHA256_HEX:
        raise CeremonyRefused("bad_commitment")
    return value


@transaction.atomic
def commit(*, actor: Visitor, draw: LotteryDraw, commitment: str) -> LotteryDraw:
    """A contributor's commitment to their part of the seed: the SHA-256 of the part
    and a secret nonce (``lottery.seed_part_commitment``), never the part itself. One
    per contributor, in the order received; shown to everyone at once."""
    if not actor.is_authenticated:
        raise PermissionDenied
    draw = _locked(draw)
    capacity = capacity_of(actor, draw)
    if capacity is None:
        raise PermissionDenied
    _possible(draw, DrawStep.COMMIT, actor)
    _committed_parts_only(draw)
    part = {"commitment": _hex_commitment(commitment), "contributor": actor.get_username(),
            "capacity": capacity, "committed_at": _now_iso()}
    draw.seed_parts = [*draw.seed_parts, part]
    draw.save(update_fields=["seed_parts"])
    record(actor=actor, action="lottery.commit", target=draw, data={
        "position": len(draw.seed_parts), **part})
    return draw


@transaction.atomic
def seal(*, actor: Visitor, draw: LotteryDraw) -> LotteryDraw:
    """No more commitments: every part is fixed, though nobody has seen another's."""
    require(actor, Capability.RUN_LOTTERY)
    draw = _locked(draw)
    _possible(draw, DrawStep.SEAL)
    _committed_parts_only(draw)
    draw.status = DrawStatus.SEALED
    draw.save(update_fields=["status"])
    record(actor=actor, action="lottery.seal", target=draw, data={
        "commitments": [part["commitment"] for part in draw.seed_parts]})
    return draw


@transaction.atomic
def reveal(*, actor: Visitor, draw: LotteryDraw, value: str, nonce: str) -> LotteryDraw:
    """A contributor's part and nonce, refused unless they give their commitment."""
    if not actor.is_authenticated:
        raise PermissionDenied
    draw = _locked(draw)
    if capacity_of(actor, draw) is None:
        raise PermissionDenied
    _possible(draw, DrawStep.REVEAL, actor)
    value = _one_line(value, limit=MAX_PART_LENGTH, code="seed_part")
    # Control and format characters (bidirectional overrides among them) would show the
    # hall another part than the one in the seed.
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in value):
        raise CeremonyRefused("seed_part_characters")
    nonce = _one_line(nonce, limit=MAX_NONCE_LENGTH, code="nonce")
    if len(nonce) < MIN_NONCE_LENGTH:
        raise CeremonyRefused("nonce_too_short", limit=MIN_NONCE_LENGTH)
    name = actor.get_username()
    parts = [dict(part) for part in draw.seed_parts]
    position, mine = next((i, part) for i, part in enumerate(parts, start=1)
                          if part["contributor"] == name)
    if seed_part_commitment(value, nonce) != mine["commitment"]:
        raise CeremonyRefused("reveal_does_not_match")
    mine.update(value=value, nonce=nonce, revealed_at=_now_iso())
    draw.seed_parts = parts
    draw.save(update_fields=["seed_parts"])
    record(actor=actor, action="lottery.reveal", target=draw, data={
        "position": position, "commitment": mine["commitment"], "value": value,
        "nonce": nonce})
    return draw


@transaction.atomic
def close_reveals(*, actor: Visitor, draw: LotteryDraw) -> LotteryDraw:
    """No more reveals: a part not revealed is withheld, left out of the seed and
    recorded as such. Then the beacon's value, and the run."""
    require(actor, Capability.RUN_LOTTERY)
    draw = _locked(draw)
    _possible(draw, DrawStep.CLOSE_REVEALS)
    withheld = [i for i, part in enumerate(draw.seed_parts, start=1)
                if part.get("value") is None]
    draw.status = DrawStatus.REVEALED
    draw.save(update_fields=["status"])
    record(actor=actor, action="lottery.close_reveals", target=draw, data={
        "revealed": len(draw.seed_parts) - len(withheld), "withheld": withheld,
        "parts": revealed_parts(draw)})
    return draw


@transaction.atomic
def record_beacon_value(*, actor: Visitor, draw: LotteryDraw, value: str) -> LotteryDraw:
    """The value the announced beacon gave: only once the reveals are closed."""
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
    """Draw the numbers, once: only a sealed draw whose reveals are closed and whose
    beacon's value is recorded (the core's ``sealed_seed`` refuses anything else)."""
    require(actor, Capability.RUN_LOTTERY)
    draw = _locked(draw)
    try:
        seed = sealed_seed(draw.status, facts_of(draw), revealed=revealed_parts(draw),
                           beacon_value=draw.beacon_value)
    except NotSealed as refused:
        raise CeremonyRefused(refused.code) from None
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
    transcript = to_transcript(
        result, drawn_at=drawn_at.astimezone(UTC).isoformat(), drawn_by=actor.get_username(),
        election=draw.election.code,
        ceremony=CeremonyRecord(seed_parts=seed_parts_of(draw.seed_parts), beacon=draw.beacon,
                                beacon_value=draw.beacon_value))
    # Compare-and-set: only a revealed draw without a transcript takes one.
    updated = LotteryDraw.objects.filter(
        pk=draw.pk, status=DrawStatus.REVEALED, transcript__isnull=True).update(
        status=DrawStatus.DRAWN, seed=seed, transcript=transcript, drawn_at=drawn_at,
        drawn_by=actor)
    if updated != 1:
        raise CeremonyRefused("already_drawn")
    draw.refresh_from_db()
    record(actor=actor, action="lottery.run", target=draw, data={
        "election": draw.election.code, "participants_sha256": result.participants_sha256,
        "seed": seed, "seed_sha256": result.seed_sha256,
        "transcript_sha256": transcript["transcript_sha256"],
        "numbers": {a.participant_id: a.number for a in result.assignments}})
    return draw


@transaction.atomic
def sign_off(*, actor: Visitor, draw: LotteryDraw) -> LotteryDraw:
    """The Board ratifies a drawn table of numbers: the draw is published and every
    participant's ballot number written (any other entity of the election has none)."""
    actor = require(actor, Capability.SIGN_OFF_LOTTERY)
    draw = _locked(draw)
    # Whoever ran the draw never ratifies it, whatever role they hold now.
    _possible(draw, DrawStep.SIGN_OFF, actor)
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
