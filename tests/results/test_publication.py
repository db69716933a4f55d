"""Certification and publication: refused while stations wait, files that match their
manifest and the audit chain, and the public pages, files and API."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.db import transaction
from django.test import Client
from pypdf import PdfReader

from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import Contest, PollingStation
from shafaf.results.adoption import station_result
from shafaf.results.models import Certification, Outcome, Publication, Source, StationResult
from shafaf.results.publication import FILES, certify, publish
from shafaf.results.refusals import ResultsRefused
from shafaf.results.settlement import settle
from tests.results.conftest import FormMaker
from tests.results.test_tabulation import VOTES

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "nist_1500_100_subset.schema.json"


@pytest.fixture
def board(kirkuk: Contest) -> User:
    return User.objects.create_user(username="board", role="commissioner")


@pytest.fixture
def admin(kirkuk: Contest) -> User:
    return User.objects.create_user(username="admin", role="admin")


def stations_of(contest: Contest) -> list[PollingStation]:
    return list(PollingStation.objects.filter(centre__governorate=contest.governorate)
                .order_by("code"))


def count(contest: Contest, make_form: FormMaker, stations: list[PollingStation]) -> None:
    for n, station in enumerate(stations):
        make_form(station, votes=VOTES[n % len(VOTES)], source=Source.MANUAL)
        with transaction.atomic():
            settle(result=station_result(station=station, contest=contest))


@pytest.fixture
def six_seats(kirkuk: Contest) -> Contest:
    kirkuk.general_seats = 6
    kirkuk.save()
    return kirkuk


def test_certification_is_refused_while_stations_wait_then_recorded(
        six_seats: Contest, make_form: FormMaker, board: User) -> None:
    stations = stations_of(six_seats)
    count(six_seats, make_form, stations[:9])
    with pytest.raises(ResultsRefused) as refused:
        certify(actor=board, contest=six_seats)
    assert refused.value.code == "results_stations_pending"
    assert refused.value.params["count"] == 3
    # A station at the audit centre still holds it back.
    count(six_seats, make_form, stations[9:])
    StationResult.objects.filter(station=stations[0]).update(outcome=Outcome.AUDIT)
    with pytest.raises(ResultsRefused) as refused:
        certify(actor=board, contest=six_seats)
    assert refused.value.params["count"] == 1
    StationResult.objects.filter(station=stations[0]).update(outcome=Outcome.ADOPTED)
    done = certify(actor=board, contest=six_seats)
    assert done.sha256 == hashlib.sha256(json.dumps(
        done.allocation, ensure_ascii=False, sort_keys=True,
        separators=(",", ":")).encode()).hexdigest()
    event = AuditEvent.objects.get(action="results.certify")
    assert event.data["sha256"] == done.sha256


def test_only_the_board_certifies_and_certified_publication_needs_it(
        six_seats: Contest, make_form: FormMaker, admin: User) -> None:
    count(six_seats, make_form, stations_of(six_seats))
    with pytest.raises(ResultsRefused) as refused:
        certify(actor=admin, contest=six_seats)
    assert refused.value.code == "results_not_allowed"
    with pytest.raises(ResultsRefused) as refused:
        publish(actor=admin, contest=six_seats, stage="certified")
    assert refused.value.code == "results_not_certified"


def files_of(publication: Publication) -> dict[str, bytes]:
    return {f.name: bytes(f.content) for f in publication.files.all()}


def test_a_publication_s_files_match_the_manifest_and_the_audit_event(
        six_seats: Contest, make_form: FormMaker, admin: User) -> None:
    stations = stations_of(six_seats)
    count(six_seats, make_form, stations[:6])
    publication = publish(actor=admin, contest=six_seats, stage="preliminary")
    files = files_of(publication)
    assert set(files) == set(FILES)
    manifest = json.loads(files["manifest.json"])
    assert manifest["stage"] == "preliminary"
    assert manifest["election"] == "gc-2023"
    assert manifest["governorate"] == "IQ-KI"
    assert manifest["seats"] == 6
    assert manifest["stations"]["counted"] == 6
    assert manifest["stations"]["total"] == 12
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    assert set(manifest["files"]) == set(FILES) - {"manifest.json"}
    digest = hashlib.sha256(files["manifest.json"]).hexdigest()
    assert publication.manifest_sha256 == digest
    event = AuditEvent.objects.get(action="results.publish")
    assert event.data["manifest_sha256"] == digest
    # The station-level files add up to the published totals.
    forms = list(csv.DictReader(io.StringIO(files["forms.csv"].decode())))
    assert [f["station_id"] for f in forms] == [s.code for s in stations[:6]]
    votes = list(csv.DictReader(io.StringIO(files["votes.csv"].decode())))
    allocation = json.loads(files["allocation.json"])
    by_list: dict[str, int] = {}
    for row in votes:
        by_list[row["list_id"]] = by_list.get(row["list_id"], 0) + int(row["votes"])
    assert by_list == {lst["list_id"]: lst["votes"] for lst in allocation["lists"]}
    assert allocation["stations"] == {"total": 6, "counted": 6, "quarantined": []}
    # NIST results validate against the schema subset.
    document = json.loads(files["results.nist.json"])
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    assert document["Status"] == "unofficial-partial"
    winners = [c for c in document["Election"][0]["Candidate"]
               if c["PostElectionStatus"] == "winner"]
    assert len(winners) == len(allocation["elected"])
    # The PDF, read back: Arabic, with the list names.
    pdf = PdfReader(io.BytesIO(files["results.pdf"]))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "كركوك" in text
    # Immutable once written.
    row = publication.files.get(name="votes.csv")
    row.content = b"forged"
    with pytest.raises(ValueError, match="never changed"):
        row.save()


def test_certified_publication_after_certification(
        six_seats: Contest, make_form: FormMaker, admin: User, board: User) -> None:
    count(six_seats, make_form, stations_of(six_seats))
    certification = certify(actor=board, contest=six_seats)
    publication = publish(actor=admin, contest=six_seats, stage="certified")
    assert publication.certification == certification
    files = files_of(publication)
    allocation = json.loads(files["allocation.json"])
    allocation.pop("stations")
    certified = dict(certification.allocation)
    certified.pop("stations")
    assert allocation == certified
    assert json.loads(files["results.nist.json"])["Status"] == "certified"
    assert Certification.objects.count() == 1


def test_public_pages_files_and_api(six_seats: Contest, make_form: FormMaker, admin: User,
                                    client: Client) -> None:
    assert 'href="/results/gc-2023/"' not in client.get("/").content.decode()
    page = client.get("/results/gc-2023/IQ-KI/")
    assert page.status_code == 200
    assert "لم تُنشر أي نتائج لهذه المحافظة بعد" in page.content.decode()
    assert client.get("/results/gc-2023/IQ-KI/votes.csv").status_code == 404
    assert client.get("/api/results/gc-2023/IQ-KI").status_code == 404
    assert client.get("/results/gc-2023/manifest.json").status_code == 404
    count(six_seats, make_form, stations_of(six_seats)[:3])
    publication = publish(actor=admin, contest=six_seats, stage="preliminary")
    files = files_of(publication)
    page = client.get("/results/gc-2023/IQ-KI/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "<svg" in body
    assert body.count("<circle") >= 6
    assert "3 of 12 stations counted" in body
    for name in FILES:
        response = client.get(f"/results/gc-2023/IQ-KI/{name}")
        assert response.status_code == 200, name
        assert response.content == files[name]
    assert client.get("/results/gc-2023/IQ-KI/results.pdf")["Content-Type"] == "application/pdf"
    assert client.get("/results/gc-2023/IQ-KI/votes.csv")["Content-Type"].startswith("text/csv")
    assert client.get("/results/gc-2023/IQ-KI/../../etc").status_code == 404
    assert client.get("/results/gc-2023/IQ-KI/other.csv").status_code == 404
    api = client.get("/api/results/gc-2023/IQ-KI").json()
    allocation = json.loads(files["allocation.json"])
    assert api["lists"] == allocation["lists"]
    assert api["elected"] == allocation["elected"]
    assert {"list_id", "votes", "seats"} <= set(api["lists"][0])
    index = client.get("/results/gc-2023/manifest.json").json()
    assert index["governorates"] == [{
        "governorate": "IQ-KI", "stage": "preliminary",
        "published_at": publication.published_at.isoformat(timespec="seconds"),
        "manifest": "IQ-KI/manifest.json", "manifest_sha256": publication.manifest_sha256}]
    overview = client.get("/results/gc-2023/").content.decode()
    assert "/results/gc-2023/IQ-KI/" in overview
    # The home page leads a visitor to every election's published results.
    assert 'href="/results/gc-2023/"' in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_command_publishes_and_refuses(kirkuk: Contest, make_form: FormMaker,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from shafaf.cli.main import main

    User.objects.create_user(username="admin", role="admin")
    User.objects.create_user(username="board", role="commissioner")
    kirkuk.general_seats = 6
    kirkuk.save()
    count(kirkuk, make_form, stations_of(kirkuk)[:2])
    assert main(["results", "certify", "--election", "gc-2023", "--governorate", "IQ-KI",
                 "--as", "board"]) == 2
    assert "10 station(s)" in capsys.readouterr().err
    assert main(["results", "publish", "--election", "gc-2023", "--governorate", "iq-ki",
                 "--stage", "certified", "--as", "admin"]) == 2
    assert main(["results", "publish", "--election", "gc-2023", "--governorate", "IQ-KI",
                 "--stage", "preliminary", "--as", "admin"]) == 0
    out = capsys.readouterr().out
    publication = Publication.objects.get()
    assert publication.manifest_sha256 in out
    assert "2 of 12 stations counted" in out
    assert main(["results", "publish", "--election", "nope", "--stage", "preliminary",
                 "--as", "admin"]) == 2


def test_the_staff_page_tabulates_live_and_its_buttons_certify_and_publish(
        six_seats: Contest, make_form: FormMaker, admin: User, board: User) -> None:
    stations = stations_of(six_seats)
    count(six_seats, make_form, stations[:11])
    page = Client()
    page.force_login(board)
    url = "/staff/results/tabulation/?election=gc-2023&governorate=IQ-KI"
    body = page.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "11 of 12 stations counted" in body
    assert "/staff/results/tabulation/gc-2023/IQ-KI/certify/" in body
    assert "/publish/" not in body  # the Board certifies; it does not publish
    answer = page.post("/staff/results/tabulation/gc-2023/IQ-KI/certify/", {"lot_seed": ""},
                       follow=True)
    assert "still awaiting" in answer.content.decode() or "لا تزال" in answer.content.decode()
    assert not Certification.objects.exists()
    count(six_seats, make_form, stations[11:])
    answer = page.post("/staff/results/tabulation/gc-2023/IQ-KI/certify/",
                       {"lot_seed": "x" * 5000}, follow=True)
    assert answer.status_code == 200
    assert not Certification.objects.exists()  # a seed beyond the limit is refused
    page.post("/staff/results/tabulation/gc-2023/IQ-KI/certify/", {"lot_seed": ""})
    assert Certification.objects.count() == 1
    staff = Client()
    staff.force_login(admin)
    staff.post("/staff/results/tabulation/gc-2023/IQ-KI/publish/", {"stage": "certified"})
    assert Publication.objects.get().stage == "certified"
    staff.post("/staff/results/tabulation/gc-2023/IQ-KI/publish/", {"stage": "nonsense"})
    assert Publication.objects.count() == 1
