"""Counting devices and their signed transmissions (docs/results-transmission.md).

Actions: registering devices' keys from a file (before the polls open), revoking a
device, receiving a transmission (checked, logged, recorded and settled), and
settling the stations whose transmission is late. Reads are in
:mod:`shafaf.results.transmission_selectors`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import IO

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext

from shafaf import signatures, tabular
from shafaf.access.checks import governorate_scope, require
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core import laws
from shafaf.core import transmission as wire
from shafaf.elections.models import Contest, Election, PollingStation
from shafaf.entities.models import Candidate, NominationList
from shafaf.results.adoption import station_result
from shafaf.results.forms import VoteRow, record_form
from shafaf.results.models import (
    AuditReason,
    CountingDevice,
    ResultForm,
    Source,
    StationResult,
    Transmission,
    TransmissionOutcome,
)
from shafaf.results.refusals import ResultsRefused
from shafaf.results.settlement import BAGHDAD, polls_close, settle, transmission_deadline

# Polls open at 07:00 Baghdad time (the commission's announced hours).
POLLS_OPEN = time(7, 0)
DEVICE_COLUMNS = ("serial", "station_code", "public_key")
DEVICES_LIMIT = 100_000
"""Rows in one file: more than the country's 60,000-odd stations' devices."""
REASON_LIMIT = 500


def polls_open(election: Election, station: PollingStation) -> datetime:
    """When the station's polls opened (its special voting day for a special station)."""
    return datetime.combine(polls_close(election, station).date(), POLLS_OPEN, tzinfo=BAGHDAD)


# --- Registering and revoking devices -------------------------------------------------

@dataclass(frozen=True, slots=True)
class Registered:
    count: int

    def text(self) -> str:
        return gettext("Counting devices registered: %(count)d.") % {"count": self.count}


def _(message: str) -> str:
    """Marks a problem's message for the catalogues; the reader's collector words it."""
    return message


def register_devices(*, actor: Account | None, election: Election, name: str,
                     content: bytes | IO[bytes], now: datetime | None = None) -> Registered:
    """Register the devices of a file (``serial, station_code, public_key``), all or
    nothing: every bad row is named (tabular.ImportRejected). Refused from the polls'
    opening on: a key registered on polling day could be anyone's."""
    if actor is not None:
        require(actor, Capability.MANAGE_COUNTING_DEVICES)
    now = now or timezone.now()
    table = tabular.read_table(name=name, content=content, required=DEVICE_COLUMNS,
                               limit=DEVICES_LIMIT, translate=gettext)
    problems = table.problems
    scope = governorate_scope(actor) if actor is not None else None
    stations = PollingStation.objects.filter(centre__election=election).select_related("centre")
    if scope is not None:
        stations = stations.filter(centre__governorate_id=scope)
    rows = [(row.number, row["serial"], row["station_code"], row["public_key"])
            for row in table.rows]
    codes = {code for _n, _s, code, _k in rows}
    by_code = {s.code: s for s in (stations.filter(code__in=codes) if len(codes) <= _CHUNK
                                    else stations)}
    known_serials = _existing("serial", [s for _n, s, _c, _k in rows])
    known_keys = _existing("public_key", [k.strip() for _n, _s, _c, k in rows])
    seen_serials: dict[str, int] = {}
    seen_keys: dict[str, int] = {}
    devices: list[CountingDevice] = []
    for number, serial, code, key in rows:
        if not wire.serial_valid(serial):
            problems.add(number, "serial", _(
                "a serial is 1 to 64 letters, digits, dots, hyphens or underscores"))
        elif serial in known_serials:
            problems.add(number, "serial", _("this device is already registered"))
        elif serial in seen_serials:
            problems.add(number, "serial", _("this serial is also on row %(row)d"),
                         {"row": seen_serials[serial]})
        seen_serials.setdefault(serial, number)
        station = by_code.get(code)
        if station is None:
            problems.add(number, "station_code", _(
                "no station %(code)s in this election"), {"code": code})
        elif now >= (opens := polls_open(election, station)):
            problems.add(number, "station_code", _(
                "this station's polls opened on %(date)s: keys are registered before "
                "polling day"), {"date": opens.date().isoformat()})
        try:
            public = signatures.public_text(signatures.load_public(key))
        except (signatures.BadKey, ValueError):
            problems.add(number, "public_key", _(
                "not an Ed25519 public key (the base64 of its 32 bytes)"))
            continue
        if public in known_keys:
            problems.add(number, "public_key", _("this key is already another device's"))
        elif public in seen_keys:
            problems.add(number, "public_key", _("this key is also on row %(row)d"),
                         {"row": seen_keys[public]})
        seen_keys.setdefault(public, number)
        if station is not None:
            devices.append(CountingDevice(serial=serial, station=station, public_key=public,
                                          registered_at=now, registered_by=actor))
    if not rows and not problems:
        problems.add(None, "", _("the file has no device"))
    problems.raise_if_any()
    try:
        with transaction.atomic():
            CountingDevice.objects.bulk_create(devices)
            record(actor=actor, action="results.register_devices", object_type="election",
                   object_id=str(election.pk), data={
                       "file": name, "sha256": table.sha256, "devices": len(devices),
                       "serials": [device.serial for device in devices[:1000]]})
    except IntegrityError as exc:  # registered at the same moment by someone else
        raise ResultsRefused("devices_registered_meanwhile") from exc
    return Registered(len(devices))


