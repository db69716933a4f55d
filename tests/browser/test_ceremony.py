"""The ballot-number lottery ceremony in a real Chromium, as the hall sees it: the
administrator freezes the participants and announces the beacon's round; an entity's
agent and an observer each commit to their dice in their own browser (only the hash is
sent), the administrator seals the commitments, both reveal, the administrator closes
the reveals, records the beacon's value and runs the draw; the projector, open on an
anonymous screen, follows by itself; a member of the Board who did not run it signs it
off; and anyone downloads the transcript and checks it on /lottery/verify/, by file and
from the public page's link.

No ORM call is made once Playwright has started (see conftest): the data is made first,
and everything afterwards is read from the pages and the downloaded file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from shafaf.access.roles import Role
from shafaf.core.lottery import participants_sha256, seed_part_commitment
from shafaf.core.lottery_transcript import verify
from shafaf.entities.models import EntityAgent
from shafaf.entities.synthetic import create_entities
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

CODES = ["synthetic-001", "synthetic-002", "synthetic-003"]
PUBLIC = "/lottery/gc-2023/"
PROJECTOR = "/lottery/gc-2023/projector/"


BEACON_VALUE = "5f0c9a17"


@pytest.fixture
def participants(stations, users) -> list[str]:
    """Three approved entities with certified lists, the agent acting for the first;
    made before Playwright starts."""
    entities = create_entities(stations, lists={"IQ-KI": 3, "IQ-BA": 2}, candidates_per_list=3)
    EntityAgent.objects.create(user=users[Role.ENTITY_AGENT], entity=entities[0])
    return CODES


def person(page: Any, username: str) -> Any:
    """Another person's browser, logged in."""
    context = page.context.browser.new_context(base_url=page.url.split("/staff/")[0],
                                               locale="ar-IQ")
    context.set_default_timeout(15_000)
    other = context.new_page()
    log_in(other, username)
    return other


def commit_in_browser(page: Any, draw_url: str, value: str) -> str:
    """Commit to ``value`` on the contributor's page: the browser makes the secret and
    computes the hash; only the hash is sent. Returns the secret, to reveal with."""
    page.goto(f"{draw_url}my-part/")
    page.fill("[data-part-value]", value)
    secret = page.locator("[data-part-nonce]").input_value()
    assert len(secret) == 32
    page.locator("[data-part-compute]").click()
    expect(page.locator("#id_commit-commitment")).to_have_value(re.compile(r"^[0-9a-f]{64}$"))
    commitment = page.locator("#id_commit-commitment").input_value()
    assert commitment == seed_part_commitment(value, secret)
    # The part and the secret have no form name: the POST cannot carry them.
    assert page.locator("[data-part-value]").get_attribute("name") is None
    assert page.locator("[data-part-nonce]").get_attribute("name") is None
    with page.expect_request(lambda r: r.method == "POST") as posted:
        submit(page, "commit")
    body = posted.value.post_data or ""
    assert commitment in body
    assert secret not in body
    expect(page.locator("[data-field=my_commitment]")).to_have_text(commitment)
    return secret


def reveal_in_browser(page: Any, draw_url: str, value: str, secret: str) -> None:
    page.goto(f"{draw_url}my-part/")
    page.fill("#id_reveal-value", value)
    page.fill("#id_reveal-nonce", secret)
    submit(page, "reveal")
    expect(page.locator("[data-field=my_value]")).to_contain_text(value)


def confirm(page: Any, step: str) -> None:
    page.check(f"#id_{step}-confirm")
    submit(page, step)


def submit(page: Any, step: str) -> None:
    page.locator(f"form[data-step={step}] button[type=submit]").click()


def table(locator: Any) -> dict[str, int]:
    """participant id → number, from a numbers table's rows."""
    rows = {}
    for row in locator.all():
        code = row.get_attribute("data-participant")
        rows[code] = int(row.locator(".number").inner_text())
    return rows


def log_out(page: Any) -> None:
    page.locator("header .session form[action*='logout'] button").click()
    page.wait_for_url(re.compile(r"/$"))


