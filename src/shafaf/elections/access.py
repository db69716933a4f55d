"""The only way views and the API fetch elections data: scoped to the user."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from shafaf.access.checks import governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.elections.models import Governorate, PollingCentre, PollingStation


def governorates_for(user: Visitor) -> QuerySet[Governorate]:
    user = require(user, Capability.VIEW_STATIONS)
    scope = governorate_scope(user)
    governorates = Governorate.objects.all()
    return governorates if scope is None else governorates.filter(pk=scope)


def centres_for(user: Visitor) -> QuerySet[PollingCentre]:
    user = require(user, Capability.VIEW_STATIONS)
    scope = governorate_scope(user)
    centres = PollingCentre.objects.all()
    return centres if scope is None else centres.filter(governorate_id=scope)


def stations_for(user: Visitor) -> QuerySet[PollingStation]:
    user = require(user, Capability.VIEW_STATIONS)
    scope = governorate_scope(user)
    stations = PollingStation.objects.select_related("centre", "centre__governorate",
                                                     "centre__sub_district")
    return stations if scope is None else stations.filter(centre__governorate_id=scope)


def access_station(user: Visitor, station_id: int) -> PollingStation:
    """One station, or 404 if it does not exist or lies outside the user's scope
    (a scoped user cannot even learn that it exists)."""
    return get_object_or_404(stations_for(user), pk=station_id)
