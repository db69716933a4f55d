"""The register's staff pages for stations, voter lists and voters: what a user sees,
within their governorate, and what an export leaves in the audit log."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import PollingCentre, PollingStation
from shafaf.register import stations
from shafaf.register.models import Voter, VoterChange
from tests.register.test_stations import election  # noqa: F401 (a fixture)
from tests.web.test_permissions import _unvarying


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_role(client, users):
    def login(role: Role):
        client.force_login(users[role])
        return client
    return login


def _centre(code: str) -> PollingCentre:
    return PollingCentre.objects.get(code=code)


def test_the_administrator_fills_the_stations_from_the_page(as_role, election):  # noqa: F811
    client = as_role(Role.ADMIN)
    page = client.get("/staff/register/stations/").content.decode()
    assert "KI0001" in page
    assert "BA0001" in page
    client.cookies["shafaf_language"] = "en"
    response = client.post("/staff/register/stations/", {"election": "gc-2023",
                                                         "confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert PollingStation.objects.filter(centre__code="KI0001").count() == 3
    assert "8 voters in 2 centres fill 5 stations" in response.content.decode()
    assert AuditEvent.objects.filter(action="register.assign_stations").count() == 1


def test_filling_needs_the_confirmation(as_role, election):  # noqa: F811
    response = as_role(Role.ADMIN).post("/staff/register/stations/", {"election": "gc-2023"})
    assert response.status_code == 400
    assert not PollingStation.objects.exists()


def test_the_register_officer_sees_only_kirkuks_centres_and_no_fill_button(as_role,
                                                                           election):  # noqa: F811
    page = as_role(Role.REGISTER_OFFICER).get("/staff/register/stations/").content.decode()
    assert "KI0001" in page
    assert "BA0001" not in page
    assert 'name="confirm"' not in page


def test_a_stations_list_is_downloaded_as_pdf_and_audited(as_role, election):  # noqa: F811
    stations.assign_stations(actor=None, election=election)
    client = as_role(Role.REGISTER_OFFICER)
    centre = _centre("KI0001")
    page = client.get(f"/staff/register/centres/{centre.pk}/").content.decode()
    assert "KI0001-03" in page
    response = client.post(f"/staff/register/centres/{centre.pk}/lists/",
                           {"kind": "polling-day", "station": "2"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "KI0001-02-polling-day.pdf" in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    event = AuditEvent.objects.get(action="register.print_voter_lists")
    assert (event.actor_username, event.data["centre"], event.data["station"],
            event.data["kind"], event.data["voters"]) == (
        "register_officer", "KI0001", 2, "polling-day", 2)


def test_a_list_download_refuses_bad_input_and_unknown_stations(as_role, election):  # noqa: F811
    stations.assign_stations(actor=None, election=election)
    client = as_role(Role.ADMIN)
    url = f"/staff/register/centres/{_centre('KI0001').pk}/lists/"
    assert client.post(url, {"kind": "everything"}).status_code == 400
    assert client.post(url, {"kind": "posted", "station": "x" * 5000}).status_code == 400
    assert client.post(url, {"kind": "posted", "station": "77"}).status_code == 404
    assert not AuditEvent.objects.filter(action="register.print_voter_lists").exists()


def _search(client, **form):
    return client.post("/staff/register/voters/", form)


def test_search_by_number_and_by_folded_name_prefix(as_role, election):  # noqa: F811
    client = as_role(Role.ADMIN)
    found = _search(client, number="100000001").content.decode()
    assert "أحمد" in found
    assert "/staff/register/voters/100000001/" in found
    assert "/staff/register/voters/100000002/" not in found
    # Alef without hamza finds أحمد, إبراهيم and آمنة; a prefix is enough.
    page = _search(client, first_name="ا").content.decode()
    assert all(name in page for name in ("أحمد", "إبراهيم", "آمنة"))
    assert "باسم" not in page
    page = _search(client, first_name="احمد", father_name="كاظ").content.decode()
    assert "100000001" in page
    assert "100000003" not in page
    assert _search(client, first_name="احمد", father_name="زيد").content.decode().count(
        "/staff/register/voters/1") == 0


def test_search_refuses_a_gap_in_the_names_and_an_empty_form(as_role, election):  # noqa: F811
    client = as_role(Role.ADMIN)
    assert _search(client, first_name="", father_name="كاظم").status_code == 400
    assert _search(client).status_code == 400
    assert _search(client, first_name="x" * 5000).status_code == 400


def test_the_officer_finds_no_voter_of_another_governorate(as_role, election):  # noqa: F811
    client = as_role(Role.REGISTER_OFFICER)
    page = _search(client, number="200000001").content.decode()
    assert "/staff/register/voters/200000001/" not in page
    page = _search(client, first_name="ز").content.decode()  # زينب is in Basra
    assert "زينب" not in page
    unknown = client.get("/staff/register/voters/999999999/")
    other = client.get("/staff/register/voters/200000001/")
    assert unknown.status_code == other.status_code == 404
    assert _unvarying(unknown.content) == _unvarying(other.content)


def test_a_voters_page_shows_the_record_and_its_history(as_role, election):  # noqa: F811
    voter = Voter.objects.get(voter_number="100000001")
    VoterChange.objects.create(voter=voter, at=timezone.now(), before={"family_name": ""},
                               after={"family_name": "الطائي",
                                      "centre_id": _centre("KI0001").pk},
                               reason="correction of data")
    page = as_role(Role.REGISTER_OFFICER).get("/staff/register/voters/100000001/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "أحمد كاظم جواد الطائي" in text
    assert "سعاد حسن" in text  # the mother's name
    assert "correction of data" in text
    assert "KI0001" in text
    assert page["Cache-Control"].startswith("max-age=0")


def test_hostile_input_gets_a_4xx(as_role, election):  # noqa: F811
    client = as_role(Role.ADMIN)
    assert client.post("/staff/register/stations/", {"election": "x" * 10_000,
                                                     "governorate": "\x00",
                                                     "confirm": "on"}).status_code == 400
    assert client.get("/staff/register/stations/?election=nope&page=-1").status_code == 200
    assert client.get("/staff/register/stations/?election=%00").status_code == 400
    assert client.get("/staff/register/voters/" + "9" * 5_000 + "/").status_code == 404
    assert _search(client, number="\u202e100000001", page="0").status_code == 400
    assert not PollingStation.objects.exists()
