"""The update campaign's requests: which step may follow which, and who takes it.

During the update campaign (in 2023, 9 July to 7 August: "Now… update your data…
and participate") a person comes to a registration centre and asks for one of the
:class:`RequestKind` changes to the voter register; the staff also file the removal
of the deceased. Every request moves through one table (:data:`REQUEST_STEPS`):

- it is **submitted** at the centre, inside the campaign window
  (:func:`submission_refusal`; a request outside it is refused naming the dates);
- a clerk **verifies** it against the documents;
- the office manager **approves** it, or **rejects** it with a reason (a request
  may be rejected once submitted or verified);
- an approved request is **applied**: the register changes, with its history.

Who takes each step is :data:`STEP_ACTORS`'s; what a step needs besides the state is
in :class:`StepFacts`, and :func:`refusal` says, with a code the pages word, why a
step is not possible now. The pages offer exactly :func:`steps_from`; the actions
take a step only through :func:`next_state`, which raises :class:`RequestRefused`.

Rules on what is submitted (:func:`submission_refusal`):

- a **new registration** is for a person 18 or older on polling day, in full
  years counted by :func:`age_on` (someone born on 29 February turns 18 on 1 March
  in a common year). **Interpretation**: the sources give no article on the age; the
  commission's 2023 figure for "people born in 2005" suggests it may count by year
  of birth instead, which would admit those born after 18 December 2005;
- a **transfer** of polling centre to another governorate needs proof of residence
  there; a transfer to the voter's own centre is refused;
- a **special-voting registration** is only for the security forces and the
  displaced in camps;
- the **removal of the deceased** needs the evidence of death (a death certificate,
  or the ministries' list); it is filed by staff, never by the public.

**Interpretations** (the commission's procedure is not public at this grain): only
the submission is bound to the campaign window, so requests submitted in time are
decided after it closes; the manager who approves is not the clerk who verified
(two people see every change to the register); once the register is finalised no
step is possible.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from shafaf.core.eligibility import age_on
from shafaf.core.refusal import Refused

__all__ = [
    "MINIMUM_VOTING_AGE", "REQUEST_STEPS", "STEP_ACTORS", "Actor", "CampaignWindow",
    "RequestDetails", "RequestKind", "RequestRefused", "RequestState", "RequestStep",
    "StepFacts", "VoterCategory", "age_on", "check_submission", "next_state", "refusal",
    "steps_from", "submission_refusal",
]

MINIMUM_VOTING_AGE = 18


class RequestKind(StrEnum):
    NEW_REGISTRATION = "new_registration"
    TRANSFER = "transfer"
    """Transfer of polling centre."""
    CORRECTION = "correction"
    """Correction of the voter's data."""
    REPLACEMENT_CARD = "replacement_card"
    SPECIAL_VOTING = "special_voting"
    """Registration for special voting (security forces, displaced in camps)."""
    REMOVAL_OF_DECEASED = "removal_of_deceased"


class VoterCategory(StrEnum):
    GENERAL = "general"
    SECURITY_FORCES = "security_forces"
    DISPLACED = "displaced"
    """Displaced people voting in the camps."""


SPECIAL_VOTING_CATEGORIES = frozenset({VoterCategory.SECURITY_FORCES, VoterCategory.DISPLACED})


class RequestState(StrEnum):
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    APPROVED = "approved"
    REJECTED = "rejected"
    APPLIED = "applied"


class RequestStep(StrEnum):
    VERIFY = "verify"
    APPROVE = "approve"
    REJECT = "reject"
    APPLY = "apply"
    """Change the register as the request asks, with its history."""


class Actor(StrEnum):
    """The capacity in which a user takes a step."""

    CLERK = "clerk"
    """The registration centre's staff who receive and verify requests."""
    MANAGER = "manager"
    """The governorate electoral office's manager who decides them."""


REQUEST_STEPS: Mapping[tuple[RequestState, RequestStep], RequestState] = MappingProxyType({
    (RequestState.SUBMITTED, RequestStep.VERIFY): RequestState.VERIFIED,
    (RequestState.VERIFIED, RequestStep.APPROVE): RequestState.APPROVED,
    (RequestState.SUBMITTED, RequestStep.REJECT): RequestState.REJECTED,
    (RequestState.VERIFIED, RequestStep.REJECT): RequestState.REJECTED,
    (RequestState.APPROVED, RequestStep.APPLY): RequestState.APPLIED,
})

STEP_ACTORS: Mapping[RequestStep, Actor] = MappingProxyType({
    RequestStep.VERIFY: Actor.CLERK,
    RequestStep.APPROVE: Actor.MANAGER,
    RequestStep.REJECT: Actor.MANAGER,
    RequestStep.APPLY: Actor.MANAGER,
})
"""Who takes each step: the clerk checks the documents, the manager decides."""

