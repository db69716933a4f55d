"""A supplementary draw in a real Chromium, as its users take it: after the election's
draw is published, a list is certified in Kirkuk; the administrator finds it waiting on
the supplementary page, freezes Kirkuk's supplementary draw, commits to and reveals the
dice, records the beacon's value and runs it; a member of the Board signs it off; the
entity then has the next number.

The data is made before Playwright starts (see conftest)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.core.certification import ListState
from shafaf.elections.models import Contest, Governorate
from shafaf.entities.actions import ceremony
from shafaf.entities.demo import BEACON, hold_ceremony
from shafaf.entities.models import Entity, EntityKind, EntityStatus, ListKind, NominationList
from shafaf.entities.synthetic import create_entities
from tests.browser.conftest import log_in
from tests.browser.test_ceremony import (
    commit_in_browser,
    confirm,
    log_out,
    reveal_in_browser,
    submit,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def late(stations, users) -> dict[str, Any]:
    """The election's draw published (three entities, numbers from 201), then one more
    entity's Kirkuk list certified."""
    create_entities(stations, lists={"IQ-KI": 3}, candidates_per_list=3)
    draw = ceremony.freeze(actor=users[Role.ADMIN], election=stations, numbers="201-210",
                           beacon=BEACON)
    draw = hold_ceremony(draw=draw, operator=users[Role.ADMIN], beacon_value="ab12",
                         contributors=[(users[Role.OBSERVER], "5")])
    ceremony.sign_off(actor=users[Role.COMMISSIONER], draw=draw)
    entity = Entity.objects.create(election=stations, kind=EntityKind.PARTY, code="late-ki",
                                   name_ar="كيان متأخر", status=EntityStatus.APPROVED)
    NominationList.objects.create(
        entity=entity, kind=ListKind.GENERAL, status=ListState.CERTIFIED,
        contest=Contest.objects.get(election=stations, governorate__code="IQ-KI"))
    return {"kirkuk": Governorate.objects.get(code="IQ-KI").pk}


def test_a_list_certified_after_the_draw_is_numbered_by_a_supplementary_draw(
        late: dict[str, Any], page: Any) -> None:
    log_in(page, "admin")
    page.goto("/staff/lottery/")
    page.locator("a[href='/staff/lottery/supplementary/']").click()
    expect(page.locator("tr[data-entity=late-ki]")).to_be_visible()
    page.select_option("#id_governorate", str(late["kirkuk"]))
    page.fill("#id_beacon", "NIST randomness beacon 2.0, the next pulse")
    page.check("#id_confirm")
    submit(page, "freeze_supplementary")
    page.wait_for_url(re.compile(r"/staff/lottery/\d+/$"))
    draw_page = page.url
    secret = commit_in_browser(page, draw_page, "3")
    page.goto(draw_page)
    confirm(page, "seal")
    reveal_in_browser(page, draw_page, "3", secret)
    page.goto(draw_page)
    confirm(page, "close_reveals")
    page.fill("#id_beacon-value", "cd34")
    submit(page, "beacon")
    confirm(page, "run")
    expect(page.locator("dd[data-status=drawn]")).to_be_visible()

    log_out(page)
    log_in(page, "commissioner")
    page.goto(draw_page)
    page.check("#id_sign_off-confirm")
    submit(page, "sign_off")
    expect(page.locator("dd[data-status=published]")).to_be_visible()
    # The late entity has the number after the three drawn before; nobody else moved.
    page.goto("/lottery/gc-2023/")
    expect(page.locator("[data-governorate=IQ-KI] [data-participant=late-ki] .number")
           ).to_have_text("204")
