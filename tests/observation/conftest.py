"""Fixtures for observation: the 2023 election with stations in Kirkuk and Basra, one
user per role, an approved organisation with the civil-society coordinator, and an
accredited observer (the ``observer`` user) deployed to two Kirkuk stations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shafaf.access.roles import Role
from shafaf.elections.models import Governorate, PollingStation
from shafaf.observation import codes
from shafaf.observation.models import (
    Assignment,
    Badge,
    Coordinator,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationStatus,
)
from tests.web.conftest import election, stations, users

__all__ = ["election", "stations", "users"]


@pytest.fixture
def organisation(stations, users) -> Organisation:
    made = Organisation.objects.create(
        election=stations, name_ar="منظمة", name_en="An organisation", contact_name="x",
        contact_email="x@example.org", status=OrganisationStatus.APPROVED, code="CSO-1")
    made.governorates.set(Governorate.objects.filter(code__in=("IQ-KI", "IQ-BA")))
    Coordinator.objects.create(user=users[Role.CSO_COORDINATOR], organisation=made)
    return made


@pytest.fixture
def observer(organisation, users) -> Observer:
    now = datetime.now(UTC)
    made = Observer.objects.create(
        organisation=organisation, full_name="مراقب", birth_date=date(1990, 1, 1), sex="F",
        governorate=Governorate.objects.get(code="IQ-KI"), user=users[Role.OBSERVER],
        status=ObserverStatus.ACCREDITED, phone="+9647700000009", conduct_accepted=now)
    Badge.objects.create(observer=made, code=codes.new_code(), issued=now,
                         expires=now + timedelta(days=30))
    for code in ("KI0001-01", "KI0001-02"):
        station = PollingStation.objects.get(code=code)
        Assignment.objects.create(observer=made, station=station, centre=station.centre)
    return made
