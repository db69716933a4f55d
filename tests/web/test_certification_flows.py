"""Certification as its users meet it on the pages: the reviewer's queue on the
dashboard, the steps each page offers (those of the core's table), a certified list
withdrawn only before the draw, and a candidate reinstated after certification."""
# ruff: noqa: F811  (the fixtures of test_nominations are imported, and named as arguments)

from __future__ import annotations

import re

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.entities.actions import ceremony
from shafaf.entities.models import NominationList
from tests.web.test_nominations import (  # noqa: F401  (fixtures)
    _as,
    _clear,
    _new_list,
    _submitted,
    fast_password_hashing,
    registered,
)


def _certified(client, users, registered, *, excluded_at: int | None = None) -> NominationList:
    nomination = _submitted(client, users, registered)
    _as(client, users[Role.OFFICE_MANAGER])
    client.post(f"/staff/nominations/{nomination.pk}/", {"step": "start_review"})
    for candidate in nomination.candidates.order_by("position"):
        if candidate.position == excluded_at:
            _clear(client, candidate, failing="degree")
            client.post(f"/staff/candidates/{candidate.pk}/", {
                "step": "exclude", "reasons": ["degree_not_verified"]})
        else:
            _clear(client, candidate)
            client.post(f"/staff/candidates/{candidate.pk}/", {"step": "approve"})
    client.post(f"/staff/nominations/{nomination.pk}/", {"step": "certify"})
    nomination.refresh_from_db()
    assert nomination.status == "certified"
    return nomination


def _buttons(response) -> set[str]:
    """The steps a page offers: the values of its step buttons and hidden step fields."""
    return set(re.findall(r'name="step" value="([a-z_]+)"', response.content.decode()))


def test_the_page_of_a_submitted_list_offers_the_reviewer_its_steps(client, users, registered):
    nomination = _submitted(client, users, registered)
    page = f"/staff/nominations/{nomination.pk}/"
    assert _buttons(client.get(page)) == {"withdraw_list"}  # the agent
    _as(client, users[Role.OFFICE_MANAGER])
    assert _buttons(client.get(page)) == {"start_review", "return_to_draft"}
    client.post(page, {"step": "start_review"})
    assert _buttons(client.get(page)) == {"certify", "reject"}
    _as(client, users[Role.AUDITOR])  # sees the list, takes no step
    assert _buttons(client.get(page)) == set()


def test_a_kirkuk_reviewer_sees_kirkuks_submitted_lists_on_the_dashboard(client, users,
                                                                         registered):
    kirkuk = _submitted(client, users, registered)
    basra = _new_list(client, users, registered["own"], code="IQ-BA")
    _as(client, users[Role.ADMIN])
    NominationList.objects.filter(pk=basra.pk).update(status="submitted")
    draft = _new_list(client, users, registered["own"], code="IQ-NI")

    _as(client, users[Role.OFFICE_MANAGER])
    html = client.get("/staff/").content.decode()
    assert f'href="/staff/nominations/{kirkuk.pk}/"' in html
    assert f"/staff/nominations/{basra.pk}/" not in html
    assert f"/staff/nominations/{draft.pk}/" not in html

    _as(client, users[Role.ADMIN])  # national: every governorate
    html = client.get("/staff/").content.decode()
    assert f"/staff/nominations/{kirkuk.pk}/" in html
    assert f"/staff/nominations/{basra.pk}/" in html

    _as(client, users[Role.OFFICE_MANAGER])
    client.post(f"/staff/nominations/{kirkuk.pk}/", {"step": "start_review"})
    assert f"/staff/nominations/{kirkuk.pk}/" in client.get("/staff/").content.decode()
    client.post(f"/staff/nominations/{kirkuk.pk}/", {"step": "reject", "reason": "ناقصة"})
    assert f"/staff/nominations/{kirkuk.pk}/" not in client.get("/staff/").content.decode()

    _as(client, users[Role.ENTITY_AGENT])  # no queue for those who do not review
    assert 'id="awaiting-review"' not in client.get("/staff/").content.decode()


def test_a_certified_list_can_be_withdrawn_only_before_the_draw(client, users, registered):
    nomination = _certified(client, users, registered)
    page = f"/staff/nominations/{nomination.pk}/"
    _as(client, users[Role.ENTITY_AGENT])
    assert "withdraw_list" in _buttons(client.get(page))

    ceremony.freeze(actor=users[Role.ADMIN], election=nomination.entity.election,
                    numbers="1-50", beacon="a beacon round")
    _as(client, users[Role.ENTITY_AGENT])
    assert "withdraw_list" not in _buttons(client.get(page))
    response = client.post(page, {"step": "withdraw_list", "reason": "انسحاب"})
    assert response.status_code == 200  # refused, with the reason on the page
    nomination.refresh_from_db()
    assert nomination.status == "certified"


def test_a_certified_list_is_withdrawn_before_the_draw(client, users, registered):
    nomination = _certified(client, users, registered)
    _as(client, users[Role.ENTITY_AGENT])
    client.post(f"/staff/nominations/{nomination.pk}/", {"step": "withdraw_list",
                                                         "reason": "انسحاب"})
    nomination.refresh_from_db()
    assert nomination.status == "withdrawn"


def test_a_candidate_reinstated_after_certification_is_restored_and_the_list_renumbered(
        client, users, registered):
    nomination = _certified(client, users, registered, excluded_at=3)
    sequence = dict(nomination.candidates.filter(status="approved")
                    .values_list("position", "sequence"))
    assert sequence == {1: 1, 2: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7}
    target = nomination.candidates.get(position=3)
    _as(client, users[Role.ENTITY_AGENT])
    client.post(f"/staff/candidates/{target.pk}/", {"step": "appeal",
                                                   "grounds": "الشهادة صحيحة"})
    appeal = target.appeals.get()
    _as(client, users[Role.ADMIN])
    client.post(f"/staff/candidates/{target.pk}/", {
        "step": "ruling", "appeal": appeal.pk, "upheld": "yes",
        "reference": "الهيئة القضائية للانتخابات 2023/91"})
    target.refresh_from_db()
    assert target.status == "nominated"

    page = f"/staff/candidates/{target.pk}/"
    _as(client, users[Role.ENTITY_AGENT])  # the agent sees no reviewer's step
    assert "restore" not in _buttons(client.get(page))
    assert client.post(page, {"step": "restore"}).status_code == 403
    _as(client, users[Role.OFFICE_MANAGER])
    assert _buttons(client.get(page)) == {"restore"}
    client.post(page, {"step": "restore"})
    target.refresh_from_db()
    nomination.refresh_from_db()
    assert target.status == "approved"
    assert nomination.status == "certified"
    sequence = dict(nomination.candidates.filter(status="approved")
                    .values_list("position", "sequence"))
    assert sequence == {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8}
    event = AuditEvent.objects.filter(action="certification.restore").get()
    assert event.data["ruling_reference"] == "الهيئة القضائية للانتخابات 2023/91"
    assert "restore" not in _buttons(client.get(page))  # done once
