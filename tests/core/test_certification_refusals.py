"""A refused certification step carries which step was refused from which state, for
the code that words or records the refusal."""

from __future__ import annotations

import pytest

from shafaf.core.certification import (
    CandidateState,
    CandidateStep,
    ListState,
    ListStep,
    StepRefused,
    next_candidate_state,
    next_list_state,
)


def test_a_refused_list_step_names_the_step_and_the_state():
    with pytest.raises(StepRefused) as refused:
        next_list_state(ListState.CERTIFIED, ListStep.SUBMIT)
    assert refused.value.state is ListState.CERTIFIED
    assert refused.value.step is ListStep.SUBMIT
    assert refused.value.code == "step_not_possible"
    assert dict(refused.value.params) == {"state": "certified", "step": "submit"}


def test_a_refused_candidate_step_names_the_step_and_the_state():
    with pytest.raises(StepRefused) as refused:
        next_candidate_state(CandidateState.WITHDRAWN, CandidateStep.APPROVE)
    assert (refused.value.state, refused.value.step) == (CandidateState.WITHDRAWN,
                                                        CandidateStep.APPROVE)
    assert dict(refused.value.params) == {"state": "withdrawn", "step": "approve"}
