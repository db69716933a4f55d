"""The certification steps: which may follow which, and what the checks decide."""

from __future__ import annotations

import pytest

from shafaf.core.certification import (
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


# The steps of docs/nominations.md, written out by hand: state → {step: next state}.
L, LS = ListState, ListStep
EXPECTED_LIST_STEPS = {
    L.DRAFT: {LS.SUBMIT: L.SUBMITTED, LS.WITHDRAW: L.WITHDRAWN},
    L.SUBMITTED: {LS.RETURN_TO_DRAFT: L.DRAFT, LS.START_REVIEW: L.UNDER_REVIEW,
                  LS.WITHDRAW: L.WITHDRAWN},
    L.UNDER_REVIEW: {LS.CERTIFY: L.CERTIFIED, LS.REJECT: L.REJECTED, LS.WITHDRAW: L.WITHDRAWN},
    L.CERTIFIED: {LS.WITHDRAW: L.WITHDRAWN},
    L.REJECTED: {},
    L.WITHDRAWN: {},
}
K, KS = CandidateState, CandidateStep
EXPECTED_CANDIDATE_STEPS = {
    K.NOMINATED: {KS.APPROVE: K.APPROVED, KS.EXCLUDE: K.EXCLUDED, KS.WITHDRAW: K.WITHDRAWN},
    K.APPROVED: {KS.EXCLUDE: K.EXCLUDED, KS.WITHDRAW: K.WITHDRAWN},
    K.EXCLUDED: {KS.REINSTATE: K.NOMINATED, KS.SUBSTITUTE: K.REPLACED},
    K.WITHDRAWN: {},
    K.REPLACED: {},
}


def test_the_steps_offered_are_exactly_the_documented_ones():
    for state in ListState:
        assert set(list_steps_from(state)) == set(EXPECTED_LIST_STEPS[state]), state
        for step in ListStep:
            if step in EXPECTED_LIST_STEPS[state]:
                assert next_list_state(state, step) is EXPECTED_LIST_STEPS[state][step]
            else:
                with pytest.raises(StepRefused):
                    next_list_state(state, step)
    for cstate in CandidateState:
        assert set(candidate_steps_from(cstate)) == set(EXPECTED_CANDIDATE_STEPS[cstate]), cstate
        for cstep in CandidateStep:
            expected = EXPECTED_CANDIDATE_STEPS[cstate]
            if cstep in expected:
                assert next_candidate_state(cstate, cstep) is expected[cstep]
            else:
                with pytest.raises(StepRefused):
                    next_candidate_state(cstate, cstep)


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
