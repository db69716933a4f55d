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
from django.test import Client
from django.utils import timezone

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.audit.selectors import verify as verify_chain
from shafaf.core.lottery import (
    Participant,
    parse_pool,
    participants_sha256,
    seed_part_commitment,
    seed_sha256,
)
from shafaf.core.lottery import draw as lottery_draw
from shafaf.core.lottery_transcript import to_transcript_1, verify
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


BEACON = "NIST randomness beacon, pulse of 2023-09-17 10:00 UTC"
BEACON_VALUE = "5f0c9a"
NONCE = "a-secret-of-16-characters-or-more"


def freeze(client, **fields):
    data = {"election": fields.pop("election_id", None), "numbers": "201-210",
            "exclude": "", "beacon": BEACON, "confirm": "on", **fields}
    return client.post(STAFF, {k: v for k, v in data.items() if v is not None})


def step(client, draw: LotteryDraw, name: str, **fields):
    return client.post(draw_url(draw), {"step": name, **{f"{name}-{k}": v
                                                          for k, v in fields.items()}})


def my_part_url(draw: LotteryDraw) -> str:
    return f"{draw_url(draw)}my-part/"


def commit(client, draw: LotteryDraw, value: str, nonce: str = NONCE):
    return client.post(my_part_url(draw), {
        "step": "commit", "commit-commitment": seed_part_commitment(value, nonce)})


def reveal(client, draw: LotteryDraw, value: str, nonce: str = NONCE):
    return client.post(my_part_url(draw), {"step": "reveal", "reveal-value": value,
                                           "reveal-nonce": nonce})


def through_the_run(client, draw: LotteryDraw, part: str = "3-5") -> LotteryDraw:
    """The whole ceremony of a frozen draw through the pages, as the administrator, who
    is its only contributor: commit, seal, reveal, close the reveals, the beacon, run."""
    assert commit(client, draw, part).status_code == 302
    assert step(client, draw, "seal", confirm="on").status_code == 302
    assert reveal(client, draw, part).status_code == 302
    assert step(client, draw, "close_reveals", confirm="on").status_code == 302
    assert step(client, draw, "beacon", value=BEACON_VALUE).status_code == 302
    assert step(client, draw, "run", confirm="on").status_code == 302
    draw.refresh_from_db()
    return draw


def live_draw() -> LotteryDraw:
    return LotteryDraw.objects.exclude(status=DrawStatus.SUPERSEDED).get()


def actions_logged() -> list[str]:
    return list(AuditEvent.objects.filter(action__startswith="lottery.")
                .order_by("seq").values_list("action", flat=True))


def drawn(client, election, *, part="3-5") -> LotteryDraw:
    """Freeze and hold the ceremony through the pages, as the administrator."""
    assert freeze(client, election_id=election.pk).status_code == 302
    return through_the_run(client, live_draw(), part)


def as_user(client, user):
    client.logout()
    client.force_login(user)
    return client


# --- The whole ceremony -----------------------------------------------------------------

