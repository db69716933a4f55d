"""The public pages of the exhibition: what they show and never show, the voter's
own door (find my entry, object) and its 429, the published decisions, the final
hash; the office's and the finaliser's pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import CalendarPhase
from shafaf.register import objections
from shafaf.register.models import Finalisation, Objection, Status
from tests.register.exhibition_world import MOTHERS, load, make_election, make_users, voter

CENTRE = "/register/exhibition/IQ-KI/KI0001/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def election(db):
    election = make_election()
    load(election)
    today = timezone.localdate()
    CalendarPhase.objects.filter(election=election, phase="register_exhibition").update(
        starts=today - timedelta(days=5), ends=today + timedelta(days=5))
    return election


@pytest.fixture
def users(election):
    return make_users()


def english(client: Client) -> Client:
    client.cookies["shafaf_language"] = "en"
    return client


def test_a_centre_page_shows_enough_to_find_oneself_and_no_more(election):
    html = english(Client()).get(CENTRE).content.decode()
    assert "أحمد علي ح. ج." in html  # first and father's names, then initials
    assert "زينب محمد ج." in html
    assert "1980" in html
    assert "1990" in html
    for secret in (*MOTHERS, "1980-05-01", "1990-12-31", "100000001", "حسين", "الجبوري",
                   "31/12/1990"):
        assert secret not in html, secret
    assert "•••••0001" in html
    # Kirkuk's other centre and Basra's voters are on their own pages only.
    assert "كاروان" not in html
    assert "إبراهيم" not in html


def test_the_register_is_shown_only_while_on_display(election):
    phase = CalendarPhase.objects.filter(election=election, phase="register_exhibition")
    today = timezone.localdate()
    phase.update(starts=today + timedelta(days=1), ends=today + timedelta(days=9))
    html = english(Client()).get(CENTRE).content.decode()
    assert "on display from" in html
    assert "أحمد" not in html
    phase.update(starts=today - timedelta(days=9), ends=today - timedelta(days=1))
    html = english(Client()).get(CENTRE).content.decode()
    assert "exhibition closed" in html
    assert "أحمد" not in html


def test_a_voter_finds_their_entry_and_guessing_is_throttled(election):
    client = english(Client())
    found = client.post("/register/exhibition/find/",
                        {"voter_number": "100000002", "birth_year": "1990"})
    assert found.status_code == 200
    assert "زينب محمد" in found.content.decode()
    assert "مريم عباس" not in found.content.decode()
    for _ in range(10):
        wrong = client.post("/register/exhibition/find/",
                            {"voter_number": "100000002", "birth_year": "1991"})
        assert wrong.status_code == 404
    blocked = client.post("/register/exhibition/find/",
                          {"voter_number": "100000002", "birth_year": "1990"})
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.content.decode()
    # Another address is not held back.
    other = Client(REMOTE_ADDR="10.0.0.9").post(
        "/register/exhibition/find/", {"voter_number": "100000002", "birth_year": "1990"})
    assert other.status_code == 200


def _objection(entry: int, **more):
    return {"ground": "deceased", "statement": "died last year", "evidence": "", **more}


def test_a_voter_objects_with_their_own_number_and_birth_year(election):
    client = english(Client())
    entry = voter("100000001").pk
    url = f"/register/exhibition/object/?entry={entry}"
    refused = client.post(url, _objection(entry, voter_number="100000002", birth_year="1950"))
    assert refused.status_code == 400
    assert "No voter in the register" in refused.content.decode()
    assert not Objection.objects.exists()
    pdf = SimpleUploadedFile("death.pdf", b"%PDF-1.4\ntrailer<<>>\n%%EOF\n")
    filed = client.post(url, _objection(entry, voter_number="100000002", birth_year="1990",
                                        evidence_file=pdf))
    assert filed.status_code == 200
    objection = Objection.objects.get()
    assert f"Objection number {objection.pk} is filed" in filed.content.decode()
    assert (objection.filed_by_voter, objection.filed_by) == (voter("100000002"), None)
    assert objection.evidence_type == "application/pdf"
    assert AuditEvent.objects.filter(action="register.objection_filed").count() == 1


def test_the_public_objection_form_answers_429_after_ten_failures(election):
    client = english(Client())
    url = f"/register/exhibition/object/?entry={voter('100000001').pk}"
    for _ in range(10):
        assert client.post(url, _objection(0, voter_number="123",
                                           birth_year="1990")).status_code == 400
    blocked = client.post(url, _objection(0, voter_number="100000002", birth_year="1990"))
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert not Objection.objects.exists()


def test_a_disguised_file_is_refused_with_a_message(election, users):
    client = english(Client())
    client.force_login(users[Role.ENTITY_AGENT])
    url = f"/register/exhibition/object/?entry={voter('100000001').pk}"
    page = client.post(url, _objection(0, evidence_file=SimpleUploadedFile(
        "death.pdf", b"<html><script>alert(1)</script></html>")))
    assert page.status_code == 200
    assert "must be a PDF, JPEG or PNG" in page.content.decode()
    assert not Objection.objects.exists()
    hostile = client.post(url, {"ground": "nonsense", "statement": "x" * 5000})
    assert hostile.status_code == 400


def test_decisions_are_published_without_names(election, users):
    objection = objections.file_objection(
        actor=users[Role.OBSERVER], election=election, entry=voter("100000001"),
        ground="duplicate", statement="twice", other_entry=voter("100000003"))
    manager = users[Role.OFFICE_MANAGER]
    client = english(Client())
    client.force_login(manager)
    page = client.get(f"/staff/register/objections/{objection.pk}/")
    assert "أحمد" in page.content.decode()  # the office sees the entry in full
    answer = client.post(f"/staff/register/objections/{objection.pk}/",
                         {"step": "uphold", "reason": "the same person, registered twice"})
    assert answer.status_code == 302
    client.post(f"/staff/register/objections/{objection.pk}/", {"step": "apply"})
    assert voter("100000001").status == Status.REMOVED
    html = english(Client()).get("/register/exhibition/decisions/").content.decode()
    assert "the same person, registered twice" in html
    assert "KI0001" in html
    assert "upheld and applied" in html
    for secret in ("أحمد", "100000001", "100000003", *MOTHERS):
        assert secret not in html


def test_the_final_hash_is_public(election, users):
    Finalisation.objects.create(election=election, at=timezone.now(), voters=6,
                                sha256="ab" * 32, actor=users[Role.ADMIN])
    html = english(Client()).get("/register/exhibition/").content.decode()
    assert "ab" * 32 in html
    assert "The register is final" in html
    assert "أحمد" not in english(Client()).get(CENTRE).content.decode()


def test_the_finalise_page_confirms_first(election, users):
    client = english(Client())
    client.force_login(users[Role.ADMIN])
    page = client.get("/staff/register/finalise/")
    assert "I confirm" in page.content.decode()
    assert client.post("/staff/register/finalise/", {}).status_code == 400
    refused = client.post("/staff/register/finalise/", {"confirm": "on"})
    assert "finalised after the exhibition" in refused.content.decode()
    assert not Finalisation.objects.exists()


def test_the_evidence_file_goes_only_to_the_office_and_is_recorded(election, users):
    pdf = b"%PDF-1.4\ntrailer<<>>\n%%EOF\n"
    objection = objections.file_objection(
        actor=users[Role.ENTITY_AGENT], election=election, entry=voter("100000001"),
        ground="deceased", statement="died", evidence_file=pdf)
    url = f"/staff/register/objections/{objection.pk}/evidence"
    agent = Client()
    agent.force_login(users[Role.ENTITY_AGENT])
    assert agent.get(url).status_code == 403
    office = Client()
    office.force_login(users[Role.OFFICE_MANAGER])
    response = office.get(url)
    assert response.status_code == 200
    assert response.content == pdf
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    event = AuditEvent.objects.get(action="register.objection_evidence_read")
    assert event.data == {"objection": objection.pk}


@pytest.mark.parametrize("entry", ["", "abc", "-1", "9" * 40, "١٢", "1e5"])
def test_a_malformed_entry_is_not_found(election, entry):
    response = Client().get("/register/exhibition/object/", {"entry": entry})
    assert response.status_code == 404


def test_an_objection_number_beyond_any_column_is_not_found(election, users):
    client = Client()
    client.force_login(users[Role.OFFICE_MANAGER])
    for url in ("/staff/register/objections/99999999999999999999999/",
                "/staff/register/objections/99999999999999999999999/evidence"):
        assert client.get(url).status_code == 404
    assert client.post("/staff/register/objections/99999999999999999999999/",
                       {"step": "uphold", "reason": "x"}).status_code == 404


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header announces ``width`` × ``height`` pixels, with no pixels."""
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


@pytest.mark.parametrize(("content", "message", "status"), [
    (b"%PDF-" + b"0" * (3 * 1024 * 1024), "larger than 2048 KB", 400),
    (_png_header(30000, 30000), "damaged or cannot be read", 200),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "damaged or cannot be read", 200),
    (b"%PDF-1.4 but cut short", "damaged or cannot be read", 200),
])
def test_hostile_evidence_files_are_refused_with_a_message(election, users, content,
                                                            message, status):
    client = english(Client())
    client.force_login(users[Role.OBSERVER])
    url = f"/register/exhibition/object/?entry={voter('100000001').pk}"
    page = client.post(url, _objection(0, evidence_file=SimpleUploadedFile("e.pdf", content)))
    assert page.status_code == status
    assert message in page.content.decode()
    assert not Objection.objects.exists()


@pytest.mark.parametrize("url", ["/register/exhibition/IQ-XX/",
                                 "/register/exhibition/IQ-XX/KI0001/"])
def test_a_governorate_that_does_not_exist_is_not_found_in_any_phase(db, client, url) -> None:
    assert client.get(url).status_code == 404
