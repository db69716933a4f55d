"""The results' staff hub: the way in to every results page the user may use. Each
part of results (transmissions, paper entry, audit, complaints, tabulation) has its own
views module; this one only links them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from shafaf.access.checks import can, capability_required
from shafaf.access.roles import Capability


@require_safe
@capability_required(Capability.STAFF_AREA)
def hub(request: HttpRequest) -> HttpResponse:
    may = {capability.value: can(request.user, capability) for capability in Capability}
    return render(request, "results/hub.html", {"may": may})