def test_the_ceremony_from_freezing_to_the_boards_sign_off(client, users, election, entities,
                                                          admin):
    agent, observer = users[Role.ENTITY_AGENT], users[Role.OBSERVER]
    EntityAgent.objects.create(user=agent, entity=entities[0])
    # Before: the staff page counts who would take part.
    listing = page(admin.get(STAFF))
    counted = re.search(r'data-election="gc-2023".*?</p>', listing, re.S).group(0)
    assert "3 entities would take part" in " ".join(counted.split())
    assert "No draw has been frozen" in page(client.get(PUBLIC))
    assert client.get(TRANSCRIPT).status_code == 404

    # Freeze: the participants, their hash and the beacon's round are published.
    response = freeze(admin, election_id=election.pk, exclude="203, 207")
    draw = live_draw()
    assert response["Location"] == draw_url(draw)
    expected_hash = participants_sha256(CODES)
    assert draw.participants_sha256 == expected_hash
    before = page(client.get(PUBLIC))
    assert expected_hash in before
    assert BEACON in before
    for entity in entities:
        assert entity.code in before
        assert entity.name_ar in before
    assert 'data-field="pool_size">8<' in before  # 201-210 without 203 and 207
    assert "Nobody has committed to a part of the seed yet." in before

    # Commitments: the agent, an observer and the administrator each send a hash only.
    as_user(client, agent)
    assert 'data-link="my_part"' in page(client.get(PUBLIC))
    as_user(client, users[Role.AUDITOR])
    assert 'data-link="my_part"' not in page(client.get(PUBLIC))
    as_user(client, agent)
    assert commit(client, draw, "6", "agent-secret-0123456789").status_code == 302
    as_user(client, observer)
    assert commit(client, draw, "2", "observer-secret-0123456789").status_code == 302
    assert "already committed" in page(commit(client, draw, "4", "another-secret-0123456"))
    admin_again = as_user(client, users[Role.ADMIN])
    assert commit(admin_again, draw, "1", "admin-secret-0123456789").status_code == 302
    during = page(client.get(PUBLIC))
    draw.refresh_from_db()
    assert [p["contributor"] for p in draw.seed_parts] == ["entity_agent", "observer", "admin"]
    for part in draw.seed_parts:
        assert part["commitment"] in during
        assert "value" not in part
    assert seed_part_commitment("6", "agent-secret-0123456789") in during
    assert "agent-secret" not in during  # the secret stays with its contributor

    # Seal: no more commitments; the reveals open.
    assert step(admin_again, draw, "seal", confirm="on").status_code == 302
    as_user(client, users[Role.CSO_COORDINATOR])
    assert "are sealed" in page(commit(client, draw, "5", "late-secret-0123456789"))
    as_user(client, agent)
    assert "do not give your commitment" in page(reveal(client, draw, "5",
                                                        "agent-secret-0123456789"))
    assert reveal(client, draw, "6", "agent-secret-0123456789").status_code == 302
    as_user(client, observer)
    assert reveal(client, draw, "2", "observer-secret-0123456789").status_code == 302
    # The administrator withholds: the operator closes the reveals without that part.
    admin = as_user(client, users[Role.ADMIN])
    assert "Record the value of the announced beacon first" not in page(
        step(admin, draw, "beacon", value="ff"))  # refused: the reveals are open
    assert step(admin, draw, "close_reveals", confirm="on").status_code == 302
    closed = page(client.get(PUBLIC))
    assert "Withheld" in closed
    assert 'data-field="value">6<' in closed
    assert "The reveals are closed" in closed

    # The run needs the beacon's value, then draws once.
    assert "Record the value of the announced beacon first" in page(
        step(admin, draw, "run", confirm="on"))
    assert step(admin, draw, "beacon", value=BEACON_VALUE).status_code == 302
    assert step(admin, draw, "run").status_code == 400  # no confirmation
    assert step(admin, draw, "run", confirm="on").status_code == 302
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN
    assert draw.seed == "6-2|beacon:5f0c9a"
    assert draw.transcript["drawn_by"] == "admin"

    # After: the table of numbers, a transcript /2 that verifies, a link to the verifier.
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
    assert transcript["schema"] == "shafaf-lottery-transcript/2"
    assert transcript["transcript_sha256"] in after
    assert transcript["participants_sha256"] == expected_hash  # as published at freeze
    assert transcript["seed_sha256"] == seed_sha256("6-2|beacon:5f0c9a")
    parts = transcript["ceremony"]["seed_parts"]
    assert [(p["value"], p["withheld"]) for p in parts] == [("6", False), ("2", False),
                                                            (None, True)]
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
    assert actions_logged() == ["lottery.freeze", "lottery.commit", "lottery.commit",
                                "lottery.commit", "lottery.seal", "lottery.reveal",
                                "lottery.reveal", "lottery.close_reveals",
                                "lottery.beacon_value", "lottery.run", "lottery.sign_off"]
    events = {e.action: e.data for e in AuditEvent.objects.filter(action__startswith="lottery.")}
    assert events["lottery.freeze"]["participants_sha256"] == expected_hash
    assert events["lottery.freeze"]["participant_ids"] == CODES
    assert events["lottery.close_reveals"]["withheld"] == [3]
    assert events["lottery.run"]["seed"] == "6-2|beacon:5f0c9a"
    assert events["lottery.run"]["transcript_sha256"] == transcript["transcript_sha256"]
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


