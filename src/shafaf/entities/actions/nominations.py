"""An entity's lists and candidates, as its agents prepare, submit, correct and
withdraw them. Only the entity's own agents act here; every write is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from shafaf.access.people import Visitor
from shafaf.audit.actions import record
from shafaf.core import eligibility
from shafaf.core.certification import (
    CandidateState,
    CandidateStep,
    ListState,
    ListStep,
    take_candidate_step,
    take_list_step,
)
from shafaf.core.refusal import Hidden, Refused
from shafaf.elections.models import CalendarPhase, Contest, Election, Governorate, Phase
from shafaf.entities import adapters, nomination_file
from shafaf.entities.access import acts_for
from shafaf.entities.models import Candidate, Entity, EntityKind, ListKind, NominationList
from shafaf.entities.workflow import actors_for, in_the_draw


class NominationRefused(Refused):
    """A nomination or certification step refused: a code the pages word, its
    parameters, and the rules of eligibility the list or candidate breaks."""

    def __init__(self, code: str, /, *, violations: tuple[eligibility.Violation, ...] = (),
                 **params: object) -> None:
        super().__init__(code, **params)
        self.violations = violations


class NotYourEntity(Hidden):
    """An agent acting for an entity that is not theirs, or a reviewer outside their
    governorate: answered as if the thing did not exist."""

    def __init__(self, subject: str) -> None:
        super().__init__("not_your_entity", subject=subject)


def _require_agent_of(actor: Visitor, entity: Entity) -> None:
    if not acts_for(actor, entity):
        raise NotYourEntity(entity.code)


CANDIDATE_FIELDS = ("position", "name_ar", "surname_ar", "mother_name_ar", "name_ckb", "name_en",
                    "sex", "date_of_birth", "education", "component")


def _snapshot(candidate: Candidate) -> dict[str, Any]:
    return {name: getattr(candidate, name) for name in CANDIDATE_FIELDS} | {
        "governorate": candidate.governorate.code, "id": candidate.pk}


@transaction.atomic
def create_list(*, actor: Visitor, entity: Entity, contest: Contest, component: str = ""
                ) -> NominationList:
    _require_agent_of(actor, entity)
    if contest.election_id != entity.election_id:
        raise NominationRefused("contest_of_another_election")
    if component:
        kind = ListKind.COMPONENT
    elif entity.kind == EntityKind.INDIVIDUAL:
        kind = ListKind.INDIVIDUAL
    else:
        kind = ListKind.GENERAL
    if component and not contest.component_seats.filter(component=component).exists():
        raise NominationRefused("no_component_seat_here", component=component)
    if NominationList.objects.filter(entity=entity, contest=contest, component=component).exists():
        raise NominationRefused("list_exists")
    nomination = NominationList.objects.create(entity=entity, contest=contest, kind=kind,
                                               component=component)
    record(actor=actor, action="nominations.create_list", target=nomination,
           data={"entity": entity.code, "governorate": contest.governorate.code,
                 "kind": kind, "component": component})
    return nomination


def _editable(actor: Visitor, nomination: NominationList) -> None:
    _require_agent_of(actor, nomination.entity)
    if nomination.status != ListState.DRAFT:
        raise NominationRefused("list_not_draft", status=nomination.status)


@transaction.atomic
def add_candidate(*, actor: Visitor, nomination: NominationList, position: int, name_ar: str,
                  mother_name_ar: str, sex: str, date_of_birth: date, education: str,
                  surname_ar: str = "", name_ckb: str = "", name_en: str = "",
                  component: str = "", governorate: Governorate | None = None) -> Candidate:
    _editable(actor, nomination)
    if nomination.candidates.filter(position=position).exclude(
            status__in=[CandidateState.WITHDRAWN, CandidateState.REPLACED]).exists():
        raise NominationRefused("position_taken", position=position)
    candidate = Candidate.objects.create(
        nomination=nomination, position=position, name_ar=name_ar.strip(),
        surname_ar=surname_ar.strip(), mother_name_ar=mother_name_ar.strip(),
        name_ckb=name_ckb.strip(), name_en=name_en.strip(), sex=sex, date_of_birth=date_of_birth,
        education=education, component=component or nomination.component,
        governorate=governorate or nomination.contest.governorate)
    record(actor=actor, action="nominations.add_candidate", target=candidate,
           data=_snapshot(candidate))
    return candidate


@transaction.atomic
def remove_candidate(*, actor: Visitor, candidate: Candidate) -> None:
    """Take a candidate off a list still in draft (after submission: withdraw)."""
    _editable(actor, candidate.nomination)
    data = _snapshot(candidate)
    candidate.delete()
    record(actor=actor, action="nominations.remove_candidate", object_type="entities.candidate",
           object_id=str(data["id"]), data=data)


@transaction.atomic
def import_candidates(*, actor: Visitor, nomination: NominationList, name: str,
                      content: bytes) -> int:
    """Replace a draft list's candidates with a file's, all or nothing."""
    _editable(actor, nomination)
    governorates = {g.code: g for g in Governorate.objects.all()}
    rows = nomination_file.read_candidates(name=name, content=content,
                                           governorates=frozenset(governorates))
    nomination.candidates.all().delete()
    Candidate.objects.bulk_create(
        Candidate(nomination=nomination, position=r.position, name_ar=r.name_ar,
                  surname_ar=r.surname_ar, mother_name_ar=r.mother_name_ar, name_ckb=r.name_ckb,
                  name_en=r.name_en, sex=r.sex, date_of_birth=r.date_of_birth,
                  education=r.education, component=r.component or nomination.component,
                  governorate=governorates.get(r.governorate_code)
                  or nomination.contest.governorate)
        for r in rows)
    record(actor=actor, action="nominations.import", target=nomination,
           data={"file": name, "candidates": len(rows),
                 "sha256": nomination_file.sha256(content)})
    return len(rows)


def list_violations(nomination: NominationList) -> tuple[eligibility.Violation, ...]:
    """What the law's list and nominee rules find in the list as it stands."""
    standing = [c for c in nomination.candidates.prefetch_related("checks")
                if c.status not in (CandidateState.WITHDRAWN, CandidateState.REPLACED)]
    return eligibility.check_list(adapters.rules_for(nomination),
                                  adapters.nominated_list(nomination, standing),
                                  election_day=nomination.contest.election.polling_day)


