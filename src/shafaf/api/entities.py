from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from shafaf.elections.models import Contest, Election
from shafaf.entities import selectors

router = Router(tags=["entities"])


class MemberOut(Schema):
    code: str
    name_ar: str
    name_ckb: str
    name_en: str


class EntityOut(MemberOut):
    kind: str = Field(description="party, alliance or individual")
    members: list[MemberOut] = Field(description="An alliance's member parties")


class CandidateOut(Schema):
    sequence: int | None = Field(description="The candidate's number on the list's ballot")
    name_ar: str = Field(description="Four-part name and surname")
    name_ckb: str
    name_en: str
    sex: str = Field(description="F or M")


class ListOut(Schema):
    governorate: str = Field(description="ISO 3166-2:IQ code")
    ballot_number: int | None = Field(description="Empty until the lottery is published")
    kind: str = Field(description="general, individual or component")
    component: str = Field(description="The component, for a component candidacy")
    entity: EntityOut
    candidates: list[CandidateOut]


class ListFilter(Schema):
    governorate: str | None = Field(None, max_length=16,
                                    description="ISO 3166-2:IQ code, e.g. IQ-KI")
    q: str | None = Field(None, max_length=100,
                          description="Words of a candidate's or entity's name, or a "
                                      "ballot number")


def _member(entity: object) -> dict[str, object]:
    return {field: getattr(entity, field) for field in ("code", "name_ar", "name_ckb", "name_en")}


def _list(entry: selectors.ListEntry) -> dict[str, object]:
    return {
        "governorate": entry.governorate.code,
        "ballot_number": entry.ballot_number,
        "kind": entry.nomination.kind,
        "component": entry.component,
        "entity": {**_member(entry.entity), "kind": entry.entity.kind,
                   "members": [_member(m) for m in entry.members]},
        "candidates": [{"sequence": c.sequence, "name_ar": c.name_in("ar"),
                        "name_ckb": c.name_in("ckb"), "name_en": c.name_in("en"),
                        "sex": c.sex} for c in entry.candidates],
    }


@router.get("/{election}/lists", response=list[ListOut], auth=None,
            summary="Certified lists and their approved candidates, in ballot order (public)")
def standing_lists(request: HttpRequest, election: str,
                   filters: Query[ListFilter]) -> list[dict[str, object]]:
    chosen = get_object_or_404(Election, code=election)
    governorate = None
    if filters.governorate:
        governorate = get_object_or_404(
            Contest.objects.select_related("governorate"), election=chosen,
            governorate__code=filters.governorate).governorate
    entries = selectors.standing_lists(chosen, governorate=governorate, query=filters.q or "")
    return [_list(entry) for entry in entries]