# --- No result before the seed is sealed ------------------------------------------------

def _pages(election, draw: LotteryDraw) -> list[str]:
    return [STAFF, draw_url(draw), my_part_url(draw), PUBLIC, PROJECTOR, TRANSCRIPT,
            f"{TRANSCRIPT}?draw={draw.pk}", f"{PROJECTOR}?draw={draw.pk}", "/lottery/verify/",
            "/candidates/gc-2023/IQ-KI/", "/candidates/gc-2023/candidates.csv",
            "/api/entities/gc-2023/lists", "/api/audit/events", "/staff/audit/", "/audit/"]


def test_no_page_or_endpoint_shows_a_result_before_the_seed_is_sealed(client, users,
                                                                      election, entities,
                                                                      admin):
    """Every page of the ceremony, the directory and the API, for every role, in every
    state before the run: no ticket, no number drawn, no transcript. The draw that the
    parts and the beacon will give is computed here, and none of its tickets, nor the
    order of the participants by them, may appear anywhere."""
    EntityAgent.objects.create(user=users[Role.ENTITY_AGENT], entity=entities[0])
    assert freeze(admin, election_id=election.pk).status_code == 302
    draw = live_draw()
    final_seed = "3-5|beacon:" + BEACON_VALUE
    result = lottery_draw([Participant(participant_id=c) for c in CODES], seed=final_seed,
                          pool=parse_pool("201-210"))
    tickets = [a.ticket for a in result.assignments]
    seen_states = []

    def look():
        draw.refresh_from_db()
        seen_states.append(draw.status)
        for role in [None, *Role]:
            viewer = Client(HTTP_ACCEPT_LANGUAGE="en")
            if role is not None:
                viewer.force_login(users[role])
            for url in _pages(election, draw):
                response = viewer.get(url)
                assert response.status_code < 500, url
                body = response.content.decode()
                assert 'class="number"' not in body, (url, role)
                assert '<span class="ballot-number">' not in body, (url, role)
                assert '"ballot_number": 2' not in body, (url, role)
                for ticket in tickets:
                    assert ticket not in body, (url, role)
                assert seed_sha256(final_seed) not in body, (url, role)
            assert viewer.get(TRANSCRIPT).status_code == 404
        assert not Entity.objects.exclude(ballot_number=None).exists()

    look()  # frozen, no commitment
    admin = as_user(client, users[Role.ADMIN])
    assert commit(admin, draw, "3-5").status_code == 302
    look()  # frozen, committed
    assert step(admin, draw, "seal", confirm="on").status_code == 302
    look()  # sealed
    assert reveal(admin, draw, "3-5").status_code == 302
    look()  # sealed, revealed
    assert step(admin, draw, "close_reveals", confirm="on").status_code == 302
    look()  # revealed, no beacon value
    assert seen_states == ["frozen", "frozen", "sealed", "sealed", "revealed"]
    # Only now, with the beacon's value, is the result fixed; the run publishes it.
    assert step(admin, draw, "beacon", value=BEACON_VALUE).status_code == 302
    draw = through_run_only(admin, draw)
    assert [a["ticket"] for a in draw.transcript["assignments"]] == tickets


