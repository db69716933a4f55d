"""Complaints on the count, the Board's decisions, appeals and the Panel's rulings: each
step one audited action (docs/results-complaints.md). The rules are
:mod:`shafaf.core.result_complaints`'.

The Board's recount or cancellation sets the ``board_order`` of the station results of
the complaint's station (or of every station of its centre) and settles them, so the
station goes to the audit centre, or stops counting; a ruling that overturns the order
clears it and settles again. The order a station carries is always recomputed from
every complaint on it (:func:`shafaf.core.result_complaints.station_order`). The audit
events carry no personal data: the complaint's number, its place, its step.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shafaf.access.checks import can, governorate_scope, require
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core import laws
from shafaf.core import result_complaints as rules
from shafaf.core.counting import CountingRules
from shafaf.core.refusal import Hidden
from shafaf.elections.models import Contest, Election, PollingCentre, PollingStation
from shafaf.entities.access import agent_entity
from shafaf.entities.models import Candidate
from shafaf.register.models import Voter
from shafaf.register.objections import evidence_type
from shafaf.results.adoption import station_result
from shafaf.results.models import (
    BoardOrder,
    ComplaintGround,
    ComplaintState,
    Disqualification,
    ResultComplaint,
    StationCancellation,
    StationResult,
)
from shafaf.results.refusals import ResultsRefused
from shafaf.results.settlement import polls_close, settle

Actor = rules.Actor
Step = rules.Step


# --- Who sees what ----------------------------------------------------------------------


def complaints_for(user: Visitor | None) -> QuerySet[ResultComplaint]:
    """The complaints ``user`` may read: every one for results staff (within their
    governorate when scoped); their own, and their entity's for an agent, for filers."""
    complaints = ResultComplaint.objects.select_related(
        "election", "centre", "centre__governorate", "station")
    if can(user, Capability.VIEW_RESULTS):
        scope = governorate_scope(user)
        return complaints if scope is None else complaints.filter(centre__governorate_id=scope)
    if can(user, Capability.FILE_RESULT_COMPLAINT) or can(user, Capability.FILE_APPEAL):
        entity = agent_entity(user)
        mine = Q(filed_by=user)
        if entity is not None:
            mine |= Q(entity=entity)
        return complaints.filter(mine)
    require(user, Capability.VIEW_RESULTS)  # 403
    return complaints.none()


def access_complaint(user: Visitor | None, complaint_id: int) -> ResultComplaint:
    return get_object_or_404(complaints_for(user), pk=complaint_id)


def actors_for(user: Visitor | None, complaint: ResultComplaint) -> frozenset[rules.Actor]:
    """Which of the table's actors ``user`` is for ``complaint``."""
    found = set()
    if can(user, Capability.DECIDE_RESULT_COMPLAINTS):
        found.add(Actor.BOARD)
    if can(user, Capability.RECORD_RULING):
        # The Panel's registry records rulings, and appeals lodged with it directly
        # (a voter's, on paper).
        found |= {Actor.PANEL, Actor.APPELLANT}
    if user is not None and user.is_authenticated:
        if complaint.filed_by_id == user.pk:
            found.add(Actor.APPELLANT)
        elif can(user, Capability.FILE_APPEAL) and complaint.entity_id is not None:
            entity = agent_entity(user)
            if entity is not None and entity.pk == complaint.entity_id:
                found.add(Actor.APPELLANT)
    return frozenset(found)


def steps_for(user: Visitor | None, complaint: ResultComplaint) -> tuple[rules.Step, ...]:
    """The steps the complaint's page offers ``user``: the table's, for each of their roles."""
    return tuple(step for actor in sorted(actors_for(user, complaint))
                 for step in rules.steps_from(complaint.state, actor))


def may_see_evidence(user: Visitor | None) -> bool:
    return can(user, Capability.DECIDE_RESULT_COMPLAINTS)