FINAL_STATES = frozenset({RequestState.REJECTED, RequestState.APPLIED})


class RequestRefused(Refused):
    """A request or a step on it refused, with a code and the figures its message
    shows (the campaign's dates, an age, a state)."""


@dataclass(frozen=True, slots=True)
class CampaignWindow:
    """The update campaign's dates in the calendar, both days included."""

    opens: date
    closes: date

    def __post_init__(self) -> None:
        if self.closes < self.opens:
            raise ValueError("the campaign must not close before it opens")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.opens <= day <= self.closes


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestDetails:
    """What a submission says, as far as the rules look at it."""

    kind: RequestKind
    birth_date: date | None = None
    """The person's birth date (a new registration)."""
    category: VoterCategory = VoterCategory.GENERAL
    from_centre: str = ""
    to_centre: str = ""
    from_governorate: str = ""
    to_governorate: str = ""
    proof_of_residence: bool = False
    """Proof of residence in the governorate of the new centre was shown."""
    evidence_of_death: bool = False
    filed_by_staff: bool = False


def submission_refusal(details: RequestDetails, *, campaign: CampaignWindow, today: date,
                       polling_day: date) -> RequestRefused | None:
    """Why ``details`` may not be submitted ``today``, or None when it may."""
    if today not in campaign:
        return RequestRefused("outside_campaign", opens=campaign.opens, closes=campaign.closes)
    kind = details.kind
    if kind is RequestKind.NEW_REGISTRATION:
        if details.birth_date is None:
            return RequestRefused("birth_date_missing")
        age = age_on(details.birth_date, polling_day)
        if age < MINIMUM_VOTING_AGE:
            return RequestRefused("under_age", age=age, minimum=MINIMUM_VOTING_AGE,
                                  polling_day=polling_day)
    elif kind is RequestKind.TRANSFER:
        if not details.to_centre:
            return RequestRefused("no_centre")
        if details.to_centre == details.from_centre:
            return RequestRefused("same_centre")
        if details.to_governorate != details.from_governorate and not details.proof_of_residence:
            return RequestRefused("no_proof_of_residence", governorate=details.to_governorate)
    elif kind is RequestKind.SPECIAL_VOTING:
        if details.category not in SPECIAL_VOTING_CATEGORIES:
            return RequestRefused("not_special_category", category=details.category.value)
    elif kind is RequestKind.REMOVAL_OF_DECEASED:
        if not details.filed_by_staff:
            return RequestRefused("staff_only")
        if not details.evidence_of_death:
            return RequestRefused("no_evidence_of_death")
    return None


def check_submission(details: RequestDetails, *, campaign: CampaignWindow, today: date,
                     polling_day: date) -> None:
    """Raise :func:`submission_refusal`'s refusal, if there is one."""
    refused = submission_refusal(details, campaign=campaign, today=today,
                                 polling_day=polling_day)
    if refused is not None:
        raise refused


@dataclass(frozen=True, slots=True, kw_only=True)
class StepFacts:
    """What a step needs to know besides the state. ``verified_it`` is about the
    user asking: they verified this request."""

    reason: str = ""
    """Why the request is rejected (a rejection needs one)."""
    verified_it: bool = False
    register_final: bool = False


def refusal(state: RequestState | str, step: RequestStep, facts: StepFacts) -> str | None:
    """Why ``step`` is not possible now, as a code, or None when it is (who may take
    it is :data:`STEP_ACTORS`'s)."""
    current = RequestState(state)
    if facts.register_final:
        return "register_final"
    if (current, step) not in REQUEST_STEPS:
        if current in FINAL_STATES:
            return f"already_{current.value}"
        return "step_not_possible"
    if step is RequestStep.REJECT and not facts.reason.strip():
        return "reason_required"
    if step is RequestStep.APPROVE and facts.verified_it:
        return "approver_verified"
    return None


def steps_from(state: RequestState | str, actors: Collection[Actor],
               facts: StepFacts) -> tuple[RequestStep, ...]:
    """The steps ``actors`` may take now, in the table's order. A rejection is
    offered before its reason is given: the reason is asked on the form."""
    current = RequestState(state)
    asking = StepFacts(reason=facts.reason or "?", verified_it=facts.verified_it,
                       register_final=facts.register_final)
    return tuple(step for (start, step) in REQUEST_STEPS
                 if start == current and STEP_ACTORS[step] in actors
                 and refusal(current, step, asking) is None)


def next_state(state: RequestState | str, step: RequestStep, facts: StepFacts) -> RequestState:
    """The state after ``step``, or :class:`RequestRefused` with :func:`refusal`'s
    code, the state and the step."""
    current = RequestState(state)
    code = refusal(current, step, facts)
    if code is not None:
        raise RequestRefused(code, state=current.value, step=step.value)
    return REQUEST_STEPS[current, step]
