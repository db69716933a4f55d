"""The Commission's review of lists: external checks, approval or exclusion,
objections, appeals and certification. Each step is audited; the steps allowed
from each state are the core's table (``shafaf.core.certification``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from shafaf.access.checks import governorate_scope, require
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core import eligibility
from shafaf.core.certification import (
    CandidateState,
    CandidateStep,
    CheckKind,
    CheckOutcome,
    ExclusionReason,
    ListState,
    ListStep,
    can_certify,
    checks_open,
    checks_verdict,
    sequence_numbers,
    take_candidate_step,
    take_list_step,
)
from shafaf.entities import adapters
from shafaf.entities.access import agent_entity
from shafaf.entities.actions.nominations import NominationRefused, NotYourEntity
from shafaf.entities.models import Appeal, Candidate, Check, Decision, NominationList, Objection
from shafaf.entities.workflow import actors_for


def _list_step(actor: Visitor, nomination: NominationList, step: ListStep) -> ListState:
    """The list's next state by the core's table, if ``actor`` may take ``step`` now."""
    return take_list_step(nomination.status, step, by=actors_for(actor, nomination))


def _candidate_step(actor: Visitor, candidate: Candidate, step: CandidateStep) -> CandidateState:
    """The candidate's next state by the core's table, if ``actor`` may take ``step`` now."""
    return take_candidate_step(candidate.status, step, by=actors_for(actor, candidate.nomination),
                               list_state=candidate.nomination.status)


def _reviewer(actor: Visitor, nomination: NominationList) -> Account:
    """A reviewer with the capability, and in the list's governorate if scoped."""
    actor = require(actor, Capability.REVIEW_CANDIDATES)
    scope = governorate_scope(actor)
    if scope is not None and scope != nomination.contest.governorate_id:
        raise NotYourEntity(str(nomination.pk))
    return actor


def _in_review(nomination: NominationList) -> None:
    if not checks_open(nomination.status):
        raise NominationRefused("list_not_under_review", status=nomination.status)


@transaction.atomic
def start_review(*, actor: Visitor, nomination: NominationList) -> NominationList:
    _reviewer(actor, nomination)
    nomination.status = _list_step(actor, nomination, ListStep.START_REVIEW)
    nomination.save(update_fields=["status"])
    record(actor=actor, action="certification.start_review", target=nomination)
    return nomination


@transaction.atomic
def return_to_draft(*, actor: Visitor, nomination: NominationList, reason: str) -> NominationList:
    """Send a submitted list back to its entity for correction, before review starts."""
    _reviewer(actor, nomination)
    if not reason.strip():
        raise NominationRefused("reason_required")
    nomination.status = _list_step(actor, nomination, ListStep.RETURN_TO_DRAFT)
    nomination.save(update_fields=["status"])
    record(actor=actor, action="certification.return_to_draft", target=nomination,
           data={"reason": reason})
    return nomination


@transaction.atomic
def record_check(*, actor: Visitor, candidate: Candidate, kind: str, outcome: str,
                 document: str) -> Check:
    """The answer of an external check (degree, criminal record, Accountability and
    Justice) with the reference of the document it rests on. Recording it again
    corrects it; the audit chain keeps both."""
    actor = _reviewer(actor, candidate.nomination)
    _in_review(candidate.nomination)
    if not document.strip():
        raise NominationRefused("document_required")
    check, _ = Check.objects.update_or_create(
        candidate=candidate, kind=CheckKind(kind),
        defaults={"outcome": CheckOutcome(outcome), "document": document.strip(),
                  "recorded_by": actor})
    record(actor=actor, action="certification.check", target=candidate,
           data={"check": kind, "outcome": outcome, "document": document.strip()})
    return check


def open_violations(candidate: Candidate) -> tuple[eligibility.Violation, ...]:
    """The nominee rules as vetting has found the candidate so far."""
    nomination = candidate.nomination
    return eligibility.check_nominee(
        adapters.rules_for(nomination), adapters.nominee(candidate),
        kind=eligibility.ListKind(nomination.kind),
        election_day=nomination.contest.election.polling_day)


