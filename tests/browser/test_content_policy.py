"""The site under its Content-Security-Policy, in Chromium: the main pages and the API
docs load with no violation reported and no request to another origin, the docs list
their operations from Shafaf's own copy of Swagger, and the "are you sure?" buttons
still ask (and a "no" sends nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.elections.models import Contest
from shafaf.entities.actions import nominations as act
from shafaf.entities.actions import registration
from shafaf.entities.synthetic import create_entities
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def site(stations, users) -> dict[str, object]:
    """Numbered lists in Kirkuk (the directory and the ballots have something to
    show) and a draft list of the agent's own entity. Made before Playwright starts."""
    create_entities(stations, lists={"IQ-KI": 2}, candidates_per_list=3, numbered=True)
    admin, agent = users[Role.ADMIN], users[Role.ENTITY_AGENT]
    entity = registration.register_entity(actor=admin, election=stations, kind="party",
                                          code="taqaddum", name_ar="حزب تقدم")
    registration.decide_entity(actor=admin, entity=entity, approve=True)
    registration.assign_agent(actor=admin, user=agent, entity=entity)
    draft = act.create_list(actor=agent, entity=entity, contest=Contest.objects.get(
        election=stations, governorate__code="IQ-KI"))
    act.add_candidate(actor=agent, nomination=draft, position=1, name_ar="مرشح علي حسين",
                      mother_name_ar="فاطمة", sex="M", date_of_birth=date(1975, 1, 1),
                      education="bachelor")
    return {"election": stations.code, "draft": draft.pk}


@pytest.fixture
def watched(page: Any, live_server: Any) -> dict[str, list[str]]:
    """Records policy violations, console errors about the policy, and every request
    that leaves the site's origin (those are refused)."""
    seen: dict[str, list[str]] = {"console": [], "outside": []}
    page.context.add_init_script(WATCH)

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            route.continue_()
        else:
            seen["outside"].append(url)
            route.abort()

    page.context.route("**/*", route)
    page.on("console", lambda message: seen["console"].append(message.text)
            if "Content Security Policy" in message.text else None)
    return seen


def _violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.__violations")
    return found


PUBLIC = ["/", "/candidates/", "/candidates/{election}/IQ-KI/", "/ballots/{election}/",
          "/lottery/verify/", "/pvt/verify/", "/lottery/{election}/",
          "/lottery/{election}/projector/",
          "/audit/", "/accounts/login/", "/no-such-page/"]


def test_the_main_pages_break_no_rule_of_the_policy(site, page, watched) -> None:
    for template in PUBLIC:
        url = template.format(**site)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert _violations(page) == [], url
    # The projector's own styles (now in shafaf.css) still apply: black, no navigation.
    page.goto(f"/lottery/{site['election']}/projector/")
    expect(page.locator("header.top")).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"

    log_in(page, "entity_agent")
    for url in ("/staff/", f"/staff/nominations/{site['draft']}/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert _violations(page) == [], url
    assert watched == {"console": [], "outside": []}


STAFF = ["/staff/", "/staff/stations/", "/staff/geography/", "/staff/import/", "/staff/users/",
         "/staff/elections/", "/staff/elections/new/",
         "/staff/audit/", "/staff/entities/", "/staff/check-replies/", "/staff/lottery/",
         "/staff/lottery/supplementary/"]


def test_the_administrators_pages_break_no_rule_of_the_policy(site, page, watched) -> None:
    log_in(page, "admin")
    for url in STAFF:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert _violations(page) == [], url
    assert watched == {"console": [], "outside": []}


def test_the_api_docs_list_their_operations_with_nothing_from_outside(site, page, watched,
                                                                      artifacts) -> None:
    page.goto("/api/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() >= 10
    expect(page.locator(".opblock-summary-path", has_text="/api/elections/").first)\
        .to_be_visible()
    # Open one operation: its parameters render too.
    page.locator(".opblock-summary", has_text="/api/audit/head").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    # "Try it out" calls the API from the page (connect-src 'self') and shows its answer.
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status")).to_have_text("200")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=artifacts / "api-docs.png")
    assert _violations(page) == []
    assert watched == {"console": [], "outside": []}


def test_a_no_to_are_you_sure_sends_nothing_and_a_yes_sends_the_form(site, page) -> None:
    log_in(page, "entity_agent")
    url = f"/staff/nominations/{site['draft']}/"
    page.goto(url)
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url)
            if request.method == "POST" else None)
    button = page.locator("form:has(input[name=step][value=submit]) button[type=submit]")
    questions: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    button.click()
    page.wait_for_timeout(500)
    assert len(questions) == 1
    assert posts == []

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    with page.expect_navigation():
        button.click()
    assert len(questions) == 2
    assert len(posts) == 1
