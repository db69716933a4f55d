"""Every POST endpoint parses its input before an action sees it: a choice that does
not exist, a number that is not one, an id beyond any database's integers, a text
longer than the field. Each gets a 4xx with a message in the reader's language,
never a 500 and never a write."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import Contest
from shafaf.entities.actions import certification as cert
from shafaf.entities.actions import nominations as act
from shafaf.entities.actions import registration
from shafaf.entities.models import LotteryDraw

HUGE = str(2**64)
"""Beyond a signed 64-bit integer: PostgreSQL would refuse it, SQLite overflow."""
FAKE_PNG = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
"""A PNG signature, then a web page."""
LONG = "ط" * 5000
"""Longer than any text a page accepts."""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(election, users):
    """A Kirkuk list under review: four candidates, an objection to the first, the
    second excluded and appealed for; a Basra draft list; a frozen lottery draw."""
    admin, agent = users[Role.ADMIN], users[Role.ENTITY_AGENT]
    entity = registration.register_entity(actor=admin, election=election, kind="party",
                                          code="taqaddum", name_ar="حزب تقدم")
    registration.decide_entity(actor=admin, entity=entity, approve=True)
    registration.assign_agent(actor=admin, user=agent, entity=entity)
    contest = Contest.objects.get(election=election, governorate__code="IQ-KI")
    nomination = act.create_list(actor=agent, entity=entity, contest=contest)
    candidates = [act.add_candidate(
        actor=agent, nomination=nomination, position=n, name_ar=f"مرشح رقم {n} علي حسين",
        mother_name_ar="فاطمة محمد", sex="F" if n == 4 else "M",
        date_of_birth=date(1975, 1, n), education="bachelor") for n in range(1, 5)]
    act.submit_list(actor=agent, nomination=nomination)
    cert.start_review(actor=admin, nomination=nomination)
    objection = cert.file_objection(actor=users[Role.OBSERVER], candidate=candidates[0],
                                    grounds="لا يحمل الشهادة")
    cert.exclude_candidate(actor=admin, candidate=candidates[1], reasons=["other"],
                           note="سبب")
    appeal = cert.file_appeal(actor=agent, candidate=candidates[1], grounds="الطعن")
    draft = act.create_list(actor=agent, entity=entity, contest=Contest.objects.get(
        election=election, governorate__code="IQ-BA"))
    draw = LotteryDraw.objects.create(election=election, participants=[],
                                      participants_sha256="0" * 64, numbers="1-10",
                                      frozen_by=admin)
    return {"election": election, "entity": entity, "list": nomination,
            "candidate": candidates[0], "excluded": candidates[1], "objection": objection,
            "appeal": appeal, "draft": draft, "draw": draw, "agent_user": users[Role.OBSERVER]}


def _check(**fields):
    return {"step": "check", "kind": "degree", "outcome": "cleared", "document": "كتاب 12",
            **fields}


def _candidate(**fields):
    return {"step": "add", "position": "5", "name_ar": "مرشح رقم خمسة علي", "mother_name_ar":
            "زينب", "sex": "M", "date_of_birth": "1980-01-01", "education": "bachelor", **fields}


def _freeze(world, **fields):
    return {"election": world["election"].pk, "numbers": "1-100", "confirm": "on", **fields}


# (who, url, data) for every POST endpoint, each with its hostile values. The data
# are functions of the world so that a case names the one value that is wrong.
CASES = {
    # Registration of entities and the Commission's decisions on them.
    "entity kind": (Role.ADMIN, "/staff/entities/", lambda w: {
        "election": w["election"].pk, "kind": "bogus", "code": "x", "name_ar": "س"}),
    "entity election not a number": (Role.ADMIN, "/staff/entities/", lambda w: {
        "election": "abc", "kind": "party", "code": "x", "name_ar": "س"}),
    "entity election huge": (Role.ADMIN, "/staff/entities/", lambda w: {
        "election": HUGE, "kind": "party", "code": "x", "name_ar": "س"}),
    "entity name too long": (Role.ADMIN, "/staff/entities/", lambda w: {
        "election": w["election"].pk, "kind": "party", "code": "x", "name_ar": LONG}),
    "entity name with an override": (Role.ADMIN, "/staff/entities/", lambda w: {
        "election": w["election"].pk, "kind": "party", "code": "x", "name_ar": "س\u202e12"}),
    "logo that only starts like a PNG": (Role.ADMIN, "/staff/entities/", lambda w: {
        "election": w["election"].pk, "kind": "party", "code": "x", "name_ar": "س",
        "logo": SimpleUploadedFile("logo.png", FAKE_PNG)}),
    "replacement logo that only starts like a PNG": (
        Role.ADMIN, "/staff/entities/{entity}/", lambda w: {
            "step": "logo", "logo": SimpleUploadedFile("logo.png", FAKE_PNG)}),
    "replacement logo missing": (Role.ADMIN, "/staff/entities/{entity}/", lambda w: {
        "step": "logo"}),
    "entity step": (Role.ADMIN, "/staff/entities/{entity}/", lambda w: {"step": "bogus"}),
    "entity reason too long": (Role.ADMIN, "/staff/entities/{entity}/", lambda w: {
        "step": "reject", "reason": LONG}),
    "agent not a number": (Role.ADMIN, "/staff/entities/{entity}/", lambda w: {
        "step": "agent", "user": "abc"}),
    "agent huge": (Role.ADMIN, "/staff/entities/{entity}/", lambda w: {
        "step": "agent", "user": HUGE}),
    "alliance not a number": (Role.ADMIN, "/staff/entities/{entity}/", lambda w: {
        "step": "alliance", "alliance": "abc"}),
    "contest not a number": (Role.ENTITY_AGENT, "/staff/entities/{entity}/", lambda w: {
        "step": "create_list", "contest": "abc"}),
    "contest huge": (Role.ENTITY_AGENT, "/staff/entities/{entity}/", lambda w: {
        "step": "create_list", "contest": HUGE}),
    "list component": (Role.ENTITY_AGENT, "/staff/entities/{entity}/", lambda w: {
        "step": "create_list", "contest": w["list"].contest_id, "component": "bogus"}),
    # A list: its candidates, its submission, its review.
    "list step": (Role.ENTITY_AGENT, "/staff/nominations/{list}/", lambda w: {
        "step": "bogus"}),
    "position not a number": (Role.ENTITY_AGENT, "/staff/nominations/{draft}/", lambda w:
                              _candidate(position="abc")),
    "position huge": (Role.ENTITY_AGENT, "/staff/nominations/{draft}/", lambda w:
                      _candidate(position=HUGE)),
    "position negative": (Role.ENTITY_AGENT, "/staff/nominations/{draft}/", lambda w:
                          _candidate(position="-1")),
    "candidate sex": (Role.ENTITY_AGENT, "/staff/nominations/{draft}/", lambda w:
                      _candidate(sex="X")),
    "candidate education": (Role.ENTITY_AGENT, "/staff/nominations/{draft}/", lambda w:
                            _candidate(education="bogus")),
    "candidate date of birth": (Role.ENTITY_AGENT, "/staff/nominations/{draft}/", lambda w:
                                _candidate(date_of_birth="1980-13-45")),
    "position on a list under review": (Role.ENTITY_AGENT, "/staff/nominations/{list}/",
                                        lambda w: _candidate(position=HUGE)),
    "remove not a number": (Role.ENTITY_AGENT, "/staff/nominations/{list}/", lambda w: {
        "step": "remove", "candidate": "abc"}),
    "remove huge": (Role.ENTITY_AGENT, "/staff/nominations/{list}/", lambda w: {
        "step": "remove", "candidate": HUGE}),
    "withdrawal reason too long": (Role.ENTITY_AGENT, "/staff/nominations/{list}/", lambda w: {
        "step": "withdraw_list", "reason": LONG}),
    "return reason too long": (Role.ADMIN, "/staff/nominations/{list}/", lambda w: {
        "step": "return_to_draft", "reason": LONG}),
    # A candidate's vetting.
    "candidate step": (Role.ADMIN, "/staff/candidates/{candidate}/", lambda w: {
        "step": "bogus"}),
    "check kind": (Role.ADMIN, "/staff/candidates/{candidate}/", lambda w:
                   _check(kind="bogus")),
    "check outcome": (Role.ADMIN, "/staff/candidates/{candidate}/", lambda w:
                      _check(outcome="maybe")),
    "check document too long": (Role.ADMIN, "/staff/candidates/{candidate}/", lambda w:
                                _check(document=LONG)),
    "exclusion reason": (Role.ADMIN, "/staff/candidates/{candidate}/", lambda w: {
        "step": "exclude", "reasons": ["bogus"]}),
    "objection not a number": (Role.ADMIN, "/staff/candidates/{candidate}/", lambda w: {
        "step": "decide_objection", "objection": "abc", "upheld": "yes"}),
    "objection huge": (Role.ADMIN, "/staff/candidates/{candidate}/", lambda w: {
        "step": "decide_objection", "objection": HUGE, "upheld": "yes"}),
    "objection decision": (Role.ADMIN, "/staff/candidates/{candidate}/", lambda w: {
        "step": "decide_objection", "objection": w["objection"].pk, "upheld": "maybe"}),
    "appeal not a number": (Role.ADMIN, "/staff/candidates/{excluded}/", lambda w: {
        "step": "ruling", "appeal": "abc", "upheld": "yes"}),
    "appeal huge": (Role.ADMIN, "/staff/candidates/{excluded}/", lambda w: {
        "step": "ruling", "appeal": HUGE, "upheld": "yes"}),
    "appeal grounds too long": (Role.ENTITY_AGENT, "/staff/candidates/{excluded}/", lambda w: {
        "step": "appeal", "grounds": LONG}),
    "candidate withdrawal too long": (Role.ENTITY_AGENT, "/staff/candidates/{candidate}/",
                                      lambda w: {"step": "withdraw", "reason": LONG}),
    "substitute date of birth": (Role.ENTITY_AGENT, "/staff/candidates/{excluded}/", lambda w: {
        **_candidate(date_of_birth="1980-13-45"), "step": "substitute"}),
    "substitute for a candidate not excluded": (
        Role.ENTITY_AGENT, "/staff/candidates/{candidate}/", lambda w: {
            **_candidate(sex="X"), "step": "substitute"}),
    # Objections by anyone with the right.
    "objected candidate not a number": (Role.OBSERVER, "/staff/objections/", lambda w: {
        "candidate": "abc", "grounds": "x"}),
    "objected candidate huge": (Role.OBSERVER, "/staff/objections/", lambda w: {
        "candidate": HUGE, "grounds": "x"}),
    "objection grounds too long": (Role.OBSERVER, "/staff/objections/", lambda w: {
        "candidate": w["candidate"].pk, "grounds": LONG}),
    # The lottery ceremony.
    "draw election not a number": (Role.ADMIN, "/staff/lottery/", lambda w:
                                   _freeze(w, election="abc")),
    "draw election huge": (Role.ADMIN, "/staff/lottery/", lambda w: _freeze(w, election=HUGE)),
    "draw numbers too long": (Role.ADMIN, "/staff/lottery/", lambda w:
                              _freeze(w, numbers="1-2," * 100)),
    "draw step": (Role.ADMIN, "/staff/lottery/{draw}/", lambda w: {"step": "bogus"}),
    "beacon value too long": (Role.ADMIN, "/staff/lottery/{draw}/", lambda w: {
        "step": "beacon", "beacon-value": LONG}),
    "commitment not a hash": (Role.ADMIN, "/staff/lottery/{draw}/my-part/", lambda w: {
        "step": "commit", "commit-commitment": "z" * 64}),
    "commitment too long": (Role.ADMIN, "/staff/lottery/{draw}/my-part/", lambda w: {
        "step": "commit", "commit-commitment": LONG}),
    # Users and roles.
    "user role": (Role.ADMIN, "/staff/users/", lambda w: {
        "username": "new.user", "password": "a-long-unusual-passphrase", "role": "bogus"}),
    "user governorate not a number": (Role.ADMIN, "/staff/users/", lambda w: {
        "username": "new.user", "password": "a-long-unusual-passphrase", "role": "clerk",
        "governorate": "abc"}),
    "user governorate huge": (Role.ADMIN, "/staff/users/", lambda w: {
        "username": "new.user", "password": "a-long-unusual-passphrase", "role": "clerk",
        "governorate": HUGE}),
    "changed role": (Role.ADMIN, "/staff/users/{agent_user}/", lambda w: {"role": "bogus"}),
    "changed governorate": (Role.ADMIN, "/staff/users/{agent_user}/", lambda w: {
        "role": "clerk", "governorate": HUGE}),
    # Imports.
    "import kind": (Role.ADMIN, "/staff/import/", lambda w: {"what": "bogus"}),
    "import election": (Role.ADMIN, "/staff/import/", lambda w: {
        "what": "stations", "election": "abc"}),
    # A new election.
    "election law": (Role.ADMIN, "/staff/elections/new/", lambda w: {
        "code": "x-2030", "name_ar": "انتخابات", "kind": "kurdistan_parliament",
        "law": LONG, "polling_day": "2030-01-01"}),
    "election name": (Role.ADMIN, "/staff/elections/new/", lambda w: {
        "code": "x-2030", "name_ar": LONG, "kind": "kurdistan_parliament",
        "law": "krg-2024", "polling_day": "2030-01-01"}),
    "election day": (Role.ADMIN, "/staff/elections/new/", lambda w: {
        "code": "x-2030", "name_ar": "انتخابات", "kind": "kurdistan_parliament",
        "law": "krg-2024", "polling_day": HUGE, "campaign_starts": "2030-13-45"}),
}


def _url(template: str, world) -> str:
    return template.format(**{name: getattr(value, "pk", value) for name, value in world.items()})


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_hostile_post_gets_400_and_the_reason(client, users, world, case, language):
    role, url, data = CASES[case]
    client.force_login(users[role])
    events = AuditEvent.objects.count()
    response = client.post(_url(url, world), data(world), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400, case
    html = response.content.decode()
    # The form's error list, or the page's "Not done" section, or the ceremony's alert.
    assert 'class="errorlist' in html or 'id="refused"' in html or "data-refusal" in html
    assert f'lang="{language}"' in html
    assert AuditEvent.objects.count() == events


API_CASES = [
    ("/api/audit/events?page=abc", Role.ADMIN),
    ("/api/audit/events?page=0", Role.ADMIN),
    (f"/api/audit/events?page={HUGE}", Role.ADMIN),
    (f"/api/audit/events?page_size={HUGE}", Role.ADMIN),
    ("/api/elections/stations/list?page=abc", Role.ADMIN),
    (f"/api/elections/stations/list?page={HUGE}", Role.ADMIN),
    (f"/api/elections/stations/list?q={'1' * 500}", Role.ADMIN),
    (f"/api/entities/gc-2023/lists?q={'س' * 500}", None),
]


@pytest.mark.parametrize(("url", "role"), API_CASES)
def test_the_api_answers_bad_parameters_with_422_in_the_readers_language(
        client, users, world, url, role):
    if role is not None:
        client.force_login(users[role])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 422
    assert response.json()["detail"] == "الطلب غير صالح: انظر الحقول أدناه."
    assert response.json()["errors"]


def test_a_page_past_the_end_is_empty_not_an_error(client, users, world):
    client.force_login(users[Role.ADMIN])
    response = client.get("/api/audit/events?page=999999")
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("url", [
    f"/api/audit/events/{HUGE}", f"/api/elections/stations/{HUGE}",
    f"/api/nominations/lists/{HUGE}",
])
def test_an_id_beyond_any_integer_is_404(client, users, world, url):
    client.force_login(users[Role.ADMIN])
    assert client.get(url).status_code == 404


def test_submitting_by_the_api_beyond_any_integer_is_404(client, users, world):
    client.force_login(users[Role.ENTITY_AGENT])
    assert client.post(f"/api/nominations/lists/{HUGE}/submit").status_code == 404


def test_submitting_by_the_api_with_an_id_that_is_not_a_number_is_422(client, users, world):
    client.force_login(users[Role.ENTITY_AGENT])
    response = client.post("/api/nominations/lists/abc/submit", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid: see the fields below."


def test_the_candidate_forms_errors_show_once_beside_its_fields(client, users, world):
    client.force_login(users[Role.ENTITY_AGENT])
    response = client.post(f"/staff/nominations/{world['draft'].pk}/",
                           _candidate(position="abc"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Enter a whole number.") == 1
    assert 'id="refused"' not in html
