"""The certification steps: which may follow which, and what the checks decide."""

from __future__ import annotations

import pytest

from shafaf.core.certification import (
    Actor,
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
    checks_open,
    checks_verdict,
    list_steps_from,
    next_candidate_state,
    next_list_state,
    sequence_numbers,
    take_candidate_step,
    take_list_step,
)

EVERYONE = frozenset(Actor)
AGENT, REVIEWER, RULING = (frozenset({Actor.AGENT}), frozenset({Actor.REVIEWER}),
                           frozenset({Actor.RULING}))


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
    for state in (CandidateState.WITHDRAWN, CandidateState.REPLACED):
        for list_state in ListState:
            assert candidate_steps_from(state, EVERYONE, list_state=list_state) == ()
    with pytest.raises(StepRefused):
        next_candidate_state(CandidateState.REPLACED, CandidateStep.REINSTATE)


def test_an_excluded_candidate_may_be_reinstated_or_substituted():
    assert set(candidate_steps_from(CandidateState.EXCLUDED, EVERYONE,
                                    list_state=ListState.UNDER_REVIEW)) == {
        CandidateStep.REINSTATE, CandidateStep.SUBSTITUTE}
    assert next_candidate_state(CandidateState.EXCLUDED,
                                CandidateStep.REINSTATE) is CandidateState.NOMINATED


def test_the_stored_value_asks_the_table_like_the_enum():
    # The pages pass the value a model field holds, a plain string.
    assert list_steps_from("submitted", REVIEWER) == list_steps_from(
        ListState.SUBMITTED, REVIEWER) == (ListStep.RETURN_TO_DRAFT, ListStep.START_REVIEW)
    assert candidate_steps_from("nominated", REVIEWER, list_state="under_review") == (
        CandidateStep.APPROVE, CandidateStep.EXCLUDE)


@pytest.mark.parametrize(("state", "actors", "steps"), [
    (ListState.DRAFT, AGENT, {ListStep.SUBMIT, ListStep.WITHDRAW}),
    (ListState.DRAFT, REVIEWER, set()),
    (ListState.SUBMITTED, AGENT, {ListStep.WITHDRAW}),
    (ListState.SUBMITTED, REVIEWER, {ListStep.RETURN_TO_DRAFT, ListStep.START_REVIEW}),
    (ListState.UNDER_REVIEW, AGENT, {ListStep.WITHDRAW}),
    (ListState.UNDER_REVIEW, REVIEWER, {ListStep.CERTIFY, ListStep.REJECT}),
    (ListState.CERTIFIED, AGENT, {ListStep.WITHDRAW}),
    (ListState.CERTIFIED, REVIEWER, set()),
    (ListState.REJECTED, EVERYONE, set()),
    (ListState.WITHDRAWN, EVERYONE, set()),
    (ListState.UNDER_REVIEW, RULING, set()),
])
def test_each_user_is_offered_only_their_own_steps(state, actors, steps):
    assert set(list_steps_from(state, actors)) == steps


def test_a_certified_list_can_be_withdrawn_only_before_the_draw():
    assert ListStep.WITHDRAW in list_steps_from(ListState.CERTIFIED, AGENT, drawn=False)
    assert ListStep.WITHDRAW not in list_steps_from(ListState.CERTIFIED, AGENT, drawn=True)
    with pytest.raises(StepRefused):
        take_list_step(ListState.CERTIFIED, ListStep.WITHDRAW, by=AGENT, drawn=True)
    # Unless the caller says the draw has taken place, it has not: WITHDRAW is allowed.
    assert take_list_step(ListState.CERTIFIED, ListStep.WITHDRAW,
                          by=AGENT) is ListState.WITHDRAWN
    # The draw closes nothing else: a list still before the Commission may go.
    assert take_list_step("under_review", ListStep.WITHDRAW, by=AGENT,
                          drawn=True) is ListState.WITHDRAWN


