"""A list certified after the election's draw gets its number by a supplementary draw
for its governorate (docs/lottery.md, "Supplementary draws"): only the entities without
a number take part, they draw from the numbers nobody has drawn, and the numbers already
published stay as they are. The ceremony is the same, through the same pages."""
# ruff: noqa: F811  (the fixtures of test_ceremony are imported, and named as arguments)

from __future__ import annotations

import re

import pytest

from shafaf.access.roles import Role
from shafaf.audit.selectors import verify as verify_chain
from shafaf.core.certification import ListState
from shafaf.elections.models import Contest, Governorate
from shafaf.entities.models import (
    DrawStatus,
    Entity,
    EntityKind,
    EntityStatus,
    ListKind,
    LotteryDraw,
    NominationList,
)
from tests.web.test_ceremony import (  # noqa: F401  (fixtures)
    admin,
    board,
    commit,
    drawn,
    english,
    entities,
    fast_password_hashing,
    freeze,
    page,
    reveal,
    step,
    through_the_run,
)

SUPPLEMENTARY = "/staff/lottery/supplementary/"


def _late(election, code: str, governorate: str) -> Entity:
    """An approved entity whose list is certified now, after the draw."""
    entity = Entity.objects.create(election=election, kind=EntityKind.PARTY, code=code,
                                   name_ar=f"كيان متأخر {code}", status=EntityStatus.APPROVED)
    NominationList.objects.create(
        entity=entity, contest=Contest.objects.get(election=election,
                                                   governorate__code=governorate),
        kind=ListKind.GENERAL, status=ListState.CERTIFIED)
    return entity


@pytest.fixture
def published(admin, election, entities, users):
    """The election's draw, published: numbers 201, 202, 203 of 201-210."""
    draw = drawn(admin, election)
    board(admin, users)
    assert step(admin, draw, "sign_off", confirm="on").status_code == 302
    admin.force_login(users[Role.ADMIN])
    return dict(Entity.objects.values_list("code", "ballot_number"))


def _supplementary(client, election, governorate: str, changed: dict[str, str] | None = None):
    return client.post(SUPPLEMENTARY, {
        "election": election.pk, "confirm": "on", "beacon": "NIST beacon, next pulse",
        "governorate": Governorate.objects.get(code=governorate).pk, **(changed or {})})


def test_a_list_certified_after_the_draw_gets_the_next_number_in_its_governorate(
        admin, election, published, users):
    assert sorted(published.values()) == [201, 202, 203]
    kirkuk, basra = _late(election, "late-ki", "IQ-KI"), _late(election, "late-ba", "IQ-BA")
    listing = page(admin.get(SUPPLEMENTARY))
    assert 'data-entity="late-ki"' in listing
    assert 'data-entity="late-ba"' in listing

    response = _supplementary(admin, election, "IQ-KI")
    assert response.status_code == 302
    # While it is under way the published numbers stay public.
    directory = page(admin.get("/candidates/gc-2023/IQ-KI/"))
    assert sorted(re.findall(r'<span class="ballot-number">(\d+)</span>', directory)) == [
        "201", "202", "203"]
    draw = LotteryDraw.objects.get(governorate__code="IQ-KI")
    assert [p["participant_id"] for p in draw.participants] == ["late-ki"]
    assert draw.numbers == "204-210"
    assert draw.exclude == ""
    assert response["Location"] == f"/staff/lottery/{draw.pk}/"
    assert commit(admin, draw, "6").status_code == 302
    assert step(admin, draw, "seal", confirm="on").status_code == 302
    assert reveal(admin, draw, "6").status_code == 302
    hall = page(admin.get(f"/lottery/gc-2023/projector/?draw={draw.pk}"))
    assert re.search(r'data-field="revealed"[^>]*>6<', hall)
    assert admin.get("/lottery/gc-2023/projector/?draw=x").status_code == 404
    assert step(admin, draw, "close_reveals", confirm="on").status_code == 302
    assert step(admin, draw, "beacon", value="5f0c9a").status_code == 302
    assert step(admin, draw, "run", confirm="on").status_code == 302
    board(admin, users)
    assert step(admin, draw, "sign_off", confirm="on").status_code == 302

    numbers = dict(Entity.objects.values_list("code", "ballot_number"))
    assert numbers == {**published, "late-ki": 204, "late-ba": None}
    public = page(admin.get("/lottery/gc-2023/"))
    assert 'data-governorate="IQ-KI"' in public
    assert "late-ki" in public

    # Basra's, next: the number after Kirkuk's.
    admin.force_login(users[Role.ADMIN])
    assert _supplementary(admin, election, "IQ-BA").status_code == 302
    draw = LotteryDraw.objects.get(governorate__code="IQ-BA")
    assert [p["participant_id"] for p in draw.participants] == ["late-ba"]
    through_the_run(admin, draw, "2")
    board(admin, users)
    step(admin, draw, "sign_off", confirm="on")
    kirkuk.refresh_from_db()
    basra.refresh_from_db()
    assert (kirkuk.ballot_number, basra.ballot_number) == (204, 205)
    assert verify_chain().broken is None


