from datetime import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from shafaf.access.checks import require
from shafaf.access.roles import Capability
from shafaf.api.pagination import Pages
from shafaf.audit import keys
from shafaf.audit.models import AuditCheckpoint, AuditEvent
from shafaf.audit.selectors import chain, checkpoint_of, head
from shafaf.core import checkpoints as checkpoint_format

router = Router(tags=["audit"])


class HeadOut(Schema):
    seq: int
    hash: str
    at: datetime | None


class EventOut(Schema):
    seq: int | None = Field(description="empty for the few milliseconds before the event "
                                        "is sealed into the chain")
    at: datetime
    actor_username: str
    action: str
    object_type: str
    object_id: str
    data: dict[str, object]
    prev_hash: str | None
    hash: str | None


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


MAX_FEED_PAGE = 1000
MAX_SEQ = 2**62


class FeedQuery(Schema):
    after: int = Field(0, ge=0, le=MAX_SEQ,
                       description="the last sequence number (or checkpoint number) you have")
    limit: int = Field(500, ge=1, le=MAX_FEED_PAGE)


class FeedOut(Schema):
    events: list[dict[str, Any]] = Field(
        description="each event's hashed form (personal values as salted commitments) "
                    "and its hash, in sequence order")
    next_after: int | None = Field(description="the `after` of the next page, if any")


class CheckpointOut(Schema):
    number: int
    seq: int
    hash: str
    at: str
    key_id: str
    signature: str
    signed_text: str


class CheckpointsOut(Schema):
    checkpoints: list[CheckpointOut]
    next_after: int | None


class KeyOut(Schema):
    algorithm: str
    public_key: str = Field(description="base64 of the 32 raw bytes of the Ed25519 key")
    key_id: str
    checkpoint_format: str


@router.get("/key", response=KeyOut, auth=None,
            summary="The commission's public key that signs the checkpoints (public)")
def signing_key(request: HttpRequest) -> dict[str, str]:
    try:
        public = keys.public_key()
    except ImproperlyConfigured as exc:  # production before its key is configured
        raise Http404("no signing key is configured") from exc
    return {"algorithm": "Ed25519", "public_key": public, "key_id": keys.key_id(),
            "checkpoint_format": checkpoint_format.FORMAT}


@router.get("/feed", response=FeedOut, auth=None,
            summary="Every event's hashed form and hash, to recompute the chain (public)")
def feed(request: HttpRequest, query: Query[FeedQuery]) -> dict[str, object]:
    events = list(chain(after=query.after, limit=query.limit))
    full = len(events) == query.limit
    return {"events": events, "next_after": events[-1]["seq"] if full else None}


@router.get("/checkpoints", response=CheckpointsOut, auth=None,
            summary="The signed checkpoints of the chain, oldest first (public)")
def list_checkpoints(request: HttpRequest, query: Query[FeedQuery]) -> dict[str, object]:
    rows = AuditCheckpoint.objects.filter(number__gt=query.after).order_by("number")
    signed = [checkpoint_of(row) for row in rows[:query.limit]]
    return {"checkpoints": [{**_fields(c), "signed_text": checkpoint_format.signed_text(c)}
                            for c in signed],
            "next_after": signed[-1].number if len(signed) == query.limit else None}


def _fields(checkpoint: checkpoint_format.Checkpoint) -> dict[str, object]:
    return {"number": checkpoint.number, "seq": checkpoint.seq, "hash": checkpoint.hash,
            "at": checkpoint.at, "key_id": checkpoint.key_id,
            "signature": checkpoint.signature}
