"""Observation's staff hub: the way in to every observation page the user may use.
Each part of observation has its own views module; this one only links them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from shafaf.access.checks import can, capability_required
from shafaf.access.people import Account
from shafaf.access.roles import Capability, Role
from shafaf.observation.models import Coordinator, Observer


@require_safe
@capability_required(Capability.STAFF_AREA)
def hub(request: HttpRequest) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    may = {capability.value: can(user, capability) for capability in Capability}
    # An organisation's pages need the organisation, an observer's their accreditation:
    # their links are shown to the users who have one, so that no link opens on a
    # refusal. An entity's agent without an organisation is offered to register one.
    may["register_agents"] = (may[Capability.MANAGE_OBSERVERS]
                              and user.role == Role.ENTITY_AGENT)
    may[Capability.MANAGE_OBSERVERS] = (
        may[Capability.MANAGE_OBSERVERS] and Coordinator.objects.filter(user=user).exists())
    may[Capability.SUBMIT_OBSERVATIONS] = (
        may[Capability.SUBMIT_OBSERVATIONS] and Observer.objects.filter(user=user).exists())
    return render(request, "observation/hub.html", {"may": may})