def test_a_step_by_the_wrong_hand_is_refused():
    with pytest.raises(StepRefused):
        take_list_step(ListState.UNDER_REVIEW, ListStep.CERTIFY, by=AGENT)
    with pytest.raises(StepRefused):
        take_list_step(ListState.DRAFT, ListStep.SUBMIT, by=REVIEWER)
    assert take_list_step("under_review", ListStep.CERTIFY,
                          by=REVIEWER) is ListState.CERTIFIED
    with pytest.raises(StepRefused):
        take_candidate_step(CandidateState.EXCLUDED, CandidateStep.REINSTATE, by=REVIEWER,
                            list_state=ListState.UNDER_REVIEW)


@pytest.mark.parametrize(("list_state", "steps"), [
    (ListState.SUBMITTED, set()),
    (ListState.UNDER_REVIEW, {CandidateStep.APPROVE, CandidateStep.EXCLUDE}),
    (ListState.CERTIFIED, {CandidateStep.RESTORE}),
])
def test_a_reviewer_decides_a_nominated_candidate_by_the_lists_state(list_state, steps):
    assert set(candidate_steps_from(CandidateState.NOMINATED, REVIEWER,
                                    list_state=list_state)) == steps


def test_a_candidate_reinstated_after_certification_is_restored_by_the_reviewer():
    after_ruling = take_candidate_step(CandidateState.EXCLUDED, CandidateStep.REINSTATE,
                                       by=RULING, list_state=ListState.CERTIFIED)
    assert after_ruling is CandidateState.NOMINATED
    assert candidate_steps_from(after_ruling, AGENT, list_state=ListState.CERTIFIED) == ()
    assert take_candidate_step(after_ruling, CandidateStep.RESTORE, by=REVIEWER,
                               list_state="certified") is CandidateState.APPROVED
    with pytest.raises(StepRefused):  # only on a certified list: in review, approve
        take_candidate_step(after_ruling, CandidateStep.RESTORE, by=REVIEWER,
                            list_state=ListState.UNDER_REVIEW)


@pytest.mark.parametrize("list_state", [ListState.SUBMITTED, ListState.UNDER_REVIEW])
def test_the_agent_withdraws_or_substitutes_while_the_list_is_before_the_commission(list_state):
    assert candidate_steps_from(CandidateState.APPROVED, AGENT, list_state=list_state) == (
        CandidateStep.WITHDRAW,)
    assert candidate_steps_from(CandidateState.EXCLUDED, AGENT, list_state=list_state) == (
        CandidateStep.SUBSTITUTE,)
    assert candidate_steps_from(CandidateState.APPROVED, AGENT,
                                list_state=ListState.CERTIFIED) == ()


def test_the_checks_are_recorded_while_the_list_is_under_review():
    assert checks_open("under_review")
    assert not any(checks_open(state) for state in ListState
                   if state is not ListState.UNDER_REVIEW)


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
    K.NOMINATED: {KS.APPROVE: K.APPROVED, KS.EXCLUDE: K.EXCLUDED, KS.WITHDRAW: K.WITHDRAWN,
                  KS.RESTORE: K.APPROVED},
    K.APPROVED: {KS.EXCLUDE: K.EXCLUDED, KS.WITHDRAW: K.WITHDRAWN},
    K.EXCLUDED: {KS.REINSTATE: K.NOMINATED, KS.SUBSTITUTE: K.REPLACED},
    K.WITHDRAWN: {},
    K.REPLACED: {},
}


def test_the_steps_offered_are_exactly_the_documented_ones():
    for state in ListState:
        assert set(list_steps_from(state, EVERYONE)) == set(EXPECTED_LIST_STEPS[state]), state
        for step in ListStep:
            if step in EXPECTED_LIST_STEPS[state]:
                assert next_list_state(state, step) is EXPECTED_LIST_STEPS[state][step]
            else:
                with pytest.raises(StepRefused):
                    next_list_state(state, step)
    for cstate in CandidateState:
        offered = set().union(*(candidate_steps_from(cstate, EVERYONE, list_state=on_list)
                                 for on_list in ListState))
        assert offered == set(EXPECTED_CANDIDATE_STEPS[cstate]), cstate
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
