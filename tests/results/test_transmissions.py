"""Signed transmissions from counting devices: every refusal, acceptance adopting the
form and moving the totals, replays, the log (docs/results-transmission.md)."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta

import pytest
from django.test import Client

from shafaf import signatures
from shafaf.audit.models import AuditEvent
from shafaf.core import transmission as wire
from shafaf.elections.models import Contest, PollingStation
from shafaf.entities.models import Entity
from shafaf.results.models import (
    ContestTotal,
    CountingDevice,
    FormState,
    Outcome,
    ResultForm,
    Source,
    StationResult,
    Transmission,
    VoteTotal,
)
from shafaf.results.settlement import BAGHDAD
from shafaf.results.transmissions import register_devices

URL = "/api/results/transmissions"
BEFORE = datetime(2023, 12, 1, 9, 0, tzinfo=BAGHDAD)


def _csv(rows: list[tuple[str, str, str]]) -> bytes:
    lines = ["serial,station_code,public_key", *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def device(kirkuk: Contest):
    """PCOS-1, KI0001-01's device, with its private key; KI0001-02 has PCOS-2."""
    keys = {serial: signatures.generate() for serial in ("PCOS-1", "PCOS-2")}
    register_devices(actor=None, election=kirkuk.election, name="devices.csv", content=_csv([
        ("PCOS-1", "KI0001-01", signatures.public_text(keys["PCOS-1"])),
        ("PCOS-2", "KI0001-02", signatures.public_text(keys["PCOS-2"]))]), now=BEFORE)
    return keys


def document(*, sequence: int = 1, station: str = "KI0001-01", serial: str = "PCOS-1",
             votes: list[dict] | None = None, **changes: object) -> dict:
    votes = votes if votes is not None else [
        {"list": "synthetic-001", "candidate": "", "votes": 40},
        {"list": "synthetic-001", "candidate": "synthetic-001-1", "votes": 60},
        {"list": "synthetic-002", "candidate": "synthetic-002-2", "votes": 100}]
    valid = sum(v["votes"] for v in votes) if isinstance(votes, list) else 0
    doc: dict = {
        "format": wire.FORMAT, "device": serial, "election": "gc-2023", "station": station,
        "component": "", "sequence": sequence, "sent_at": "2023-12-18T18:40:00+03:00",
        "numbers": {"registered": 401, "voted": valid + 10, "ballots_received": valid + 60,
                    "ballots_in_box": valid + 10, "ballots_spoiled": 5, "ballots_unused": 45,
                    "invalid": 10, "valid": valid},
        "votes": votes}
    doc.update(changes)
    return doc


def signed(doc: dict, key) -> bytes:
    doc = copy.deepcopy(doc)
    doc["signature"] = signatures.sign(key, wire.canonical(doc).decode())
    return json.dumps(doc).encode()


def post(body: bytes) -> tuple[int, dict]:
    response = Client().post(URL, body, content_type="application/json",
                             HTTP_ACCEPT_LANGUAGE="en")
    return response.status_code, response.json()


def test_an_accepted_transmission_is_adopted_and_moves_the_totals(device, kirkuk):
    status, answer = post(signed(document(), device["PCOS-1"]))
    assert status == 201, answer
    assert answer["outcome"] == "adopted"
    assert answer["errors"] == []
    form = ResultForm.objects.get(pk=answer["form"])
    assert form.source == Source.ELECTRONIC
    assert form.state == FormState.ACCEPTED
    result = StationResult.objects.get(station__code="KI0001-01")
    assert result.outcome == Outcome.ADOPTED
    assert result.adopted_form == form
    assert ContestTotal.objects.get(contest=kirkuk).valid == 200
    assert sum(VoteTotal.objects.filter(contest=kirkuk).values_list("votes", flat=True)) == 200
    log = Transmission.objects.get()
    assert (log.outcome, log.form, log.device.serial, log.sequence) == ("accepted", form,
                                                                        "PCOS-1", 1)
    assert AuditEvent.objects.filter(action="results.transmission").count() == 1


def test_a_form_with_an_error_is_accepted_into_quarantine(device):
    doc = document()
    doc["numbers"]["valid"] += 1  # valid ≠ the votes, and ≠ box − invalid
    status, answer = post(signed(doc, device["PCOS-1"]))
    assert status == 201
    assert answer["state"] == "quarantined"
    assert "valid_vs_votes" in answer["errors"]
    assert answer["outcome"] == "audit"


def test_a_later_sequence_replaces_the_earlier_form(device, kirkuk):
    post(signed(document(), device["PCOS-1"]))
    votes = [{"list": "synthetic-003", "candidate": "", "votes": 50}]
    status, _answer = post(signed(document(sequence=2, votes=votes), device["PCOS-1"]))
    assert status == 201
    assert ContestTotal.objects.get(contest=kirkuk).valid == 50
    assert ResultForm.objects.filter(state=FormState.SUPERSEDED).count() == 1


