"""Registration, nominations and certification, as commission staff and entity
agents do them through the pages; every step leaves an audit event."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.audit.selectors import verify
from shafaf.elections.models import CalendarPhase, Contest, Phase
from shafaf.entities.models import Candidate, Entity, EntityAgent, NominationList
from tests.web.conftest import PASSWORD


def _png() -> bytes:
    """A 2 × 1 logo: one green pixel, one transparent."""
    image = Image.new("RGBA", (2, 1), (0, 0, 0, 0))
    image.putpixel((0, 0), (0x1f, 0x6f, 0x3a, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


PNG = _png()
HEADER = "position,name_ar,surname_ar,mother_name_ar,sex,date_of_birth,education\n"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _as(client, user):
    client.force_login(user)
    return client


def _rows(count: int, *, women_at=(2, 4, 8, 12, 16, 20)) -> str:
    return "".join(
        f"{n},مرشح رقم {n} علي حسين,الجبوري,فاطمة محمد,{'F' if n in women_at else 'M'},"
        f"1975-01-{n:02d},bachelor\n" for n in range(1, count + 1))


@pytest.fixture
def registered(client, election, users):
    """The Commission registers two parties with the page; each gets its agent."""
    admin = users[Role.ADMIN]
    _as(client, admin)
    for code, name in (("taqaddum", "حزب تقدم"), ("siyada", "حزب السيادة")):
        response = client.post("/staff/entities/", {
            "election": election.pk, "kind": "party", "code": code, "name_ar": name,
            "logo": SimpleUploadedFile("logo.png", PNG)})
        assert response.status_code == 302
    own, other = Entity.objects.get(code="taqaddum"), Entity.objects.get(code="siyada")
    rival = User.objects.create_user(username="rival-agent", password=PASSWORD,
                                     role=Role.ENTITY_AGENT)
    for entity, agent in ((own, users[Role.ENTITY_AGENT]), (other, rival)):
        assert client.post(f"/staff/entities/{entity.pk}/", {"step": "approve"}).status_code == 302
        client.post(f"/staff/entities/{entity.pk}/", {"step": "agent", "user": agent.pk})
    client.logout()
    assert EntityAgent.objects.get(user=rival).entity == other
    own.refresh_from_db()
    return {"own": own, "other": other, "rival": rival}


def _new_list(client, users, entity, code="IQ-KI") -> NominationList:
    contest = Contest.objects.get(election=entity.election, governorate__code=code)
    _as(client, users[Role.ENTITY_AGENT])
    response = client.post(f"/staff/entities/{entity.pk}/",
                           {"step": "create_list", "contest": contest.pk})
    assert response.status_code == 302
    return NominationList.objects.get(entity=entity, contest=contest)


def _upload(client, nomination, text: str, name="list.csv"):
    return client.post(f"/staff/nominations/{nomination.pk}/", {
        "step": "upload", "file": SimpleUploadedFile(name, text.encode())})


def test_registration_keeps_the_logo_and_audits_every_step(registered):
    own = registered["own"]
    # Stored as a PNG written again from the decoded picture: the same pixels.
    stored = Image.open(io.BytesIO(bytes(own.logo)))
    assert (stored.format, stored.size) == ("PNG", (2, 1))
    assert [stored.getpixel((x, 0)) for x in (0, 1)] == [(0x1f, 0x6f, 0x3a, 255), (0, 0, 0, 0)]
    assert own.logo_type == "image/png"
    assert own.status == "approved"
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("entities.register") == 2
    assert actions.count("entities.agent") == 2
    assert verify().broken is None


def test_a_logo_that_is_not_an_image_is_refused(client, election, users):
    _as(client, users[Role.ADMIN])
    response = client.post("/staff/entities/", {
        "election": election.pk, "kind": "party", "code": "x", "name_ar": "س",
        "logo": SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>")})
    assert response.status_code == 400
    assert "PNG" in response.content.decode()
    assert not Entity.objects.exists()


def test_a_party_joins_one_alliance_at_a_time(client, election, users, registered):
    _as(client, users[Role.ADMIN])
    for code in ("a1", "a2"):
        client.post("/staff/entities/", {"election": election.pk, "kind": "alliance",
                                         "code": code, "name_ar": f"تحالف {code}"})
    own = registered["own"]
    for code in ("a1", "a2"):
        alliance = Entity.objects.get(code=code)
        client.post(f"/staff/entities/{own.pk}/", {"step": "alliance", "alliance": alliance.pk})
    own.refresh_from_db()
    assert own.alliance.code == "a2"
    assert not Entity.objects.get(code="a1").members.exists()


def test_an_upload_with_bad_rows_names_each_row_and_changes_nothing(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    good = _upload(client, nomination, HEADER + _rows(8))
    assert good.status_code == 302
    assert nomination.candidates.count() == 8
    bad = HEADER + "1,علي,,أم,M,1975-01-01,bachelor\n1,حسن,,أم,X,30/02/1970,phd\n"
    client.cookies["shafaf_language"] = "en"
    response = _upload(client, nomination, bad)
    page = response.content.decode()
    assert response.status_code == 400  # a rejected file is bad input
    for column in ("position", "sex", "date_of_birth", "education"):
        assert f"list.csv, row 3, column {column}:" in page
    assert "list.csv, row 2" not in page  # the good row has no problem
    assert nomination.candidates.count() == 8  # the earlier upload stands whole
    assert list(nomination.candidates.values_list("position", flat=True)) == list(range(1, 9))


def test_an_xlsx_upload_is_read_like_a_csv(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    book = openpyxl.Workbook()
    sheet = book.active
    for line in (HEADER + _rows(4)).splitlines():
        sheet.append(line.split(","))
    sheet["F2"] = date(1970, 5, 17)  # a real date cell, as Excel saves it
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(f"/staff/nominations/{nomination.pk}/", {
        "step": "upload", "file": SimpleUploadedFile("list.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    assert nomination.candidates.get(position=1).date_of_birth == date(1970, 5, 17)


def test_a_list_that_breaks_the_womens_order_rule_stays_a_draft(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    _upload(client, nomination, HEADER + _rows(8, women_at=(1, 2, 7)))  # men at 3–6
    response = client.post(f"/staff/nominations/{nomination.pk}/", {"step": "submit"},
                           HTTP_ACCEPT_LANGUAGE="en")
    nomination.refresh_from_db()
    assert nomination.status == "draft"
    assert response.status_code == 200
    # The refusal names the position of the fourth man in a row, and no other.
    text = " ".join(response.content.decode().split())
    assert "Position 6: A woman must follow every three men in the list order" in text
    assert set(re.findall(r"Position (\d+): A woman must follow", text)) == {"6"}


def test_an_agent_cannot_act_for_another_entity(client, users, registered):
    theirs = _new_list(client, users, registered["own"])
    _upload(client, theirs, HEADER + _rows(4))
    before = (AuditEvent.objects.count(), theirs.candidates.count())
    _as(client, registered["rival"])
    for payload in ({"step": "submit"}, {"step": "upload",
                                         "file": SimpleUploadedFile("x.csv", b"")},
                    {"step": "withdraw_list", "reason": "sabotage"}):
        assert client.post(f"/staff/nominations/{theirs.pk}/", payload).status_code == 404
    assert client.get(f"/staff/nominations/{theirs.pk}/").status_code == 404
    own = registered["own"]
    contest = Contest.objects.get(election=own.election, governorate__code="IQ-BA")
    response = client.post(f"/staff/entities/{own.pk}/",
                           {"step": "create_list", "contest": contest.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "draft"
    assert (AuditEvent.objects.count(), theirs.candidates.count()) == before


def _submitted(client, users, registered, count=8) -> NominationList:
    nomination = _new_list(client, users, registered["own"])
    _upload(client, nomination, HEADER + _rows(count))
    assert client.post(f"/staff/nominations/{nomination.pk}/", {"step": "submit"}).status_code \
        == 302
    nomination.refresh_from_db()
    assert nomination.status == "submitted"
    return nomination


def _clear(client, candidate, *, failing: str | None = None):
    for kind in ("degree", "criminal_record", "accountability_and_justice"):
        client.post(f"/staff/candidates/{candidate.pk}/", {
            "step": "check", "kind": kind, "document": f"كتاب {kind} 2023/17",
            "outcome": "failed" if kind == failing else "cleared"})


def test_the_whole_certification_of_a_list(client, users, registered):
    nomination = _submitted(client, users, registered)
    first, second, third, *rest = nomination.candidates.order_by("position")
    manager = users[Role.OFFICE_MANAGER]  # Kirkuk's office reviews Kirkuk's list
    _as(client, manager)
    client.post(f"/staff/nominations/{nomination.pk}/", {"step": "start_review"})

    # Approval waits for every check.
    client.post(f"/staff/candidates/{first.pk}/", {"step": "approve"})
    first.refresh_from_db()
    assert first.status == "nominated"
    for candidate in (first, third, *rest):
        _clear(client, candidate)
        client.post(f"/staff/candidates/{candidate.pk}/", {"step": "approve"})
    _clear(client, second, failing="criminal_record")
    response = client.post(f"/staff/candidates/{second.pk}/", {"step": "approve"})
    assert response.status_code == 200  # refused, with the reason on the page
    client.post(f"/staff/candidates/{second.pk}/", {"step": "exclude",
                                                   "reasons": ["convicted"]})
    second.refresh_from_db()
    assert second.status == "excluded"
    assert second.exclusion_reasons == ["convicted"]

    client.post(f"/staff/nominations/{nomination.pk}/", {"step": "certify"})
    nomination.refresh_from_db()
    assert nomination.status == "certified"
    sequence = dict(nomination.candidates.filter(status="approved")
                    .values_list("position", "sequence"))
    assert sequence == {1: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7}
    checks = AuditEvent.objects.filter(action="certification.check").count()
    assert checks == 3 * 8
    assert AuditEvent.objects.filter(action="certification.certify").exists()
    assert verify().broken is None


def test_a_basra_list_is_out_of_reach_of_kirkuks_office(client, users, registered):
    nomination = _new_list(client, users, registered["own"], code="IQ-BA")
    _as(client, users[Role.OFFICE_MANAGER])
    response = client.post(f"/staff/nominations/{nomination.pk}/", {"step": "start_review"})
    assert response.status_code == 404


def test_an_upheld_objection_excludes_and_an_appeal_reinstates(client, users, registered):
    nomination = _submitted(client, users, registered)
    target = nomination.candidates.get(position=3)
    _as(client, users[Role.ADMIN])
    client.post(f"/staff/nominations/{nomination.pk}/", {"step": "start_review"})

    # The rival entity objects; the entity itself cannot object to its own.
    _as(client, users[Role.ENTITY_AGENT])
    assert "كتاب" not in client.get("/staff/objections/").content.decode()
    client.post("/staff/objections/", {"candidate": target.pk, "grounds": "self"})
    assert not target.objections.exists()
    _as(client, registered["rival"])
    client.post("/staff/objections/", {"candidate": target.pk,
                                       "grounds": "يحمل شهادة مزورة"})
    objection = target.objections.get()
    assert objection.filed_for == registered["other"]

    _as(client, users[Role.ADMIN])
    client.post(f"/staff/candidates/{target.pk}/", {
        "step": "decide_objection", "objection": objection.pk, "upheld": "yes",
        "reason": "ثبت التزوير"})
    target.refresh_from_db()
    assert target.status == "excluded"
    assert target.exclusion_reasons == ["objection_upheld"]

    _as(client, users[Role.ENTITY_AGENT])
    client.post(f"/staff/candidates/{target.pk}/", {"step": "appeal",
                                                   "grounds": "الشهادة صحيحة"})
    appeal = target.appeals.get()
    # Only the Commission records the panel's ruling.
    assert client.post(f"/staff/candidates/{target.pk}/", {
        "step": "ruling", "appeal": appeal.pk, "upheld": "yes",
        "reference": "x"}).status_code == 403
    _as(client, users[Role.ADMIN])
    client.post(f"/staff/candidates/{target.pk}/", {
        "step": "ruling", "appeal": appeal.pk, "upheld": "yes",
        "reference": "الهيئة القضائية للانتخابات 2023/88"})
    target.refresh_from_db()
    assert target.status == "nominated"
    trail = [e.action for e in AuditEvent.objects.filter(
        object_id=str(target.pk), object_type="entities.candidate").order_by("seq")]
    assert trail[-5:] == ["certification.object", "certification.decide_objection",
                          "certification.exclude", "certification.appeal",
                          "certification.ruling"]


def _excluded(client, users, registered) -> Candidate:
    nomination = _submitted(client, users, registered)
    woman = nomination.candidates.get(position=4)
    _as(client, users[Role.ADMIN])
    client.post(f"/staff/nominations/{nomination.pk}/", {"step": "start_review"})
    client.post(f"/staff/candidates/{woman.pk}/", {"step": "exclude", "reasons": ["other"],
                                                  "note": "لم تحضر"})
    woman.refresh_from_db()
    assert woman.status == "excluded"
    return woman


SUBSTITUTE = {"step": "substitute", "name_ar": "سلمى كاظم جواد علي", "mother_name_ar": "زهراء",
              "date_of_birth": "1980-03-03", "education": "master"}


def test_a_substitute_takes_the_excluded_position_within_the_deadline(client, users, registered):
    woman = _excluded(client, users, registered)
    CalendarPhase.objects.filter(phase=Phase.VETTING).update(
        ends=timezone.localdate() + timedelta(days=3))
    _as(client, users[Role.ENTITY_AGENT])
    # A man in her place would leave four men in a row: refused, nothing changes.
    client.post(f"/staff/candidates/{woman.pk}/", {**SUBSTITUTE, "sex": "M"})
    woman.refresh_from_db()
    assert woman.status == "excluded"
    client.post(f"/staff/candidates/{woman.pk}/", {**SUBSTITUTE, "sex": "F"})
    woman.refresh_from_db()
    assert woman.status == "replaced"
    substitute = woman.replaced_by
    assert (substitute.position, substitute.status) == (4, "nominated")


def test_no_substitution_after_the_deadline(client, users, registered):
    woman = _excluded(client, users, registered)  # the 2023 calendar: long past
    _as(client, users[Role.ENTITY_AGENT])
    response = client.post(f"/staff/candidates/{woman.pk}/", {**SUBSTITUTE, "sex": "F"})
    assert response.status_code == 200
    woman.refresh_from_db()
    assert woman.status == "excluded"
    assert not Candidate.objects.filter(replaces=woman).exists()


def test_an_entity_withdraws_a_candidate(client, users, registered):
    nomination = _submitted(client, users, registered)
    leaving = nomination.candidates.get(position=8)
    client.post(f"/staff/candidates/{leaving.pk}/", {"step": "withdraw", "reason": "انسحاب"})
    leaving.refresh_from_db()
    assert leaving.status == "withdrawn"
    assert AuditEvent.objects.filter(action="nominations.withdraw_candidate").exists()


# --- the same through the API --------------------------------------------------------


def test_an_agent_submits_through_the_api_and_sees_the_violations(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    _upload(client, nomination, HEADER + _rows(8, women_at=(1, 2, 7)))
    client.cookies["shafaf_language"] = "en"
    response = client.post(f"/api/nominations/lists/{nomination.pk}/submit")
    assert response.status_code == 409
    assert [(v["code"], v["position"]) for v in response.json()["violations"]] == [
        ("woman_missing_after_men", 6)]
    _upload(client, nomination, HEADER + _rows(8))
    response = client.post(f"/api/nominations/lists/{nomination.pk}/submit")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    listed = client.get("/api/nominations/lists").json()
    assert [(item["entity"], item["status"]) for item in listed] == [("taqaddum", "submitted")]


def test_an_agent_cannot_submit_another_entitys_list_through_the_api(client, users,
                                                                     registered):
    nomination = _new_list(client, users, registered["own"])
    _upload(client, nomination, HEADER + _rows(8))
    _as(client, registered["rival"])
    assert client.post(f"/api/nominations/lists/{nomination.pk}/submit").status_code == 404
    assert client.get(f"/api/nominations/lists/{nomination.pk}").status_code == 404
    assert client.get("/api/nominations/lists").json() == []
    nomination.refresh_from_db()
    assert nomination.status == "draft"
