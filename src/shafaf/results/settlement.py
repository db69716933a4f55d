"""Settling a station: asking the core's rule which of its forms counts, and adopting it.

Every action that changes what the rule reads (a form recorded, a form cleared, the
Board's order, the passing of the transmission window) ends by calling :func:`settle`
in its own transaction, so no page or action ever restates the rule.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from shafaf.core import laws
from shafaf.core import station_outcome as rule
from shafaf.elections.models import CalendarPhase, Election, Phase, PollingStation, StationKind
from shafaf.results.adoption import adopt
from shafaf.results.forms import list_votes
from shafaf.results.models import (
    BoardOrder,
    FormState,
    FormVote,
    Outcome,
    ResultForm,
    Source,
    StationResult,
)
from shafaf.results.refusals import ResultsRefused

# Polls close at 18:00 Baghdad time (the commission's announced hours); the
# transmission window runs from then.
POLLS_CLOSE = time(18, 0)
BAGHDAD = ZoneInfo("Asia/Baghdad")
_COUNT = {Source.ELECTRONIC: rule.Count.ELECTRONIC, Source.PAPER: rule.Count.PAPER,
          Source.MANUAL: rule.Count.MANUAL, Source.AUDIT: rule.Count.RECOUNT}
_SOURCE = {count: source for source, count in _COUNT.items()}


def polls_close(election: Election, station: PollingStation) -> datetime:
    """When the station's polls closed: the special voting day for special stations
    (the calendar's first day of special voting), polling day for the others."""
    day = election.polling_day
    if station.centre.kind == StationKind.SPECIAL:
        special = (CalendarPhase.objects.filter(election=election, phase=Phase.SPECIAL_VOTING)
                   .values_list("starts", flat=True).first())
        day = special or day
    return datetime.combine(day, POLLS_CLOSE, tzinfo=BAGHDAD)


def transmission_deadline(election: Election, station: PollingStation) -> datetime:
    rules = laws.get(election.law).counting
    window = rules.transmission_window if rules else timedelta(hours=6)
    return polls_close(election, station) + window


def settle(*, result: StationResult, now: datetime | None = None) -> rule.Decision:
    """Adopt what the rule decides for the (locked) station result; returns the decision."""
    contest = result.contest
    election = contest.election
    station = result.station
    rules = laws.get(election.law).counting
    if rules is None:
        raise ResultsRefused("results_not_counted")
    live = {form.source: form for form in ResultForm.objects.filter(
        station=station, component=result.component).exclude(state=FormState.SUPERSEDED)}
    forms = {_COUNT[Source(source)]: rule.CountForm(
        list_votes=list_votes(component=result.component, rows=FormVote.objects.filter(
            form=form).values_list("nomination_id", "candidate_id", "votes")),
        valid=form.valid, held=form.state == FormState.QUARANTINED)
        for source, form in live.items()}
    has_device = Source.ELECTRONIC in live or Source.PAPER in live
    late = not has_device and (now or timezone.now()) > transmission_deadline(election, station)
    decision = rule.decide(forms=forms, threshold=rules.manual_difference_threshold, late=late,
                           cancelled=result.board_order == BoardOrder.CANCEL,
                           recount_ordered=result.board_order == BoardOrder.RECOUNT)
    adopted = live[_SOURCE[decision.adopt].value] if decision.adopt is not None else None
    adopt(result=result, form=adopted, outcome=Outcome(decision.outcome.value),
          audit_reason=decision.audit_reason.value, note=result.note)
    return decision
