"""Published results (docs/results-publication.md): a governorate's latest publication's
allocation JSON, with ``lists[list_id, votes, seats]`` and ``elected``."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router

from shafaf.elections.models import Contest
from shafaf.results import forensics, publication

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


@router.get("/{election}/{governorate}/forensics", response=dict[str, Any],
            url_name="results_forensics", summary="A governorate's published forensics")
def published_forensics(request: HttpRequest, election: str, governorate: str
                        ) -> dict[str, Any]:
    """The forensics of the governorate's latest publication (docs/forensics.md): the
    ``summary.json`` that ``shafaf forensics report --votes votes.csv --forms
    forms.csv`` writes for its files (``all``, and ``governorates`` empty), each plot
    given by its address, with the publication's stage, time and manifest SHA-256.
    404 before any publication."""
    contest = Contest.objects.filter(election__code=election[:64],
                                     governorate__code=governorate[:16]).first()
    latest = publication.latest_publication(contest) if contest else None
    if latest is None or contest is None:
        raise Http404
    figures = forensics.of_publication(latest)
    plots = {forensics.PLOTS[kind]: reverse("results:forensics_plot", args=[
        contest.election.code, contest.governorate.code, kind]) for kind in figures.plots}
    return {"stage": latest.stage,
            "published_at": latest.published_at.isoformat(timespec="seconds"),
            "manifest_sha256": latest.manifest_sha256,
            "all": {**figures.all, "plots": plots}, "governorates": figures.governorates}
