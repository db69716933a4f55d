from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from shafaf.api.pagination import Pages
from shafaf.elections import selectors
from shafaf.elections.access import access_station, stations_for
from shafaf.elections.models import Contest, Election, PollingStation

router = Router(tags=["elections"])


class ComponentSeatOut(Schema):
    component: str
    seats: int


class ContestOut(Schema):
    governorate: str
    name_ar: str
    name_en: str
    general_seats: int
    women_quota: int
    component_seats: list[ComponentSeatOut]


class PhaseOut(Schema):
    phase: str
    starts: date
    ends: date


class ElectionOut(Schema):
    code: str
    name_ar: str
    name_en: str
    kind: str
    polling_day: date
    law: str


class ElectionDetailOut(ElectionOut):
    contests: list[ContestOut]
    calendar: list[PhaseOut]


class StationOut(Schema):
    id: int
    code: str
    number: int
    registered_voters: int
    centre_code: str = Field(alias="centre.code")
    centre_name_ar: str = Field(alias="centre.name_ar")
    governorate: str = Field(alias="centre.governorate.code")


class StationFilter(Schema):
    q: str | None = Field(None, max_length=100)
    governorate: str | None = Field(None, max_length=16)


def _contest(contest: Contest) -> dict[str, object]:
    return {
        "governorate": contest.governorate.code,
        "name_ar": contest.governorate.name_ar,
        "name_en": contest.governorate.name_en,
        "general_seats": contest.general_seats,
        "women_quota": contest.women_quota,
        "component_seats": [{"component": s.component, "seats": s.seats}
                            for s in contest.component_seats.all()],
    }


@router.get("/", response=list[ElectionOut], auth=None, summary="Elections (public)")
def list_elections(request: HttpRequest) -> list[Election]:
    return list(Election.objects.all())


@router.get("/{code}", response=ElectionDetailOut, auth=None,
            summary="An election with its contests, seats and calendar (public)")
def election_detail(request: HttpRequest, code: str) -> dict[str, object]:
    election = get_object_or_404(Election, code=code)
    return {
        **ElectionOut.from_orm(election).dict(),
        "contests": [_contest(c) for c in selectors.contests(election)],
        "calendar": list(selectors.calendar(election).values("phase", "starts", "ends")),
    }


@router.get("/stations/list", response=list[StationOut], auth=django_auth,
            summary="Polling stations the user may see (staff)")
@paginate(Pages, page_size=50)
def list_stations(request: HttpRequest,
                  filters: Query[StationFilter]) -> QuerySet[PollingStation]:
    stations = stations_for(request.user)
    if filters.governorate:
        stations = stations.filter(centre__governorate__code=filters.governorate)
    if filters.q:
        stations = stations.filter(code__startswith=filters.q)
    return stations.order_by("code")


@router.get("/stations/{station_id}", response=StationOut, auth=django_auth,
            summary="One polling station, if the user may see it (staff)")
def station_detail(request: HttpRequest, station_id: int) -> PollingStation:
    return access_station(request.user, station_id)
