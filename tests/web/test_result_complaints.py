"""Complaints' pages: filing by an agent and by a voter (identified, throttled), the
Board's steps on the complaint's page, the audited evidence, the public decisions page
without names."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import PollingCentre
from shafaf.entities.models import EntityAgent
from shafaf.entities.synthetic import create_entities
from shafaf.register.models import Voter
from shafaf.results.models import ResultComplaint, StationResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """Pages in English, so that the tests read their sentences."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def polled_today(stations):
    """The election's polling day is today: complaints are in time."""
    stations.polling_day = timezone.localdate()
    stations.save(update_fields=["polling_day"])
    _own, _other = create_entities(stations, lists={"IQ-KI": 2, "IQ-BA": 2},
                                  candidates_per_list=3, numbered=True)
    return stations


@pytest.fixture
def voter(polled_today) -> Voter:
    centre = PollingCentre.objects.get(election=polled_today, code="KI0001")
    now = timezone.now()
    return Voter.objects.create(
        voter_number="123456789012", first_name="علي", father_name="حسن",
        grandfather_name="كاظم", family_name="", mother_name="زينب عباس", sex="M",
        birth_date="1980-05-01", governorate_id=centre.governorate_id, centre=centre,
        sort_key="x", created=now, updated=now)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3, 3), (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


def _filing(polled_today, place: str = "KI0001-01", **extra) -> dict[str, object]:
    return {"election": polled_today.pk, "place": place, "ground": "count_error",
            "statement": "The tally was changed after the agents left.", **extra}


def test_an_agent_files_and_the_board_orders_a_recount(client, polled_today, users):
    client.force_login(users[Role.ENTITY_AGENT])
    response = client.post("/staff/results/complaints/new/", _filing(
        polled_today, evidence_file=SimpleUploadedFile("e.png", _png())))
    complaint = ResultComplaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/results/complaints/{complaint.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert complaint.number in page
    assert "/evidence" not in page  # the agent does not decide: no evidence link
    assert client.get(f"/staff/results/complaints/{complaint.pk}/evidence").status_code == 403
    client.force_login(users[Role.COMMISSIONER])
    page = client.get(f"/staff/results/complaints/{complaint.pk}/").content.decode()
    assert 'value="class_red"' in page
    assert 'value="recount"' not in page
    evidence = client.get(f"/staff/results/complaints/{complaint.pk}/evidence")
    assert (evidence.status_code, evidence.content) == (200, _png())
    assert AuditEvent.objects.filter(action="results.complaint_evidence_read").count() == 1
    url = f"/staff/results/complaints/{complaint.pk}/"
    assert client.post(url, {"step": "class_red", "reason": "Red."}).status_code == 302
    assert client.post(url, {"step": "recount", "reason": "Recount."}).status_code == 302
    result = StationResult.objects.get(station=complaint.station)
    assert (result.outcome, result.board_order) == ("audit", "recount")
    page = client.get(url).content.decode()
    assert 'value="recount"' not in page
    # The agent may appeal the Board's decision; the Board may not.
    assert client.post(url, {"step": "appeal", "grounds": "x"}).status_code == 403
    client.force_login(users[Role.ENTITY_AGENT])
    assert 'value="appeal"' in client.get(url).content.decode()


def test_a_step_the_table_does_not_give_is_refused_on_the_page(client, polled_today, users):
    client.force_login(users[Role.OBSERVER])
    client.post("/staff/results/complaints/new/", _filing(polled_today, place="KI0002"))
    complaint = ResultComplaint.objects.get()
    assert complaint.station is None
    assert complaint.centre.code == "KI0002"
    client.force_login(users[Role.COMMISSIONER])
    url = f"/staff/results/complaints/{complaint.pk}/"
    response = client.post(url, {"step": "cancel", "reason": "x"})
    assert response.status_code == 200
    assert "cannot be taken" in response.content.decode()
    response = client.post(url, {"step": "class_red", "reason": ""})
    assert "Give the reason" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == "filed"


def test_the_filing_form_refuses_an_unknown_place_and_a_late_complaint(client, polled_today,
                                                                         users):
    client.force_login(users[Role.CSO_COORDINATOR])
    response = client.post("/staff/results/complaints/new/", _filing(polled_today, "ZZ9999"))
    assert response.status_code == 400
    polled_today.polling_day = timezone.localdate().replace(year=2023)
    polled_today.save(update_fields=["polling_day"])
    response = client.post("/staff/results/complaints/new/", _filing(polled_today))
    assert response.status_code == 200
    assert "the period is over" in response.content.decode()
    assert not ResultComplaint.objects.exists()


@pytest.mark.parametrize(("content", "problem"), [
    (b"GIF89a not a picture we take", "PDF, JPEG or PNG"),
    (b"\x89PNG\r\n\x1a\n broken", "cannot be read"),
    (b"%PDF-1.4" + b"\0" * (2 * 1024 * 1024 + 1), "larger than"),
])
def test_hostile_evidence_on_the_page(client, polled_today, users, content, problem):
    client.force_login(users[Role.OBSERVER])
    response = client.post("/staff/results/complaints/new/", _filing(
        polled_today, evidence_file=SimpleUploadedFile("e.png", content)))
    assert response.status_code in (200, 400)
    assert problem in response.content.decode()
    assert not ResultComplaint.objects.exists()


def test_a_voter_files_from_the_public_form(client, voter, polled_today):
    response = client.post("/results/complaints/new/", _filing(
        polled_today, voter_number=voter.voter_number, birth_year=1980))
    assert response.status_code == 200
    complaint = ResultComplaint.objects.get()
    assert (complaint.filed_by_voter, complaint.filed_by) == (voter, None)
    assert complaint.number in response.content.decode()


def test_a_wrong_identity_files_nothing_and_is_throttled(client, voter, polled_today):
    for _ in range(10):
        response = client.post("/results/complaints/new/", _filing(
            polled_today, voter_number=voter.voter_number, birth_year=1981))
        assert response.status_code == 400
    response = client.post("/results/complaints/new/", _filing(
        polled_today, voter_number=voter.voter_number, birth_year=1980))
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert not ResultComplaint.objects.exists()
    other = client.post("/results/complaints/new/", _filing(
        polled_today, voter_number=voter.voter_number, birth_year=1980),
        REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200
    assert ResultComplaint.objects.count() == 1


def test_the_public_decisions_page_names_nobody(client, polled_today, users):
    EntityAgent.objects.filter(user=users[Role.ENTITY_AGENT]).delete()
    client.force_login(users[Role.ENTITY_AGENT])
    client.post("/staff/results/complaints/new/", _filing(polled_today))
    complaint = ResultComplaint.objects.get()
    client.force_login(users[Role.COMMISSIONER])
    client.post(f"/staff/results/complaints/{complaint.pk}/",
                {"step": "class_green", "reason": "Campaign posters, noted."})
    client.logout()
    page = client.get("/results/complaints/decisions/").content.decode()
    assert complaint.number in page
    assert "Campaign posters, noted." in page
    assert "entity_agent" not in page
    assert "commissioner" not in page
    assert "The tally was changed" not in page  # the statement is not published


HUGE = str(2**64)
LONG = "ط" * 5000


@pytest.mark.parametrize("fields", [
    {"election": HUGE}, {"ground": "<script>"}, {"statement": LONG}, {"place": LONG},
    {"election": "x"}, {"statement": ""},
])
def test_a_hostile_filing_gets_400_and_writes_nothing(client, polled_today, users, fields):
    client.force_login(users[Role.OBSERVER])
    response = client.post("/staff/results/complaints/new/", {**_filing(polled_today),
                                                              **fields})
    assert response.status_code == 400
    assert response.context["lines"]
    assert not ResultComplaint.objects.exists()


def test_hostile_steps_and_ids(client, polled_today, users):
    client.force_login(users[Role.OBSERVER])
    client.post("/staff/results/complaints/new/", _filing(polled_today))
    complaint = ResultComplaint.objects.get()
    client.force_login(users[Role.ADMIN])
    url = f"/staff/results/complaints/{complaint.pk}/"
    for fields in ({"step": "class_red", "reason": LONG}, {"step": "uphold", "candidate": HUGE},
                   {"step": "overturn", "panel_order": "burn"}, {"step": HUGE}):
        assert client.post(url, fields).status_code == 400
    assert client.get(f"/staff/results/complaints/{HUGE}/").status_code == 404
    assert client.get(f"/staff/results/complaints/{HUGE}/evidence").status_code == 403
    complaint.refresh_from_db()
    assert complaint.state == "filed"
