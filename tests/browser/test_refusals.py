"""A refused step as its user meets it in Chromium: an agent submits a list that
breaks the rules and reads, in Arabic, each broken rule with the figures needed to
put it right; fixes one and reads what is left."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.elections.models import Contest
from shafaf.entities.actions import nominations as act
from shafaf.entities.actions import registration
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(stations, users) -> int:
    """A Kirkuk draft list: a man, a woman born 2001-03-02, a man, a woman. Made
    before Playwright starts."""
    admin, agent = users[Role.ADMIN], users[Role.ENTITY_AGENT]
    entity = registration.register_entity(actor=admin, election=stations, kind="party",
                                          code="taqaddum", name_ar="حزب تقدم")
    registration.decide_entity(actor=admin, entity=entity, approve=True)
    registration.assign_agent(actor=admin, user=agent, entity=entity)
    nomination = act.create_list(actor=agent, entity=entity, contest=Contest.objects.get(
        election=stations, governorate__code="IQ-KI"))
    for position, sex, born in ((1, "M", date(1975, 1, 1)), (2, "F", date(2001, 3, 2)),
                                (3, "M", date(1970, 5, 5)), (4, "F", date(1980, 2, 2))):
        act.add_candidate(actor=agent, nomination=nomination, position=position,
                          name_ar=f"مرشح رقم {position} علي حسين", mother_name_ar="فاطمة",
                          sex=sex, date_of_birth=born, education="bachelor")
    return nomination.pk


def submit_list(page: Any) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form:has(input[name=step][value=submit]) button[type=submit]").click()


def test_an_agent_reads_why_the_list_is_refused_and_fixes_it(draft: int, page: Any) -> None:
    log_in(page, "entity_agent")
    page.goto(f"/staff/nominations/{draft}/")
    submit_list(page)
    # The "Not done" section of the refusal, not the list's standing rules below it.
    refused = page.locator("section[aria-labelledby=refused]")
    expect(refused).to_contain_text(
        "الترتيب 2: دون الحد الأدنى للعمر وهو 30 سنة: مواليد 2001-03-02")

    page.locator("tr:has-text('مرشح رقم 2') form button[type=submit]").click()
    expect(page.locator("tr:has-text('مرشح رقم 2')")).to_have_count(0)
    submit_list(page)
    expect(refused).to_contain_text(
        "يجب أن يتسلسل الترتيب 1، 2، 3، … دون انقطاع: الترتيب 2 مفقود")
    expect(refused).not_to_contain_text("مواليد")