def published(election: Election | None = None) -> QuerySet[ResultComplaint]:
    """Every complaint the Board has classed, for the public page: no names are read."""
    complaints = ResultComplaint.objects.exclude(state=ComplaintState.FILED)
    if election is not None:
        complaints = complaints.filter(election=election)
    return (complaints.select_related("centre", "station", "election")
            .only("pk", "centre__code", "centre__name_ar", "centre__name_ckb", "centre__name_en",
                  "station__code",
                  "election__code", "ground", "state", "decision", "reason", "decided",
                  "ruling", "ruling_text", "ruled", "panel_order")
            .order_by(F("decided").desc(nulls_last=True), "-pk"))


# --- Filing -----------------------------------------------------------------------------


def _counting(election: Election) -> CountingRules:
    counting = laws.get(election.law).counting
    if counting is None:
        raise ResultsRefused("results_not_counted")
    return counting


def _audit(complaint: ResultComplaint) -> dict[str, Any]:
    return {"complaint": complaint.number, "election": complaint.election.code,
            "centre": complaint.centre.code,
            "station": complaint.station.code if complaint.station else None,
            "state": complaint.state}


def filing_window(election: Election, centre: PollingCentre) -> tuple[date, date] | None:
    """The first and last day of the complaint period for ``centre``'s stations."""
    station = centre.stations.order_by("pk").first()
    if station is None:
        return None
    polled = polls_close(election, station).date()
    return polled, rules.filing_closes(polled, complaint_days=_counting(election).complaint_days)


def file_complaint(*, actor: Visitor | None, election: Election, centre: PollingCentre,
                   station: PollingStation | None = None, ground: ComplaintGround | str,
                   statement: str, evidence_file: bytes | None = None,
                   voter: Voter | None = None, today: date | None = None) -> ResultComplaint:
    """File a complaint against ``station`` (or every station of ``centre``): by a
    signed-in filer (FILE_RESULT_COMPLAINT), or by ``voter``, who identified with their
    own entry in the register."""
    account: Account | None = None
    if voter is None:
        account = require(actor, Capability.FILE_RESULT_COMPLAINT)
    ground = ComplaintGround(ground)
    kind = evidence_type(evidence_file) if evidence_file else ""
    if not statement.strip():
        raise ResultsRefused("complaint_statement_required")
    if centre.election_id != election.pk or (station is not None
                                             and station.centre_id != centre.pk):
        raise Hidden("no_such_station")
    window = filing_window(election, centre)
    if window is None:
        raise ResultsRefused("complaint_no_stations")
    refused = rules.filing_refusal(polling_day=window[0], today=today or timezone.localdate(),
                                   complaint_days=_counting(election).complaint_days)
    if refused is not None:
        raise ResultsRefused(refused.code, **refused.params)
    entity = agent_entity(account) if account is not None else None
    with transaction.atomic():
        complaint = ResultComplaint.objects.create(
            election=election, centre=centre, station=station, ground=ground,
            statement=statement.strip(), evidence_file=evidence_file or None,
            evidence_type=kind, filed_by=account, filed_by_voter=voter, entity=entity,
            filed=timezone.now())
        record(actor=account, action="results.complaint_filed", target=complaint,
               data={**_audit(complaint), "ground": ground.value, "by_voter": voter is not None,
                     "evidence_file": bool(kind)})
    return complaint


# --- The Board --------------------------------------------------------------------------


def _locked(complaint: ResultComplaint) -> ResultComplaint:
    found = (ResultComplaint.objects.select_for_update(of=("self",))
             .select_related("election", "centre", "station").filter(pk=complaint.pk).first())
    if found is None:
        raise Hidden("no_such_complaint")
    return found


def _as(user: Visitor | None, complaint: ResultComplaint, step: rules.Step,
        actor: rules.Actor) -> None:
    """Refuse ``step`` unless ``user`` is ``actor`` for the complaint and the table
    lets that actor take it from where the complaint stands."""
    if actor not in actors_for(user, complaint):
        raise Hidden("no_such_complaint")
    if step not in rules.steps_from(complaint.state, actor):
        raise ResultsRefused("complaint_step_not_allowed", step=step.value,
                             state=complaint.state)


def _next(complaint: ResultComplaint, step: rules.Step, reason: str) -> rules.State:
    try:
        return rules.next_state(complaint.state, step, reason=reason)
    except rules.ComplaintRefused as refused:
        raise ResultsRefused(refused.code, **refused.params) from None