def through_run_only(client, draw: LotteryDraw) -> LotteryDraw:
    assert step(client, draw, "run", confirm="on").status_code == 302
    draw.refresh_from_db()
    return draw


def test_the_person_who_ran_the_draw_cannot_sign_it_off(client, users, election, entities,
                                                        admin):
    """The attack of the report: an administrator runs the draw, then holds the Board's
    role and signs off their own draw. Refused, and the button is not offered."""
    draw = drawn(admin, election)
    runner = users[Role.ADMIN]
    runner.role = Role.COMMISSIONER
    runner.save(update_fields=["role"])
    as_user(client, runner)
    detail = page(client.get(draw_url(draw)))
    assert 'data-step="sign_off"' not in detail
    refused = page(step(client, draw, "sign_off", confirm="on"))
    assert "You ran this draw: another member of the Board" in refused
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN
    with pytest.raises(ceremony.CeremonyRefused, match="signer_ran_the_draw"):
        ceremony.sign_off(actor=runner, draw=draw)
    # Another member of the Board can.
    assert step(board(client, users), draw, "sign_off", confirm="on").status_code == 302


def test_a_reveal_must_match_its_commitment_and_each_commits_once(client, users, election,
                                                                  entities, admin):
    assert freeze(admin, election_id=election.pk).status_code == 302
    draw = live_draw()
    assert commit(admin, draw, "4").status_code == 302
    assert "already committed" in page(commit(admin, draw, "5"))
    assert "must be sealed first" in page(reveal(admin, draw, "4"))
    step(admin, draw, "seal", confirm="on")
    assert "do not give your commitment" in page(reveal(admin, draw, "4", "wrong-secret-0123456"))
    assert "at least 16" in page(reveal(admin, draw, "4", "short"))
    assert "no control or direction characters" in page(reveal(admin, draw, "\u202e4"))
    assert reveal(admin, draw, "4").status_code == 302
    assert "already revealed" in page(reveal(admin, draw, "4"))
    draw.refresh_from_db()
    assert [p["value"] for p in draw.seed_parts] == ["4"]


def test_an_agent_of_an_entity_outside_the_draw_cannot_contribute(client, users, election,
                                                                  entities):
    draw = ceremony.freeze(actor=users[Role.ADMIN], election=election, numbers="1-10",
                           beacon=BEACON)
    as_user(client, users[Role.ENTITY_AGENT])  # the agent of no entity
    assert client.get(my_part_url(draw)).status_code == 403
    assert commit(client, draw, "4").status_code == 403
    as_user(client, users[Role.AUDITOR])
    assert client.get(my_part_url(draw)).status_code == 403
    draw.refresh_from_db()
    assert draw.seed_parts == []


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
    response = commit(admin, draw, "1", "late-secret-0123456789")
    assert "are sealed" in page(response)
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
    assert draw.seed == "3-5|beacon:5f0c9a"
    assert verify(draw.transcript) is None
    # Nor back from sealed to the commitments, nor from drawn to the reveals.
    with pytest.raises(DatabaseError), transaction.atomic():
        LotteryDraw.objects.filter(pk=draw.pk).update(status=DrawStatus.REVEALED,
                                                      transcript=None, drawn_at=None)


def test_the_participants_cannot_change_once_frozen(election, entities, users):
    draw = ceremony.freeze(actor=users[Role.ADMIN], election=election, numbers="1-10",
                           beacon=BEACON)
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
    assert step(commissioner, draw, "seal", confirm="on").status_code == 403


def test_sign_off_needs_a_drawn_draw_and_happens_once(client, users, election, entities,
                                                      admin):
    assert freeze(admin, election_id=election.pk).status_code == 302
    draw = live_draw()
    commissioner = board(client, users)
    assert "has not been run yet" in page(step(commissioner, draw, "sign_off", confirm="on"))
    as_user(client, users[Role.ADMIN])
    through_the_run(client, draw)
    commissioner = board(client, users)
    assert step(commissioner, draw, "sign_off", confirm="on").status_code == 302
    again = step(commissioner, draw, "sign_off", confirm="on")
    assert "already signed off" in page(again)
    assert actions_logged().count("lottery.sign_off") == 1


