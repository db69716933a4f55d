"""The certification of candidate lists: which step may follow which.

Law No. 12 of 2018 as amended by Law No. 4 of 2023, and the Commission's
procedure as the domain brief (section 3) and the seed reports describe it: an
entity submits its list; the Commission reviews it and sends each candidate to
the external checks (the Ministry of Higher Education for degrees, the
criminal record, the Accountability and Justice Commission); each candidate is
approved or excluded with reasons; an excluded candidate's entity may appeal
to the Judicial Electoral Panel, and may substitute another candidate within
the deadline; an entity may withdraw a candidate; objections by other entities
or the public are decided by the Commission.

The steps are data (:data:`LIST_STEPS`, :data:`CANDIDATE_STEPS`) so the pages
show only the steps that are possible and the actions refuse the rest with a
code. **Interpretations** (the law gives no procedure at this grain):

- A candidate is approved only when all three external checks have cleared him
  or her, and the nominee rules pass; one failed check is enough to exclude.
- An upheld objection excludes the candidate (reason ``OBJECTION_UPHELD``).
- A ruling for the candidate on appeal approves the candidate if the checks
  that were not the subject of the appeal have cleared; the page then lets the
  reviewer approve. We model it as a return to ``NOMINATED``.
- A list is certified when no candidate is left undecided and at least one is
  approved; the sequence numbers on the ballot are then 1, 2, 3, … over the
  approved candidates in the entity's order (an exclusion closes the gap).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType

from shafaf.core.refusal import Refused


class ListState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CERTIFIED = "certified"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ListStep(StrEnum):
    SUBMIT = "submit"
    RETURN_TO_DRAFT = "return_to_draft"
    START_REVIEW = "start_review"
    CERTIFY = "certify"
    REJECT = "reject"
    WITHDRAW = "withdraw"


class CandidateState(StrEnum):
    NOMINATED = "nominated"
    APPROVED = "approved"
    EXCLUDED = "excluded"
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"
    """Excluded, then substituted by another candidate at the same position."""


class CandidateStep(StrEnum):
    APPROVE = "approve"
    EXCLUDE = "exclude"
    REINSTATE = "reinstate"
    """The Judicial Electoral Panel ruled for the candidate."""
    WITHDRAW = "withdraw"
    SUBSTITUTE = "substitute"


class CheckKind(StrEnum):
    DEGREE = "degree"
    CRIMINAL_RECORD = "criminal_record"
    ACCOUNTABILITY_AND_JUSTICE = "accountability_and_justice"


class CheckOutcome(StrEnum):
    CLEARED = "cleared"
    FAILED = "failed"


class ExclusionReason(StrEnum):
    """Why a candidate is excluded, besides the nominee rules' own codes."""

    DEGREE_NOT_VERIFIED = "degree_not_verified"
    CONVICTED = "convicted"
    NOT_CLEARED_BY_ACCOUNTABILITY_AND_JUSTICE = "not_cleared_by_accountability_and_justice"
    OBJECTION_UPHELD = "objection_upheld"
    OTHER = "other"


FAILED_CHECK_REASON: Mapping[CheckKind, ExclusionReason] = MappingProxyType({
    CheckKind.DEGREE: ExclusionReason.DEGREE_NOT_VERIFIED,
    CheckKind.CRIMINAL_RECORD: ExclusionReason.CONVICTED,
    CheckKind.ACCOUNTABILITY_AND_JUSTICE:
        ExclusionReason.NOT_CLEARED_BY_ACCOUNTABILITY_AND_JUSTICE,
})