_CHUNK = 5000


def _existing(field: str, values: list[str]) -> set[str]:
    """Which of ``values`` a registered device already has as its ``field``."""
    found: set[str] = set()
    for start in range(0, len(values), _CHUNK):
        found.update(CountingDevice.objects.filter(
            **{f"{field}__in": values[start:start + _CHUNK]}).values_list(field, flat=True))
    return found


def access_device(user: Account, device_id: int) -> CountingDevice:
    """The device, if the user may manage it; 404 (Http404) otherwise."""
    from django.http import Http404

    require(user, Capability.MANAGE_COUNTING_DEVICES)
    devices = CountingDevice.objects.select_related("station__centre")
    scope = governorate_scope(user)
    if scope is not None:
        devices = devices.filter(station__centre__governorate_id=scope)
    device = devices.filter(pk=device_id).first()
    if device is None:
        raise Http404
    return device


def revoke_device(*, actor: Account | None, device: CountingDevice, reason: str,
                  now: datetime | None = None) -> CountingDevice:
    """Revoke a device: its transmissions are refused from now on (any time: a device
    lost on polling day must stop counting)."""
    if actor is not None:
        require(actor, Capability.MANAGE_COUNTING_DEVICES)
    reason = reason.strip()
    if not reason:
        raise ResultsRefused("device_revoke_reason")
    with transaction.atomic():
        device = CountingDevice.objects.select_for_update().get(pk=device.pk)
        if device.revoked_at is not None:
            raise ResultsRefused("device_already_revoked", serial=device.serial)
        device.revoked_at = now or timezone.now()
        device.revoked_by = actor
        device.revoked_reason = reason[:REASON_LIMIT]
        device.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
        record(actor=actor, action="results.revoke_device", target=device,
               data={"serial": device.serial, "station": device.station.code,
                     "reason": device.revoked_reason})
    return device


# --- Receiving a transmission ---------------------------------------------------------

class TransmissionRefused(ResultsRefused):
    """A transmission refused; the API answers ``STATUS[code]``."""


STATUS = {
    "transmission_too_large": 413,
    "transmission_malformed": 400,
    "transmission_unsigned": 400,
    "transmission_unknown_device": 403,
    "transmission_device_revoked": 403,
    "transmission_bad_signature": 403,
    "transmission_unknown_election": 404,
    "transmission_unknown_station": 404,
    "transmission_wrong_station": 403,
    "transmission_replayed": 409,
    "transmission_unknown_list": 422,
    "transmission_unknown_candidate": 422,
    "transmission_not_counted": 409,
    "transmission_throttled": 429,
}