def _refused(body: bytes, code: str, status: int) -> None:
    before = (ResultForm.objects.count(), AuditEvent.objects.count())
    logged = Transmission.objects.count()
    found, answer = post(body)
    assert (found, answer["error"]) == (status, code), answer
    assert answer["message"]
    assert (ResultForm.objects.count(), AuditEvent.objects.count()) == before
    log = Transmission.objects.order_by("-pk").first()
    assert Transmission.objects.count() == logged + 1
    assert (log.outcome, log.refusal, log.form) == ("refused", code, None)


def test_the_same_transmission_twice_is_refused_as_replayed(device):
    body = signed(document(), device["PCOS-1"])
    assert post(body)[0] == 201
    _refused(body, "transmission_replayed", 409)


def test_a_sequence_not_above_the_last_accepted_is_refused(device):
    assert post(signed(document(sequence=5), device["PCOS-1"]))[0] == 201
    other = document(sequence=4, votes=[{"list": "synthetic-003", "candidate": "", "votes": 1}])
    _refused(signed(other, device["PCOS-1"]), "transmission_replayed", 409)
    _refused(signed(document(sequence=5, sent_at="2023-12-18T19:00:00+03:00"),
                    device["PCOS-1"]), "transmission_replayed", 409)


def test_unsigned(device):
    _refused(json.dumps(document()).encode(), "transmission_unsigned", 400)


def test_signed_by_another_key(device):
    _refused(signed(document(), device["PCOS-2"]), "transmission_bad_signature", 403)


def test_changed_after_signing(device):
    body = json.loads(signed(document(), device["PCOS-1"]))
    body["votes"][0]["votes"] += 1
    body["numbers"]["valid"] += 1
    _refused(json.dumps(body).encode(), "transmission_bad_signature", 403)


def test_unknown_device(device):
    _refused(signed(document(serial="PCOS-9"), device["PCOS-1"]),
             "transmission_unknown_device", 403)


def test_revoked_device(device):
    from shafaf.results.transmissions import revoke_device

    revoke_device(actor=None, device=CountingDevice.objects.get(serial="PCOS-1"),
                  reason="stolen")
    _refused(signed(document(), device["PCOS-1"]), "transmission_device_revoked", 403)


def test_a_device_of_another_station(device):
    _refused(signed(document(station="KI0001-02"), device["PCOS-1"]),
             "transmission_wrong_station", 403)


def test_unknown_election_and_station(device):
    _refused(signed(document(election="gc-1999"), device["PCOS-1"]),
             "transmission_unknown_election", 404)
    _refused(signed(document(station="KI9999-01"), device["PCOS-1"]),
             "transmission_unknown_station", 404)


def test_unknown_list_and_candidate(device):
    _refused(signed(document(votes=[{"list": "nobody", "candidate": "", "votes": 5}]),
                    device["PCOS-1"]), "transmission_unknown_list", 422)
    _refused(signed(document(votes=[{"list": "synthetic-001", "candidate": "synthetic-001-9",
                                     "votes": 5}]), device["PCOS-1"]),
             "transmission_unknown_candidate", 422)


def test_list_ids_are_ballot_numbers_once_drawn(device, kirkuk):
    for number, entity in enumerate(Entity.objects.order_by("code"), start=1):
        entity.ballot_number = number
        entity.save(update_fields=["ballot_number"])
    _refused(signed(document(), device["PCOS-1"]), "transmission_unknown_list", 422)
    votes = [{"list": "2", "candidate": "2-3", "votes": 7}]
    status, answer = post(signed(document(sequence=2, votes=votes), device["PCOS-1"]))
    assert status == 201, answer


@pytest.mark.parametrize("body", [
    b" ", b"not json", b"[]", b'{"format": "shafaf-transmission/1"}', b"\xff\xfe",
    b"[" * 100_000, b'{"a": 1, "a": 2}', b'{"sequence": NaN}',
])
def test_malformed(device, body):
    _refused(body, "transmission_malformed", 400)


@pytest.mark.parametrize("change", [
    {"sequence": 0}, {"sequence": 1.5}, {"sequence": True}, {"sequence": "1"},
    {"sent_at": "yesterday"}, {"sent_at": "2023-12-18T18:40:00"}, {"component": "x" * 100},
    {"extra": 1}, {"format": "shafaf-transmission/2"},
    {"votes": [{"list": "synthetic-001", "candidate": "", "votes": -1}]},
    {"votes": [{"list": "synthetic-001", "candidate": "synthetic-002-1", "votes": 1}]},
    {"votes": [{"list": "synthetic-001", "candidate": "", "votes": 1}] * 2},
    {"votes": {"list": "synthetic-001"}},
])
def test_malformed_members(device, change):
    _refused(signed(document(**change), device["PCOS-1"]), "transmission_malformed", 400)


