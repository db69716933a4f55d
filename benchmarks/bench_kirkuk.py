"""Kirkuk's synthetic stations that the load benchmarks share: one district and
sub-district, centres of five stations (``KI00000-01`` …), 500 registered voters each.
Call it after ``django.setup()``, on an election whose governorates are loaded."""

from __future__ import annotations

from typing import Any


def kirkuk_stations(election: Any, count: int) -> list[Any]:
    """``count`` new stations in Kirkuk, in code order."""
    from shafaf.elections.models import (
        District,
        Governorate,
        PollingCentre,
        PollingStation,
        SubDistrict,
    )

    kirkuk = Governorate.objects.get(code="IQ-KI")
    district = District.objects.create(governorate=kirkuk, code="IQ-KI-D", name_ar="قضاء")
    sub = SubDistrict.objects.create(district=district, code="IQ-KI-S", name_ar="ناحية")
    centres = PollingCentre.objects.bulk_create(
        PollingCentre(election=election, code=f"KI{c:05d}", name_ar=f"مدرسة {c}",
                      sub_district=sub, governorate=kirkuk)
        for c in range((count + 4) // 5))
    return PollingStation.objects.bulk_create(
        PollingStation(centre=centres[s // 5], number=s % 5 + 1,
                       code=f"KI{s // 5:05d}-{s % 5 + 1:02d}", registered_voters=500)
        for s in range(count))
