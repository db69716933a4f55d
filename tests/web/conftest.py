"""Fixtures for the web platform: the 2023 election, a little geography with
stations in two governorates, and one user per role."""

from __future__ import annotations

import pytest

from shafaf.access.roles import SCOPED_ROLES, Role
from shafaf.accounts.models import User
from shafaf.elections import actions
from shafaf.elections.models import (
    District,
    Election,
    Governorate,
    PollingCentre,
    PollingStation,
    SubDistrict,
)

PASSWORD = "correct-horse-battery"  # noqa: S105


@pytest.fixture
def election(db) -> Election:
    actions.load_governorates(actor=None)
    return actions.create_council_election_2023(actor=None)


def _stations_in(election: Election, code: str, centres: int, per_centre: int) -> None:
    governorate = Governorate.objects.get(code=code)
    district = District.objects.create(governorate=governorate, code=f"{code}-D1",
                                       name_ar=f"قضاء {governorate.name_ar}")
    sub = SubDistrict.objects.create(district=district, code=f"{code}-D1-S1",
                                     name_ar=f"ناحية {governorate.name_ar}")
    for c in range(1, centres + 1):
        centre = PollingCentre.objects.create(
            election=election, code=f"{code[3:]}{c:04d}", name_ar=f"مدرسة {c}",
            name_en=f"School {c}", sub_district=sub, governorate=governorate)
        PollingStation.objects.bulk_create(
            PollingStation(centre=centre, number=n, code=f"{centre.code}-{n:02d}",
                           registered_voters=400 + n) for n in range(1, per_centre + 1))


@pytest.fixture
def stations(election) -> Election:
    """Kirkuk: 3 centres of 4 stations; Basra: 2 centres of 5 stations."""
    _stations_in(election, "IQ-KI", 3, 4)
    _stations_in(election, "IQ-BA", 2, 5)
    return election


@pytest.fixture
def users(election) -> dict[Role, User]:
    """One active user per role; the scoped roles work in Kirkuk."""
    kirkuk = Governorate.objects.get(code="IQ-KI")
    return {
        role: User.objects.create_user(
            username=role.value, password=PASSWORD, role=role,
            governorate=kirkuk if role in SCOPED_ROLES else None)
        for role in Role
    }
