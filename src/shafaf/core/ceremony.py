"""The ballot-number lottery ceremony: which step may follow which, and who takes it.

The Commission draws the ballot numbers in one public ceremony (domain brief,
section 4; docs/lottery.md, "The ceremony"). The steps, as Shafaf holds them:

- a draw starts **frozen**: its participants, their hash, the number pool and the
  public randomness beacon, if any, are fixed and published;
- the commission's operator enters the **seed parts** as they are made in the hall,
  then the announced **beacon's value**, after which no part can be added (whoever
  entered a part after the beacon's value was known could choose the result);
- the operator **runs** the draw, once: it becomes **drawn**;
- a member of the Board of Commissioners **signs it off**: it becomes **published**;
- the Board may **correct** a live draw, with a reason: it becomes **superseded** and a
  new frozen draw takes its place.

The states and steps are data (:data:`DRAW_STEPS`, :data:`STEP_ACTORS`); what a step
needs besides the state (the parts so far, the beacon) is in :class:`DrawFacts`, and
:func:`refusal` says, with a code the pages word, why a step is not possible now. The
pages offer exactly :func:`steps_from`; the actions refuse any other step with
:func:`refusal`'s code. **Interpretations**: the limit of 24 seed parts is Shafaf's
(a seed must fit what is stored and shown); the law gives no procedure at this grain.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

MAX_SEED_PARTS = 24


class DrawState(StrEnum):
    FROZEN = "frozen"
    DRAWN = "drawn"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class DrawStep(StrEnum):
    SEED = "seed"
    """Add a part of the seed, as made in the hall."""
    BEACON = "beacon"
    """Record the value of the announced beacon."""
    RUN = "run"
    SIGN_OFF = "sign_off"
    CORRECT = "correct"


class Actor(StrEnum):
    """The capacity in which a user takes a ceremony step."""

    OPERATOR = "operator"
    """The commission's administrator who runs the lottery."""
    BOARD = "board"
    """A member of the Board of Commissioners."""


DRAW_STEPS: Mapping[tuple[DrawState, DrawStep], DrawState] = MappingProxyType({
    (DrawState.FROZEN, DrawStep.SEED): DrawState.FROZEN,
    (DrawState.FROZEN, DrawStep.BEACON): DrawState.FROZEN,
    (DrawState.FROZEN, DrawStep.RUN): DrawState.DRAWN,
    (DrawState.DRAWN, DrawStep.SIGN_OFF): DrawState.PUBLISHED,
    (DrawState.FROZEN, DrawStep.CORRECT): DrawState.SUPERSEDED,
    (DrawState.DRAWN, DrawStep.CORRECT): DrawState.SUPERSEDED,
    (DrawState.PUBLISHED, DrawStep.CORRECT): DrawState.SUPERSEDED,
})

STEP_ACTORS: Mapping[DrawStep, Actor] = MappingProxyType({
    DrawStep.SEED: Actor.OPERATOR,
    DrawStep.BEACON: Actor.OPERATOR,
    DrawStep.RUN: Actor.OPERATOR,
    DrawStep.SIGN_OFF: Actor.BOARD,
    DrawStep.CORRECT: Actor.BOARD,
})
"""Who takes each step: an administrator can never sign off or re-draw alone."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawFacts:
    """What a step needs to know of a draw besides its state."""

    seed_parts: int = 0
    beacon_announced: bool = False
    beacon_value_recorded: bool = False
    has_transcript: bool = False


def _out_of_state(state: DrawState, step: DrawStep, facts: DrawFacts) -> str:
    """The code for a step the state does not allow."""
    if step is DrawStep.RUN and facts.has_transcript:
        return "already_drawn"
    if step is DrawStep.SIGN_OFF:
        return "already_published" if state is DrawState.PUBLISHED else "not_drawn"
    if step is DrawStep.CORRECT:
        return "already_superseded"
    return "not_frozen"


def refusal(state: DrawState | str, step: DrawStep, facts: DrawFacts) -> str | None:
    """Why ``step`` is not possible now, as a code, or None when it is (who may take
    it is :data:`STEP_ACTORS`'s)."""
    current = DrawState(state)
    if (current, step) not in DRAW_STEPS:
        return _out_of_state(current, step, facts)
    if step is DrawStep.SEED:
        if facts.beacon_value_recorded:
            return "beacon_value_recorded"
        if facts.seed_parts >= MAX_SEED_PARTS:
            return "too_many_parts"
    elif step is DrawStep.BEACON:
        if not facts.beacon_announced:
            return "no_beacon"
        if facts.beacon_value_recorded:
            return "beacon_value_recorded"
        if not facts.seed_parts:
            return "no_seed_parts"
    elif step is DrawStep.RUN:
        if not facts.seed_parts:
            return "no_seed_parts"
        if facts.beacon_announced and not facts.beacon_value_recorded:
            return "no_beacon_value"
    return None


def steps_from(state: DrawState | str, actors: Collection[Actor],
               facts: DrawFacts) -> tuple[DrawStep, ...]:
    """The steps ``actors`` may take now, in the table's order."""
    current = DrawState(state)
    return tuple(step for (start, step) in DRAW_STEPS
                 if start == current and STEP_ACTORS[step] in actors
                 and refusal(current, step, facts) is None)
