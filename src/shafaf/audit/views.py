from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shafaf.access.checks import capability_required
from shafaf.access.roles import Capability
from shafaf.audit.models import AuditEvent


@capability_required(Capability.VIEW_AUDIT_LOG)
def events(request: HttpRequest) -> HttpResponse:
    listing = AuditEvent.objects.all()
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        listing = listing.filter(action__startswith=action)
    if actor:
        listing = listing.filter(actor_username=actor)
    page = Paginator(listing, 50).get_page(request.GET.get("page"))
    return render(request, "audit/events.html", {"page": page, "action": action,
                                                 "actor": actor})
