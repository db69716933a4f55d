"""Public ballot specimens: once the lottery has given every list its number, anyone
may download each governorate's ballot papers (docs/ballots.md)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from shafaf.elections.models import Election
from shafaf.entities import ballots


@require_safe
def index(request: HttpRequest, election: str) -> HttpResponse:
    chosen = get_object_or_404(Election, code=election)
    return render(request, "entities/ballots.html", {
        "election": chosen, "governorates": ballots.index(chosen)})


@require_safe
def paper(request: HttpRequest, election: str, governorate: str,
          component: str | None = None) -> HttpResponse:
    chosen = get_object_or_404(Election, code=election)
    try:
        ballot = ballots.build(election=chosen, governorate=governorate, component=component)
    except ballots.NoSuchBallot as missing:
        raise Http404(str(missing)) from missing
    except ballots.BallotNotReady as not_ready:
        return render(request, "entities/ballot_not_ready.html", {
            "election": chosen, "governorate": governorate, "component": component,
            "reason": str(not_ready), "unnumbered": not_ready.unnumbered}, status=409)
    etag = f'"{ballots.specimen_key(ballot)}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(ballots.specimen_pdf(ballot), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{ballot.filename}"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=300)
    return response


urlpatterns = [
    path("ballots/<slug:election>/", index, name="ballots"),
    path("ballots/<slug:election>/<str:governorate>.pdf", paper, name="ballot"),
    path("ballots/<slug:election>/<str:governorate>/<slug:component>.pdf", paper,
         name="component_ballot"),
]