# After submission a withdrawal leaves a gap, which is allowed; vetting speaks for
# each candidate. What a substitution must not break is the make-up of the list.
_COMPOSITION = frozenset({eligibility.ViolationCode.WOMEN_SHARE_BELOW_MINIMUM,
                          eligibility.ViolationCode.WOMAN_MISSING_AFTER_MEN,
                          eligibility.ViolationCode.DIPLOMA_SHARE_EXCEEDED})


def composition_violations(nomination: NominationList) -> tuple[eligibility.Violation, ...]:
    return tuple(v for v in list_violations(nomination) if v.code in _COMPOSITION)


@transaction.atomic
def submit_list(*, actor: Visitor, nomination: NominationList) -> NominationList:
    """Submit a draft list to the Commission. A list that breaks a rule stays a draft
    and the refusal lists every violation with its position."""
    _require_agent_of(actor, nomination.entity)
    state = take_list_step(nomination.status, ListStep.SUBMIT,
                           by=actors_for(actor, nomination))
    violations = list_violations(nomination)
    if violations:
        raise NominationRefused("list_breaks_rules", violations=violations)
    nomination.status = state
    nomination.submitted_at = timezone.now()
    nomination.save(update_fields=["status", "submitted_at"])
    record(actor=actor, action="nominations.submit", target=nomination,
           data={"candidates": [_snapshot(c) for c in nomination.candidates.all()]})
    return nomination


