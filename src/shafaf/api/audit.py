from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from shafaf.access.checks import require
from shafaf.access.roles import Capability
from shafaf.api.pagination import Pages
from shafaf.audit.models import AuditEvent
from shafaf.audit.selectors import head

router = Router(tags=["audit"])


class HeadOut(Schema):
    seq: int
    hash: str
    at: datetime | None


class EventOut(Schema):
    seq: int
    at: datetime
    actor_username: str
    action: str
    object_type: str
    object_id: str
    data: dict[str, object]
    prev_hash: str
    hash: str


@router.get("/head", response=HeadOut, auth=None,
            summary="The newest hash of the audit chain, to pin (public)")
def chain_head(request: HttpRequest) -> dict[str, object]:
    event = head()
    if event is None:
        return {"seq": 0, "hash": "0" * 64, "at": None}
    return {"seq": event.seq, "hash": event.hash, "at": event.at}


@router.get("/events", response=list[EventOut], auth=django_auth,
            summary="Audit events, newest first (administrators and auditors)")
@paginate(Pages, page_size=100)
def list_events(request: HttpRequest) -> object:
    require(request.user, Capability.VIEW_AUDIT_LOG)
    return AuditEvent.objects.all()


@router.get("/events/{seq}", response=EventOut, auth=django_auth,
            summary="One audit event (administrators and auditors)")
def event_detail(request: HttpRequest, seq: int) -> AuditEvent:
    require(request.user, Capability.VIEW_AUDIT_LOG)
    return get_object_or_404(AuditEvent, seq=seq)
