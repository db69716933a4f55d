"""Counting devices, transmissions and late stations: the staff pages and the
commands (docs/results-transmission.md)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from shafaf import signatures
from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.cli.main import main
from shafaf.core import transmission as wire
from shafaf.elections.models import Election
from shafaf.entities.synthetic import create_entities
from shafaf.results.models import CountingDevice, StationResult, Transmission
from shafaf.results.transmissions import register_devices

KIRKUK = 12  # stations in the fixture
BASRA = 10


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _future(election: Election) -> Election:
    election.polling_day = timezone.localdate() + timedelta(days=30)
    election.save(update_fields=["polling_day"])
    return election


def _file(rows) -> SimpleUploadedFile:
    text = "serial,station_code,public_key\n" + "".join(",".join(r) + "\n" for r in rows)
    return SimpleUploadedFile("devices.csv", text.encode())


# --- Devices --------------------------------------------------------------------------

def test_the_administrator_registers_a_file_of_devices(stations, users):
    _future(stations)
    keys = [signatures.public_text(signatures.generate()) for _ in range(2)]
    response = _client(users[Role.ADMIN]).post("/staff/results/devices/", {
        "election": stations.code,
        "file": _file([("PCOS-1", "KI0001-01", keys[0]), ("PCOS-2", "BA0001-01", keys[1])])},
        follow=True)
    assert response.status_code == 200
    assert "Counting devices registered: 2." in response.content.decode()
    assert set(CountingDevice.objects.values_list("serial", flat=True)) == {"PCOS-1", "PCOS-2"}
    assert "PCOS-2" in response.content.decode()


def test_a_bad_file_lists_every_problem_and_writes_nothing(stations, users):
    _future(stations)
    response = _client(users[Role.ADMIN]).post("/staff/results/devices/", {
        "election": stations.code,
        "file": _file([("PCOS-1", "KI9999-01", "nokey"), ("", "KI0001-01", "x")])})
    assert response.status_code == 400
    page = response.content.decode()
    assert "no station KI9999-01 in this election" in page
    assert "not an Ed25519 public key" in page
    assert not CountingDevice.objects.exists()


def test_registration_on_polling_day_is_refused_naming_the_date(stations, users):
    stations.polling_day = timezone.localdate() - timedelta(days=1)
    stations.save(update_fields=["polling_day"])
    key = signatures.public_text(signatures.generate())
    response = _client(users[Role.ADMIN]).post("/staff/results/devices/", {
        "election": stations.code, "file": _file([("PCOS-1", "KI0001-01", key)])})
    assert response.status_code == 400
    assert stations.polling_day.isoformat() in response.content.decode()
    assert not CountingDevice.objects.exists()


def test_revoking_a_device_from_its_page(stations, users):
    _future(stations)
    register_devices(actor=None, election=stations, name="d.csv", content=(
        "serial,station_code,public_key\nPCOS-1,KI0001-01,"
        f"{signatures.public_text(signatures.generate())}\n").encode())
    device = CountingDevice.objects.get()
    client = _client(users[Role.ADMIN])
    assert client.post(f"/staff/results/devices/{device.pk}/revoke/", {"reason": ""}
                       ).status_code == 400
    response = client.post(f"/staff/results/devices/{device.pk}/revoke/", {"reason": "lost"},
                           follow=True)
    assert "The device PCOS-1 is revoked." in response.content.decode()
    device.refresh_from_db()
    assert device.revoked_reason == "lost"
    assert device.revoked_by == users[Role.ADMIN]
    assert AuditEvent.objects.filter(action="results.revoke_device").exists()
    assert client.post("/staff/results/devices/999999/revoke/", {"reason": "x"}
                       ).status_code == 404


def test_a_huge_reason_is_refused(stations, users):
    _future(stations)
    register_devices(actor=None, election=stations, name="d.csv", content=(
        "serial,station_code,public_key\nPCOS-1,KI0001-01,"
        f"{signatures.public_text(signatures.generate())}\n").encode())
    device = CountingDevice.objects.get()
    response = _client(users[Role.ADMIN]).post(f"/staff/results/devices/{device.pk}/revoke/",
                                              {"reason": "x" * 100_000})
    assert response.status_code == 400
    device.refresh_from_db()
    assert device.revoked_at is None


# --- Late stations --------------------------------------------------------------------

def test_late_stations_are_listed_within_the_governorate(stations, users):
    # The fixture's polling day (2023) is long past: every station is late.
    page = _client(users[Role.CLERK]).get("/staff/results/late/").content.decode()
    assert f"Late stations: {KIRKUK}" in page
    assert "KI0001-01" in page
    assert "BA0001-01" not in page
    national = _client(users[Role.AUDITOR]).get("/staff/results/late/").content.decode()
    assert f"Late stations: {KIRKUK + BASRA}" in national
    assert "Record them as late" not in national  # the auditor may not settle


def test_no_station_is_late_before_the_deadline(stations, users):
    stations.polling_day = timezone.localdate()
    stations.save(update_fields=["polling_day"])
    # Polls close at 18:00 Baghdad time and the window is 6 hours: not passed today.
    page = _client(users[Role.ADMIN]).get("/staff/results/late/").content.decode()
    assert "No station is late." in page


def test_settling_late_stations_records_them_as_late(stations, users):
    create_entities(stations, lists={"IQ-KI": 2, "IQ-BA": 2}, candidates_per_list=2)
    response = _client(users[Role.ADMIN]).post("/staff/results/late/",
                                              {"election": stations.code}, follow=True)
    assert f"Late stations settled: {KIRKUK + BASRA}." in response.content.decode()
    results = StationResult.objects.all()
    assert results.count() == KIRKUK + BASRA
    assert {(r.outcome, r.audit_reason) for r in results} == {("awaiting", "late")}
    assert AuditEvent.objects.filter(action="results.settle_late").count() == 1
    again = _client(users[Role.ADMIN]).post("/staff/results/late/",
                                           {"election": stations.code}, follow=True)
    assert "Late stations settled: 0." in again.content.decode()


def test_a_station_that_transmitted_is_not_late(stations, users):
    create_entities(stations, lists={"IQ-KI": 2}, candidates_per_list=2)
    stations.polling_day = timezone.localdate() + timedelta(days=1)
    stations.save(update_fields=["polling_day"])
    key = signatures.generate()
    register_devices(actor=None, election=stations, name="d.csv", content=(
        f"serial,station_code,public_key\nPCOS-1,KI0001-01,{signatures.public_text(key)}\n"
    ).encode())
    doc = {"format": wire.FORMAT, "device": "PCOS-1", "election": stations.code,
           "station": "KI0001-01", "component": "", "sequence": 1,
           "sent_at": "2023-12-18T18:40:00+03:00",
           "numbers": {"registered": 401, "voted": 20, "ballots_received": 70,
                       "ballots_in_box": 20, "ballots_spoiled": 5, "ballots_unused": 45,
                       "invalid": 10, "valid": 10},
           "votes": [{"list": "synthetic-001", "candidate": "", "votes": 10}]}
    doc["signature"] = signatures.sign(key, wire.canonical(doc).decode())
    response = Client().post("/api/results/transmissions", json.dumps(doc),
                             content_type="application/json")
    assert response.status_code == 201, response.content
    stations.polling_day = timezone.localdate() - timedelta(days=3)
    stations.save(update_fields=["polling_day"])
    page = _client(users[Role.CLERK]).get("/staff/results/late/").content.decode()
    assert f"Late stations: {KIRKUK - 1}" in page
    assert "KI0001-01<" not in page
    log = _client(users[Role.CLERK]).get("/staff/results/transmissions/").content.decode()
    assert "PCOS-1" in log


def test_the_transmission_log_is_scoped(stations, users):
    Transmission.objects.create(received_at=timezone.now(), claimed_serial="GHOST-1",
                                sha256="0" * 64, size=3, outcome="refused",
                                refusal="transmission_unknown_device")
    national = _client(users[Role.ADMIN]).get("/staff/results/transmissions/?outcome=refused")
    assert "GHOST-1" in national.content.decode()
    scoped = _client(users[Role.CLERK]).get("/staff/results/transmissions/")
    assert "GHOST-1" not in scoped.content.decode()


# --- Commands -------------------------------------------------------------------------

def test_keygen_sign_and_import_at_the_command_line(stations, users, tmp_path, capsys):
    _future(stations)
    key = tmp_path / "device.pem"
    assert main(["results", "keygen", "--out", str(key)]) == 0
    public = capsys.readouterr().out.strip()
    assert main(["results", "keygen", "--out", str(key)]) == 2  # never overwritten
    devices = tmp_path / "devices.csv"
    devices.write_text(f"serial,station_code,public_key\nPCOS-7,KI0001-02,{public}\n")
    assert main(["results", "devices", "import", str(devices), "--election", stations.code,
                 "--as", users[Role.CLERK].username]) == 2
    assert main(["results", "devices", "import", str(devices), "--election", stations.code,
                 "--as", users[Role.ADMIN].username]) == 0
    assert "Counting devices registered: 1." in capsys.readouterr().out
    assert main(["results", "devices", "import", str(devices), "--election", stations.code]
                ) == 2
    assert "already registered" in capsys.readouterr().err
    form = tmp_path / "form.json"
    form.write_text(json.dumps({
        "format": wire.FORMAT, "device": "PCOS-7", "election": stations.code,
        "station": "KI0001-02", "component": "", "sequence": 1,
        "sent_at": "2023-12-18T18:40:00+03:00",
        "numbers": {"registered": 402, "voted": 10, "ballots_received": 10,
                    "ballots_in_box": 10, "ballots_spoiled": 0, "ballots_unused": 0,
                    "invalid": 10, "valid": 0}, "votes": []}))
    assert main(["results", "sign", str(form), "--key", str(key)]) == 0
    signed = json.loads(capsys.readouterr().out)
    assert signatures.valid(public, wire.canonical(signed).decode(), signed["signature"])
    form.write_text("{}")
    assert main(["results", "sign", str(form), "--key", str(key)]) == 2


def test_late_at_the_command_line(stations, users, capsys):
    create_entities(stations, lists={"IQ-KI": 2}, candidates_per_list=2)
    assert main(["results", "late", "--election", stations.code,
                 "--as", users[Role.CLERK].username]) == 2
    assert main(["results", "late", "--election", "nope"]) == 2
    assert main(["results", "late", "--election", stations.code,
                 "--as", users[Role.ADMIN].username]) == 0
    assert f"{KIRKUK + BASRA} late station(s) settled." in capsys.readouterr().out


def test_the_hub_links_to_what_the_user_may_use(stations, users):
    admin = _client(users[Role.ADMIN]).get("/staff/results/").content.decode()
    assert "/staff/results/devices/" in admin
    assert "/staff/results/late/" in admin
    clerk = _client(users[Role.CLERK]).get("/staff/results/").content.decode()
    assert "/staff/results/devices/" not in clerk
    assert "/staff/results/transmissions/" in clerk
    agent = _client(users[Role.ENTITY_AGENT]).get("/staff/results/").content.decode()
    assert "/staff/results/late/" not in agent


def test_a_flood_of_refused_transmissions_from_one_address_is_cut_off(stations, settings):
    """Past the limit of refusals a minute, an address gets 429 without its body being
    read or logged; another address, and accepted results, are not held back."""
    from shafaf.results.models import Transmission

    settings.SHAFAF_TRANSMISSION_REFUSALS_PER_MINUTE = 3
    forged = json.dumps({"format": "shafaf-transmission/1", "device": "PCOS-X"})

    def send(address: str):
        return Client().post("/api/results/transmissions", forged,
                             content_type="application/json", REMOTE_ADDR=address,
                             HTTP_ACCEPT_LANGUAGE="en")

    assert [send("192.0.2.7").status_code for _ in range(3)] == [400, 400, 400]
    cut = send("192.0.2.7")
    assert cut.status_code == 429
    assert cut["Retry-After"] == "60"
    assert "Too many refused transmissions" in cut.json()["message"]
    assert Transmission.objects.filter(client_address="192.0.2.7").count() == 3
    assert send("192.0.2.8").status_code == 400