@transaction.atomic
def withdraw_list(*, actor: Visitor, nomination: NominationList, reason: str) -> NominationList:
    """The entity withdraws its list: at any point before the draw (a certified list,
    only until its entity is among the lottery's frozen participants)."""
    _require_agent_of(actor, nomination.entity)
    # The election's row lock, which freezing a draw takes too: a withdrawal and a
    # freeze queue, so a list is never withdrawn from under a frozen draw.
    Election.objects.select_for_update().filter(pk=nomination.entity.election_id).first()
    nomination.status = take_list_step(nomination.status, ListStep.WITHDRAW,
                                       by=actors_for(actor, nomination),
                                       drawn=in_the_draw(nomination))
    nomination.save(update_fields=["status"])
    record(actor=actor, action="nominations.withdraw_list", target=nomination,
           data={"reason": reason})
    return nomination


@transaction.atomic
def withdraw_candidate(*, actor: Visitor, candidate: Candidate, reason: str) -> Candidate:
    """The entity withdraws one of its candidates (after submission; before it a draft
    candidate is simply removed)."""
    _require_agent_of(actor, candidate.nomination.entity)
    if candidate.nomination.status not in (ListState.SUBMITTED, ListState.UNDER_REVIEW):
        raise NominationRefused("list_not_in_review", status=candidate.nomination.status)
    candidate.status = take_candidate_step(candidate.status, CandidateStep.WITHDRAW,
                                           by=actors_for(actor, candidate.nomination),
                                           list_state=candidate.nomination.status)
    candidate.save(update_fields=["status"])
    record(actor=actor, action="nominations.withdraw_candidate", target=candidate,
           data={"reason": reason, "position": candidate.position})
    return candidate


def substitution_deadline(nomination: NominationList) -> date | None:
    """The last day to substitute an excluded candidate: the end of the vetting phase
    in the election's calendar (None when the calendar does not say)."""
    phase = CalendarPhase.objects.filter(election_id=nomination.contest.election_id,
                                         phase=Phase.VETTING).first()
    return phase.ends if phase else None


@transaction.atomic
def substitute_candidate(*, actor: Visitor, excluded: Candidate, name_ar: str, mother_name_ar: str,
                         sex: str, date_of_birth: date, education: str, surname_ar: str = "",
                         name_ckb: str = "", name_en: str = "") -> Candidate:
    """Put a new candidate at an excluded candidate's position, within the deadline.
    The newcomer is vetted like anyone else."""
    nomination = excluded.nomination
    _require_agent_of(actor, nomination.entity)
    if nomination.status not in (ListState.SUBMITTED, ListState.UNDER_REVIEW):
        raise NominationRefused("list_not_in_review", status=nomination.status)
    deadline = substitution_deadline(nomination)
    if deadline is not None and timezone.localdate() > deadline:
        raise NominationRefused("substitution_deadline_passed", deadline=deadline.isoformat())
    excluded.status = take_candidate_step(excluded.status, CandidateStep.SUBSTITUTE,
                                          by=actors_for(actor, nomination),
                                          list_state=nomination.status)
    excluded.save(update_fields=["status"])
    substitute = Candidate.objects.create(
        nomination=nomination, position=excluded.position, name_ar=name_ar.strip(),
        surname_ar=surname_ar.strip(), mother_name_ar=mother_name_ar.strip(),
        name_ckb=name_ckb.strip(), name_en=name_en.strip(), sex=sex,
        date_of_birth=date_of_birth, education=education, component=excluded.component,
        governorate=excluded.governorate, replaces=excluded)
    violations = composition_violations(nomination)
    if violations:
        # Refused as a whole: the transaction rolls the substitution back.
        raise NominationRefused("substitution_breaks_rules", violations=violations)
    record(actor=actor, action="nominations.substitute", target=substitute,
           data={"replaces": excluded.pk, **_snapshot(substitute)})
    return substitute