def test_a_supplementary_draw_waits_for_the_published_draw(admin, election, entities):
    _late(election, "late-ki", "IQ-KI")
    assert freeze(admin, election_id=election.pk).status_code == 302  # not yet signed off
    response = page(_supplementary(admin, election, "IQ-KI"))
    assert "must be signed off and published first" in response
    assert not LotteryDraw.objects.filter(governorate__isnull=False).exists()


def test_one_supplementary_draw_at_a_time_and_only_for_who_awaits(admin, election, published):
    response = page(_supplementary(admin, election, "IQ-KI"))
    assert "No entity with a list certified in this governorate" in response
    _late(election, "late-ki", "IQ-KI")
    _late(election, "late-ba", "IQ-BA")
    assert _supplementary(admin, election, "IQ-KI").status_code == 302
    response = page(_supplementary(admin, election, "IQ-BA"))
    assert "already under way" in response
    # Still under way once its commitments are sealed.
    kirkuk = LotteryDraw.objects.get(governorate__code="IQ-KI")
    assert commit(admin, kirkuk, "6").status_code == 302
    assert step(admin, kirkuk, "seal", confirm="on").status_code == 302
    assert "already under way" in page(_supplementary(admin, election, "IQ-BA"))
    assert LotteryDraw.objects.filter(governorate__isnull=False).count() == 1


def test_correcting_the_main_draw_sets_the_supplementary_ones_aside(admin, election,
                                                                    published, users):
    _late(election, "late-ki", "IQ-KI")
    _supplementary(admin, election, "IQ-KI")
    supplementary = LotteryDraw.objects.get(governorate__code="IQ-KI")
    main = LotteryDraw.objects.get(governorate=None)
    board(admin, users)
    response = step(admin, main, "correct", reason="خطأ في المجمع", numbers="201-210",
                    exclude="204", beacon="NIST beacon, pulse of 2023-09-18 10:00 UTC",
                    confirm="on")
    assert response.status_code == 302
    supplementary.refresh_from_db()
    assert supplementary.status == DrawStatus.SUPERSEDED
    new = LotteryDraw.objects.get(governorate=None, status=DrawStatus.FROZEN)
    assert "late-ki" in [p["participant_id"] for p in new.participants]  # the whole country
    assert set(Entity.objects.values_list("ballot_number", flat=True)) == {None}


@pytest.mark.parametrize("fields", [
    {"governorate": "999999"},  # no such governorate
    {"beacon": ""},             # the beacon round is mandatory
    {"confirm": ""},            # not confirmed
])
def test_bad_input_to_the_supplementary_freeze_is_a_400_and_freezes_nothing(
        admin, election, published, fields):
    _late(election, "late-ki", "IQ-KI")
    response = _supplementary(admin, election, "IQ-KI", fields)
    assert response.status_code == 400
    assert not LotteryDraw.objects.filter(governorate__isnull=False).exists()