# Refused transmissions one client address may send in a minute before the next is
# refused unread (and unlogged): a flood of forged or malformed bodies costs one
# indexed count each, not a signature check and a log row. Devices reach the
# commission through a few gateways, so the limit counts refusals only, never
# accepted results, and is set well above what a gateway's honest errors reach.
def _refusals_allowed() -> int:
    from django.conf import settings

    return int(getattr(settings, "SHAFAF_TRANSMISSION_REFUSALS_PER_MINUTE", 120))


@dataclass(frozen=True, slots=True)
class Received:
    log: Transmission
    form: ResultForm
    outcome: str
    audit_reason: str


def receive(*, body: bytes | None, client_address: str | None, size: int = 0,
            now: datetime | None = None) -> Received:
    """Check a transmission's body, log it, and on acceptance record its form as the
    station's electronic count and settle the station. Raises TransmissionRefused
    (logged) otherwise. ``body`` None: a body of ``size`` bytes, too large to read."""
    now = now or timezone.now()
    if client_address and Transmission.objects.filter(
            client_address=client_address, outcome=TransmissionOutcome.REFUSED,
            received_at__gt=now - timedelta(minutes=1)).count() >= _refusals_allowed():
        raise TransmissionRefused("transmission_throttled")
    size = len(body) if body is not None else size
    log = Transmission(received_at=now, size=min(size, 2**31 - 1),
                       sha256=hashlib.sha256(body).hexdigest() if body is not None else "",
                       client_address=client_address, outcome=TransmissionOutcome.REFUSED)
    try:
        with transaction.atomic():
            return _accept(body, log, now)
    except TransmissionRefused as refused:
        log.refusal = refused.code
        log.form = None
        log.pk = None
        log.outcome = TransmissionOutcome.REFUSED
        log.save()
        raise


def _accept(body: bytes | None, log: Transmission, now: datetime) -> Received:
    if body is None or len(body) > wire.MAX_BODY:
        raise TransmissionRefused("transmission_too_large", limit=wire.MAX_BODY)
    try:
        document = wire.load(body)
    except wire.Malformed as exc:
        raise TransmissionRefused("transmission_malformed", reason=exc.reason) from exc
    claimed = document.get("device")
    if isinstance(claimed, str):
        log.claimed_serial = claimed[:64]
    try:
        sent = wire.parse(document)
    except wire.Unsigned as exc:
        raise TransmissionRefused("transmission_unsigned") from exc
    except wire.Malformed as exc:
        raise TransmissionRefused("transmission_malformed", reason=exc.reason) from exc
    log.sequence = sent.sequence
    device = (CountingDevice.objects.select_for_update().select_related("station__centre")
              .filter(serial=sent.device).first())
    if device is None:
        raise TransmissionRefused("transmission_unknown_device", serial=sent.device)
    log.device = device
    if device.revoked_at is not None:
        raise TransmissionRefused("transmission_device_revoked", serial=device.serial)
    if not signatures.valid(device.public_key, sent.signed.decode("utf-8"), sent.signature):
        raise TransmissionRefused("transmission_bad_signature", serial=device.serial)
    election = Election.objects.filter(code=sent.election).first()
    if election is None:
        raise TransmissionRefused("transmission_unknown_election", election=sent.election)
    station = (PollingStation.objects.select_related("centre")
               .filter(centre__election=election, code=sent.station).first())
    if station is None:
        raise TransmissionRefused("transmission_unknown_station", station=sent.station)
    log.station = station
    if station.pk != device.station_id:
        raise TransmissionRefused("transmission_wrong_station", serial=device.serial,
                                  station=station.code)
    if Transmission.objects.filter(device=device, sha256=log.sha256,
                                   outcome=TransmissionOutcome.ACCEPTED).exists():
        raise TransmissionRefused("transmission_replayed", serial=device.serial,
                                  last=device.last_sequence)
    if sent.sequence <= device.last_sequence:
        raise TransmissionRefused("transmission_replayed", serial=device.serial,
                                  last=device.last_sequence)
    if laws.get(election.law).counting is None:
        raise TransmissionRefused("transmission_not_counted")
    contest = Contest.objects.filter(election=election,
                                     governorate_id=station.centre.governorate_id).first()
    if contest is None:
        raise TransmissionRefused("transmission_unknown_station", station=sent.station)
    votes = _resolve(contest, sent)
    # The station's result row, locked first: a replacement device of the same station
    # transmitting at the same moment waits here rather than racing for the live form.
    result = station_result(station=station, contest=contest, component=sent.component)
    form = record_form(station=station, contest=contest, component=sent.component,
                       source=Source.ELECTRONIC, numbers=sent.numbers, votes=votes)
    decision = settle(result=result, now=now)
    device.last_sequence = sent.sequence
    device.save(update_fields=["last_sequence"])
    log.outcome = TransmissionOutcome.ACCEPTED
    log.form = form
    log.save()
    record(actor=None, action="results.transmission", target=form, data={
        "device": device.serial, "station": station.code, "component": sent.component,
        "sequence": sent.sequence, "sha256": log.sha256, "errors": form.errors,
        "warnings": form.warnings, "outcome": decision.outcome.value,
        "audit_reason": decision.audit_reason.value})
    return Received(log=log, form=form, outcome=decision.outcome.value,
                    audit_reason=decision.audit_reason.value)


