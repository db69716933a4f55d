"""Public ballot specimens: once the lottery has given every list its number, anyone
may download each governorate's ballot papers (docs/ballots.md). Each specimen is
drawn once per content and then served as a stored file (shafaf.publication)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from shafaf.access.checks import can
from shafaf.access.roles import Capability
from shafaf.elections.models import Election
from shafaf.entities import ballots
from shafaf.publication.serve import file_response


@require_safe
def index(request: HttpRequest, election: str) -> HttpResponse:
    chosen = get_object_or_404(Election, code=election)
    return render(request, "entities/ballots.html", {
        "election": chosen, "governorates": ballots.index(chosen),
        # Told to staff before anything is printed; the public sees the ballots only.
        "unprintable_logos": ballots.election_unprintable_logos(chosen)
        if can(request.user, Capability.VIEW_NOMINATIONS) else ()})


@require_safe
def paper(request: HttpRequest, election: str, governorate: str,
          component: str | None = None) -> HttpResponseBase:
    chosen = get_object_or_404(Election, code=election)
    try:
        return _specimen(request, chosen, governorate, component)
    except FileNotFoundError:
        # The lists changed while this request ran, and a newer specimen replaced the
        # one it found: read the ballot again.
        return _specimen(request, chosen, governorate, component)


def _specimen(request: HttpRequest, election: Election, governorate: str,
              component: str | None) -> HttpResponseBase:
    try:
        ballot = ballots.build(election=election, governorate=governorate, component=component)
    except ballots.NoSuchBallot as missing:
        raise Http404(str(missing)) from missing
    except ballots.BallotNotReady as not_ready:
        return render(request, "entities/ballot_not_ready.html", {
            "election": election, "governorate": governorate, "component": component,
            "reason": str(not_ready), "unnumbered": not_ready.unnumbered}, status=409)
    published = ballots.publish_specimen(ballot)
    return file_response(request, published, content_type="application/pdf",
                         filename=ballot.filename)


urlpatterns = [
    path("ballots/<slug:election>/", index, name="ballots"),
    path("ballots/<slug:election>/<str:governorate>.pdf", paper, name="ballot"),
    path("ballots/<slug:election>/<str:governorate>/<slug:component>.pdf", paper,
         name="component_ballot"),
]
