from __future__ import annotations

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shafaf.accounts.access import can, capability_required
from shafaf.accounts.roles import Capability
from shafaf.audit.selectors import head
from shafaf.elections import selectors
from shafaf.elections.access import centres_for, governorates_for, stations_for


def home(request: HttpRequest) -> HttpResponse:
    election = selectors.current_election()
    contests = list(selectors.contests(election)) if election else []
    return render(request, "portal/home.html", {
        "election": election,
        "contests": contests,
        "calendar": selectors.calendar(election) if election else [],
        "totals": {
            "general": sum(c.general_seats for c in contests),
            "component": sum(s.seats for c in contests for s in c.component_seats.all()),
            "women": sum(c.women_quota for c in contests),
        },
    })


def audit_head(request: HttpRequest) -> HttpResponse:
    """The newest hash of the audit chain, public so that anyone can pin it."""
    return render(request, "portal/audit_head.html", {"head": head()})


@capability_required(Capability.STAFF_AREA)
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    figures = {}
    if can(user, Capability.VIEW_STATIONS):
        stations = stations_for(user)
        figures = {
            "governorates": governorates_for(user).count(),
            "centres": centres_for(user).count(),
            "stations": stations.count(),
            "voters": stations.aggregate(n=Sum("registered_voters"))["n"] or 0,
        }
    return render(request, "portal/dashboard.html", {"figures": figures, "head": head()})