@pytest.mark.parametrize("role", [Role.ENTITY_AGENT, Role.OBSERVER, Role.AUDITOR,
                                  Role.OFFICE_MANAGER])
def test_other_roles_cannot_use_the_staff_pages(client, users, election, entities, role):
    draw = ceremony.freeze(actor=users[Role.ADMIN], election=election, numbers="1-10",
                           beacon=BEACON)
    if role == Role.ENTITY_AGENT:
        EntityAgent.objects.create(user=users[role], entity=entities[0])
    client.force_login(users[role])
    events = AuditEvent.objects.count()
    assert client.get(STAFF).status_code == 403
    assert client.get(draw_url(draw)).status_code == 403
    assert freeze(client, election_id=election.pk).status_code == 403
    assert step(client, draw, "seal", confirm="on").status_code == 403
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


def test_the_beacon_round_is_mandatory_and_its_value_comes_after_the_reveals(
        client, election, entities, users, admin):
    html = page(freeze(admin, election_id=election.pk, beacon=""), status=400)
    assert "errorlist" in html
    with pytest.raises(ceremony.CeremonyRefused, match="beacon_required"):
        ceremony.freeze(actor=users[Role.ADMIN], election=election, numbers="1-10")
    assert not LotteryDraw.objects.exists()
    freeze(admin, election_id=election.pk)
    draw = live_draw()
    commit(admin, draw, "4")
    assert "must be closed first" in page(step(admin, draw, "beacon", value="ab12"))
    step(admin, draw, "seal", confirm="on")
    assert "must be closed first" in page(step(admin, draw, "beacon", value="ab12"))
    reveal(admin, draw, "4")
    assert "must be closed first" in page(step(admin, draw, "run", confirm="on"))
    step(admin, draw, "close_reveals", confirm="on")
    assert "Record the value of the announced beacon" in page(step(admin, draw, "run",
                                                                   confirm="on"))
    assert step(admin, draw, "beacon", value="5f0c9a").status_code == 302
    assert "already recorded" in page(step(admin, draw, "beacon", value="other"))
    assert step(admin, draw, "run", confirm="on").status_code == 302
    draw.refresh_from_db()
    assert draw.seed == "4|beacon:5f0c9a"
    assert verify(draw.transcript) is None


def test_the_seed_is_refused_before_the_ceremony_is_sealed(election, entities, users):
    """The core's ``sealed_seed``, the only way to a ceremony's seed, refuses every state
    before the reveals are closed and the beacon's value recorded; so does the run."""
    admin = users[Role.ADMIN]
    draw = ceremony.freeze(actor=admin, election=election, numbers="1-10", beacon=BEACON)
    for code in ("not_sealed",):
        with pytest.raises(ceremony.CeremonyRefused, match=code):
            ceremony.run(actor=admin, draw=draw)
    draw = ceremony.commit(actor=admin, draw=draw,
                           commitment=seed_part_commitment("1", NONCE))
    draw = ceremony.seal(actor=admin, draw=draw)
    with pytest.raises(ceremony.CeremonyRefused, match="reveals_open"):
        ceremony.run(actor=admin, draw=draw)
    draw = ceremony.close_reveals(actor=admin, draw=draw)
    with pytest.raises(ceremony.CeremonyRefused, match="no_beacon_value"):
        ceremony.run(actor=admin, draw=draw)
    assert LotteryDraw.objects.get().transcript is None


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
                    exclude="", beacon=BEACON, confirm="on")
    assert "Announce a new beacon round" in page(response)
    response = step(commissioner, first, "correct", reason=reason, numbers="301-320",
                    exclude="", beacon="NIST beacon, pulse of 2023-09-18 10:00 UTC",
                    confirm="on")
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
    through_the_run(as_user(client, users[Role.ADMIN]), second)
    commissioner = board(client, users)
    step(commissioner, second, "sign_off", confirm="on")
    second.refresh_from_db()
    assert second.status == DrawStatus.PUBLISHED
    assert sorted(Entity.objects.values_list("ballot_number", flat=True)) == [301, 302, 303]
    # A superseded draw cannot be corrected again.
    assert "already been set aside" in page(step(commissioner, first, "correct",
                                                 reason="again", numbers="1-9",
                                                 beacon="yet another round",
                                                 confirm="on"))
    assert verify_chain().broken is None


