"""The figures of an organisation's dashboard, coverage and public page, read from the
database and counted by shafaf.core.observation_figures. The public page and the
statement ask for ``verified_only``: nothing an organisation has not verified is
published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractHour

from shafaf.core import observation_figures as fig
from shafaf.elections.models import Governorate
from shafaf.observation.deployment import stations_within
from shafaf.observation.models import Assignment, Organisation, Submission, Verification

DAY_FORMS = ("opening", "voting", "closing", "counting")
INCIDENT_FORM = "incident"


def coverage(organisation: Organisation) -> list[fig.Coverage]:
    places = [fig.Place(*row) for row in stations_within(organisation).values_list(
        "centre__governorate__code", "centre__code", "code")]
    covered = Assignment.objects.filter(observer__organisation=organisation).values_list(
        "station__code", flat=True)
    return fig.coverage(places, covered)


def governorate_names() -> dict[str, str]:
    return {g.code: g.name for g in Governorate.objects.all()}


def _reports(organisation: Organisation, verified_only: bool) -> QuerySet[Submission]:
    reports = Submission.objects.filter(observer__organisation=organisation)
    if verified_only:
        reports = reports.filter(status=Verification.VERIFIED)
    else:  # a rejected report is wrong by its organisation's own judgement
        reports = reports.exclude(status=Verification.REJECTED)
    return reports


def _answers(reports: QuerySet[Submission], form: str) -> list[tuple[str, dict[str, Any]]]:
    return [(station, answers if isinstance(answers, dict) else {})
            for station, answers in reports.filter(form__code=form).order_by(
                "received", "pk").values_list("station__code", "answers")]


@dataclass(frozen=True)
class Dashboard:
    organisation: Organisation
    coverage: list[fig.Coverage]
    coverage_total: fig.Coverage
    expected: int
    by_hour: list[fig.HourCount]
    on_time: fig.OnTime
    turnout: list[fig.Turnout]
    incidents: fig.IncidentCounts
    critical: list[Submission]


def dashboard(organisation: Organisation, *, verified_only: bool = False) -> Dashboard:
    reports = _reports(organisation, verified_only)
    expected = (Assignment.objects.filter(observer__organisation=organisation).count()
                * len(DAY_FORMS))
    # Counted by the database, in the local hour (Baghdad's, TIME_ZONE).
    hours = [hour for hour, n in reports.filter(form__code__in=DAY_FORMS)
             .annotate(hour=ExtractHour("received")).values_list("hour")
             .annotate(n=Count("pk")).order_by() for _ in range(n)]
    registered = dict(stations_within(organisation).values_list("code", "registered_voters"))
    incidents = [fig.Incident(str(answers.get("category", "")),
                              str(answers.get("severity", "")), governorate)
                 for governorate, answers in reports.filter(form__code=INCIDENT_FORM)
                 .values_list("station__centre__governorate__code", "answers")
                 if isinstance(answers, dict)]
    critical = list(reports.filter(form__code=INCIDENT_FORM, answers__severity="critical")
                    .select_related("station", "station__centre__governorate")
                    .order_by("-received")[:100])
    rows = coverage(organisation)
    return Dashboard(
        organisation, rows, fig.total_coverage(rows), expected,
        fig.received_by_hour(hours, expected),
        fig.opened_on_time(_answers(reports, "opening")),
        fig.turnout_by_hour(_answers(reports, "voting"), registered),
        fig.incident_counts(incidents), critical)


def public_figures(organisation: Organisation) -> dict[str, Any]:
    """What is published of an organisation: aggregates of its verified reports only,
    as plain JSON (kept with a statement as it was published)."""
    found = dashboard(organisation, verified_only=True)
    return {
        "coverage": [{"governorate": r.governorate, "centres": r.centres,
                      "centres_covered": r.centres_covered, "stations": r.stations,
                      "stations_covered": r.stations_covered} for r in found.coverage],
        "opened": {"stations": found.on_time.stations, "on_time": found.on_time.on_time},
        "turnout": [{"hour": t.hour, "stations": t.stations, "voters": t.voters,
                     "registered": t.registered} for t in found.turnout],
        "incidents": {"total": found.incidents.total,
                      "by_category": found.incidents.by_category,
                      "by_governorate": found.incidents.by_governorate},
    }
