"""The ballot-number lottery ceremony through its pages (docs/lottery.md, "The
ceremony"): an administrator freezes the participants, enters the seed as it is made in
the hall and runs the draw once; a member of the Board signs it off, which writes every
entity's ballot number; the public follows each step and can redo the draw from its
transcript. Refusals, corrections and the audit trail are checked as a user meets them.
Every test runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import json
import re

import pytest
from django.db import DatabaseError, transaction

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.audit.selectors import verify as verify_chain
from shafaf.core.lottery import participants_sha256, seed_sha256
from shafaf.core.lottery_transcript import verify
from shafaf.entities.actions import ceremony
from shafaf.entities.models import DrawStatus, Entity, EntityAgent, LotteryDraw
from shafaf.entities.synthetic import create_entities

STAFF = "/staff/lottery/"
PUBLIC = "/lottery/gc-2023/"
PROJECTOR = "/lottery/gc-2023/projector/"
TRANSCRIPT = "/lottery/gc-2023/transcript.json"
CODES = ["synthetic-001", "synthetic-002", "synthetic-003"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english(client):
    """The refusals are read in English here (a header, which survives a logout)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def entities(election):
    """Three approved entities with a certified list in Kirkuk: the participants."""
    return create_entities(election, lists={"IQ-KI": 3}, candidates_per_list=5)


@pytest.fixture
def admin(client, users):
    client.force_login(users[Role.ADMIN])
    return client


def board(client, users):
    client.logout()
    client.force_login(users[Role.COMMISSIONER])
    return client