BOARD_STEPS = frozenset({Step.CLASS_RED, Step.CLASS_YELLOW, Step.CLASS_GREEN, Step.DISMISS,
                         Step.RECOUNT, Step.CANCEL})


def decide(*, actor: Visitor | None, complaint: ResultComplaint, step: rules.Step | str,
           reason: str, now: datetime | None = None) -> ResultComplaint:
    """The Board classes a filed complaint, or decides a red one, with its published
    reason. A recount or a cancellation flows into the stations' results."""
    account = require(actor, Capability.DECIDE_RESULT_COMPLAINTS)
    step = rules.Step(step)
    if step not in BOARD_STEPS:
        raise ResultsRefused("complaint_step_not_allowed", step=step.value,
                             state=complaint.state)
    with transaction.atomic():
        complaint = _locked(complaint)
        _as(account, complaint, step, Actor.BOARD)
        state = _next(complaint, step, reason)
        moment = timezone.now()
        complaint.state = state.value
        complaint.reason = reason.strip()
        if step is Step.CLASS_RED:
            complaint.classed = moment
        else:
            complaint.classed = complaint.classed or moment
            complaint.decision, complaint.decided, complaint.decided_by = (
                state.value, moment, account)
        complaint.save()
        record(actor=account, action=f"results.complaint_{step.value}", target=complaint,
               data={**_audit(complaint), "reason": complaint.reason})
        _settle_stations(complaint, account, now=now)
    return complaint


# --- Appeals and rulings ----------------------------------------------------------------


def appeal(*, actor: Visitor | None, complaint: ResultComplaint, grounds: str,
           today: date | None = None) -> ResultComplaint:
    """Appeal the Board's decision to the Judicial Electoral Panel, within the deadline."""
    if actor is None or not actor.is_authenticated:
        raise Hidden("no_such_complaint")
    with transaction.atomic():
        complaint = _locked(complaint)
        _as(actor, complaint, Step.APPEAL, Actor.APPELLANT)
        state = _next(complaint, Step.APPEAL, grounds)
        decided = complaint.decided or complaint.filed  # every appealable state is decided
        refused = rules.appeal_refusal(
            decided=timezone.localdate(decided), today=today or timezone.localdate(),
            appeal_days=_counting(complaint.election).appeal_days)
        if refused is not None:
            raise ResultsRefused(refused.code, **refused.params)
        complaint.state, complaint.appeal_grounds = state.value, grounds.strip()
        complaint.appealed, complaint.appealed_by = timezone.now(), actor
        complaint.save(update_fields=["state", "appeal_grounds", "appealed", "appealed_by"])
        record(actor=actor, action="results.complaint_appealed", target=complaint,
               data=_audit(complaint))
    return complaint


def rule(*, actor: Visitor | None, complaint: ResultComplaint, overturned: bool, ruling: str,
         text: str = "", panel_order: BoardOrder | str = BoardOrder.NONE,
         disqualify: Candidate | None = None, now: datetime | None = None) -> ResultComplaint:
    """Record the Panel's ruling on an appeal: the Board's decision upheld or overturned;
    an overturned dismissal may carry the Panel's own order (recount, cancel); any ruling
    may disqualify a candidate of the contest, whose votes tabulation strikes."""
    account = require(actor, Capability.RECORD_RULING)
    step = Step.OVERTURN if overturned else Step.UPHOLD
    panel_order = BoardOrder(panel_order)
    with transaction.atomic():
        complaint = _locked(complaint)
        _as(account, complaint, step, Actor.PANEL)
        state = _next(complaint, step, ruling)
        if panel_order and (not overturned or complaint.decision in (
                ComplaintState.RECOUNT, ComplaintState.CANCELLED)):
            raise ResultsRefused("panel_order_only_on_dismissal")
        if disqualify is not None:
            complaint.disqualification = _disqualify(account, complaint, disqualify,
                                                     ruling.strip())
        complaint.state, complaint.ruling = state.value, ruling.strip()
        complaint.ruling_text, complaint.panel_order = text.strip(), panel_order.value
        complaint.ruled, complaint.ruled_by = timezone.now(), account
        complaint.save()
        record(actor=account, action=f"results.complaint_{state.value}", target=complaint,
               data={**_audit(complaint), "ruling": complaint.ruling,
                     "panel_order": complaint.panel_order,
                     "disqualified": disqualify.pk if disqualify else None})
        _settle_stations(complaint, account, now=now)
    return complaint


