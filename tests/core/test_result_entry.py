"""The double-entry table, exhaustively: every state × step × actor (× whether the user
made the first entry), against the expectations written out by hand."""

from __future__ import annotations

import itertools

import pytest

from shafaf.core.result_entry import (
    Actor,
    EntryRefused,
    EntryState,
    EntryStep,
    next_state,
    refusal,
    steps_from,
)

S, T, A = EntryState, EntryStep, Actor

# (state, step, actor, made_first) → the state after, or the refusal's code.
ALLOWED = {
    (S.FIRST_ENTRY, T.ENTER_FIRST, A.CLERK): S.SECOND_ENTRY,
    (S.SECOND_ENTRY, T.ENTER_SECOND, A.CLERK): "depends",
    (S.DIFFERENT, T.KEEP_FIRST, A.COORDINATOR): S.DEFINITIVE,
    (S.DIFFERENT, T.KEEP_SECOND, A.COORDINATOR): S.DEFINITIVE,
    (S.DIFFERENT, T.CORRECT, A.COORDINATOR): S.DEFINITIVE,
    (S.DIFFERENT, T.DISCARD, A.COORDINATOR): S.FIRST_ENTRY,
}
STEP_ACTOR = {T.ENTER_FIRST: A.CLERK, T.ENTER_SECOND: A.CLERK, T.KEEP_FIRST: A.COORDINATOR,
              T.KEEP_SECOND: A.COORDINATOR, T.CORRECT: A.COORDINATOR,
              T.DISCARD: A.COORDINATOR}
STEP_STATE = {T.ENTER_FIRST: S.FIRST_ENTRY, T.ENTER_SECOND: S.SECOND_ENTRY,
              T.KEEP_FIRST: S.DIFFERENT, T.KEEP_SECOND: S.DIFFERENT, T.CORRECT: S.DIFFERENT,
              T.DISCARD: S.DIFFERENT}


def expected_refusal(state: S, step: T, actor: A, made_first: bool) -> str | None:
    if state == S.DEFINITIVE:
        return "entry_definitive"
    if STEP_STATE[step] != state:
        if state == S.DIFFERENT and actor == A.CLERK:
            return "entry_awaits_coordinator"
        return "entry_wrong_state"
    if STEP_ACTOR[step] != actor:
        return "entry_not_yours"
    if step == T.ENTER_SECOND and made_first:
        return "entry_same_clerk"
    return None


CASES = list(itertools.product(S, T, A, (False, True), (False, True)))


@pytest.mark.parametrize(("state", "step", "actor", "made_first", "identical"), CASES)
def test_every_state_step_and_actor(state, step, actor, made_first, identical):
    code = expected_refusal(state, step, actor, made_first)
    assert refusal(state, step, actor, made_first=made_first) == code
    assert (step in steps_from(state, actor, made_first=made_first)) == (code is None)
    if code is not None:
        with pytest.raises(EntryRefused) as refused:
            next_state(state, step, actor, made_first=made_first, identical=identical)
        assert refused.value.code == code
        return
    after = next_state(state, step, actor, made_first=made_first, identical=identical)
    want = ALLOWED[(state, step, actor)]
    if want == "depends":
        want = S.DEFINITIVE if identical else S.DIFFERENT
    assert after == want


def test_the_same_clerk_can_never_make_both_entries():
    assert steps_from(S.SECOND_ENTRY, A.CLERK, made_first=True) == ()
    assert steps_from(S.SECOND_ENTRY, A.CLERK, made_first=False) == (T.ENTER_SECOND,)


def test_nothing_follows_a_definitive_form():
    for actor, made_first in itertools.product(A, (False, True)):
        assert steps_from(S.DEFINITIVE, actor, made_first=made_first) == ()


def test_the_coordinator_has_four_resolutions_and_the_clerk_none():
    assert steps_from(S.DIFFERENT, A.COORDINATOR) == (T.KEEP_FIRST, T.KEEP_SECOND, T.CORRECT,
                                                      T.DISCARD)
    assert steps_from(S.DIFFERENT, A.CLERK) == ()
