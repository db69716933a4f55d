"""Reading elections data for pages and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from shafaf.elections.models import CalendarPhase, Contest, Election


def current_election() -> Election | None:
    return Election.objects.order_by("-polling_day").first()


def contests(election: Election) -> QuerySet[Contest]:
    return (Contest.objects.filter(election=election).select_related("governorate")
            .prefetch_related("component_seats"))


def calendar(election: Election) -> QuerySet[CalendarPhase]:
    return CalendarPhase.objects.filter(election=election)