def test_a_missing_number_is_malformed(device):
    doc = document()
    del doc["numbers"]["invalid"]
    _refused(signed(doc, device["PCOS-1"]), "transmission_malformed", 400)


def test_a_huge_body_is_refused_unread(device):
    body = b'{"pad": "' + b"x" * (wire.MAX_BODY + 10) + b'"}'
    _refused(body, "transmission_too_large", 413)
    assert Transmission.objects.get().size == len(body)


def test_only_post(device):
    assert Client().get(URL).status_code == 405
    assert not Transmission.objects.exists()


def test_the_endpoint_needs_no_csrf_token(device):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, signed(document(), device["PCOS-1"]),
                           content_type="application/json")
    assert response.status_code == 201


def test_electronic_then_manual_compares_the_two(device, kirkuk, make_form):
    from django.db import transaction

    from shafaf.results.adoption import station_result
    from shafaf.results.settlement import settle

    post(signed(document(), device["PCOS-1"]))
    station = PollingStation.objects.get(code="KI0001-01")
    # A manual count differing by 20 of 200 votes (10%): the audit centre.
    manual = make_form(station, votes={(1, 0): 40, (1, 1): 60, (2, 2): 80})
    with transaction.atomic():
        settle(result=station_result(station=station, contest=kirkuk))
    result = StationResult.objects.get(station=station)
    assert (result.outcome, result.audit_reason) == ("audit", "difference")
    assert manual.pk != result.adopted_form_id


# --- Registering devices --------------------------------------------------------------

def test_registration_is_all_or_nothing_naming_every_bad_row(kirkuk):
    from shafaf.tabular import ImportRejected

    good = signatures.public_text(signatures.generate())
    rows = [("PCOS-1", "KI0001-01", good), ("PCOS-2", "KI9999-01",
                                              signatures.public_text(signatures.generate())),
            ("bad serial!", "KI0001-03", "not a key"), ("PCOS-1", "KI0001-04", good)]
    with pytest.raises(ImportRejected) as rejected:
        register_devices(actor=None, election=kirkuk.election, name="d.csv",
                         content=_csv(rows), now=BEFORE)
    where = {(p.row, p.column) for p in rejected.value.problems}
    assert {(3, "station_code"), (4, "serial"), (4, "public_key"), (5, "serial"),
            (5, "public_key")} <= where
    assert not CountingDevice.objects.exists()


def test_registration_is_refused_from_the_polls_opening_naming_the_date(kirkuk):
    from shafaf.tabular import ImportRejected

    key = signatures.public_text(signatures.generate())
    opening = datetime(2023, 12, 18, 7, 0, tzinfo=BAGHDAD)
    with pytest.raises(ImportRejected) as rejected:
        register_devices(actor=None, election=kirkuk.election, name="d.csv",
                         content=_csv([("PCOS-1", "KI0001-01", key)]), now=opening)
    assert "2023-12-18" in str(rejected.value)
    register_devices(actor=None, election=kirkuk.election, name="d.csv",
                     content=_csv([("PCOS-1", "KI0001-01", key)]),
                     now=opening - timedelta(seconds=1))
    assert CountingDevice.objects.get().station.code == "KI0001-01"
    event = AuditEvent.objects.get(action="results.register_devices")
    assert event.data["serials"] == ["PCOS-1"]


def test_a_registered_serial_or_key_cannot_be_registered_again(device, kirkuk):
    from shafaf.tabular import ImportRejected

    key = CountingDevice.objects.get(serial="PCOS-1").public_key
    with pytest.raises(ImportRejected) as rejected:
        register_devices(actor=None, election=kirkuk.election, name="d.csv", content=_csv([
            ("PCOS-1", "KI0001-03", signatures.public_text(signatures.generate())),
            ("PCOS-3", "KI0001-03", key)]), now=BEFORE)
    assert {(p.row, p.column) for p in rejected.value.problems} == {(2, "serial"),
                                                                    (3, "public_key")}


def test_revoking_is_audited_and_needs_a_reason(device):
    from shafaf.results.refusals import ResultsRefused
    from shafaf.results.transmissions import revoke_device

    pcos = CountingDevice.objects.get(serial="PCOS-1")
    with pytest.raises(ResultsRefused):
        revoke_device(actor=None, device=pcos, reason="  ")
    revoke_device(actor=None, device=pcos, reason="lost")
    with pytest.raises(ResultsRefused):
        revoke_device(actor=None, device=pcos, reason="again")
    event = AuditEvent.objects.get(action="results.revoke_device")
    assert event.data["reason"] == "lost"


def test_polling_day_is_the_fixtures(kirkuk):
    assert kirkuk.election.polling_day == date(2023, 12, 18)


def test_a_body_that_is_not_json_is_refused_unlogged(device):
    response = Client().post(URL, {"device": "PCOS-1"})
    assert response.status_code == 415
    assert not Transmission.objects.exists()
