"""Quality: the coordinator's reports with filters, a flagged report beside the other
observer's, verdicts one at a time and by selection (audited), the accreditation
staff reading every organisation's reports but deciding none."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.test import Client

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import Governorate, PollingStation
from shafaf.observation.models import (
    Assignment,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationStatus,
    Submission,
)
from shafaf.observation.submissions import submit
from tests.web.conftest import PASSWORD

CLOSING = {"closed_at": "18:00", "voters_total": 300}


def _client(users, role: Role) -> Client:
    client = Client()
    assert client.login(username=users[role].username, password=PASSWORD)
    return client


def _second_observer(organisation: Organisation, phone: str = "") -> Observer:
    made = Observer.objects.create(
        organisation=organisation, full_name="مراقبة ثانية", birth_date=date(1991, 2, 2),
        sex="F", governorate=Governorate.objects.get(code="IQ-KI"),
        status=ObserverStatus.ACCREDITED, phone=phone)
    station = PollingStation.objects.get(code="KI0001-01")
    Assignment.objects.create(observer=made, station=station, centre=station.centre)
    return made


@pytest.fixture
def reports(observer, organisation):
    other = _second_observer(organisation)
    mine, _ = submit(observer, client_id=uuid.uuid4(), form_code="closing",
                     station_code="KI0001-01", answers=CLOSING)
    theirs, _ = submit(other, client_id=uuid.uuid4(), form_code="closing",
                       station_code="KI0001-01", answers={**CLOSING, "voters_total": 350})
    calm, _ = submit(observer, client_id=uuid.uuid4(), form_code="incident",
                     station_code="KI0001-02",
                     answers={"category": "campaigning", "severity": "minor",
                              "description": "posters"})
    return mine, theirs, calm


def test_a_flagged_report_shows_the_other_observers_answers(users, reports):
    mine, theirs, _ = reports
    client = _client(users, Role.CSO_COORDINATOR)
    text = client.get(f"/staff/observation/submissions/{mine.pk}/").content.decode()
    assert "مراقبة ثانية" in text
    assert "350" in text
    assert "300" in text
    assert 'class="differs"' in text
    listing = client.get("/staff/observation/submissions/?conflict=yes").content.decode()
    assert str(mine.pk) in listing
    assert str(theirs.pk) in listing
    assert str(reports[2].pk) not in listing
    only = client.get("/staff/observation/submissions/?form=incident").content.decode()
    assert str(reports[2].pk) in only
    assert str(mine.pk) not in only


def test_verify_one_and_reject_a_selection_with_a_reason(users, reports):
    mine, theirs, calm = reports
    client = _client(users, Role.CSO_COORDINATOR)
    response = client.post(f"/staff/observation/submissions/{calm.pk}/", {"step": "verify"})
    assert response.status_code == 302
    assert Submission.objects.get(pk=calm.pk).status == "verified"
    refused = client.post("/staff/observation/submissions/",
                          {"step": "reject", "selected": [str(mine.pk), str(theirs.pk)]})
    assert refused.status_code == 400  # no reason
    client.post("/staff/observation/submissions/", {
        "step": "reject", "reason": "counted twice", "selected": [str(mine.pk),
                                                                   str(theirs.pk)]})
    assert set(Submission.objects.filter(status="rejected").values_list("pk", flat=True)) \
        == {mine.pk, theirs.pk}
    page = client.get(f"/staff/observation/submissions/{mine.pk}/").content.decode()
    assert "counted twice" in page
    assert AuditEvent.objects.filter(action="observation.report_rejected").count() == 1
    assert AuditEvent.objects.filter(action="observation.report_verified").count() == 1
    verified = client.get("/staff/observation/submissions/?status=verified").content.decode()
    assert str(calm.pk) in verified
    assert str(mine.pk) not in verified


def test_another_organisations_reports_are_out_of_reach(users, reports, stations):
    mine = reports[0]
    rival = Organisation.objects.create(
        election=stations, name_ar="أخرى", contact_name="y", contact_email="y@example.org",
        status=OrganisationStatus.APPROVED, code="CSO-2")
    rival.coordinators.create(user=users[Role.ENTITY_AGENT])
    client = _client(users, Role.ENTITY_AGENT)
    assert client.get(f"/staff/observation/submissions/{mine.pk}/").status_code == 404
    assert client.post(f"/staff/observation/submissions/{mine.pk}/",
                       {"step": "verify"}).status_code == 404
    assert str(mine.pk) not in client.get("/staff/observation/submissions/").content.decode()
    client.post("/staff/observation/submissions/", {"step": "verify",
                                                    "selected": [str(mine.pk)]})
    assert Submission.objects.get(pk=mine.pk).status == "pending"


def test_the_accreditation_staff_read_every_report_and_decide_none(users, reports):
    mine = reports[0]
    admin = _client(users, Role.ADMIN)
    assert str(mine.pk) in admin.get("/staff/observation/submissions/").content.decode()
    page = admin.get(f"/staff/observation/submissions/{mine.pk}/")
    assert page.status_code == 200
    assert 'name="step"' not in page.content.decode()
    assert admin.post(f"/staff/observation/submissions/{mine.pk}/",
                      {"step": "verify"}).status_code == 403
    assert Submission.objects.get(pk=mine.pk).status == "pending"
    assert _client(users, Role.OBSERVER).get(
        "/staff/observation/submissions/").status_code == 403
