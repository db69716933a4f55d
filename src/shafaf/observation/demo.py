"""The demo's observation (docs/observation.md): synthetic organisations (the names are
made up: no real organisation's name is put to invented data), the ``cso`` user as
the first one's coordinator and the ``agent`` user as its entity's, and the
``observer`` user accredited, with a badge, deployed to three stations in Kirkuk.
Each part of observation adds what it shows in its own block of :func:`load`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from shafaf.accounts.models import User
from shafaf.audit import actions as audit
from shafaf.elections.models import Election, Governorate, PollingStation
from shafaf.entities.models import Entity, EntityAgent
from shafaf.observation import codes
from shafaf.observation.models import (
    Assignment,
    Badge,
    Coordinator,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
)

ORGANISATIONS = [
    # (code, Arabic, Kurdish, English, NGO number, governorates)
    ("CSO-001", "شبكة الرقابة المدنية التجريبية", "تۆڕی چاودێری مەدەنیی تاقیکاری",
     "Demo Civic Monitoring Network", "NGO-1A-2019-0042", ("IQ-KI", "IQ-BG", "IQ-NI")),
    ("CSO-002", "جمعية الناخبين الشباب التجريبية", "کۆمەڵەی دەنگدەرانی گەنجی تاقیکاری",
     "Demo Young Voters Association", "NGO-1B-2020-0117", ("IQ-KI", "IQ-BA")),
    ("CSO-003", "مرصد النزاهة الانتخابية التجريبي", "چاودێرگەی دەستپاکیی هەڵبژاردنی تاقیکاری",
     "Demo Electoral Integrity Observatory", "NGO-2C-2018-0009", ("IQ-AN", "IQ-KI")),
]
DEMO_STATIONS = ("KI00001-01", "KI00001-02", "KI00002-01")


@dataclass
class Summary:
    organisations: int = 0
    observers: int = 0
    lines: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"Observation: {self.organisations} organisations, {self.observers} "
                "accredited observers")


def load(election: Election) -> Summary | None:
    """Once per database: None if the demo's observation is already there."""
    if Organisation.objects.filter(election=election).exists():
        return None
    summary = Summary()
    with transaction.atomic():
        organisations = _organisations(election, summary)
        _observer(election, organisations[0], summary)
        audit.record(actor=None, action="observation.demo_loaded", target=organisations[0],
                     data={"organisations": summary.organisations})
    # Each part of observation adds its demo data below, in its own block.

    # Accreditation: organisations, observers, badges
    from shafaf.observation import demo_accred

    accredited = demo_accred.load(election)
    summary.lines.append(f"  accreditation: {accredited} observers of the demo organisations")

    # Forms, submissions, verification
    from shafaf.observation.demo_forms import load_polling_day
    summary.lines += load_polling_day(election)

    # The phone app, SMS

    # Deployment, incidents, dashboards, statement
    from shafaf.observation import demo_dash

    summary.lines += demo_dash.load(organisations)

    # The channel with the commission
    from shafaf.observation import demo_channel

    with transaction.atomic():
        summary.lines += demo_channel.load(election)

    return summary


def _organisations(election: Election, summary: Summary) -> list[Organisation]:
    now = datetime.now(UTC)
    made = []
    for code, ar, ckb, en, number, places in ORGANISATIONS:
        organisation = Organisation.objects.create(
            election=election, kind=OrganisationKind.LOCAL, name_ar=ar, name_ckb=ckb,
            name_en=en, registration_number=number, contact_name="منسق تجريبي",
            contact_email=f"{code.lower()}@example.org", status=OrganisationStatus.APPROVED,
            code=code, decided=now)
        organisation.governorates.set(Governorate.objects.filter(code__in=places))
        made.append(organisation)
    Coordinator.objects.create(user=User.objects.get(username="cso"), organisation=made[0])
    summary.organisations = len(made)
    agent = User.objects.get(username="agent")
    held = EntityAgent.objects.filter(user=agent, entity__election=election).first()
    entity: Entity | None = held.entity if held is not None else None
    if entity is not None:
        agents = Organisation.objects.create(
            election=election, kind=OrganisationKind.AGENTS, entity=entity,
            name_ar=entity.name_ar, name_ckb=entity.name_ckb, name_en=entity.name_en,
            contact_name="وكيل تجريبي", contact_email="agents@example.org",
            status=OrganisationStatus.APPROVED, code="AGT-001", decided=now)
        Coordinator.objects.create(user=agent, organisation=agents)
        summary.organisations += 1
    return made


def _observer(election: Election, organisation: Organisation, summary: Summary) -> None:
    kirkuk = Governorate.objects.get(code="IQ-KI")
    now = datetime.now(UTC)
    observer = Observer.objects.create(
        organisation=organisation, full_name="مراقب تجريبي", voter_number="",
        birth_date=date(1995, 4, 12), sex="M", phone="+9647700000001",
        governorate=kirkuk, user=User.objects.get(username="observer"),
        status=ObserverStatus.ACCREDITED, conduct_accepted=now, decided=now,
        checks={"age": "ok", "voter": "ok", "candidate": "ok", "staff": "ok", "twice": "ok"})
    expires = datetime.combine(election.polling_day + timedelta(days=1), time.max, tzinfo=UTC)
    # The demo replays a past election: its badge is kept valid for a year from today,
    # so that the verifier shows "valid" (a real badge ends the day after polling day).
    badge = Badge.objects.create(observer=observer, code=codes.new_code(), issued=now,
                                 expires=max(expires, now + timedelta(days=365)))
    for station in PollingStation.objects.filter(centre__election=election,
                                                 code__in=DEMO_STATIONS):
        Assignment.objects.create(observer=observer, station=station, centre=station.centre)
    summary.observers += 1
    summary.lines.append(f"  the observer's badge: /verify/badge/{badge.code}/")
