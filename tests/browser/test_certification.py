"""The certification of a list in a real Chromium, clicked through as its users do it:
the entity's agent starts a list in Kirkuk, uploads its candidates and submits it;
Kirkuk's office manager finds it on the dashboard, starts the review, records the
three external checks of every candidate, approves each and certifies the list; the
agent then sees it certified, numbered, and still able to withdraw it before the
draw. Every step is a button on a page: a page that hides one fails here.

No ORM call is made once Playwright has started (see conftest)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.elections.models import Contest
from shafaf.entities.models import Entity, EntityAgent, EntityKind, EntityStatus
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

CANDIDATES = ("position,name_ar,surname_ar,mother_name_ar,sex,date_of_birth,education\n"
              "1,أحمد علي حسين كاظم,الجبوري,فاطمة محمد,M,1975-01-01,bachelor\n"
              "2,زينب علي حسين كاظم,الجبوري,فاطمة محمد,F,1978-02-02,master\n"
              "3,محمد علي حسين كاظم,الجبوري,فاطمة محمد,M,1980-03-03,bachelor\n")
CHECKS = ("degree", "criminal_record", "accountability_and_justice")


@pytest.fixture
def party(stations, users) -> dict[str, int]:
    """An approved party with its agent, and Kirkuk's contest; made before Playwright."""
    entity = Entity.objects.create(election=stations, kind=EntityKind.PARTY, code="taqaddum",
                                   name_ar="حزب تقدم", status=EntityStatus.APPROVED)
    EntityAgent.objects.create(user=users[Role.ENTITY_AGENT], entity=entity)
    contest = Contest.objects.get(election=stations, governorate__code="IQ-KI")
    return {"entity": entity.pk, "contest": contest.pk}


def step(page: Any, name: str) -> None:
    """Click the page's button for a step: a button named step, or a form's own."""
    button = page.locator(f"button[name=step][value={name}], "
                          f"form:has(input[name=step][value={name}]) button[type=submit]")
    button.first.click()


def log_out(page: Any) -> None:
    page.locator("header .session form[action*='logout'] button").click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_list_is_certified_through_its_pages(party: dict[str, int], page: Any) -> None:
    page.on("dialog", lambda dialog: dialog.accept())  # the pages' "are you sure?"

    # The agent starts the list, uploads it and submits it.
    log_in(page, "entity_agent")
    page.goto(f"/staff/entities/{party['entity']}/")
    page.select_option("select[name=contest]", str(party["contest"]))
    step(page, "create_list")
    page.wait_for_url(re.compile(r"/staff/nominations/\d+/$"))
    list_page = page.url
    page.set_input_files("input[name=file]", files=[{
        "name": "list.csv", "mimeType": "text/csv", "buffer": CANDIDATES.encode()}])
    step(page, "upload")
    expect(page.locator("table tbody a[href*='/staff/candidates/']")).to_have_count(3)
    step(page, "submit")
    expect(page.locator("dd[data-status=submitted]")).to_be_visible()
    log_out(page)

    # Kirkuk's office manager finds it waiting on the dashboard.
    log_in(page, "office_manager")
    page.locator("#awaiting-review a[href*='/staff/nominations/']").click()
    page.wait_for_url(list_page)
    step(page, "start_review")
    expect(page.locator("dd[data-status=under_review]")).to_be_visible()

    # Each candidate: the three external checks, then the approval.
    candidates = [page.locator("table tbody a[href*='/staff/candidates/']").nth(i)
                  .get_attribute("href") for i in range(3)]
    for href in candidates:
        page.goto(href)
        for kind in CHECKS:
            page.select_option("select[name=kind]", kind)
            page.select_option("select[name=outcome]", "cleared")
            page.fill("input[name=document]", f"كتاب {kind} 2023/17")
            step(page, "check")
            expect(page.locator("table tbody tr td", has_text=f"كتاب {kind} 2023/17")
                   ).to_be_visible()
        step(page, "approve")
        expect(page.locator("dd[data-status=approved]")).to_be_visible()

    # The list is certified; the approved candidates are numbered in the entity's order.
    page.goto(list_page)
    step(page, "certify")
    expect(page.locator("dd[data-status=certified]")).to_be_visible()
    expect(page.locator("table tbody tr td:nth-child(2)")).to_have_text(["1", "2", "3"])
    expect(page.locator("button[name=step]")).to_have_count(0)  # nothing left to review
    log_out(page)

    # The agent sees it certified, and may still withdraw it: there is no draw yet.
    log_in(page, "entity_agent")
    page.goto(list_page)
    expect(page.locator("dd[data-status=certified]")).to_be_visible()
    expect(page.locator("form:has(input[name=step][value=withdraw_list])")).to_have_count(1)
