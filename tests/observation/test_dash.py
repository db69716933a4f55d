"""Deployment and coverage, evidence photos, alerts of critical incidents, the
dashboard's figures against a hand-counted day, the public page and the statement."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import Governorate
from shafaf.observation.dash_models import Alert, EvidencePhoto, Statement
from shafaf.observation.models import (
    Assignment,
    Coordinator,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationStatus,
    Submission,
    Verification,
)
from tests.observation.dash_fixtures import report, standard_forms
from tests.web.conftest import PASSWORD


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def forms(db) -> None:
    standard_forms()


@pytest.fixture
def cso(client, users) -> Client:
    client.force_login(users[Role.CSO_COORDINATOR])
    return client


@pytest.fixture
def other(stations) -> Organisation:
    """A second organisation, in Kirkuk only, with its own coordinator and observer."""
    made = Organisation.objects.create(
        election=stations, name_ar="منظمة أخرى", contact_name="y",
        contact_email="y@example.org", status=OrganisationStatus.APPROVED, code="CSO-2")
    made.governorates.set(Governorate.objects.filter(code="IQ-KI"))
    boss = User.objects.create_user(username="other-cso", password=PASSWORD,
                                    role=Role.CSO_COORDINATOR, email="other@example.org")
    Coordinator.objects.create(user=boss, organisation=made)
    Observer.objects.create(organisation=made, full_name="مراقب آخر", birth_date=date(1990, 1, 1),
                            sex="M", governorate=Governorate.objects.get(code="IQ-KI"),
                            status=ObserverStatus.ACCREDITED)
    return made


def _jpeg(size=(64, 48), exif: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCamera"  # Make
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


# --- deployment and coverage -------------------------------------------------------------

def test_the_coordinator_deploys_an_observer_to_a_centre_and_coverage_follows(cso, observer):
    before = cso.get("/staff/observation/deployment/").context["coverage"]
    kirkuk = next(line for line in before if line["row"].governorate == "IQ-KI")
    assert (kirkuk["row"].centres_covered, kirkuk["row"].stations_covered) == (1, 2)
    assert kirkuk["stations"] == "16.7%"  # 2 of 12
    response = cso.post("/staff/observation/deployment/",
                        {"step": "assign", "observer": observer.pk, "code": "ki0002"})
    assert response.status_code == 302
    assert set(observer.assignments.values_list("station__code", flat=True)) == {
        "KI0001-01", "KI0001-02", "KI0002-01", "KI0002-02", "KI0002-03", "KI0002-04"}
    event = AuditEvent.objects.get(action="observation.deployed")
    assert event.data["stations"] == ["KI0002-01", "KI0002-02", "KI0002-03", "KI0002-04"]
    page = cso.get("/staff/observation/deployment/")
    kirkuk = next(line for line in page.context["coverage"] if line["row"].governorate == "IQ-KI")
    assert (kirkuk["row"].centres_covered, kirkuk["row"].stations_covered) == (2, 6)
    assert kirkuk["stations"] == "50.0%"
    html = page.content.decode()
    assert "<svg" in html
    assert "50.0%" in html


def test_a_station_alone_a_mobile_observer_and_removal(cso, observer):
    assert cso.post("/staff/observation/deployment/", {
        "step": "assign", "observer": observer.pk, "code": "BA0001-03"}).status_code == 302
    assert observer.assignments.filter(station__code="BA0001-03").exists()
    again = cso.post("/staff/observation/deployment/", {
        "step": "assign", "observer": observer.pk, "code": "BA0001-03"})
    assert again.status_code == 400  # nothing would change: said, and nothing written
    assignment = observer.assignments.get(station__code="BA0001-03")
    assert cso.post("/staff/observation/deployment/", {
        "step": "remove", "assignment": assignment.pk}).status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.filter(action="observation.undeployed").count() == 1


def test_deployment_stays_within_the_organisations_governorates_and_observers(
        client, observer, other):
    client.force_login(User.objects.get(username="other-cso"))
    before = Assignment.objects.count()
    # Basra is not this organisation's; the observer is another organisation's.
    assert client.post("/staff/observation/deployment/", {
        "step": "assign", "observer": other.observers.get().pk,
        "code": "BA0001"}).status_code == 400
    assert client.post("/staff/observation/deployment/", {
        "step": "assign", "observer": observer.pk, "code": "KI0003"}).status_code == 400
    theirs = observer.assignments.first()
    assert client.post("/staff/observation/deployment/", {
        "step": "remove", "assignment": theirs.pk}).status_code == 404
    assert client.post("/staff/observation/deployment/", {
        "step": "assign", "observer": "x" * 5000, "code": "<script>"}).status_code == 400
    assert Assignment.objects.count() == before
    found = client.get("/staff/observation/deployment/?q=BA").context["found"]
    assert found == []
    assert [s.code for s in client.get("/staff/observation/deployment/?q=KI0003-0")
            .context["found"]] == ["KI0003-01", "KI0003-02", "KI0003-03", "KI0003-04"]


def test_the_accreditation_staff_see_every_organisations_coverage(client, users, observer,
                                                                  other):
    client.force_login(users[Role.ADMIN])
    codes = [s["organisation"].code for s in
             client.get("/staff/observation/coverage/").context["sections"]]
    assert codes == ["CSO-1", "CSO-2"]
    client.force_login(users[Role.CSO_COORDINATOR])
    codes = [s["organisation"].code for s in
             client.get("/staff/observation/coverage/").context["sections"]]
    assert codes == ["CSO-1"]


# --- alerts --------------------------------------------------------------------------------

def test_a_critical_incident_alerts_the_organisations_coordinators_only(
        users, observer, other, forms, django_capture_on_commit_callbacks):
    users[Role.CSO_COORDINATOR].email = "cso@example.org"
    users[Role.CSO_COORDINATOR].save()
    second = User.objects.create_user(username="cso2", password=PASSWORD,
                                      role=Role.CSO_COORDINATOR, email="cso2@example.org")
    Coordinator.objects.create(user=second, organisation=observer.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        report(observer, "incident", "KI0001-01", category="violence", severity="serious",
               description="a quarrel")
    assert not Alert.objects.exists()
    assert not mail.outbox
    client_id = uuid.uuid4()
    from shafaf.observation.submissions import submit

    with django_capture_on_commit_callbacks(execute=True):
        submit(observer, client_id=client_id, form_code="incident",
                             station_code="KI0001-01",
                             answers={"category": "violence", "severity": "critical",
                                      "description": "shots fired near the door"})
    assert sorted(Alert.objects.values_list("user__username", flat=True)) == [
        "cso2", "cso_coordinator"]
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sorted(sent.to) == ["cso2@example.org", "cso@example.org"]
    assert "KI0001-01" in sent.subject
    assert "shots fired near the door" in sent.body
    # The phone sends it again: no second alert, no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        submit(observer, client_id=client_id, form_code="incident", station_code="KI0001-01",
               answers={"category": "violence", "severity": "critical",
                        "description": "shots fired near the door"})
    assert Alert.objects.count() == 2
    assert len(mail.outbox) == 1
    assert not Alert.objects.filter(user__username="other-cso").exists()


def test_the_hub_counts_unread_alerts_and_the_alerts_page_marks_them_read(cso, observer,
                                                                           forms):
    report(observer, "incident", "KI0001-02", category="vote_buying", severity="critical",
           description="money handed out")
    hub = cso.get("/staff/observation/").content.decode()
    assert 'class="badge"' in hub
    assert ">1</span>" in hub
    page = cso.get("/staff/observation/alerts/")
    assert page.context["unread"] == 1
    assert "money handed out" in page.content.decode()
    assert cso.post("/staff/observation/alerts/", {"step": "read"}).status_code == 302
    assert cso.get("/staff/observation/alerts/").context["unread"] == 0
    assert 'class="badge"' not in cso.get("/staff/observation/").content.decode()
    assert cso.post("/staff/observation/alerts/", {"step": "read",
                                                    "alert": "1 OR 1=1"}).status_code == 400


# --- evidence photos -----------------------------------------------------------------------

def _upload(client, submission_id, content):
    """A multipart POST as the phone app sends it (no field at all when content is None)."""
    return client.post(f"/api/observation/submissions/{submission_id}/photos",
                       {"photo": SimpleUploadedFile("p.jpg", content, content_type="image/jpeg")}
                       if content is not None else {})


def test_an_observer_adds_photos_to_their_incident_and_the_coordinator_sees_them(
        client, users, observer, other, forms):
    incident = report(observer, "incident", "KI0001-01", category="intimidation",
                      severity="serious", description="a man shouting at voters")
    assert _upload(client, incident.pk, _jpeg()).status_code == 401
    client.force_login(users[Role.OBSERVER])
    response = _upload(client, incident.pk, _jpeg(exif=True))
    assert response.status_code == 201, response.content
    stored = EvidencePhoto.objects.get()
    assert bytes(stored.image)[:3] == b"\xff\xd8\xff"
    assert b"SecretCamera" not in bytes(stored.image)  # re-encoded: no camera data kept
    assert (stored.width, stored.height) == (64, 48)
    assert _upload(client, incident.pk, b"<html>not a photo</html>").status_code == 415
    assert _upload(client, incident.pk, _jpeg()[:200]).status_code == 415
    assert _upload(client, incident.pk, None).status_code == 400
    assert _upload(client, uuid.uuid4(), _jpeg()).status_code == 404
    opening = report(observer, "opening", "KI0001-01", opened_on_time=True)
    assert _upload(client, opening.pk, _jpeg()).status_code == 422
    for _ in range(4):
        assert _upload(client, incident.pk, _jpeg()).status_code == 201
    assert _upload(client, incident.pk, _jpeg()).status_code == 409  # five at most
    assert EvidencePhoto.objects.count() == 5
    # The coordinator sees them; another organisation's coordinator does not.
    client.force_login(users[Role.CSO_COORDINATOR])
    page = client.get("/staff/observation/incidents/?severity=serious")
    assert f"/staff/observation/photos/{stored.pk}" in page.content.decode()
    assert "a man shouting at voters" in page.content.decode()
    photo = client.get(f"/staff/observation/photos/{stored.pk}")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert client.get("/staff/observation/incidents/?severity=critical").context["rows"] == []
    client.force_login(User.objects.get(username="other-cso"))
    assert client.get(f"/staff/observation/photos/{stored.pk}").status_code == 404


def test_a_photo_too_large_is_refused_unread(client, users, observer, forms, settings):
    incident = report(observer, "incident", "KI0001-01", category="other", severity="minor",
                      description="x")
    client.force_login(users[Role.OBSERVER])
    from shafaf.observation import evidence

    big = b"\xff\xd8\xff" + b"0" * (evidence.MAX_UPLOAD_BYTES + 1)
    assert _upload(client, incident.pk, big).status_code == 413
    assert not EvidencePhoto.objects.exists()


# --- the dashboard, against a day counted by hand -------------------------------------------

@pytest.fixture
def polling_day(observer, forms) -> dict[str, Submission]:
    """Two stations (KI0001-01: 401 voters, KI0001-02: 402). By hand:
    opening: -01 on time, -02 late (then corrected to on time? no: stays late);
    voting: -01 10:00 40, 13:00 120; -02 10:00 60, 13:00 200, 16:00 300;
    incidents: violence critical at -01, vote buying minor at -02, violence serious at -02
    (that last one rejected by the coordinator)."""
    made = {
        "open1": report(observer, "opening", "KI0001-01", opened_on_time=True),
        "open2": report(observer, "opening", "KI0001-02", opened_on_time=False),
        "vote1": report(observer, "voting", "KI0001-01", voters_10=40, voters_13=120),
        "vote2": report(observer, "voting", "KI0001-02", voters_10=60, voters_13=200,
                        voters_16=300),
        "inc1": report(observer, "incident", "KI0001-01", category="violence",
                       severity="critical", description="ج"),
        "inc2": report(observer, "incident", "KI0001-02", category="vote_buying",
                       severity="minor", description="ب"),
        "inc3": report(observer, "incident", "KI0001-02", category="violence",
                       severity="serious", description="أ"),
    }
    Submission.objects.filter(pk=made["inc3"].pk).update(status=Verification.REJECTED)
    # The hours they were received, Baghdad time (UTC+3): 07:xx, 07:xx, 10:xx, 13:xx.
    for key, hour in (("open1", 4), ("open2", 4), ("vote1", 7), ("vote2", 10)):
        Submission.objects.filter(pk=made[key].pk).update(
            received=datetime(2023, 12, 18, hour, 30, tzinfo=UTC))
    return made


def test_the_dashboard_figures_match_the_hand_count(cso, polling_day):
    context = cso.get("/staff/observation/dashboard/").context
    assert context["expected"] == 8  # 2 assignments × 4 polling-day forms
    hours = {h["hour"]: h["row"] for h in context["hours"]}
    assert (hours["07:00"].received, hours["07:00"].cumulative) == (2, 2)
    assert (hours["10:00"].received, hours["10:00"].cumulative) == (1, 3)
    assert (hours["13:00"].received, hours["13:00"].cumulative) == (1, 4)
    assert context["received_total"] == 4
    assert (context["on_time"].stations, context["on_time"].on_time) == (2, 1)
    assert context["on_time_share"] == "50.0%"
    turnout = {t["hour"]: t["row"] for t in context["turnout"]}
    assert (turnout["10:00"].voters, turnout["10:00"].registered) == (100, 803)
    assert (turnout["13:00"].voters, turnout["13:00"].registered) == (320, 803)
    assert (turnout["16:00"].voters, turnout["16:00"].registered) == (300, 402)
    assert context["incidents"].total == 2  # the rejected one left out
    assert context["incidents"].by_category == {"violence": 1, "vote_buying": 1}
    assert [c["report"].pk for c in context["critical"]] == [polling_day["inc1"].pk]


def test_the_public_page_shows_verified_aggregates_only(client, polling_day, observer):
    observer.full_name = "زينب فريدة الخزرجي"  # a name no page's own words contain
    observer.save()
    page = client.get("/observation/")
    assert page.status_code == 200
    section = page.context["sections"][0]
    assert section["incidents"].total == 0
    assert section["on_time"].stations == 0
    Submission.objects.filter(pk__in=[polling_day["open1"].pk, polling_day["inc2"].pk,
                                      polling_day["vote2"].pk]).update(
        status=Verification.VERIFIED)
    page = client.get("/observation/")
    section = page.context["sections"][0]
    assert (section["on_time"].stations, section["on_time"].on_time) == (1, 1)
    assert section["incidents"].by_category == {"vote_buying": 1}
    assert {t["hour"]: t["row"].voters for t in section["turnout"]} == {
        "10:00": 60, "13:00": 200, "16:00": 300}
    html = page.content.decode()
    assert observer.full_name not in html
    assert observer.phone not in html
    # No report's words, no station code, no observer: aggregates only.
    assert "KI0001-0" not in html


# --- the statement --------------------------------------------------------------------------

def test_the_statement_is_published_with_verified_figures_as_a_page_and_a_pdf(
        cso, client, polling_day):
    Submission.objects.filter(pk=polling_day["inc1"].pk).update(status=Verification.VERIFIED)
    assert client.get("/observation/CSO-1/statement/").status_code == 404
    empty = cso.post("/staff/observation/statement/", {"text_ar": "   "})
    assert empty.status_code == 400
    assert not Statement.objects.exists()
    response = cso.post("/staff/observation/statement/", {
        "text_ar": "بيان الشبكة عن يوم الاقتراع", "text_en": "The network statement"})
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.figures["incidents"] == {"total": 1, "by_category": {"violence": 1},
                                              "by_governorate": {"IQ-KI": 1}}
    assert AuditEvent.objects.filter(action="observation.statement_published").count() == 1
    page = client.get("/observation/CSO-1/statement/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "بيان الشبكة عن يوم الاقتراع" in html
    assert "The network statement" in html
    pdf = client.get("/observation/CSO-1/statement.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    # The coordinator's words, and the figures: Kirkuk 2 of 12 stations, 1 incident there.
    assert "بيان الشبكة عن يوم الاقتراع" in text
    assert "The network statement" in text
    assert "كركوك" in text
    assert "16.7%" in text
    assert "16:00" in text
    assert client.get("/observation/NOPE/statement.pdf").status_code == 404
    assert client.get("/observation/" + "x" * 3000 + "/statement/").status_code == 404


# --- the demo ------------------------------------------------------------------------------

def test_the_demo_block_adds_photos_alerts_and_the_statement(organisation, observer, forms):
    from shafaf.observation import demo_dash

    assert demo_dash.load([]) == []
    demo_dash.load([organisation])  # no report yet: only the statement
    assert not EvidencePhoto.objects.exists()
    assert Statement.objects.get(organisation=organisation).published is not None
    report(observer, "incident", "KI0001-01", category="violence", severity="critical",
           description="x")
    Alert.objects.all().delete()
    demo_dash.load([organisation])
    assert EvidencePhoto.objects.count() == 1
    assert Alert.objects.filter(user__username="cso_coordinator").count() == 1


def test_the_public_page_leads_to_the_checks_of_the_count(client, db):
    """Anyone reading the observers' figures finds the findings on posted result forms
    and the PVT sample's verifier from there, and both open."""
    page = client.get("/observation/").content.decode()
    for href in ("/observation/findings/", "/pvt/verify/"):
        assert f'href="{href}"' in page
        assert client.get(href).status_code == 200
