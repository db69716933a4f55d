"""Reading the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shafaf.audit.actions import as_hashed
from shafaf.audit.models import AuditEvent
from shafaf.core import ledger

FIELDS = ("id", *ledger.HASHED_FIELDS, "hash")


def chain() -> Iterator[dict[str, Any]]:
    """Every event in sequence order, as the hash sees it, streamed from the database."""
    for row in AuditEvent.objects.order_by("seq").values(*FIELDS).iterator(chunk_size=2000):
        yield as_hashed(row)


def verify(pinned: str | None = None) -> ledger.ChainStatus:
    return ledger.verify(chain(), pinned=pinned)


def head() -> AuditEvent | None:
    return AuditEvent.objects.order_by("-seq").first()
