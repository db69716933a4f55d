"""Writing audit events. Every other app's action calls :func:`record` inside its own
transaction, so the change and its event commit together or not at all."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from shafaf import signatures
from shafaf.access.people import Visitor
from shafaf.audit import keys
from shafaf.audit.models import AuditCheckpoint, AuditEvent
from shafaf.core import checkpoints, ledger

# Any constant: PostgreSQL's transaction-scoped advisory lock serialises appends so
# that two concurrent actions never claim the same sequence number.
_CHAIN_LOCK = 0x5AFAF


def record(*, actor: Visitor | None, action: str, target: models.Model | None = None,
           object_type: str = "", object_id: str = "", data: dict[str, Any] | None = None
           ) -> AuditEvent:
    """Append one event. ``actor`` is a user or None for the system itself."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit events are written inside the action's transaction")
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    # Store exactly what is hashed: plain JSON, as the database will give it back.
    content = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    event = {
        "seq": (last["seq"] + 1) if last else 1,
        # Microseconds are the finest both databases keep, so the hash survives a read.
        "at": datetime.now(UTC),
        "actor_id": getattr(actor, "pk", None),
        "actor_username": getattr(actor, "username", "") or "system",
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": content,
        "prev_hash": last["hash"] if last else ledger.GENESIS,
    }
    salt = secrets.token_hex(16)
    hashed = ledger.hashed_form(as_hashed(event), version=ledger.CURRENT_FORMAT, salt=salt)
    return AuditEvent.objects.create(**event, hash=ledger.event_hash(hashed),
                                     version=ledger.CURRENT_FORMAT, salt=salt)


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


@transaction.atomic
def take_checkpoint(*, force: bool = False) -> AuditCheckpoint:
    """Sign the chain's head with the commission's key (shafaf.core.checkpoints).
    Nothing new is signed when the newest checkpoint already covers the head, unless
    ``force``. Run from cron every few minutes and at every publication."""
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    seq, head = (last["seq"], last["hash"]) if last else (0, ledger.GENESIS)
    latest = AuditCheckpoint.objects.order_by("-number").first()
    if latest is not None and latest.seq == seq and latest.hash == head and not force:
        return latest
    number = latest.number + 1 if latest else 1
    # Whole seconds: the signed text and the stored time must agree on both databases.
    at = datetime.now(UTC).replace(microsecond=0)
    key = keys.signing_key()
    text = checkpoints.message(number=number, seq=seq, hash=head, at=at.isoformat())
    return AuditCheckpoint.objects.create(
        number=number, seq=seq, hash=head, at=at,
        key_id=signatures.key_id(signatures.public_text(key)),
        signature=signatures.sign(key, text))


def as_hashed(event: dict[str, Any]) -> dict[str, Any]:
    """An event's fields as the hash sees them (the time as ISO 8601 in UTC)."""
    at = event["at"]
    return {**event, "at": at.astimezone(UTC).isoformat()}