@transaction.atomic
def approve_candidate(*, actor: Visitor, candidate: Candidate) -> Candidate:
    """Approve a candidate whom every external check has cleared and no rule bars."""
    _reviewer(actor, candidate.nomination)
    _in_review(candidate.nomination)
    outcomes = {CheckKind(c.kind): CheckOutcome(c.outcome) for c in candidate.checks.all()}
    verdict = checks_verdict(outcomes)
    if verdict is None:
        raise NominationRefused("checks_outstanding")
    if verdict:
        raise NominationRefused("checks_failed", reasons=[r.value for r in verdict])
    violations = open_violations(candidate)
    if violations:
        raise NominationRefused("candidate_breaks_rules", violations=violations)
    if candidate.objections.filter(decision=Decision.PENDING).exists():
        raise NominationRefused("objection_pending")
    candidate.status = _candidate_step(actor, candidate, CandidateStep.APPROVE)
    candidate.exclusion_reasons = []
    candidate.save(update_fields=["status", "exclusion_reasons"])
    record(actor=actor, action="certification.approve", target=candidate,
           data={"checks": {k.value: v.value for k, v in outcomes.items()}})
    return candidate


@transaction.atomic
def exclude_candidate(*, actor: Visitor, candidate: Candidate, reasons: list[str],
                      note: str = "") -> Candidate:
    """Exclude a candidate with reason codes: a failed check's, a nominee rule's, an
    upheld objection, or ``other`` with a note."""
    _reviewer(actor, candidate.nomination)
    _in_review(candidate.nomination)
    known = {r.value for r in ExclusionReason} | {c.value for c in eligibility.ViolationCode}
    if not reasons or any(r not in known for r in reasons):
        raise NominationRefused("reason_required")
    if ExclusionReason.OTHER in reasons and not note.strip():
        raise NominationRefused("note_required")
    candidate.status = _candidate_step(actor, candidate, CandidateStep.EXCLUDE)
    candidate.exclusion_reasons = sorted(set(reasons))
    candidate.save(update_fields=["status", "exclusion_reasons"])
    record(actor=actor, action="certification.exclude", target=candidate,
           data={"reasons": candidate.exclusion_reasons, "note": note.strip()})
    return candidate


@transaction.atomic
def certify_list(*, actor: Visitor, nomination: NominationList) -> NominationList:
    """Certify a list whose candidates are all decided; the approved ones get their
    ballot sequence numbers 1, 2, 3, … in the entity's order."""
    _reviewer(actor, nomination)
    candidates = list(nomination.candidates.all())
    if not can_certify(CandidateState(c.status) for c in candidates):
        raise NominationRefused("candidates_undecided")
    state = _list_step(actor, nomination, ListStep.CERTIFY)
    numbers = sequence_numbers(c.position for c in candidates
                               if c.status == CandidateState.APPROVED)
    for c in candidates:
        c.sequence = numbers.get(c.position) if c.status == CandidateState.APPROVED else None
    Candidate.objects.bulk_update(candidates, ["sequence"])
    nomination.status = state
    nomination.decided_at = timezone.now()
    nomination.save(update_fields=["status", "decided_at"])
    record(actor=actor, action="certification.certify", target=nomination,
           data={"sequence": {str(c.pk): c.sequence for c in candidates if c.sequence}})
    return nomination


@transaction.atomic
def restore_candidate(*, actor: Visitor, candidate: Candidate) -> Candidate:
    """Approve a candidate whom the Judicial Electoral Panel reinstated after the list
    was certified, and renumber the list: the approved candidates get ballot sequence
    numbers 1, 2, 3, … in the entity's order again. The panel's ruling stands for the
    exclusion it overturned; no check may be outstanding, no objection pending and no
    nominee rule broken."""
    nomination = candidate.nomination
    _reviewer(actor, nomination)
    state = _candidate_step(actor, candidate, CandidateStep.RESTORE)
    outcomes = {CheckKind(c.kind): CheckOutcome(c.outcome) for c in candidate.checks.all()}
    if len(outcomes) < len(CheckKind):
        raise NominationRefused("checks_outstanding")
    violations = open_violations(candidate)
    if violations:
        raise NominationRefused("candidate_breaks_rules", violations=violations)
    if candidate.objections.filter(decision=Decision.PENDING).exists():
        raise NominationRefused("objection_pending")
    candidate.status = state
    candidate.save(update_fields=["status"])
    candidates = list(nomination.candidates.all())
    numbers = sequence_numbers(c.position for c in candidates
                               if c.status == CandidateState.APPROVED)
    for c in candidates:
        c.sequence = numbers.get(c.position) if c.status == CandidateState.APPROVED else None
    Candidate.objects.bulk_update(candidates, ["sequence"])
    ruling = candidate.appeals.filter(ruling=Decision.UPHELD).order_by("-ruled_at").first()
    record(actor=actor, action="certification.restore", target=candidate,
           data={"appeal": ruling.pk if ruling else None,
                 "ruling_reference": ruling.ruling_reference if ruling else "",
                 "sequence": {str(c.pk): c.sequence for c in candidates if c.sequence}})
    return candidate