def test_the_administrator_cannot_set_a_draw_aside(client, election, entities, admin):
    draw = drawn(admin, election)
    assert step(admin, draw, "correct", reason="I prefer other numbers", numbers="201-210",
                confirm="on").status_code == 403
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN


def test_a_draw_published_before_committed_seed_parts_still_shows_and_verifies(
        client, users, election, entities):
    """A draw run with the old ceremony (parts entered by the operator, transcript /1)
    keeps its pages, and its transcript still verifies as /1."""
    result = lottery_draw([Participant(participant_id=e.code, name=e.name_ar)
                           for e in entities], seed="3-5", pool=parse_pool("201-210"))
    now = timezone.now()
    draw = LotteryDraw.objects.create(
        election=election, status=DrawStatus.PUBLISHED,
        participants=[{"participant_id": e.code, "name": e.name_ar} for e in entities],
        participants_sha256=result.participants_sha256, numbers="201-210", seed="3-5",
        seed_parts=[{"value": "3", "contributed_by": "نرد", "entered_by": "admin",
                     "at": now.isoformat()},
                    {"value": "5", "contributed_by": "نرد", "entered_by": "admin",
                     "at": now.isoformat()}],
        transcript=to_transcript_1(result, drawn_at=now.isoformat(), drawn_by="admin"),
        frozen_by=users[Role.ADMIN], drawn_by=users[Role.ADMIN], drawn_at=now,
        published_at=now, signed_off_by=users[Role.COMMISSIONER])
    for role in (Role.ADMIN, Role.COMMISSIONER, Role.OBSERVER):
        as_user(client, users[role])
        for url in (draw_url(draw), PUBLIC, PROJECTOR, my_part_url(draw)):
            response = client.get(url)
            assert response.status_code in (200, 403), (url, role)
    assert 'data-field="value">3<' in page(client.get(PUBLIC))
    transcript = json.loads(client.get(TRANSCRIPT).content)
    assert transcript["schema"] == "shafaf-lottery-transcript/1"
    assert verify(transcript) is None


def test_a_draw_frozen_under_the_old_ceremony_cannot_go_on(client, users, election,
                                                          entities):
    admin = users[Role.ADMIN]
    draw = ceremony.freeze(actor=admin, election=election, numbers="1-10", beacon=BEACON)
    LotteryDraw.objects.filter(pk=draw.pk).update(seed_parts=[
        {"value": "3", "contributed_by": "نرد", "entered_by": "admin", "at": "x"}])
    draw.refresh_from_db()
    for attempt in (lambda: ceremony.seal(actor=admin, draw=draw),
                    lambda: ceremony.commit(actor=admin, draw=draw,
                                            commitment=seed_part_commitment("1", NONCE))):
        with pytest.raises(ceremony.CeremonyRefused, match="frozen_before_commitments"):
            attempt()
    assert "frozen before seed parts were committed" in page(
        step(as_user(client, admin), draw, "seal", confirm="on"))
    # The Board corrects it: the new draw follows the new ceremony.
    ceremony.correct(actor=users[Role.COMMISSIONER], draw=draw, reason="old ceremony",
                     beacon="a new beacon round")
    assert live_draw().seed_parts == []


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
