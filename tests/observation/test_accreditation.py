"""Accreditation through its pages and API: apply, approve, observers one by one and
from a file, the checks, accrediting, badges as PDF (read back, QR decoded), the
verifier, revocation and who sees whose observers."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.core import badge_codes
from shafaf.elections.models import Governorate, PollingCentre
from shafaf.entities.models import EntityAgent
from shafaf.entities.synthetic import create_entities
from shafaf.observation import codes
from shafaf.observation.models import (
    Badge,
    Coordinator,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
)
from shafaf.register.models import Voter
from tests.web.conftest import PASSWORD


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def voter(number: str, birth: date, *, status: str = "active") -> Voter:
    centre = PollingCentre.objects.get(code="KI0001")
    now = timezone.now()
    return Voter.objects.create(
        voter_number=number, first_name="علي", father_name="حسن", grandfather_name="كاظم",
        family_name="", mother_name="زينب", sex="M", birth_date=birth,
        governorate_id=centre.governorate_id, centre=centre, sort_key=number, created=now,
        updated=now, status=status)


def application(stations, **changes) -> dict[str, object]:
    return {"election": stations.pk, "kind": "local", "name_ar": "شبكة الرقابة",
            "name_en": "Monitoring Network", "registration_number": "NGO-1",
            "governorates": [Governorate.objects.get(code="IQ-KI").pk],
            "contact_name": "سارة", "contact_email": "sara@example.org",
            "contact_phone": "+9647701234567", **changes}


# Organisations ------------------------------------------------------------------

def test_one_connection_may_send_five_applications_an_hour(stations):
    """The page needs no account: a sixth application from one address within the
    hour is refused (429, with when to try again) and nothing of it is stored;
    another address may still apply, and the same one again the next hour."""
    from shafaf.observation import accreditation

    sent = [Client(REMOTE_ADDR="203.0.113.7").post("/observation/apply/", application(
        stations, name_ar=f"شبكة {n}")) for n in range(6)]
    assert [r.status_code for r in sent] == [200] * 5 + [429]
    assert 0 < int(sent[-1]["Retry-After"]) <= 3600
    assert "nothing was recorded" in Client(REMOTE_ADDR="203.0.113.7").post(
        "/observation/apply/", application(stations, name_ar="شبكة ٧"),
        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert Organisation.objects.count() == 5
    other = Client(REMOTE_ADDR="198.51.100.2").post("/observation/apply/", application(
        stations, name_ar="شبكة أخرى"))
    assert other.status_code == 200
    later = timezone.now() + timedelta(hours=1)
    assert accreditation.applications_refused("203.0.113.7") is not None
    assert accreditation.applications_refused("203.0.113.7", now=later) is None


def test_an_organisation_applies_without_an_account_and_the_commission_approves(
        client, stations, users):
    response = client.post("/observation/apply/", application(stations))
    assert response.status_code == 200
    assert "شبكة الرقابة" in response.content.decode()
    made = Organisation.objects.get(name_ar="شبكة الرقابة")
    assert made.status == OrganisationStatus.APPLIED
    assert list(made.governorates.values_list("code", flat=True)) == ["IQ-KI"]

    admin = signed_in(users[Role.ADMIN])
    listing = admin.get("/staff/observation/organisations/").content.decode()
    assert "sara@example.org" in listing
    shown = admin.post(f"/staff/observation/organisations/{made.pk}/", {"step": "approve"})
    page = shown.content.decode()
    made.refresh_from_db()
    assert made.status == OrganisationStatus.APPROVED
    assert made.code == "CSO-0001"
    coordinator = Coordinator.objects.get(organisation=made).user
    assert coordinator.role == Role.CSO_COORDINATOR
    assert coordinator.must_change_password
    password = page.split('id="password"><code>')[1].split("<")[0]
    assert Client().login(username=coordinator.username, password=password)
    assert AuditEvent.objects.filter(action="observation.organisation_approved").exists()
    # Approving twice is refused, and no second account appears.
    admin.post(f"/staff/observation/organisations/{made.pk}/", {"step": "approve"})
    assert Coordinator.objects.filter(organisation=made).count() == 1


def test_the_application_refuses_bad_and_huge_input_with_a_message(client, stations):
    for bad in (application(stations, contact_email="not an e-mail"),
                application(stations, name_ar="x" * 5000),
                application(stations, registration_number=""),
                application(stations, governorates=["999999"]),
                application(stations, election="nope")):
        response = client.post("/observation/apply/", bad)
        assert response.status_code == 400
        assert 'class="errors"' in response.content.decode()
    assert not Organisation.objects.exists()


def test_an_international_mission_needs_no_ngo_number(client, stations):
    response = client.post("/observation/apply/", application(
        stations, kind="international", registration_number=""))
    assert response.status_code == 200
    assert Organisation.objects.get().kind == OrganisationKind.INTERNATIONAL


def test_the_commission_rejects_with_a_reason(client, stations, users):
    client.post("/observation/apply/", application(stations))
    made = Organisation.objects.get()
    admin = signed_in(users[Role.ADMIN])
    assert admin.post(f"/staff/observation/organisations/{made.pk}/",
                      {"step": "reject", "reason": ""}).status_code == 400
    admin.post(f"/staff/observation/organisations/{made.pk}/",
               {"step": "reject", "reason": "no registration"})
    made.refresh_from_db()
    assert made.status == OrganisationStatus.REJECTED
    assert made.decision_reason == "no registration"
    assert not made.code


def test_an_entitys_agent_registers_its_party_agents_and_coordinates_them(stations, users):
    (own,) = create_entities(stations, lists={"IQ-KI": 1}, candidates_per_list=2)
    agent = users[Role.ENTITY_AGENT]
    EntityAgent.objects.create(user=agent, entity=own)
    client = signed_in(agent)
    data = application(stations)
    data.pop("kind")
    response = client.post("/staff/observation/agents/", data)
    assert response.status_code == 302
    made = Organisation.objects.get()
    assert made.kind == OrganisationKind.AGENTS
    assert made.entity == own
    assert Coordinator.objects.get(organisation=made).user == agent
    signed_in(users[Role.ADMIN]).post(f"/staff/observation/organisations/{made.pk}/",
                                      {"step": "approve"})
    made.refresh_from_db()
    assert made.code == "AGT-0001"
    assert User.objects.filter(role=Role.CSO_COORDINATOR).count() == 1  # the fixture's only


# Observers ----------------------------------------------------------------------

OBSERVER = {"step": "add", "full_name": "علي حسن كاظم", "voter_number": "100000000001",
            "birth_date": "1990-04-12", "sex": "M", "phone": "+9647701234567",
            "governorate": "IQ-KI"}


def test_the_coordinator_adds_an_observer_and_sees_only_their_own(organisation, users):
    cso = signed_in(users[Role.CSO_COORDINATOR])
    assert cso.post("/staff/observation/observers/", OBSERVER).status_code == 302
    mine = Observer.objects.get(full_name="علي حسن كاظم")
    assert mine.status == ObserverStatus.SUBMITTED
    assert mine.organisation == organisation
    other = Organisation.objects.create(
        election=organisation.election, name_ar="أخرى", contact_name="y",
        contact_email="y@example.org", status=OrganisationStatus.APPROVED, code="CSO-9")
    theirs = Observer.objects.create(organisation=other, full_name="غريب",
                                     birth_date=date(1990, 1, 1), sex="M",
                                     governorate=Governorate.objects.get(code="IQ-KI"))
    listing = cso.get("/staff/observation/observers/").content.decode()
    assert "علي حسن كاظم" in listing
    assert "غريب" not in listing
    assert cso.get(f"/staff/observation/observers/{theirs.pk}/").status_code == 404
    assert cso.get(f"/staff/observation/observers/{theirs.pk}/badge.pdf").status_code == 404
    admin_listing = signed_in(users[Role.ADMIN]).get("/staff/observation/observers/")
    assert "غريب" in admin_listing.content.decode()
    for role in (Role.OFFICE_MANAGER, Role.OBSERVER, Role.AUDITOR):
        assert signed_in(users[role]).get(
            f"/staff/observation/observers/{mine.pk}/").status_code == 403


def test_a_bad_observer_is_refused_naming_the_fields(organisation, users):
    cso = signed_in(users[Role.CSO_COORDINATOR])
    response = cso.post("/staff/observation/observers/", {
        **OBSERVER, "voter_number": "abc", "governorate": "IQ-NI", "birth_date": "31/31/1990"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "voter_number" in page
    assert "governorate" in page
    assert "birth_date" in page
    assert not Observer.objects.filter(full_name="علي حسن كاظم").exists()


CSV_HEADER = "full_name,voter_number,birth_date,sex,phone,governorate\n"


def test_a_file_of_observers_is_all_or_nothing_naming_every_bad_row(organisation, users):
    cso = signed_in(users[Role.CSO_COORDINATOR])
    content = (CSV_HEADER + "أحمد,100000000002,1990-01-01,M,,IQ-KI\n"
               "سارة,,1991-02-02,F,,IQ-KI\n"
               "زينب,100000000003,1992-03-03,X,,كركوك\n"
               "أحمد الثاني,100000000002,1990-01-01,M,,IQ-BA\n").encode()
    response = cso.post("/staff/observation/observers/", {
        "step": "upload", "file": io.BytesIO(content)})
    assert response.status_code == 400
    page = response.content.decode()
    rows = {int(cell.split("</td>")[0]) for cell in
            page.split('<table class="problems">')[1].split("<tr><td>")[1:]}
    assert rows == {3, 4, 5}
    assert organisation.observers.count() == 0
    good = (CSV_HEADER + "أحمد,100000000002,1990-01-01,M,,IQ-KI\n"
            "سارة,100000000004,2/3/1991,أنثى,+9647700000000,كركوك\n").encode()
    response = cso.post("/staff/observation/observers/", {
        "step": "upload", "file": io.BytesIO(good)})
    assert response.status_code == 302
    assert organisation.observers.count() == 2
    assert organisation.observers.get(full_name="سارة").birth_date == date(1991, 3, 2)


def test_a_file_as_xlsx_and_the_template(organisation, users):
    from openpyxl import Workbook

    cso = signed_in(users[Role.CSO_COORDINATOR])
    template = cso.get("/staff/observation/observers/template.csv")
    assert template.status_code == 200
    assert template.content.decode("utf-8-sig").startswith("full_name,voter_number")
    book = Workbook()
    sheet = book.active
    sheet.append(["full_name", "voter_number", "birth_date", "sex", "governorate"])
    sheet.append(["هدى", "100000000005", "1985-05-05", "F", "IQ-BA"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "observers.xlsx"
    assert cso.post("/staff/observation/observers/",
                    {"step": "upload", "file": out}).status_code == 302
    assert organisation.observers.get().full_name == "هدى"


def test_a_photo_is_decoded_and_stored_again_as_png(organisation, users):
    cso = signed_in(users[Role.CSO_COORDINATOR])
    cso.post("/staff/observation/observers/", OBSERVER)
    one = Observer.objects.get(full_name="علي حسن كاظم")
    jpeg = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 10, 10)).save(jpeg, format="JPEG")
    jpeg.seek(0)
    jpeg.name = "me.jpg"
    cso.post(f"/staff/observation/observers/{one.pk}/", {"step": "photo", "photo": jpeg})
    one.refresh_from_db()
    assert bytes(one.photo).startswith(b"\x89PNG")
    assert one.photo_type == "image/png"
    fake = io.BytesIO(b"\x89PNG\r\n\x1a\n<html>not a picture</html>")
    fake.name = "x.png"
    cso.post(f"/staff/observation/observers/{one.pk}/", {"step": "photo", "photo": fake})
    one.refresh_from_db()
    assert bytes(one.photo).startswith(b"\x89PNG")  # the earlier photo kept
    assert cso.get(f"/staff/observation/observers/{one.pk}/photo").status_code == 200


# Checks, accreditation, badges ----------------------------------------------------

def _submitted(organisation, **fields) -> Observer:
    values = {"full_name": "علي حسن كاظم", "voter_number": "100000000001",
              "birth_date": date(1990, 4, 12), "sex": "M",
              "governorate": Governorate.objects.get(code="IQ-KI"), **fields}
    return Observer.objects.create(organisation=organisation, **values)


def test_the_queue_shows_each_checks_outcome_and_accredits_who_passes(organisation, users):
    voter("100000000001", date(1990, 4, 12))
    good = _submitted(organisation)
    young = _submitted(organisation, full_name="صغير", voter_number="100000000009",
                       birth_date=date(2010, 1, 1))
    admin = signed_in(users[Role.ADMIN])
    page = admin.get("/staff/observation/accreditation/").content.decode()
    assert f'value="{good.pk}"' in page
    assert f'value="{young.pk}" aria-label' not in page
    young.refresh_from_db()
    assert young.checks["age"] == {"outcome": "fail", "reason": "under_18"}
    assert young.checks["voter"]["reason"] == "not_in_register"
    # Accrediting one who fails is refused, and nothing is accredited.
    admin.post("/staff/observation/accreditation/",
               {"step": "accredit", "observer": [good.pk, young.pk]})
    assert not Badge.objects.exists()
    admin.post("/staff/observation/accreditation/", {"step": "accredit", "observer": [good.pk]})
    good.refresh_from_db()
    assert good.status == ObserverStatus.ACCREDITED
    assert good.user.role == Role.OBSERVER
    badge = good.badges.get()
    assert codes.checked(badge.code) == badge.code
    assert badge.expires.date() == organisation.election.polling_day + timedelta(days=1)
    admin.post("/staff/observation/accreditation/",
               {"step": "refuse", "observer": young.pk, "reason": "under 18"})
    young.refresh_from_db()
    assert young.status == ObserverStatus.REFUSED
    assert young.decision_reason == "under 18"


def test_a_candidate_an_agent_staff_or_a_second_record_fail_their_checks(
        organisation, users, stations):
    from shafaf.observation.accreditation import run_checks

    (own,) = create_entities(stations, lists={"IQ-KI": 1}, candidates_per_list=1)
    candidate = own.lists.get().candidates.get()
    voter("100000000001", candidate.date_of_birth)
    as_candidate = _submitted(organisation, full_name=candidate.name_ar,
                              birth_date=candidate.date_of_birth)
    staff = users[Role.CLERK]
    staff.first_name, staff.last_name = "موظف", "المفوضية"
    staff.save()
    as_staff = _submitted(organisation, full_name="موظف المفوضية", voter_number="")
    agent = users[Role.ENTITY_AGENT]
    agent.first_name, agent.last_name = "وكيل", "الكيان"
    agent.save()
    EntityAgent.objects.create(user=agent, entity=own)
    as_agent = _submitted(organisation, full_name="وكيل الكيان", voter_number="")
    second = _submitted(organisation, full_name="نسخة", birth_date=candidate.date_of_birth)
    run_checks([as_candidate, as_staff, as_agent, second])
    assert as_candidate.checks["candidate"]["outcome"] == "fail"
    assert as_staff.checks["staff"]["outcome"] == "fail"
    assert as_agent.checks["agent"]["outcome"] == "fail"
    assert second.checks["twice"]["outcome"] == "fail"
    assert as_candidate.checks["twice"]["outcome"] == "ok"  # the first one submitted


def _accredited(organisation, users, *, conduct: bool = True) -> Observer:
    voter("100000000001", date(1990, 4, 12))
    one = _submitted(organisation)
    signed_in(users[Role.ADMIN]).post("/staff/observation/accreditation/",
                                      {"step": "accredit", "observer": [one.pk]})
    one.refresh_from_db()
    if conduct:
        one.conduct_accepted = timezone.now()
        one.save()
    return one


def test_the_badge_pdf_carries_the_name_the_code_and_a_qr_code_of_the_verifier(
        organisation, users):
    import pypdf
    import zxingcpp

    one = _accredited(organisation, users)
    badge = one.badges.get()
    response = signed_in(users[Role.CSO_COORDINATOR]).get(
        f"/staff/observation/observers/{one.pk}/badge.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    width_mm = float(page.mediabox.width) * 25.4 / 72
    height_mm = float(page.mediabox.height) * 25.4 / 72
    assert round(width_mm, 1) == 85.6
    assert round(height_mm, 1) == 54.0
    text = page.extract_text()
    assert badge_codes.shown(badge.code) in text
    assert "CSO-1" in text
    found = [result.text for image in page.images
             for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))]
    assert found == [f"http://testserver/verify/badge/{badge.code}/"]


def test_the_organisations_badges_in_one_pdf_only_after_the_code_of_conduct(
        organisation, users):
    import pypdf

    one = _accredited(organisation, users, conduct=False)
    cso = signed_in(users[Role.CSO_COORDINATOR])
    assert cso.get("/staff/observation/badges.pdf").status_code == 409
    observer_user = one.user
    observer_user.set_password(PASSWORD)
    observer_user.must_change_password = False
    observer_user.save()
    client = signed_in(observer_user)
    assert client.post("/observe/conduct/", {}).status_code == 400
    client.post("/observe/conduct/", {"accept": "on"})
    one.refresh_from_db()
    assert one.conduct_accepted is not None
    response = cso.get("/staff/observation/badges.pdf")
    assert response.status_code == 200
    assert len(pypdf.PdfReader(io.BytesIO(response.content)).pages) == 1
    admin = signed_in(users[Role.ADMIN])
    assert admin.get(f"/staff/observation/badges.pdf?organisation={organisation.pk}"
                     ).status_code == 200


def test_a_large_organisations_badges_are_prepared_in_the_background_for_whoever_asked(
        organisation, users, monkeypatch, settings, tmp_path):
    """Past a chunk, the badges page offers to prepare the PDF; the POST queues a job,
    the worker lays it out, and only the coordinator who asked may download it."""
    import pypdf

    from shafaf.jobs import worker
    from shafaf.jobs.models import Job
    from shafaf.observation import badge_job

    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(badge_job, "IN_REQUEST", 0)  # one badge counts as a large organisation
    one = _accredited(organisation, users)
    cso = signed_in(users[Role.CSO_COORDINATOR])
    offered = cso.get("/staff/observation/badges.pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert offered.status_code == 200
    assert "Prepare the badges PDF" in offered.content.decode()
    queued = cso.post("/staff/observation/badges.pdf")
    job = Job.objects.get(kind=badge_job.JOB_KIND)
    assert queued.status_code == 302
    assert queued["Location"] == f"/staff/jobs/{job.pk}/"
    # A second click while it waits leads to the same job.
    assert cso.post("/staff/observation/badges.pdf")["Location"] == queued["Location"]
    assert Job.objects.filter(kind=badge_job.JOB_KIND).count() == 1
    assert worker.run_pending() == 1
    job.refresh_from_db()
    assert job.state == "done", job.lines
    assert job.total == job.done == 1
    download = cso.get(job.link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    reader = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert len(reader.pages) == 1
    assert badge_codes.shown(one.badges.get().code) in reader.pages[0].extract_text()
    assert list(tmp_path.rglob("*.part")) == []
    # Nobody else may download it, not even the commission's staff; nor a name never made.
    assert signed_in(users[Role.ADMIN]).get(job.link).status_code == 404
    assert cso.get("/staff/observation/badges/" + "0" * 32 + ".pdf").status_code == 404
    assert cso.get("/staff/observation/badges/..%2F..%2Fsecret.pdf").status_code == 404


def test_the_coordinator_gives_a_one_time_password_shown_once(organisation, users):
    one = _accredited(organisation, users)
    cso = signed_in(users[Role.CSO_COORDINATOR])
    page = cso.post(f"/staff/observation/observers/{one.pk}/", {"step": "password"}
                    ).content.decode()
    password = page.split('id="password"><code>')[1].split("<")[0]
    assert Client().login(username=one.user.username, password=password)
    assert 'id="password"' not in cso.get(f"/staff/observation/observers/{one.pk}/"
                                          ).content.decode()


# The verifier -----------------------------------------------------------------------

def test_the_verifier_says_valid_then_revoked_at_once(client, organisation, users):
    one = _accredited(organisation, users)
    badge = one.badges.get()
    code = badge.code
    # The fixture's election is 2023's: its badges have expired; this one is kept valid.
    Badge.objects.filter(pk=badge.pk).update(expires=timezone.now() + timedelta(days=1))
    response = client.get(f"/api/accreditation/verify/{code}")
    assert response.status_code == 200
    assert response.json() == {"status": "valid", "name": one.full_name,
                               "organisation": organisation.name_ar,
                               "governorate": one.governorate.name, "kind": "local"}
    page = client.get(f"/verify/badge/{badge_codes.shown(code).lower()}/")
    assert page.status_code == 200
    assert one.full_name in page.content.decode()
    assert one.voter_number not in page.content.decode()
    signed_in(users[Role.ADMIN]).post(f"/staff/observation/observers/{one.pk}/",
                                      {"step": "revoke", "reason": "campaigned"})
    assert client.get(f"/api/accreditation/verify/{code}").json()["status"] == "revoked"
    assert AuditEvent.objects.filter(action="observation.observer_revoked").exists()


def test_a_coordinator_withdraws_their_own_observer(organisation, users):
    one = _accredited(organisation, users)
    signed_in(users[Role.CSO_COORDINATOR]).post(
        f"/staff/observation/observers/{one.pk}/", {"step": "revoke", "reason": "left us"})
    one.refresh_from_db()
    assert one.status == ObserverStatus.REVOKED
    assert one.badges.get().revoked is not None


def test_expired_forged_malformed_and_never_issued_codes(client, observer):
    badge = observer.badges.get()
    badge.expires = datetime.now(UTC) - timedelta(days=1)
    badge.save()
    assert client.get(f"/api/accreditation/verify/{badge.code}").json()["status"] == "expired"
    forged = badge.code[:-1] + ("0" if badge.code[-1] != "0" else "1")
    altered = ("0" if badge.code[0] != "0" else "1") + badge.code[1:]
    never = codes.new_code()
    for code in (forged, altered, never, "nonsense", "x" * 5000):
        assert client.get(f"/api/accreditation/verify/{code}").status_code == 404, code
        assert client.get(f"/verify/badge/{code}/").status_code == 404, code
    assert client.get("/api/accreditation/verify/%00").status_code in (400, 404)
    assert client.get("/verify/badge/%00/").status_code in (400, 404)
    assert client.get("/verify/badge/", {"code": badge.code}).status_code == 302


def test_the_observers_own_badge(client, observer, users):
    assert client.get("/api/accreditation/me").status_code == 401
    assert signed_in(users[Role.CLERK]).get("/api/accreditation/me").status_code == 404
    mine = signed_in(users[Role.OBSERVER]).get("/api/accreditation/me").json()
    assert mine["badge_code"] == observer.badges.get().code
    assert mine["status"] == "valid"
    assert mine["conduct_accepted"] is True