def _disqualify(account: Account, complaint: ResultComplaint, candidate: Candidate,
                ruling: str) -> Disqualification:
    contest = Contest.objects.filter(election=complaint.election_id,
                                     governorate=complaint.centre.governorate_id).first()
    candidate = Candidate.objects.select_related("nomination").get(pk=candidate.pk)
    if contest is None or candidate.nomination.contest_id != contest.pk:
        raise ResultsRefused("candidate_not_in_contest")
    if Disqualification.objects.filter(candidate=candidate).exists():
        raise ResultsRefused("candidate_already_disqualified")
    found = Disqualification.objects.create(contest=contest, candidate=candidate,
                                            ruling=ruling[:200], recorded_by=account)
    record(actor=account, action="results.candidate_disqualified", target=found,
           data={"complaint": complaint.number, "contest": contest.pk,
                 "candidate": candidate.pk, "ruling": found.ruling})
    return found


# --- Into the results -------------------------------------------------------------------


def _stations(complaint: ResultComplaint) -> list[PollingStation]:
    if complaint.station_id is not None:
        return list(PollingStation.objects.filter(pk=complaint.station_id)
                    .select_related("centre"))
    return list(PollingStation.objects.filter(centre=complaint.centre_id)
                .select_related("centre").order_by("pk"))


def _standing(station: PollingStation) -> tuple[rules.Order, str]:
    """The order every complaint on ``station`` leaves standing, and the reason of the
    cancellation that stands (shown as the station's note)."""
    orders, note = [], ""
    for complaint in (ResultComplaint.objects.filter(
            Q(station=station) | Q(station__isnull=True, centre=station.centre_id))
            .order_by("pk")):
        order = rules.order_of(state=complaint.state, decision=complaint.decision or None,
                               panel_order=complaint.panel_order)
        orders.append(order)
        if order is rules.Order.CANCEL:
            note = (complaint.ruling_text or complaint.ruling
                    if complaint.state == ComplaintState.OVERTURNED else complaint.reason)
    # The Board's own cancellation of a station held at the audit centre stands too
    # (shafaf.results.cancellation): no complaint's decision lifts it.
    for reason in StationCancellation.objects.filter(result__station=station).values_list(
            "reason", flat=True):
        orders.append(rules.Order.CANCEL)
        note = reason
    return rules.station_order(orders), note


def _settle_stations(complaint: ResultComplaint, account: Account,
                     *, now: datetime | None) -> None:
    """Give each of the complaint's stations the order its complaints leave standing,
    and settle every station result whose order changes. The station's results are
    locked (stations in order, so two decisions never deadlock) before the complaints
    on it are read: a decision on another complaint of the station, taken at the same
    time, is seen once it commits."""
    contest = Contest.objects.filter(election=complaint.election_id,
                                     governorate=complaint.centre.governorate_id).first()
    for station in _stations(complaint):
        if (contest is not None and not StationResult.objects.filter(station=station).exists()
                and _standing(station)[0] is not rules.Order.NONE):
            station_result(station=station, contest=contest, lock=False)
        results = list(StationResult.objects.select_for_update(of=("self",)).filter(station=station)
                       .select_related("contest", "station").order_by("component"))
        order, note = _standing(station)
        for result in results:
            was = result.board_order
            if was == order.value and (order is not rules.Order.CANCEL or result.note == note):
                continue
            result.board_order = order.value
            if order is rules.Order.CANCEL:
                result.note = note
            elif was == BoardOrder.CANCEL:
                result.note = ""
            result.save(update_fields=["board_order", "note", "updated_at"])
            decision = settle(result=result, now=now)
            record(actor=account, action="results.board_order", target=result,
                   data={"complaint": complaint.number, "station": station.code,
                         "component": result.component, "order": order.value,
                         "was": was, "outcome": decision.outcome.value})
