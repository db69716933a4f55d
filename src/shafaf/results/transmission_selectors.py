"""Reads for counting devices, transmissions and late stations, within the reader's
governorate (docs/results-transmission.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from shafaf.access.checks import governorate_scope
from shafaf.access.people import Account
from shafaf.core import laws
from shafaf.elections.models import CalendarPhase, Election, Phase, PollingStation, StationKind
from shafaf.results.models import (
    CountingDevice,
    FormState,
    ResultForm,
    Source,
    Transmission,
)
from shafaf.results.settlement import BAGHDAD, POLLS_CLOSE


def elections() -> QuerySet[Election]:
    """Elections whose law sets counting rules, newest first."""
    counted = [code for code, profile in laws.PROFILES.items()
               if getattr(profile, "counting", None) is not None]
    return Election.objects.filter(law__in=counted).order_by("-polling_day", "code")


def chosen_election(code: str | None) -> Election | None:
    found = elections()
    return (found.filter(code=code).first() if code else None) or found.first()


def devices_for(user: Account, election: Election) -> QuerySet[CountingDevice]:
    devices = CountingDevice.objects.filter(station__centre__election=election)
    scope = governorate_scope(user)
    if scope is not None:
        devices = devices.filter(station__centre__governorate_id=scope)
    return devices


def transmissions_for(user: Account) -> QuerySet[Transmission]:
    """The log; a governorate's staff see its stations' transmissions only (a refusal
    that names no known station is the national staff's to read)."""
    log = Transmission.objects.all()
    scope = governorate_scope(user)
    if scope is not None:
        log = log.filter(station__centre__governorate_id=scope)
    return log


def _deadlines(election: Election) -> dict[str, datetime]:
    rules = laws.get(election.law).counting
    window = rules.transmission_window if rules else timedelta(hours=6)
    special = (CalendarPhase.objects.filter(election=election, phase=Phase.SPECIAL_VOTING)
               .values_list("starts", flat=True).first()) or election.polling_day
    return {StationKind.GENERAL: datetime.combine(election.polling_day, POLLS_CLOSE,
                                                  tzinfo=BAGHDAD) + window,
            StationKind.SPECIAL: datetime.combine(special, POLLS_CLOSE, tzinfo=BAGHDAD) + window}


def late_stations(*, election: Election, governorate: int | None,
                  now: datetime) -> QuerySet[PollingStation]:
    """Stations with no live electronic (or paper tape) form for the general seats
    once their transmission deadline has passed (settlement.transmission_deadline)."""
    passed = [kind for kind, deadline in _deadlines(election).items() if now > deadline]
    device_form = ResultForm.objects.filter(
        station=OuterRef("pk"), component="", source__in=[Source.ELECTRONIC, Source.PAPER]
    ).exclude(state=FormState.SUPERSEDED)
    stations = (PollingStation.objects.filter(centre__election=election,
                                              centre__kind__in=passed)
                .exclude(Exists(device_form)).select_related("centre"))
    if governorate is not None:
        stations = stations.filter(centre__governorate_id=governorate)
    return stations.order_by("code")


def scoped_late(user: Account, election: Election, now: datetime) -> QuerySet[PollingStation]:
    return late_stations(election=election, governorate=governorate_scope(user), now=now)

