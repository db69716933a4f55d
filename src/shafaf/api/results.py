"""Published results (docs/results-publication.md): a governorate's latest publication's
allocation JSON, with ``lists[list_id, votes, seats]`` and ``elected``."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from shafaf.elections.models import Contest
from shafaf.results import publication

router = Router(tags=["results"])


@router.get("/{election}/{governorate}", response=dict[str, Any],
            summary="A governorate's published allocation")
def published_allocation(request: HttpRequest, election: str, governorate: str
                         ) -> dict[str, Any]:
    """The allocation JSON of the governorate's latest publication (the same as its
    ``allocation.json`` file), with the publication's stage, time and manifest
    SHA-256. 404 before any publication."""
    contest = Contest.objects.filter(election__code=election[:64],
                                     governorate__code=governorate[:16]).first()
    latest = publication.latest_publication(contest) if contest else None
    if latest is None:
        raise Http404
    row = publication.published_file(latest, "allocation.json")
    if row is None:
        raise Http404
    allocation: dict[str, Any] = json.loads(bytes(row.content))
    return {"stage": latest.stage,
            "published_at": latest.published_at.isoformat(timespec="seconds"),
            "manifest_sha256": latest.manifest_sha256, **allocation}
