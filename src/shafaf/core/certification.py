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
- A ruling that comes after the list is certified returns the candidate to
  ``NOMINATED`` on the certified list; the reviewer then *restores* the
  candidate (approves and renumbers the list's approved candidates), an explicit
  step of its own, since the list is no longer under review.
- A certified list may be withdrawn only before the draw: once the lottery's
  participants are frozen with its entity among them, the ballot numbering rests
  on it.
- A list is certified when no candidate is left undecided and at least one is
  approved; the sequence numbers on the ballot are then 1, 2, 3, … over the
  approved candidates in the entity's order (an exclusion closes the gap).

Who takes each step is in the table too (:class:`Actor`): the pages offer a user
exactly the steps :func:`list_steps_from` and :func:`candidate_steps_from` give
for the capacities in which the user acts, and the actions refuse any other.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
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


class Actor(StrEnum):
    """The capacity in which a user takes a step."""

    AGENT = "agent"
    """An agent of the list's own entity."""
    REVIEWER = "reviewer"
    """The Commission's reviewer of the list's governorate (or a national one)."""
    RULING = "ruling"
    """The Commission recording the Judicial Electoral Panel's ruling."""


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
    RESTORE = "restore"
    """Approve a candidate reinstated after certification, and renumber the list."""


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
    # A candidate reinstated after the list's certification.
    (CandidateState.NOMINATED, CandidateStep.RESTORE): CandidateState.APPROVED,
})

LIST_STEP_ACTORS: Mapping[ListStep, Actor] = MappingProxyType({
    ListStep.SUBMIT: Actor.AGENT,
    ListStep.WITHDRAW: Actor.AGENT,
    ListStep.RETURN_TO_DRAFT: Actor.REVIEWER,
    ListStep.START_REVIEW: Actor.REVIEWER,
    ListStep.CERTIFY: Actor.REVIEWER,
    ListStep.REJECT: Actor.REVIEWER,
})
"""Who takes each list step."""

CLOSED_BY_THE_DRAW: frozenset[tuple[ListState, ListStep]] = frozenset({
    (ListState.CERTIFIED, ListStep.WITHDRAW),
})
"""List steps no longer possible once the list's entity is in the draw."""

CANDIDATE_STEP_ACTORS: Mapping[CandidateStep, Actor] = MappingProxyType({
    CandidateStep.APPROVE: Actor.REVIEWER,
    CandidateStep.EXCLUDE: Actor.REVIEWER,
    CandidateStep.RESTORE: Actor.REVIEWER,
    CandidateStep.REINSTATE: Actor.RULING,
    CandidateStep.WITHDRAW: Actor.AGENT,
    CandidateStep.SUBSTITUTE: Actor.AGENT,
})
"""Who takes each candidate step."""

_BEFORE_THE_COMMISSION = frozenset({ListState.SUBMITTED, ListState.UNDER_REVIEW})

CANDIDATE_STEP_LIST_STATES: Mapping[CandidateStep, frozenset[ListState]] = MappingProxyType({
    CandidateStep.APPROVE: frozenset({ListState.UNDER_REVIEW}),
    CandidateStep.EXCLUDE: frozenset({ListState.UNDER_REVIEW}),
    CandidateStep.RESTORE: frozenset({ListState.CERTIFIED}),
    CandidateStep.REINSTATE: frozenset(ListState),
    CandidateStep.WITHDRAW: _BEFORE_THE_COMMISSION,
    CandidateStep.SUBSTITUTE: _BEFORE_THE_COMMISSION,
})
"""The states of the list in which each candidate step is possible."""


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


def list_steps_from(state: ListState | str, actors: Collection[Actor], *,
                    drawn: bool = False) -> tuple[ListStep, ...]:
    """The list steps that ``actors`` may take from ``state`` (an enum member or the
    stored value), in the table's order. ``drawn``: the list's entity is in the
    lottery's frozen participants."""
    current = ListState(state)
    return tuple(step for (start, step) in LIST_STEPS
                 if start == current and LIST_STEP_ACTORS[step] in actors
                 and not (drawn and (start, step) in CLOSED_BY_THE_DRAW))


def candidate_steps_from(state: CandidateState | str, actors: Collection[Actor], *,
                         list_state: ListState | str) -> tuple[CandidateStep, ...]:
    """The candidate steps that ``actors`` may take from ``state`` while the
    candidate's list is in ``list_state`` (enum members or stored values)."""
    current, on_list = CandidateState(state), ListState(list_state)
    return tuple(step for (start, step) in CANDIDATE_STEPS
                 if start == current and CANDIDATE_STEP_ACTORS[step] in actors
                 and on_list in CANDIDATE_STEP_LIST_STATES[step])


CHECKS_OPEN = frozenset({ListState.UNDER_REVIEW})
"""The list states in which the reviewer records the external checks."""


def checks_open(list_state: ListState | str) -> bool:
    """Whether the external checks of a list's candidates are recorded now."""
    return ListState(list_state) in CHECKS_OPEN


def take_list_step(state: ListState | str, step: ListStep, *, by: Collection[Actor],
                   drawn: bool = False) -> ListState:
    """The state ``step`` leads to, if ``by`` may take it now; else :class:`StepRefused`."""
    current = ListState(state)
    if step not in list_steps_from(current, by, drawn=drawn):
        raise StepRefused(current, step)
    return LIST_STEPS[current, step]


def take_candidate_step(state: CandidateState | str, step: CandidateStep, *,
                        by: Collection[Actor], list_state: ListState | str) -> CandidateState:
    """The state ``step`` leads to, if ``by`` may take it now; else :class:`StepRefused`."""
    current = CandidateState(state)
    if step not in candidate_steps_from(current, by, list_state=list_state):
        raise StepRefused(current, step)
    return CANDIDATE_STEPS[current, step]


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
