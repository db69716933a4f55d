"""Queueing a job. The work itself records its own audit event when it writes."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from shafaf.access.people import Visitor
from shafaf.jobs.kinds import work_of
from shafaf.jobs.models import Job


def enqueue(*, actor: Visitor | None, kind: str, params: dict[str, Any]) -> Job:
    """Queue a job of a registered kind; a worker picks it up (``shafaf worker``).
    The caller has checked that the actor may ask for it."""
    if work_of(kind) is None:
        raise ValueError(f"no job kind {kind!r}")
    return Job.objects.create(
        kind=kind, params=params, language=translation.get_language() or "ar",
        created_by=actor if actor is not None and actor.is_authenticated else None)