def test_the_ceremony_in_the_hall(participants: list[str], page: Any, artifacts: Path,
                                  tmp_path: Path) -> None:
    # The screen in the hall: anonymous, open from the start.
    log_in(page, "admin")
    base = page.url.split("/staff/")[0]
    hall = page.context.browser.new_context(locale="ar-IQ",
                                            viewport={"width": 1920, "height": 1080})
    screen = hall.new_page()
    screen.set_default_timeout(20_000)
    screen.goto(base + PROJECTOR)
    expect(screen.locator(".projector [data-stage=none]")).to_be_visible()

    # Freeze the participants, with the numbers announced in advance.
    page.goto("/staff/lottery/")
    expect(page.locator("section[data-election=gc-2023]")).to_be_visible()
    page.fill("#id_numbers", "201-230")
    page.fill("#id_exclude", "202")
    page.fill("#id_beacon", "NIST randomness beacon 2.0, first pulse after 10:00 UTC")
    page.check("#id_confirm")
    submit(page, "freeze")
    page.wait_for_url(re.compile(r"/staff/lottery/\d+/$"))
    draw_url = page.url
    frozen_hash = page.locator("[data-field=participants_sha256]").inner_text()
    assert frozen_hash == participants_sha256(participants)
    expect(page.locator("dd[data-status=frozen]")).to_be_visible()
    # Nothing to seal before a commitment.
    expect(page.locator("form[data-step=seal]")).to_have_count(0)

    # The public page shows the frozen participants and their hash before the draw.
    public = hall.new_page()
    public.goto(base + PUBLIC)
    expect(public.locator("[data-field=participants_sha256]")).to_have_text(frozen_hash)
    expect(public.locator("table.participants tbody tr")).to_have_count(3)

    # The agent and an observer commit to their dice, each in their own browser.
    agent, observer = person(page, "entity_agent"), person(page, "observer")
    agent_secret = commit_in_browser(agent, draw_url, "4")
    observer_secret = commit_in_browser(observer, draw_url, "2")
    public.reload()
    expect(public.locator("table.seed-parts [data-field=commitment]")).to_have_count(2)
    expect(public.locator("table.seed-parts [data-field=hidden]")).to_have_count(2)
    expect(public.locator("table.seed-parts [data-field=value]")).to_have_count(0)

    # The administrator seals; then each reveals; the administrator closes the reveals.
    page.goto(draw_url)
    confirm(page, "seal")
    expect(page.locator("dd[data-status=sealed]")).to_be_visible()
    reveal_in_browser(agent, draw_url, "4", agent_secret)
    reveal_in_browser(observer, draw_url, "2", observer_secret)
    # The projector picks the revealed parts up by itself.
    expect(screen.locator("[data-field=revealed]")).to_have_text("4 · 2", timeout=20_000)
    page.goto(draw_url)
    confirm(page, "close_reveals")
    expect(page.locator("dd[data-status=revealed]")).to_be_visible()
    page.fill("#id_beacon-value", BEACON_VALUE)
    submit(page, "beacon")
    expect(page.locator("[data-field=beacon_value]")).to_have_text(BEACON_VALUE)

    # The run: it needs the confirmation, then it is done, once.
    submit(page, "run")  # the browser holds the form back until it is confirmed
    expect(page.locator("#id_run-confirm:invalid")).to_have_count(1)
    expect(page.locator("dd[data-status=revealed]")).to_be_visible()
    page.check("#id_run-confirm")
    submit(page, "run")
    expect(page.locator("dd[data-status=drawn]")).to_be_visible()
    expect(page.locator("form[data-step=run]")).to_have_count(0)
    drawn = table(page.locator("table.numbers tbody tr"))
    assert sorted(drawn) == participants
    assert sorted(drawn.values()) == [201, 203, 204]
    # The administrator cannot sign off: the form is not there.
    expect(page.locator("form[data-step=sign_off]")).to_have_count(0)

    # The projector shows the numbers, in large type, without anyone touching it.
    expect(screen.locator(".projector ol.numbers li")).to_have_count(3, timeout=20_000)
    assert table(screen.locator(".projector ol.numbers li")) == drawn
    size = screen.locator(".projector .number").first.evaluate(
        "(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 64
    screen.screenshot(path=str(artifacts / "lottery-projector.png"))

    # A member of the Board signs off.
    draw_page = page.url
    log_out(page)
    log_in(page, "commissioner")
    page.goto(draw_page)
    page.check("#id_sign_off-confirm")
    submit(page, "sign_off")
    expect(page.locator("dd[data-status=published]")).to_be_visible()
    expect(page.locator("[data-field=signed_off_by]")).to_have_text("commissioner")
    expect(screen.locator(".projector [data-stage=published]")).to_be_visible(timeout=20_000)

    # Anyone downloads the transcript from the public page...
    public.goto(base + PUBLIC)
    expect(public.locator("[data-stage=published]")).to_be_visible()
    assert table(public.locator("table.numbers tbody tr")) == drawn
    with public.expect_download() as download:
        public.locator("a[data-link=transcript]").click()
    saved = tmp_path / "transcript.json"
    download.value.save_as(saved)
    transcript = json.loads(saved.read_text(encoding="utf-8"))
    assert verify(transcript) is None
    assert transcript["participants_sha256"] == frozen_hash
    assert {a["participant_id"]: a["number"] for a in transcript["assignments"]} == drawn

    # ... and checks it in the browser: choosing the file ...
    public.goto(base + "/lottery/verify/")
    public.set_input_files("#lottery-file", str(saved))
    match = public.locator("[data-match]")
    expect(match).to_be_visible()
    expect(match.locator("h2")).to_have_text("مطابق")
    expect(match.locator("[data-field=participants_sha256]")).to_have_text(frozen_hash)
    expect(match.locator("[data-field=seed]")).to_have_text(f"4-2|beacon:{BEACON_VALUE}")
    expect(match.locator("[data-field=transcript_sha256]")).to_have_text(
        transcript["transcript_sha256"])
    expect(match.locator("table.assignments tbody tr")).to_have_count(3)

    # ... or following the public page's link, which loads it into the verifier.
    public.goto(base + PUBLIC)
    public.locator("a[data-link=verify]").click()
    public.wait_for_url(re.compile(r"/lottery/verify/\?transcript="))
    expect(public.locator("[data-match]")).to_be_visible()
    expect(public.locator("[data-mismatch]")).to_be_hidden()
    assert json.loads(public.locator("#lottery-transcript").input_value()) == transcript
    hall.close()
    agent.context.close()
    observer.context.close()


def test_the_verifier_will_not_fetch_from_another_site(page: Any) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/lottery/verify/?transcript=https://example.org/transcript.json")
    expect(page.locator("[data-status]")).to_be_visible()
    expect(page.locator("[data-match]")).to_be_hidden()
    assert not [url for url in requests if urlparse(url).hostname == "example.org"]