@transaction.atomic
def reject_list(*, actor: Visitor, nomination: NominationList, reason: str) -> NominationList:
    _reviewer(actor, nomination)
    if not reason.strip():
        raise NominationRefused("reason_required")
    nomination.status = _list_step(actor, nomination, ListStep.REJECT)
    nomination.rejection_reason = reason.strip()
    nomination.decided_at = timezone.now()
    nomination.save(update_fields=["status", "rejection_reason", "decided_at"])
    record(actor=actor, action="certification.reject", target=nomination,
           data={"reason": reason.strip()})
    return nomination


# --- objections and appeals ------------------------------------------------------


@transaction.atomic
def file_objection(*, actor: Visitor, candidate: Candidate, grounds: str) -> Objection:
    """An objection by another entity's agent or by the public (observers and
    civil-society users speak for it). An entity does not object to its own."""
    actor = require(actor, Capability.FILE_OBJECTION)
    if candidate.nomination.status not in (ListState.SUBMITTED, ListState.UNDER_REVIEW):
        raise NominationRefused("list_not_in_review", status=candidate.nomination.status)
    own = agent_entity(actor)
    if own is not None and own.pk == candidate.nomination.entity_id:
        raise NominationRefused("own_candidate")
    if not grounds.strip():
        raise NominationRefused("grounds_required")
    objection = Objection.objects.create(candidate=candidate, filed_by=actor, filed_for=own,
                                         grounds=grounds.strip())
    record(actor=actor, action="certification.object", target=candidate,
           data={"objection": objection.pk, "entity": own.code if own else None,
                 "grounds": objection.grounds})
    return objection


@transaction.atomic
def decide_objection(*, actor: Visitor, objection: Objection, upheld: bool,
                     reason: str) -> Objection:
    """Decide an objection; an upheld one excludes the candidate."""
    candidate = objection.candidate
    actor = _reviewer(actor, candidate.nomination)
    if objection.decision != Decision.PENDING:
        raise NominationRefused("already_decided")
    if not reason.strip():
        raise NominationRefused("reason_required")
    objection.decision = Decision.UPHELD if upheld else Decision.DISMISSED
    objection.decision_reason = reason.strip()
    objection.decided_by = actor
    objection.decided_at = timezone.now()
    objection.save()
    record(actor=actor, action="certification.decide_objection", target=candidate,
           data={"objection": objection.pk, "decision": objection.decision,
                 "reason": objection.decision_reason})
    if upheld:
        exclude_candidate(actor=actor, candidate=candidate,
                          reasons=[ExclusionReason.OBJECTION_UPHELD.value])
    return objection


@transaction.atomic
def file_appeal(*, actor: Visitor, candidate: Candidate, grounds: str) -> Appeal:
    """The candidate's entity appeals an exclusion to the Judicial Electoral Panel."""
    actor = require(actor, Capability.FILE_APPEAL)
    own = agent_entity(actor)
    if own is None or own.pk != candidate.nomination.entity_id:
        raise NotYourEntity(str(candidate.pk))
    if candidate.status != CandidateState.EXCLUDED:
        raise NominationRefused("not_excluded")
    if candidate.appeals.filter(ruling=Decision.PENDING).exists():
        raise NominationRefused("appeal_pending")
    if not grounds.strip():
        raise NominationRefused("grounds_required")
    appeal = Appeal.objects.create(candidate=candidate, filed_by=actor, grounds=grounds.strip())
    record(actor=actor, action="certification.appeal", target=candidate,
           data={"appeal": appeal.pk, "grounds": appeal.grounds})
    return appeal


@transaction.atomic
def record_ruling(*, actor: Visitor, appeal: Appeal, upheld: bool, reference: str) -> Appeal:
    """The panel's ruling, recorded by the Commission. Upheld: the candidate returns
    to review (their checks stand and a reviewer approves them)."""
    actor = require(actor, Capability.RECORD_RULING)
    if appeal.ruling != Decision.PENDING:
        raise NominationRefused("already_decided")
    if not reference.strip():
        raise NominationRefused("document_required")
    appeal.ruling = Decision.UPHELD if upheld else Decision.DISMISSED
    appeal.ruling_reference = reference.strip()
    appeal.recorded_by = actor
    appeal.ruled_at = timezone.now()
    appeal.save()
    candidate = appeal.candidate
    if upheld:
        candidate.status = _candidate_step(actor, candidate, CandidateStep.REINSTATE)
        candidate.exclusion_reasons = []
        candidate.save(update_fields=["status", "exclusion_reasons"])
    record(actor=actor, action="certification.ruling", target=candidate,
           data={"appeal": appeal.pk, "ruling": appeal.ruling, "reference": reference.strip()})
    return appeal
