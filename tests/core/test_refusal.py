"""One way to refuse: a code and the figures its message needs, for every kind."""

from __future__ import annotations

import pytest

from shafaf.core.certification import (
    ListState,
    ListStep,
    StepRefused,
    next_list_state,
)
from shafaf.core.refusal import Hidden, Refused


def test_a_refusal_carries_its_code_and_figures():
    refused = Refused("logo_too_large", limit=512)
    assert refused.code == "logo_too_large"
    assert refused.params == {"limit": 512}
    assert str(refused) == "logo_too_large"
    assert repr(refused) == "Refused('logo_too_large', limit=512)"


def test_a_refusals_figures_cannot_be_changed_after_it_is_raised():
    refused = Refused("position_taken", position=3)
    with pytest.raises(TypeError):
        refused.params["position"] = 4  # type: ignore[index]


def test_the_figures_are_a_copy_of_what_was_given():
    figures = {"limit": 64}
    refused = Refused("too_long", **figures)
    figures["limit"] = 1
    assert refused.params["limit"] == 64


def test_a_step_the_table_does_not_allow_is_a_refusal_with_the_state_and_the_step():
    with pytest.raises(Refused) as caught:
        next_list_state(ListState.CERTIFIED, ListStep.SUBMIT)
    assert isinstance(caught.value, StepRefused)
    assert caught.value.code == "step_not_possible"
    assert caught.value.params == {"state": "certified", "step": "submit"}
    assert (caught.value.state, caught.value.step) == (ListState.CERTIFIED, ListStep.SUBMIT)


def test_a_hidden_refusal_is_a_refusal():
    assert isinstance(Hidden("not_your_entity", subject="x"), Refused)
