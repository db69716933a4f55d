"""Deployment: a coordinator assigns their organisation's accredited observers to a
centre (each of its stations) or to stations, and removes them (docs/observation-dashboards.md).
Each change is one audited action."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from shafaf.access.people import Account
from shafaf.audit import actions as audit
from shafaf.core.refusal import Hidden
from shafaf.elections.models import PollingStation
from shafaf.observation.dash_refusals import DashRefused
from shafaf.observation.models import (
    Assignment,
    Coordinator,
    Observer,
    ObserverStatus,
    Organisation,
)

CODE_LIMIT = 32


def organisation_of(user: Account) -> Organisation:
    """The organisation the user coordinates; 403 for anyone who coordinates none."""
    held = Coordinator.objects.filter(user=user).select_related("organisation").first()
    if held is None:
        raise PermissionDenied
    return held.organisation


def stations_within(organisation: Organisation) -> QuerySet[PollingStation]:
    """The stations of the organisation's election in its governorates."""
    return PollingStation.objects.filter(
        centre__election_id=organisation.election_id,
        centre__governorate__in=organisation.governorates.all())


def find_stations(organisation: Organisation, code: str) -> list[PollingStation]:
    """A station by its code, or every station of a centre by the centre's code,
    within the organisation's governorates; refused when there is none."""
    code = code.strip().upper()[:CODE_LIMIT]
    within = stations_within(organisation).select_related("centre")
    found = list(within.filter(code=code)) or list(within.filter(centre__code=code)
                                                   .order_by("number"))
    if not code or not found:
        raise DashRefused("no_such_place", code=code)
    return found


def assign(*, actor: Account, organisation: Organisation, observer_id: int,
           code: str) -> list[Assignment]:
    """Deploy an observer to a station, or to every station of a centre. Stations they
    already have are left as they are; refused when nothing would change."""
    observer = Observer.objects.filter(pk=observer_id, organisation=organisation,
                                       status=ObserverStatus.ACCREDITED).first()
    if observer is None:
        raise DashRefused("observer_not_accredited")
    stations = find_stations(organisation, code)
    with transaction.atomic():
        held = set(observer.assignments.values_list("station_id", flat=True))
        made = [Assignment.objects.create(observer=observer, station=station,
                                          centre=station.centre)
                for station in stations if station.pk not in held]
        if not made:
            raise DashRefused("already_assigned", code=code.strip().upper())
        audit.record(actor=actor, action="observation.deployed", target=observer,
                     data={"organisation": organisation.code,
                           "stations": [a.station.code for a in made]})
    return made


def unassign(*, actor: Account, organisation: Organisation, assignment_id: int) -> None:
    """Remove one assignment of one of the organisation's observers."""
    with transaction.atomic():
        assignment = (Assignment.objects.select_for_update()
                      .filter(pk=assignment_id, observer__organisation=organisation)
                      .select_related("station").first())
        if assignment is None:
            raise Hidden("no_such_assignment")
        audit.record(actor=actor, action="observation.undeployed",
                     target=assignment.observer,
                     data={"organisation": organisation.code,
                           "station": assignment.station.code})
        assignment.delete()