LIST_STEPS: Mapping[tuple[ListState, ListStep], ListState] = MappingProxyType({
    (ListState.DRAFT, ListStep.SUBMIT): ListState.SUBMITTED,
    (ListState.SUBMITTED, ListStep.RETURN_TO_DRAFT): ListState.DRAFT,
    (ListState.SUBMITTED, ListStep.START_REVIEW): ListState.UNDER_REVIEW,
    (ListState.UNDER_REVIEW, ListStep.CERTIFY): ListState.CERTIFIED,
    (ListState.UNDER_REVIEW, ListStep.REJECT): ListState.REJECTED,
    (ListState.DRAFT, ListStep.WITHDRAW): ListState.WITHDRAWN,
    (ListState.SUBMITTED, ListStep.WITHDRAW): ListState.WITHDRAWN,
    (ListState.UNDER_REVIEW, ListStep.WITHDRAW): ListState.WITHDRAWN,
    (ListState.CERTIFIED, ListStep.WITHDRAW): ListState.WITHDRAWN,
})

CANDIDATE_STEPS: Mapping[tuple[CandidateState, CandidateStep], CandidateState] = MappingProxyType({
    (CandidateState.NOMINATED, CandidateStep.APPROVE): CandidateState.APPROVED,
    (CandidateState.NOMINATED, CandidateStep.EXCLUDE): CandidateState.EXCLUDED,
    # An upheld objection can exclude an approved candidate until the list is certified.
    (CandidateState.APPROVED, CandidateStep.EXCLUDE): CandidateState.EXCLUDED,
    (CandidateState.EXCLUDED, CandidateStep.REINSTATE): CandidateState.NOMINATED,
    (CandidateState.EXCLUDED, CandidateStep.SUBSTITUTE): CandidateState.REPLACED,
    (CandidateState.NOMINATED, CandidateStep.WITHDRAW): CandidateState.WITHDRAWN,
    (CandidateState.APPROVED, CandidateStep.WITHDRAW): CandidateState.WITHDRAWN,
})


class StepRefused(Refused):
    """A step that the current state does not allow (code ``step_not_possible``, with
    the state and the step as parameters)."""

    def __init__(self, state: StrEnum, step: StrEnum) -> None:
        super().__init__("step_not_possible", state=state.value, step=step.value)
        self.state = state
        self.step = step


def next_list_state(state: ListState, step: ListStep) -> ListState:
    try:
        return LIST_STEPS[state, step]
    except KeyError:
        raise StepRefused(state, step) from None


def next_candidate_state(state: CandidateState, step: CandidateStep) -> CandidateState:
    try:
        return CANDIDATE_STEPS[state, step]
    except KeyError:
        raise StepRefused(state, step) from None


def list_steps_from(state: ListState) -> tuple[ListStep, ...]:
    return tuple(step for (start, step) in LIST_STEPS if start is state)


def candidate_steps_from(state: CandidateState) -> tuple[CandidateStep, ...]:
    return tuple(step for (start, step) in CANDIDATE_STEPS if start is state)


UNDECIDED = frozenset({CandidateState.NOMINATED})
STANDING = frozenset({CandidateState.APPROVED})


def checks_verdict(
    outcomes: Mapping[CheckKind, CheckOutcome],
) -> tuple[ExclusionReason, ...] | None:
    """The exclusion reasons the recorded checks give, ``()`` when all three have
    cleared, or ``None`` while a check is still outstanding and none has failed."""
    failed = tuple(FAILED_CHECK_REASON[kind] for kind in CheckKind
                   if outcomes.get(kind) is CheckOutcome.FAILED)
    if failed:
        return failed
    if all(outcomes.get(kind) is CheckOutcome.CLEARED for kind in CheckKind):
        return ()
    return None


def can_certify(states: Iterable[CandidateState]) -> bool:
    """A list may be certified once nobody on it is undecided and somebody stands."""
    seen = list(states)
    return not any(s in UNDECIDED for s in seen) and any(s in STANDING for s in seen)


def sequence_numbers(positions_of_approved: Iterable[int]) -> dict[int, int]:
    """Ballot sequence numbers, 1, 2, 3, … in the entity's order, keyed by position."""
    return {position: n for n, position in enumerate(sorted(positions_of_approved), start=1)}
