"""The complaint's table, exhaustively: every state, step and actor; the deadlines; what
a complaint orders for its stations."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from shafaf.core.result_complaints import (
    APPEALABLE,
    STEPS,
    Actor,
    ComplaintRefused,
    Order,
    State,
    Step,
    appeal_refusal,
    filing_refusal,
    next_state,
    order_of,
    station_order,
    steps_from,
    steps_of,
)

EXPECTED = {
    (State.FILED, Actor.BOARD): (Step.CLASS_RED, Step.CLASS_YELLOW, Step.CLASS_GREEN),
    (State.RED, Actor.BOARD): (Step.DISMISS, Step.RECOUNT, Step.CANCEL),
    (State.YELLOW, Actor.APPELLANT): (Step.APPEAL,),
    (State.GREEN, Actor.APPELLANT): (Step.APPEAL,),
    (State.DISMISSED, Actor.APPELLANT): (Step.APPEAL,),
    (State.RECOUNT, Actor.APPELLANT): (Step.APPEAL,),
    (State.CANCELLED, Actor.APPELLANT): (Step.APPEAL,),
    (State.APPEALED, Actor.PANEL): (Step.UPHOLD, Step.OVERTURN),
}
TARGETS = {Step.CLASS_RED: State.RED, Step.CLASS_YELLOW: State.YELLOW,
           Step.CLASS_GREEN: State.GREEN, Step.DISMISS: State.DISMISSED,
           Step.RECOUNT: State.RECOUNT, Step.CANCEL: State.CANCELLED,
           Step.APPEAL: State.APPEALED, Step.UPHOLD: State.UPHELD,
           Step.OVERTURN: State.OVERTURNED}


@pytest.mark.parametrize(("state", "actor"), list(product(State, Actor)))
def test_steps_from_every_state_for_every_actor(state, actor):
    assert steps_from(state, actor) == EXPECTED.get((state, actor), ())


@pytest.mark.parametrize(("state", "step"), list(product(State, Step)))
def test_every_step_from_every_state(state, step):
    allowed = any(step in steps_from(state, actor) for actor in Actor)
    if allowed:
        assert next_state(state, step, reason="a reason") is TARGETS[step]
    else:
        with pytest.raises(ComplaintRefused) as refused:
            next_state(state, step, reason="a reason")
        assert refused.value.code == "complaint_step_not_allowed"
        assert refused.value.params == {"step": step.value, "state": state.value}


def test_a_step_without_a_reason_is_refused():
    for (state, step) in STEPS:
        with pytest.raises(ComplaintRefused, match="complaint_reason_required"):
            next_state(state, step, reason="  \n")


def test_the_steps_of_each_actor():
    assert steps_of(Actor.BOARD) == {Step.CLASS_RED, Step.CLASS_YELLOW, Step.CLASS_GREEN,
                                     Step.DISMISS, Step.RECOUNT, Step.CANCEL}
    assert steps_of(Actor.APPELLANT) == {Step.APPEAL}
    assert steps_of(Actor.PANEL) == {Step.UPHOLD, Step.OVERTURN}


def test_terminal_states_have_no_step():
    for state in (State.UPHELD, State.OVERTURNED, State.APPEALED):
        assert all(steps_from(state, actor) == () for actor in (Actor.BOARD, Actor.APPELLANT))
    assert all(steps_from(state, actor) == () for state in (State.UPHELD, State.OVERTURNED)
               for actor in Actor)
    assert {State.YELLOW, State.GREEN, State.DISMISSED, State.RECOUNT,
                          State.CANCELLED} == APPEALABLE


POLLED = date(2023, 12, 18)


@pytest.mark.parametrize(("today", "code"), [
    (date(2023, 12, 17), "complaint_before_polling"),
    (date(2023, 12, 18), None), (date(2023, 12, 20), None),
    (date(2023, 12, 21), "complaint_period_over"), (date(2024, 6, 1), "complaint_period_over"),
])
def test_the_complaint_period_is_polling_day_and_the_days_after_it(today, code):
    refused = filing_refusal(polling_day=POLLED, today=today, complaint_days=2)
    assert (refused.code if refused else None) == code
    if code == "complaint_period_over":
        assert refused.params == {"opens": POLLED, "closes": date(2023, 12, 20)}


def test_the_complaint_period_is_a_parameter():
    assert filing_refusal(polling_day=POLLED, today=date(2023, 12, 23), complaint_days=5) is None
    assert filing_refusal(polling_day=POLLED, today=date(2023, 12, 19), complaint_days=0)


@pytest.mark.parametrize(("days", "today", "refused"), [
    (3, date(2023, 12, 25), False), (3, date(2023, 12, 26), True),
    (0, date(2023, 12, 22), False), (0, date(2023, 12, 23), True),
])
def test_the_appeal_period_runs_from_the_decision(days, today, refused):
    found = appeal_refusal(decided=date(2023, 12, 22), today=today, appeal_days=days)
    assert (found is not None) is refused
    if found:
        assert found.code == "appeal_period_over"


@pytest.mark.parametrize(("state", "decision", "panel", "order"), [
    (State.FILED, None, "", Order.NONE), (State.RED, None, "", Order.NONE),
    (State.YELLOW, None, "", Order.NONE), (State.GREEN, None, "", Order.NONE),
    (State.DISMISSED, None, "", Order.NONE), (State.RECOUNT, None, "", Order.RECOUNT),
    (State.CANCELLED, None, "", Order.CANCEL),
    (State.APPEALED, State.CANCELLED, "", Order.CANCEL),
    (State.APPEALED, State.RECOUNT, "", Order.RECOUNT),
    (State.APPEALED, State.DISMISSED, "", Order.NONE),
    (State.UPHELD, State.CANCELLED, "", Order.CANCEL),
    (State.UPHELD, State.YELLOW, "", Order.NONE),
    (State.OVERTURNED, State.CANCELLED, "", Order.NONE),
    (State.OVERTURNED, State.RECOUNT, "", Order.NONE),
    (State.OVERTURNED, State.CANCELLED, "recount", Order.NONE),
    (State.OVERTURNED, State.DISMISSED, "", Order.NONE),
    (State.OVERTURNED, State.DISMISSED, "recount", Order.RECOUNT),
    (State.OVERTURNED, State.YELLOW, "cancel", Order.CANCEL),
])
def test_what_a_complaint_orders_where_it_stands(state, decision, panel, order):
    assert order_of(state=state, decision=decision, panel_order=panel) is order


def test_the_strongest_order_stands():
    assert station_order([]) is Order.NONE
    assert station_order(["", "recount"]) is Order.RECOUNT
    assert station_order(["recount", "cancel", ""]) is Order.CANCEL
    assert station_order([Order.NONE]) is Order.NONE
