"""Refusals as their readers meet them: each carries the figures needed to put it
right, reads the same on a page, in the API and in each language, and accounts'
actions check the actor like every other app's."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

import shafaf
from shafaf.access.roles import Role
from shafaf.accounts import actions as accounts
from shafaf.accounts import refusals as accounts_wording
from shafaf.accounts.models import User
from shafaf.core.refusal import Refused
from shafaf.elections.models import Contest, Governorate
from shafaf.entities import labels
from shafaf.entities.actions import nominations as act
from shafaf.entities.actions import registration
from shafaf.entities.models import NominationList
from shafaf.refusals import explain
from shafaf.refusals.command_line import exit_status


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def draft(election, users) -> NominationList:
    """A Kirkuk draft list of a registered party, prepared by its agent."""
    admin, agent = users[Role.ADMIN], users[Role.ENTITY_AGENT]
    entity = registration.register_entity(actor=admin, election=election, kind="party",
                                          code="taqaddum", name_ar="حزب تقدم")
    registration.decide_entity(actor=admin, entity=entity, approve=True)
    registration.assign_agent(actor=admin, user=agent, entity=entity)
    contest = Contest.objects.get(election=election, governorate__code="IQ-KI")
    return act.create_list(actor=agent, entity=entity, contest=contest)


def _add(agent, nomination, position: int, *, sex: str = "M", born: date = date(1975, 1, 1),
         education: str = "bachelor"):
    return act.add_candidate(actor=agent, nomination=nomination, position=position,
                             name_ar=f"مرشح رقم {position} علي حسين", mother_name_ar="فاطمة",
                             sex=sex, date_of_birth=born, education=education)


def _refusal(step) -> Refused:
    with pytest.raises(Refused) as caught:
        step()
    return caught.value


def _in(language: str, refused: Refused) -> list[str]:
    with translation.override(language):
        return explain(refused).lines


def test_an_under_age_candidate_is_refused_with_the_minimum_and_the_birth_date(draft, users):
    agent = users[Role.ENTITY_AGENT]
    _add(agent, draft, 1)
    _add(agent, draft, 2, sex="F", born=date(2001, 3, 2))
    refused = _refusal(lambda: act.submit_list(actor=agent, nomination=draft))
    assert refused.code == "list_breaks_rules"
    (violation,) = refused.violations  # type: ignore[attr-defined]
    assert violation.details["born"] == "2001-03-02"
    assert _in("en", refused)[1] == "Position 2: Under the minimum age of 30: born 2001-03-02"
    assert _in("ar", refused)[1] == "الترتيب 2: دون الحد الأدنى للعمر وهو 30 سنة: مواليد 2001-03-02"


def test_too_few_women_is_refused_with_the_count_found_and_required(draft, users):
    agent = users[Role.ENTITY_AGENT]
    for position in (1, 2, 3):
        _add(agent, draft, position)
    refused = _refusal(lambda: act.submit_list(actor=agent, nomination=draft))
    assert "At least a quarter of the list must be women: 0 of 3, where 1 are required" in (
        _in("en", refused))


def test_education_below_the_law_names_both_levels_in_the_readers_words(draft, users):
    agent = users[Role.ENTITY_AGENT]
    _add(agent, draft, 1, sex="F", education="intermediate")
    refused = _refusal(lambda: act.submit_list(actor=agent, nomination=draft))
    assert _in("en", refused)[1] == ("Position 1: Education below what the law requires: "
                                     "Intermediate, where Bachelor's degree is required")


def test_a_taken_position_is_named(draft, users):
    agent = users[Role.ENTITY_AGENT]
    _add(agent, draft, 3)
    refused = _refusal(lambda: _add(agent, draft, 3))
    assert (refused.code, dict(refused.params)) == ("position_taken", {"position": 3})
    assert _in("en", refused) == ["Another candidate already holds position 3."]
    assert _in("ar", refused) == ["يشغل مرشح آخر الترتيب 3 مسبقًا."]


def test_a_taken_entity_code_is_named(draft, users, election):
    refused = _refusal(lambda: registration.register_entity(
        actor=users[Role.ADMIN], election=election, kind="party", code="taqaddum",
        name_ar="حزب آخر"))
    assert _in("en", refused) == ["Another entity of this election has the code taqaddum."]


def test_a_step_the_state_does_not_allow_names_the_state(draft, users):
    agent = users[Role.ENTITY_AGENT]
    act.withdraw_list(actor=agent, nomination=draft, reason="")
    refused = _refusal(lambda: act.submit_list(actor=agent, nomination=draft))
    assert _in("en", refused) == ["This step is not possible in the current state: Withdrawn."]
    assert _in("ckb", refused)[0].startswith("ئەم هەنگاوە لە دۆخی ئێستادا ناکرێت")


def test_a_code_nobody_worded_still_reads_as_a_sentence():
    with translation.override("en"):
        assert explain(Refused("unheard_of")).message == "This step was refused (unheard_of)."


def test_the_page_and_the_api_give_the_same_message(client, draft, users):
    agent = users[Role.ENTITY_AGENT]
    _add(agent, draft, 1)
    _add(agent, draft, 2, sex="F", born=date(2001, 3, 2))
    client.force_login(agent)
    page = client.post(f"/staff/nominations/{draft.pk}/", {"step": "submit"},
                       HTTP_ACCEPT_LANGUAGE="en")
    api = client.post(f"/api/nominations/lists/{draft.pk}/submit", HTTP_ACCEPT_LANGUAGE="en")
    assert (page.status_code, api.status_code) == (200, 409)
    body = api.json()
    assert body["code"] == "list_breaks_rules"
    assert body["violations"] == [{
        "code": "under_minimum_age", "position": 2,
        "message": "Position 2: Under the minimum age of 30: born 2001-03-02"}]
    html = page.content.decode()
    assert body["detail"] in html
    assert "Position 2: Under the minimum age of 30: born 2001-03-02" in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_step_refused_through_the_api_is_409_with_the_state(client, draft, users):
    agent = users[Role.ENTITY_AGENT]
    act.withdraw_list(actor=agent, nomination=draft, reason="")
    client.force_login(agent)
    response = client.post(f"/api/nominations/lists/{draft.pk}/submit",
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This step is not possible in the current state: Withdrawn.")


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_a_user_manager_creates_or_changes_users(users, role):
    actor = users[role]
    with pytest.raises(PermissionDenied):
        accounts.create_user(actor=actor, username="intruder", password="x" * 12,
                             role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        accounts.change_user(actor=actor, user=actor, role=Role.ADMIN, governorate=None,
                             is_active=True)
    assert not User.objects.filter(username="intruder").exists()
    actor.refresh_from_db()
    assert actor.role == role


def test_a_role_without_its_scope_is_refused_in_the_readers_words(users):
    admin = users[Role.ADMIN]
    needs = _refusal(lambda: accounts.create_user(actor=admin, username="lost", password="x" * 12,
                                                  role=Role.CLERK))
    national = _refusal(lambda: accounts.create_user(
        actor=admin, username="lost", password="x" * 12, role=Role.AUDITOR,
        governorate=Governorate.objects.get(code="IQ-KI")))
    assert (needs.code, national.code) == ("role_needs_governorate", "role_is_national")
    assert _in("ar", needs) == ["هذا الدور يعمل في محافظة واحدة: اخترها."]
    assert _in("en", national) == ["This role is national: leave the governorate empty."]


def test_a_refusal_at_the_command_line_is_its_lines_and_status_2():
    lines: list[str] = []
    with translation.override("en"):
        status = exit_status(act.NominationRefused("position_taken", position=7),
                             write=lines.append)
    assert (status, lines) == (2, ["Another candidate already holds position 7."])


WORDINGS = {
    "entities/actions/nominations.py": labels.REFUSALS,
    "entities/actions/certification.py": labels.REFUSALS,
    "entities/actions/registration.py": labels.REFUSALS,
    "entities/actions/ceremony.py": labels.CEREMONY_REFUSALS,
    "accounts/actions.py": accounts_wording.REFUSALS,
}


@pytest.mark.parametrize("module", list(WORDINGS))
def test_every_code_an_action_raises_is_worded(module):
    source = (Path(shafaf.__file__).parent / module).read_text(encoding="utf-8")
    codes = set(re.findall(r'(?:Refused|RoleScopeError|OwnAccountError)\(\s*"([a-z_]+)"', source))
    assert codes, module
    assert codes <= set(WORDINGS[module]), sorted(codes - set(WORDINGS[module]))
