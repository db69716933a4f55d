"""The certification steps: which may follow which, and what the checks decide."""

from __future__ import annotations

import pytest

from shafaf.core.certification import (
    CANDIDATE_STEPS,
    LIST_STEPS,
    CandidateState,
    CandidateStep,
    CheckKind,
    CheckOutcome,
    ExclusionReason,
    ListState,
    ListStep,
    StepRefused,
    can_certify,
    candidate_steps_from,
    checks_verdict,
    list_steps_from,
    next_candidate_state,
    next_list_state,
    sequence_numbers,
)


def test_a_list_goes_from_draft_to_certified():
    state = ListState.DRAFT
    for step in (ListStep.SUBMIT, ListStep.START_REVIEW, ListStep.CERTIFY):
        state = next_list_state(state, step)
    assert state is ListState.CERTIFIED


@pytest.mark.parametrize(("state", "step"), [
    (ListState.DRAFT, ListStep.CERTIFY),           # no certification without review
    (ListState.CERTIFIED, ListStep.SUBMIT),        # a certified list is not resubmitted
    (ListState.REJECTED, ListStep.START_REVIEW),
    (ListState.WITHDRAWN, ListStep.SUBMIT),        # a withdrawal is final
])
def test_a_step_out_of_order_is_refused(state, step):
    with pytest.raises(StepRefused):
        next_list_state(state, step)


def test_withdrawn_and_replaced_candidates_are_final():
    assert candidate_steps_from(CandidateState.WITHDRAWN) == ()
    assert candidate_steps_from(CandidateState.REPLACED) == ()
    with pytest.raises(StepRefused):
        next_candidate_state(CandidateState.REPLACED, CandidateStep.REINSTATE)


def test_an_excluded_candidate_may_be_reinstated_or_substituted():
    assert set(candidate_steps_from(CandidateState.EXCLUDED)) == {
        CandidateStep.REINSTATE, CandidateStep.SUBSTITUTE}
    assert next_candidate_state(CandidateState.EXCLUDED,
                                CandidateStep.REINSTATE) is CandidateState.NOMINATED


def test_the_steps_offered_are_exactly_the_table():
    for state in ListState:
        for step in list_steps_from(state):
            assert (state, step) in LIST_STEPS
    assert sum(len(candidate_steps_from(s)) for s in CandidateState) == len(CANDIDATE_STEPS)


C, F = CheckOutcome.CLEARED, CheckOutcome.FAILED


def test_checks_clear_only_when_all_three_have_cleared():
    assert checks_verdict({}) is None
    assert checks_verdict({CheckKind.DEGREE: C, CheckKind.CRIMINAL_RECORD: C}) is None
    assert checks_verdict(dict.fromkeys(CheckKind, C)) == ()


def test_one_failed_check_is_enough_to_exclude_and_names_itself():
    assert checks_verdict({CheckKind.CRIMINAL_RECORD: F}) == (ExclusionReason.CONVICTED,)
    assert checks_verdict({CheckKind.DEGREE: F, CheckKind.ACCOUNTABILITY_AND_JUSTICE: F}) == (
        ExclusionReason.DEGREE_NOT_VERIFIED,
        ExclusionReason.NOT_CLEARED_BY_ACCOUNTABILITY_AND_JUSTICE)


def test_a_list_is_certified_once_everyone_is_decided_and_someone_stands():
    A, E, N, W = (CandidateState.APPROVED, CandidateState.EXCLUDED, CandidateState.NOMINATED,
                  CandidateState.WITHDRAWN)
    assert can_certify([A, E, W])
    assert not can_certify([A, N])
    assert not can_certify([E, W])
    assert not can_certify([])


def test_sequence_numbers_close_the_gaps_in_the_entitys_order():
    assert sequence_numbers([5, 1, 2, 7]) == {1: 1, 2: 2, 5: 3, 7: 4}