def list_id(nomination: NominationList) -> str:
    """A list's id in transmissions and open data: its entity's ballot number, or its
    entity's code where none is drawn."""
    number = nomination.entity.ballot_number
    return str(number) if number is not None else nomination.entity.code


def _resolve(contest: Contest, sent: wire.Transmission) -> list[VoteRow]:
    lists = {list_id(nomination): nomination for nomination in NominationList.objects.filter(
        contest=contest, component=sent.component).select_related("entity")}
    if sent.component and not lists:
        raise TransmissionRefused("transmission_unknown_list", list=sent.component)
    wanted = {vote.list_id for vote in sent.votes}
    for name in sorted(wanted - set(lists)):
        raise TransmissionRefused("transmission_unknown_list", list=name)
    candidates = {(c.nomination_id, c.position): c.pk for c in Candidate.objects.filter(
        nomination__in=[lists[name] for name in wanted]).exclude(
        status__in=["replaced", "withdrawn"]).only("pk", "nomination_id", "position")}
    rows = []
    for vote in sent.votes:
        nomination = lists[vote.list_id]
        candidate = None
        if vote.position is not None:
            candidate = candidates.get((nomination.pk, vote.position))
            if candidate is None:
                raise TransmissionRefused("transmission_unknown_candidate",
                                          candidate=vote.candidate_id)
        rows.append(VoteRow(nomination_id=nomination.pk, candidate_id=candidate,
                            votes=vote.votes))
    return rows


# --- Late stations --------------------------------------------------------------------

def settle_late(*, actor: Account | None, election: Election,
                now: datetime | None = None) -> int:
    """Settle every station (in the actor's governorate) whose transmission is late,
    so the rule records it as ``late``; how many were settled."""
    from shafaf.results.transmission_selectors import late_stations

    if actor is not None:
        require(actor, Capability.AUDIT_RESULTS)
    if laws.get(election.law).counting is None:
        raise ResultsRefused("results_not_counted")
    now = now or timezone.now()
    scope = governorate_scope(actor) if actor is not None else None
    contests = {c.governorate_id: c for c in Contest.objects.filter(election=election)}
    settled = 0
    with transaction.atomic():
        # Stations already recorded as late are left as they are: settling them again
        # would change nothing.
        recorded = StationResult.objects.filter(station=OuterRef("pk"), component="",
                                                audit_reason=AuditReason.LATE)
        pending = late_stations(election=election, governorate=scope, now=now).exclude(
            Exists(recorded))
        for station in pending:
            contest = contests.get(station.centre.governorate_id)
            if contest is None:
                continue
            settle(result=station_result(station=station, contest=contest), now=now)
            settled += 1
        record(actor=actor, action="results.settle_late", object_type="election",
               object_id=str(election.pk), data={"stations": settled,
                                                 "governorate": scope, "at": now.isoformat()})
    return settled


def late_for(station: PollingStation, election: Election, now: datetime) -> str:
    """How late the station's transmission is, as hours and minutes."""
    late = now - transmission_deadline(election, station)
    minutes = max(int(late.total_seconds()) // 60, 0)
    return gettext("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60,
                                                            "minutes": minutes % 60}
