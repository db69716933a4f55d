"""Writing audit events. Every other app's action calls :func:`record` inside its own
transaction, so the change and its event commit together or not at all.

An event takes its place in the chain (sequence number, previous hash, hash) when it
is **sealed**. Sealing reads the chain's head, so it is serialised by one lock. Two
ways, chosen by ``SHAFAF_AUDIT_SEAL_AFTER_COMMIT`` (docs/decisions/0014):

* **In the action's transaction** (SQLite always; PostgreSQL with the setting off):
  the lock is taken in :func:`record` and held until the action commits, so the event
  commits already sealed. Simple, but every audited write waits for the one before
  it to commit: one synchronous commit at a time for the whole site.
* **After the action commits** (PostgreSQL, the default): :func:`record` writes its
  event unsealed, in the action's transaction, and takes no lock at all. Right after
  the commit the writer seals (:func:`seal_pending`): one query asks whether anything
  is unsealed and, if so, tries the lock; the writer that gets it seals every
  committed event still unsealed, in batches, in its own transaction, and looks again
  once it has let the lock go. A writer that finds the lock taken leaves its event to
  the holder, who looks again after its own commit: no committed event is left
  unsealed. The event is durable and atomic with its action either way; writers
  commit in parallel (PostgreSQL groups their WAL flushes), and one sealing commit
  seals the events of many. Trying the lock inside the action as well (sealing the
  event before its commit when the lock was free) halved the throughput with eight
  writers: the lock then lasted until the action's commit. Events left by a process
  that died in between are sealed by the next writer or ``shafaf audit checkpoint``.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from shafaf import signatures
from shafaf.access.people import Visitor
from shafaf.audit import keys
from shafaf.audit.models import AuditCheckpoint, AuditEvent
from shafaf.core import checkpoints, ledger

# Any constant: PostgreSQL's transaction-scoped advisory lock serialises sealing so
# that two transactions never claim the same sequence number.
_CHAIN_LOCK = 0x5AFAF
SEAL_BATCH = 5000
_UNSEALED = ("id", "at", "actor_id", "actor_username", "action", "object_type", "object_id",
             "data", "version", "salt")


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
    event = AuditEvent(
        # Microseconds are the finest both databases keep, so the hash survives a read.
        at=datetime.now(UTC), actor_id=getattr(actor, "pk", None),
        actor_username=getattr(actor, "username", "") or "system", action=action,
        object_type=object_type, object_id=object_id, data=content,
        version=ledger.CURRENT_FORMAT, salt=secrets.token_hex(16))
    if getattr(settings, "SHAFAF_AUDIT_CHECKPOINT_SECONDS", None):
        transaction.on_commit(checkpoint_if_due, robust=True)
    if seals_after_commit():
        transaction.on_commit(seal_pending, robust=True)
        event.save()
        return event
    else:
        _lock_chain()
    _seal_locked()  # any left unsealed by the other way, first
    last = _sealed_head()
    event.seq = last[0] + 1
    event.prev_hash = last[1]
    event.hash = ledger.event_hash(_hashed(event.__dict__, seq=event.seq, prev=event.prev_hash))
    event.save()
    return event


def seals_after_commit() -> bool:
    return connection.vendor == "postgresql" and bool(
        getattr(settings, "SHAFAF_AUDIT_SEAL_AFTER_COMMIT", True))


def seal_pending(*, wait: bool = False) -> int:
    """Seal every committed event not yet in the chain, in batches; the number sealed.
    Without ``wait``, a sealer already at work is left to do it: it looks again after
    each batch, once it has let the lock go, so no committed event is left behind."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            return _seal_locked()  # SQLite: the write transaction is the lock
    total = 0
    while True:
        # One round trip: is anything unsealed, and if so, the lock (held by this
        # session across the sealing transaction, let go right after its commit).
        with connection.cursor() as cursor:
            cursor.execute(_WAIT_IF_UNSEALED if wait else _TRY_IF_UNSEALED, [_CHAIN_LOCK])
            row = cursor.fetchone()
        if row is None or not row[0]:
            return total  # nothing unsealed, or another sealer at work
        try:
            with transaction.atomic():
                total += _seal_locked(limit=SEAL_BATCH)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_CHAIN_LOCK])


