from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from shafaf.entities.access import access_list, lists_for
from shafaf.entities.actions import nominations as act
from shafaf.entities.models import NominationList

router = Router(tags=["nominations"], auth=django_auth)


class CandidateOut(Schema):
    id: int
    position: int
    sequence: int | None
    name_ar: str
    surname_ar: str
    sex: str
    date_of_birth: date
    education: str
    status: str


class ListOut(Schema):
    id: int
    entity: str
    governorate: str
    kind: str
    component: str
    status: str


class ListDetailOut(ListOut):
    candidates: list[CandidateOut]


class ViolationOut(Schema):
    code: str
    position: int | None
    message: str


class RefusalOut(Schema):
    detail: str
    code: str
    violations: list[ViolationOut]


def _list(nomination: NominationList) -> dict[str, object]:
    return {"id": nomination.pk, "entity": nomination.entity.code,
            "governorate": nomination.contest.governorate.code, "kind": nomination.kind,
            "component": nomination.component, "status": nomination.status}


@router.get("/lists", response=list[ListOut])
def lists(request: HttpRequest) -> list[dict[str, object]]:
    """The lists the user may see: an agent's own entity's, an office's governorate's."""
    return [_list(n) for n in lists_for(request.user).order_by("pk")]


@router.get("/lists/{list_id}", response=ListDetailOut)
def one_list(request: HttpRequest, list_id: int) -> dict[str, object]:
    nomination = access_list(request.user, list_id)
    return {**_list(nomination), "candidates": list(nomination.candidates.all())}


@router.post("/lists/{list_id}/submit", response={200: ListOut, 409: RefusalOut})
def submit(request: HttpRequest, list_id: int) -> dict[str, object]:
    """Submit a draft list. 409 lists every rule it breaks; 404 for a list that is
    not the agent's own entity's."""
    nomination = access_list(request.user, list_id)
    act.submit_list(actor=request.user, nomination=nomination)
    return _list(nomination)