def page(response, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    return response.content.decode()


def draw_url(draw: LotteryDraw) -> str:
    return f"{STAFF}{draw.pk}/"


def freeze(client, **fields):
    data = {"election": fields.pop("election_id", None), "numbers": "201-210",
            "exclude": "", "beacon": "", "confirm": "on", **fields}
    return client.post(STAFF, {k: v for k, v in data.items() if v is not None})


def step(client, draw: LotteryDraw, name: str, **fields):
    return client.post(draw_url(draw), {"step": name, **{f"{name}-{k}": v
                                                          for k, v in fields.items()}})


def live_draw() -> LotteryDraw:
    return LotteryDraw.objects.exclude(status=DrawStatus.SUPERSEDED).get()


def actions_logged() -> list[str]:
    return list(AuditEvent.objects.filter(action__startswith="lottery.")
                .order_by("seq").values_list("action", flat=True))


def drawn(client, election, *, parts=("3", "5")) -> LotteryDraw:
    """Freeze, enter the seed parts and run, through the pages, as the administrator."""
    assert freeze(client, election_id=election.pk).status_code == 302
    draw = live_draw()
    for part in parts:
        assert step(client, draw, "seed", value=part,
                    contributed_by="نرد رماه وكيل كيان").status_code == 302
    assert step(client, draw, "run", confirm="on").status_code == 302
    draw.refresh_from_db()
    return draw


# --- The whole ceremony -----------------------------------------------------------------

def test_the_ceremony_from_freezing_to_the_boards_sign_off(client, users, election, entities,
                                                          admin):
    # Before: the staff page counts who would take part.
    listing = page(admin.get(STAFF))
    counted = re.search(r'data-election="gc-2023".*?</p>', listing, re.S).group(0)
    assert "3 entities would take part" in " ".join(counted.split())
    assert "No draw has been frozen" in page(client.get(PUBLIC))
    assert client.get(TRANSCRIPT).status_code == 404

    # Freeze: the participants and their hash are published before the ceremony.
    response = freeze(admin, election_id=election.pk, exclude="203, 207")
    draw = live_draw()
    assert response["Location"] == draw_url(draw)
    expected_hash = participants_sha256(CODES)
    assert draw.participants_sha256 == expected_hash
    before = page(client.get(PUBLIC))
    assert expected_hash in before
    for entity in entities:
        assert entity.code in before
        assert entity.name_ar in before
    assert 'data-field="pool_size">8<' in before  # 201-210 without 203 and 207
    assert "No part of the seed has been entered yet." in before
    assert client.get(TRANSCRIPT).status_code == 404  # nothing to verify before the draw

    # During: the seed parts appear as entered, with who made them.
    for value, who in (("3", "نرد وكيل الكيان الأول"), ("6", "observer from a CSO")):
        response = step(admin, draw, "seed", value=value, contributed_by=who)
        assert response.status_code == 302
    during = page(client.get(PUBLIC))
    assert "نرد وكيل الكيان الأول" in during
    assert "observer from a CSO" in during
    assert 'data-field="seed_so_far">3-6<' in during
    assert "3-6" in page(client.get(PROJECTOR))

    # The run: refused without the confirmation, then done once.
    refused = step(admin, draw, "run")
    assert refused.status_code == 400
    assert live_draw().status == DrawStatus.FROZEN
    response = step(admin, draw, "run", confirm="on")
    assert response.status_code == 302
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN
    assert draw.seed == "3-6"
    assert draw.transcript["drawn_by"] == "admin"

    # After: the table of numbers, a transcript that verifies, a link to the verifier.
    after = page(client.get(PUBLIC))
    assert "await the Board of Commissioners' sign-off" in after
    table = {a["participant_id"]: a["number"] for a in draw.transcript["assignments"]}
    assert sorted(table.values()) == [201, 202, 204]
    for code, number in table.items():
        assert re.search(rf'data-participant="{code}"><td class="number">{number}<', after)
    assert "/lottery/verify/?transcript=%2Flottery%2Fgc-2023%2Ftranscript.json" in after
    download = client.get(TRANSCRIPT)
    assert download["Content-Disposition"].startswith("attachment;")
    transcript = json.loads(download.content)
    assert verify(transcript) is None
    assert transcript["participants_sha256"] == expected_hash  # as published at freeze
    assert transcript["seed_sha256"] == seed_sha256("3-6")
    assert {p["name"] for p in transcript["participants"]} == {e.name_ar for e in entities}
    # No number is anyone's until the Board signs off.
    assert not Entity.objects.exclude(ballot_number=None).exists()

    # The Board signs off: the numbers become the entities' ballot numbers.
    commissioner = board(client, users)
    detail = page(commissioner.get(draw_url(draw)))
    assert 'data-step="sign_off"' in detail
    assert 'data-step="run"' not in detail
    response = step(commissioner, draw, "sign_off", confirm="on")
    assert response.status_code == 302
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED
    assert draw.signed_off_by == users[Role.COMMISSIONER]
    assert {e.code: e.ballot_number for e in Entity.objects.all()} == table
    published = page(client.get(PUBLIC))
    assert "signed off by the Board of Commissioners and published" in published
    assert json.loads(client.get(TRANSCRIPT).content) == transcript

    # The audit chain holds every step, with the hashes and the seed, and verifies.
    assert actions_logged() == ["lottery.freeze", "lottery.seed_part", "lottery.seed_part",
                                "lottery.run", "lottery.sign_off"]
    events = {e.action: e.data for e in AuditEvent.objects.filter(action__startswith="lottery.")}
    assert events["lottery.freeze"]["participants_sha256"] == expected_hash
    assert events["lottery.freeze"]["participant_ids"] == CODES
    assert events["lottery.run"]["seed"] == "3-6"
    assert events["lottery.run"]["seed_sha256"] == transcript["seed_sha256"]
    assert events["lottery.run"]["numbers"] == table
    assert events["lottery.sign_off"]["numbers_written"] == 3
    assert verify_chain().broken is None


def test_projector_shows_the_numbers_in_large_type_and_refreshes_itself(client, election,
                                                                         entities, admin):
    empty = client.get(PROJECTOR)
    assert "No draw has been frozen" in page(empty)
    draw = drawn(admin, election)
    client.logout()
    response = client.get(PROJECTOR)
    html = page(response)
    assert response["Refresh"] == "5"
    assert 'class="projector"' in html
    for assignment in draw.transcript["assignments"]:
        assert re.search(rf'data-participant="{assignment["participant_id"]}">'
                         rf'<span class="number">{assignment["number"]}<', html)


# --- Refusals ---------------------------------------------------------------------------

def test_a_draw_is_never_run_twice(client, election, entities, admin):
    draw = drawn(admin, election)
    transcript, events = draw.transcript, AuditEvent.objects.count()
    response = step(admin, draw, "run", confirm="on")
    assert "has already been run" in page(response)
    draw.refresh_from_db()
    assert draw.transcript == transcript
    assert AuditEvent.objects.count() == events
    # Nor can a seed part be slipped in afterwards.
    response = step(admin, draw, "seed", value="1", contributed_by="late")
    assert "only possible before the draw is run" in page(response)
    with pytest.raises(ceremony.CeremonyRefused, match="already_drawn"):
        ceremony.run(actor=draw.drawn_by, draw=draw)


def test_the_database_refuses_a_second_transcript(client, election, entities, admin):
    draw = drawn(admin, election)
    other = {**draw.transcript, "seed": "9-9-9"}
    with pytest.raises(DatabaseError, match="drawn once"), transaction.atomic():
        LotteryDraw.objects.filter(pk=draw.pk).update(transcript=other)
    with pytest.raises(DatabaseError, match="drawn once"), transaction.atomic():
        LotteryDraw.objects.filter(pk=draw.pk).update(seed="9-9-9")
    # Back to frozen without a transcript, to draw again: refused too.
    with pytest.raises(DatabaseError), transaction.atomic():
        LotteryDraw.objects.filter(pk=draw.pk).update(status=DrawStatus.FROZEN,
                                                      transcript=None, drawn_at=None)
    draw.refresh_from_db()
    assert draw.seed == "3-5"
    assert verify(draw.transcript) is None


def test_the_participants_cannot_change_once_frozen(election, entities, users):
    draw = ceremony.freeze(actor=users[Role.ADMIN], election=election, numbers="1-10")
    with pytest.raises(DatabaseError, match="drawn once"), transaction.atomic():
        LotteryDraw.objects.filter(pk=draw.pk).update(participants=draw.participants[:2])
    # A frozen draw cannot carry a transcript either (the check constraint).
    with pytest.raises(DatabaseError), transaction.atomic():
        LotteryDraw.objects.filter(pk=draw.pk).update(transcript={"seed": "1"})


def test_only_the_board_signs_off(client, users, election, entities, admin):
    draw = drawn(admin, election)
    detail = page(admin.get(draw_url(draw)))
    assert 'data-step="sign_off"' not in detail
    assert step(admin, draw, "sign_off", confirm="on").status_code == 403
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN
    assert not Entity.objects.exclude(ballot_number=None).exists()
    # And the Board does not run draws.
    commissioner = board(client, users)
    assert step(commissioner, draw, "run", confirm="on").status_code == 403
    assert step(commissioner, draw, "seed", value="1", contributed_by="x").status_code == 403


def test_sign_off_needs_a_drawn_draw_and_happens_once(client, users, election, entities,
                                                      admin):
    assert freeze(admin, election_id=election.pk).status_code == 302
    draw = live_draw()
    commissioner = board(client, users)
    assert "has not been run yet" in page(step(commissioner, draw, "sign_off", confirm="on"))
    client.logout()
    admin.force_login(users[Role.ADMIN])
    step(admin, draw, "seed", value="2", contributed_by="x")
    step(admin, draw, "run", confirm="on")
    commissioner = board(client, users)
    assert step(commissioner, draw, "sign_off", confirm="on").status_code == 302
    again = step(commissioner, draw, "sign_off", confirm="on")
    assert "already signed off" in page(again)
    assert actions_logged().count("lottery.sign_off") == 1


@pytest.mark.parametrize("role", [Role.ENTITY_AGENT, Role.OBSERVER, Role.AUDITOR,
                                  Role.OFFICE_MANAGER])
def test_other_roles_cannot_use_the_staff_pages(client, users, election, entities, role):
    draw = ceremony.freeze(actor=users[Role.ADMIN], election=election, numbers="1-10")
    if role == Role.ENTITY_AGENT:
        EntityAgent.objects.create(user=users[role], entity=entities[0])
    client.force_login(users[role])
    events = AuditEvent.objects.count()
    assert client.get(STAFF).status_code == 403
    assert client.get(draw_url(draw)).status_code == 403
    assert freeze(client, election_id=election.pk).status_code == 403
    assert step(client, draw, "seed", value="6", contributed_by="me").status_code == 403
    assert step(client, draw, "run", confirm="on").status_code == 403
    assert step(client, draw, "correct", reason="x", numbers="1-10",
                confirm="on").status_code == 403
    assert AuditEvent.objects.count() == events
    draw.refresh_from_db()
    assert draw.seed_parts == []
    assert draw.status == DrawStatus.FROZEN
    # The public pages are theirs too.
    assert client.get(PUBLIC).status_code == 200


def test_freezing_refuses_a_pool_smaller_than_the_participants(election, entities, admin):
    response = freeze(admin, election_id=election.pk, numbers="1-3", exclude="2")
    html = page(response)
    assert "The pool holds 2 numbers for 3 participants" in html
    assert not LotteryDraw.objects.exists()
    assert not actions_logged()


@pytest.mark.parametrize("numbers", ["1-x", "10-1", "", "0-5"])
def test_freezing_refuses_malformed_ranges(election, entities, users, admin, numbers):
    html = page(freeze(admin, election_id=election.pk, numbers=numbers), status=400)
    assert "errorlist" in html
    assert not LotteryDraw.objects.exists()
    with pytest.raises(ceremony.CeremonyRefused, match="bad_pool"):
        ceremony.freeze(actor=users[Role.ADMIN], election=election, numbers=numbers)


def test_freezing_refuses_an_election_without_participants(election, admin):
    html = page(freeze(admin, election_id=election.pk))
    assert "There is nobody to draw for" in html
    assert not LotteryDraw.objects.exists()


def test_freezing_refuses_a_second_live_draw(election, entities, admin):
    assert freeze(admin, election_id=election.pk).status_code == 302
    html = page(freeze(admin, election_id=election.pk, numbers="1-99"))
    assert "This election already has a draw" in html
    assert LotteryDraw.objects.count() == 1


def test_freezing_needs_a_confirmation(election, entities, admin):
    html = page(freeze(admin, election_id=election.pk, confirm=None), status=400)
    assert "errorlist" in html
    assert not LotteryDraw.objects.exists()


def test_a_beacon_announced_in_advance_closes_the_seed(client, election, entities, admin):
    freeze(admin, election_id=election.pk,
           beacon="NIST randomness beacon, pulse of 2023-09-17 10:00 UTC")
    draw = live_draw()
    assert "NIST randomness beacon" in page(client.get(PUBLIC))
    # The beacon's value comes after at least one part, and the run needs it.
    assert "at least one part" in page(step(admin, draw, "beacon", value="ab12"))
    step(admin, draw, "seed", value="4", contributed_by="x")
    assert "Record the value of the announced beacon" in page(step(admin, draw, "run",
                                                                   confirm="on"))
    assert step(admin, draw, "beacon", value="5f0c9a").status_code == 302
    # Once the beacon's value is known, nobody can add a part (and so choose the result).
    assert "no more seed parts" in page(step(admin, draw, "seed", value="1",
                                             contributed_by="x"))
    assert step(admin, draw, "run", confirm="on").status_code == 302
    draw.refresh_from_db()
    assert draw.seed == "4|beacon:5f0c9a"
    assert verify(draw.transcript) is None
    assert actions_logged() == ["lottery.freeze", "lottery.seed_part", "lottery.beacon_value",
                                "lottery.run"]


def test_a_beacon_value_without_an_announced_beacon_is_refused(election, entities, users):
    draw = ceremony.freeze(actor=users[Role.ADMIN], election=election, numbers="1-10")
    ceremony.add_seed_part(actor=users[Role.ADMIN], draw=draw, value="1", contributed_by="x")
    with pytest.raises(ceremony.CeremonyRefused, match="no_beacon"):
        ceremony.record_beacon_value(actor=users[Role.ADMIN], draw=draw, value="1")


def test_the_seed_rule():
    assert ceremony.build_seed(["1", "2", "3", "4", "5"]) == "1-2-3-4-5"
    assert ceremony.build_seed(["3", "5", "1"], "a1b2") == "3-5-1|beacon:a1b2"


# --- Corrections ------------------------------------------------------------------------

def test_a_correction_supersedes_the_published_draw_and_starts_a_new_one(
        client, users, election, entities, admin):
    first = drawn(admin, election)
    commissioner = board(client, users)
    step(commissioner, first, "sign_off", confirm="on")
    assert not Entity.objects.filter(ballot_number=None).exists()

    # A reason is required.
    html = page(step(commissioner, first, "correct", reason="  ", numbers="201-210",
                     confirm="on"), status=400)
    assert "errorlist" in html
    assert LotteryDraw.objects.count() == 1

    reason = "أغفل كيان مصادق عليه من القرعة"
    response = step(commissioner, first, "correct", reason=reason, numbers="301-320",
                    exclude="", beacon="", confirm="on")
    first.refresh_from_db()
    second = live_draw()
    assert response["Location"] == draw_url(second)
    assert first.status == DrawStatus.SUPERSEDED
    assert second.status == DrawStatus.FROZEN
    assert second.supersedes == first
    assert second.correction_reason == reason
    assert second.numbers == "301-320"
    # The old numbers are withdrawn until the correction is signed off.
    assert not Entity.objects.exclude(ballot_number=None).exists()
    # The first draw stays public, with the reason and its transcript.
    html = page(client.get(PUBLIC))
    assert reason in html
    old = client.get(f"{TRANSCRIPT}?draw={first.pk}")
    assert json.loads(old.content) == first.transcript
    assert client.get(TRANSCRIPT).status_code == 404  # the new draw is not run yet

    events = AuditEvent.objects.filter(action__startswith="lottery.").order_by("-seq")[:2]
    freeze_event, supersede = events
    assert supersede.action == "lottery.supersede"
    assert supersede.data["reason"] == reason
    assert supersede.data["was"] == "published"
    assert supersede.data["numbers_withdrawn"] == 3
    assert supersede.actor_username == "commissioner"
    assert freeze_event.action == "lottery.freeze"
    assert freeze_event.data["supersedes"] == first.pk

    # The correction runs and is signed off like any draw.
    client.logout()
    admin.force_login(users[Role.ADMIN])
    step(admin, second, "seed", value="1", contributed_by="x")
    step(admin, second, "run", confirm="on")
    commissioner = board(client, users)
    step(commissioner, second, "sign_off", confirm="on")
    second.refresh_from_db()
    assert second.status == DrawStatus.PUBLISHED
    assert sorted(Entity.objects.values_list("ballot_number", flat=True)) == [301, 302, 303]
    # A superseded draw cannot be corrected again.
    assert "already been set aside" in page(step(commissioner, first, "correct",
                                                 reason="again", numbers="1-9",
                                                 confirm="on"))
    assert verify_chain().broken is None


def test_the_administrator_cannot_set_a_draw_aside(client, election, entities, admin):
    draw = drawn(admin, election)
    assert step(admin, draw, "correct", reason="I prefer other numbers", numbers="201-210",
                confirm="on").status_code == 403
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN


def test_the_boards_sign_off_is_a_publication_the_commission_signs_in_a_checkpoint(
        client, users, election, entities, admin):
    from shafaf.audit.models import AuditCheckpoint

    draw = drawn(admin, election)
    assert not AuditCheckpoint.objects.exists()
    commissioner = board(client, users)
    assert step(commissioner, draw, "sign_off", confirm="on").status_code == 302
    checkpoint = AuditCheckpoint.objects.get()
    signed_off = AuditEvent.objects.get(action="lottery.sign_off")
    # The checkpoint covers the sign-off's own event: the newest in the chain.
    assert (checkpoint.seq, checkpoint.hash) == (signed_off.seq, signed_off.hash)
    assert verify_chain().intact