_TRY_IF_UNSEALED = ("SELECT CASE WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE seq IS NULL) "
                    "THEN pg_try_advisory_lock(%s) END")
_WAIT_IF_UNSEALED = ("SELECT CASE WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE seq IS NULL) "
                     "THEN (SELECT true FROM pg_advisory_lock(%s)) END")


def _seal_locked(limit: int | None = None) -> int:
    """Seal the unsealed events this transaction sees, in the order they were written
    (the lock is held)."""
    pending = AuditEvent.objects.filter(seq__isnull=True).order_by("id").values(*_UNSEALED)
    rows = list(pending[:limit] if limit else pending)
    if not rows:
        return 0
    seq, previous = _sealed_head()
    sealed: list[tuple[int, int, str, str]] = []
    for row in rows:
        seq += 1
        digest = ledger.event_hash(_hashed(row, seq=seq, prev=previous))
        sealed.append((row["id"], seq, previous, digest))
        previous = digest
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            holes = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(sealed))
            cursor.execute(
                "UPDATE audit_auditevent AS e SET seq = v.seq, prev_hash = v.prev, "  # noqa: S608
                f"hash = v.hash FROM (VALUES {holes}) AS v(id, seq, prev, hash) "
                "WHERE e.id = v.id AND e.seq IS NULL",
                [value for row in sealed for value in row])
        else:
            cursor.executemany(
                "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, hash = %s "
                "WHERE id = %s AND seq IS NULL",
                [(seq, prev, digest, pk) for pk, seq, prev, digest in sealed])
    return len(sealed)


def _sealed_head() -> tuple[int, str]:
    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values(
        "seq", "hash").first()
    if last is None or last["seq"] is None or last["hash"] is None:
        return 0, ledger.GENESIS
    return last["seq"], last["hash"]


def _hashed(fields: dict[str, Any], *, seq: int, prev: str) -> dict[str, Any]:
    event = {name: fields[name] for name in ledger.HASHED_FIELDS
             if name not in ("seq", "prev_hash")}
    return ledger.hashed_form(as_hashed({**event, "seq": seq, "prev_hash": prev}),
                              version=fields["version"] or 1, salt=fields["salt"])


def _lock_chain() -> None:
    """Hold the chain's lock until this transaction ends (SQLite: the write
    transaction itself is the lock)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


_next_due: dict[str, float] = {}
"""By database: when this process next looks at the newest checkpoint's age."""


def checkpoint_if_due() -> None:
    """After an audited write: sign a checkpoint if the newest is older than
    ``SHAFAF_AUDIT_CHECKPOINT_SECONDS``, so that an active site signs its chain every
    few minutes even without the cron job. The process remembers when to look next:
    one query per interval, not per write. Without a configured key (production before
    it is set) it does nothing: ``shafaf audit checkpoint`` and every publication say
    why, loudly."""
    every = getattr(settings, "SHAFAF_AUDIT_CHECKPOINT_SECONDS", None)
    if not every:
        return
    now = time.monotonic()
    if now < _next_due.get(connection.alias, 0.0):
        return
    latest = AuditCheckpoint.objects.order_by("-number").values_list("at", flat=True).first()
    age = (datetime.now(UTC) - latest).total_seconds() if latest else None
    if age is not None and age < every:
        _next_due[connection.alias] = now + every - age
        return
    _next_due[connection.alias] = now + every
    try:
        take_checkpoint()
    except ImproperlyConfigured:
        return


@transaction.atomic
def take_checkpoint(*, force: bool = False) -> AuditCheckpoint:
    """Sign the chain's head with the commission's key (shafaf.core.checkpoints).
    Nothing new is signed when the newest checkpoint already covers the head, unless
    ``force``. Run from cron every few minutes and at every publication."""
    _lock_chain()
    _seal_locked()  # this transaction's own events too: a publication signs its record
    seq, head = _sealed_head()
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

