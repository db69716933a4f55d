"""Paper entry, twice: which step may follow which, and who takes it (docs/results-entry.md).

A station's paper form (the hand count, the device's printed tape, the audit centre's
recount) is typed in by two different clerks, neither seeing the other's entry, after
the model of Kiesraad's Abacus. The states of one entry task:

- ``first_entry``: nothing entered yet (or both entries discarded);
- ``second_entry``: the first entry is in; a *different* clerk enters the form again;
- ``different``: the two entries differ; the coordinator (the office manager) keeps
  the first, keeps the second, corrects one (enters the corrected values) or discards
  both, which sends the task back to ``first_entry``;
- ``definitive``: the two entries were identical, or the coordinator kept or corrected
  one; the form is recorded and the station settled. Nothing follows.

The same clerk can never make both entries (:func:`refusal` says
``entry_same_clerk``). The pages offer exactly :func:`steps_from`; the actions move
only through :func:`next_state`, which raises :class:`EntryRefused`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from shafaf.core.refusal import Refused

__all__ = ["ENTRY_STEPS", "Actor", "EntryRefused", "EntryState", "EntryStep", "next_state",
           "refusal", "steps_from"]


class EntryState(StrEnum):
    FIRST_ENTRY = "first_entry"
    SECOND_ENTRY = "second_entry"
    DIFFERENT = "different"
    DEFINITIVE = "definitive"


class EntryStep(StrEnum):
    ENTER_FIRST = "enter_first"
    ENTER_SECOND = "enter_second"
    KEEP_FIRST = "keep_first"
    KEEP_SECOND = "keep_second"
    CORRECT = "correct"
    """The coordinator enters the corrected values; they become definitive."""
    DISCARD = "discard"
    """Both entries are set aside; the form is entered twice again."""


class Actor(StrEnum):
    """The capacity in which a user takes a step."""

    CLERK = "clerk"
    COORDINATOR = "coordinator"


@dataclass(frozen=True, slots=True)
class _Move:
    actor: Actor
    to: tuple[EntryState, ...]
    """Where the step leads; the second entry's depends on whether the two agree."""


ENTRY_STEPS = MappingProxyType({
    (EntryState.FIRST_ENTRY, EntryStep.ENTER_FIRST):
        _Move(Actor.CLERK, (EntryState.SECOND_ENTRY,)),
    (EntryState.SECOND_ENTRY, EntryStep.ENTER_SECOND):
        _Move(Actor.CLERK, (EntryState.DEFINITIVE, EntryState.DIFFERENT)),
    (EntryState.DIFFERENT, EntryStep.KEEP_FIRST):
        _Move(Actor.COORDINATOR, (EntryState.DEFINITIVE,)),
    (EntryState.DIFFERENT, EntryStep.KEEP_SECOND):
        _Move(Actor.COORDINATOR, (EntryState.DEFINITIVE,)),
    (EntryState.DIFFERENT, EntryStep.CORRECT):
        _Move(Actor.COORDINATOR, (EntryState.DEFINITIVE,)),
    (EntryState.DIFFERENT, EntryStep.DISCARD):
        _Move(Actor.COORDINATOR, (EntryState.FIRST_ENTRY,)),
})
"""(state, step) → who takes it and where it leads. A pair not here is refused."""


class EntryRefused(Refused):
    """A step of paper entry refused; codes worded by the results app."""


def refusal(state: EntryState, step: EntryStep, actor: Actor, *,
            made_first: bool = False) -> str | None:
    """Why ``actor`` may not take ``step`` now (a code), or None if they may.
    ``made_first``: the user is the clerk who made the first entry."""
    move = ENTRY_STEPS.get((state, step))
    if move is None:
        if state == EntryState.DEFINITIVE:
            return "entry_definitive"
        if state == EntryState.DIFFERENT and actor == Actor.CLERK:
            return "entry_awaits_coordinator"
        return "entry_wrong_state"
    if move.actor != actor:
        return "entry_not_yours"
    if step == EntryStep.ENTER_SECOND and made_first:
        return "entry_same_clerk"
    return None


def steps_from(state: EntryState, actor: Actor, *, made_first: bool = False
               ) -> tuple[EntryStep, ...]:
    """The steps ``actor`` may take from ``state``, in the table's order."""
    return tuple(step for (at, step) in ENTRY_STEPS
                 if at == state and refusal(state, step, actor, made_first=made_first) is None)


def next_state(state: EntryState, step: EntryStep, actor: Actor, *, made_first: bool = False,
               identical: bool = False) -> EntryState:
    """The state after ``step``; ``identical``: the second entry equals the first."""
    code = refusal(state, step, actor, made_first=made_first)
    if code is not None:
        raise EntryRefused(code, state=state.value, step=step.value)
    if step == EntryStep.ENTER_SECOND:
        return EntryState.DEFINITIVE if identical else EntryState.DIFFERENT
    return ENTRY_STEPS[(state, step)].to[0]
