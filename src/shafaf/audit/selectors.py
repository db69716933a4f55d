"""Reading the audit log, and verifying it against the signed checkpoints."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from shafaf import signatures
from shafaf.audit import keys
from shafaf.audit.actions import as_hashed
from shafaf.audit.models import AuditCheckpoint, AuditEvent
from shafaf.core import checkpoints, ledger

FIELDS = ("id", *ledger.HASHED_FIELDS, "hash", "version", "salt")


def published(row: dict[str, Any]) -> dict[str, Any]:
    """An event row as the public feed gives it: its hashed form and its hash (no
    salt, no personal value)."""
    form = ledger.hashed_form(as_hashed(row), version=row["version"] or 1, salt=row["salt"])
    return {**form, "hash": row["hash"]}


def chain(after: int = 0, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Events in sequence order, in their hashed form with their hash, streamed."""
    rows = AuditEvent.objects.filter(seq__gt=after).order_by("seq").values(*FIELDS)  # sealed
    if limit is not None:
        rows = rows[:limit]
    for row in rows.iterator(chunk_size=2000):
        yield published(row)


def checkpoint_of(row: AuditCheckpoint) -> checkpoints.Checkpoint:
    return checkpoints.Checkpoint(number=row.number, seq=row.seq, hash=row.hash,
                                  at=row.at.astimezone(UTC).isoformat(), key_id=row.key_id,
                                  signature=row.signature)


def all_checkpoints() -> Iterator[checkpoints.Checkpoint]:
    for row in AuditCheckpoint.objects.order_by("number").iterator(chunk_size=2000):
        yield checkpoint_of(row)


@dataclass(frozen=True, slots=True)
class PublishedKey:
    public_key: str
    key_id: str


def published_key() -> PublishedKey | None:
    """The commission's public key, or None where none is configured yet (production
    before SHAFAF_AUDIT_SIGNING_KEY is set: the page says so rather than fail)."""
    try:
        return PublishedKey(keys.public_key(), keys.key_id())
    except ImproperlyConfigured:
        return None


def latest_checkpoint() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.order_by("-number").first()


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    status: ledger.ChainStatus
    checked: checkpoints.Checked
    signed: tuple[checkpoints.Checkpoint, ...]

    @property
    def broken(self) -> ledger.ChainBreak | None:
        return self.status.broken

    @property
    def events(self) -> int:
        return self.status.events

    @property
    def head(self) -> str:
        return self.status.head

    @property
    def intact(self) -> bool:
        return self.status.broken is None and self.checked.fault is None


def verify(pinned: str | None = None) -> Verdict:
    """The chain checked link by link, against every signed checkpoint (signatures
    checked with the site's key) and ``pinned`` if given."""
    signed = tuple(all_checkpoints())
    known = keys.known_keys() if signed else {}
    checked = checkpoints.check(signed, keys=known, valid=signatures.valid)
    status = ledger.verify(chain(), pinned=pinned, signed=checked.signed)
    return Verdict(status=status, checked=checked, signed=signed)


def head() -> AuditEvent | None:
    return AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()


def unsealed() -> int:
    """Events committed but not yet sealed into the chain (normally none for more than
    a few milliseconds)."""
    return AuditEvent.objects.filter(seq__isnull=True).count()
