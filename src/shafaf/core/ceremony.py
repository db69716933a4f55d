"""The ballot-number lottery ceremony: which step may follow which, and who takes it.

The Commission draws the ballot numbers in one public ceremony (domain brief,
section 4; docs/lottery.md, "The ceremony"). The seed is made so that nobody, the
operator included, can know the result before it is fixed (docs/decisions/
0015-committed-seed-parts.md). The steps, as Shafaf holds them:

- a draw starts **frozen**: its participants, their hash, the number pool and the
  public randomness beacon's round (mandatory, announced before any commitment) are
  fixed and published;
- the contributors (agents of the entities in the draw, observers, commission staff)
  each **commit** to a part of the seed: only its SHA-256 commitment is sent and shown;
- the operator **seals** the commitments: the draw is **sealed**, nobody can commit
  any more, and every part is fixed though nobody has seen another's;
- each contributor **reveals** their part, which must match its commitment; the
  operator **closes the reveals**: the draw is **revealed**, and a part not revealed
  is left out and recorded as withheld;
- the operator records the **beacon's value**, out only now, then **runs** the draw,
  once: it becomes **drawn**;
- a member of the Board of Commissioners other than the one who ran it **signs it
  off**: it becomes **published**;
- the Board may **correct** a live draw, with a reason: it becomes **superseded** and a
  new frozen draw takes its place.

The states and steps are data (:data:`DRAW_STEPS`, :data:`STEP_ACTORS`); what a step
needs besides the state is in :class:`DrawFacts`, and :func:`refusal` says, with a code
the pages word, why a step is not possible now. The pages offer exactly
:func:`steps_from`; the actions refuse any other step with :func:`refusal`'s code, and
the seed the draw uses exists only through :func:`sealed_seed`, which refuses a draw
that is not sealed, revealed and given its beacon's value. **Interpretations**: the
limit of 24 seed parts and one part per account are Shafaf's (a seed must fit what is
stored and shown); the law gives no procedure at this grain.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from shafaf.core.lottery import build_seed
from shafaf.core.refusal import Refused

MAX_SEED_PARTS = 24


class DrawState(StrEnum):
    FROZEN = "frozen"
    """Commitments open."""
    SEALED = "sealed"
    """Commitments sealed; reveals open."""
    REVEALED = "revealed"
    """Reveals closed; the beacon's value awaited, then the run."""
    DRAWN = "drawn"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class DrawStep(StrEnum):
    COMMIT = "commit"
    """A contributor commits to a part of the seed: its hash only."""
    SEAL = "seal"
    """No more commitments."""
    REVEAL = "reveal"
    """A contributor reveals the part behind their commitment."""
    CLOSE_REVEALS = "close_reveals"
    """No more reveals: a part not revealed is withheld and left out."""
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
    CONTRIBUTOR = "contributor"
    """Who may make a part of the seed: an agent of an entity in the draw, an
    observer or civil-society coordinator, or commission staff of the lottery."""


_LIVE_BEFORE_PUBLICATION = (DrawState.FROZEN, DrawState.SEALED, DrawState.REVEALED,
                            DrawState.DRAWN, DrawState.PUBLISHED)

DRAW_STEPS: Mapping[tuple[DrawState, DrawStep], DrawState] = MappingProxyType({
    (DrawState.FROZEN, DrawStep.COMMIT): DrawState.FROZEN,
    (DrawState.FROZEN, DrawStep.SEAL): DrawState.SEALED,
    (DrawState.SEALED, DrawStep.REVEAL): DrawState.SEALED,
    (DrawState.SEALED, DrawStep.CLOSE_REVEALS): DrawState.REVEALED,
    (DrawState.REVEALED, DrawStep.BEACON): DrawState.REVEALED,
    (DrawState.REVEALED, DrawStep.RUN): DrawState.DRAWN,
    (DrawState.DRAWN, DrawStep.SIGN_OFF): DrawState.PUBLISHED,
    **{(state, DrawStep.CORRECT): DrawState.SUPERSEDED for state in _LIVE_BEFORE_PUBLICATION},
})

STEP_ACTORS: Mapping[DrawStep, Actor] = MappingProxyType({
    DrawStep.COMMIT: Actor.CONTRIBUTOR,
    DrawStep.SEAL: Actor.OPERATOR,
    DrawStep.REVEAL: Actor.CONTRIBUTOR,
    DrawStep.CLOSE_REVEALS: Actor.OPERATOR,
    DrawStep.BEACON: Actor.OPERATOR,
    DrawStep.RUN: Actor.OPERATOR,
    DrawStep.SIGN_OFF: Actor.BOARD,
    DrawStep.CORRECT: Actor.BOARD,
})
"""Who takes each step: an administrator can never sign off or re-draw alone."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawFacts:
    """What a step needs to know of a draw besides its state. The ``own_`` facts and
    ``ran_the_draw`` are about the user asking."""

    commitments: int = 0
    own_commitment: bool = False
    own_part_revealed: bool = False
    beacon_value_recorded: bool = False
    has_transcript: bool = False
    ran_the_draw: bool = False


_ORDER = {state: i for i, state in enumerate(DrawState)}


def _out_of_state(state: DrawState, step: DrawStep, facts: DrawFacts) -> str:
    """The code for a step the state does not allow."""
    if state is DrawState.SUPERSEDED:
        return "already_superseded"
    if step is DrawStep.COMMIT:
        return "commitments_sealed"
    if step is DrawStep.SEAL:
        return "commitments_sealed"
    if step is DrawStep.REVEAL or step is DrawStep.CLOSE_REVEALS:
        return "not_sealed" if state is DrawState.FROZEN else "reveals_closed"
    if step is DrawStep.BEACON:
        return "reveals_open" if _ORDER[state] < _ORDER[DrawState.REVEALED] else "already_drawn"
    if step is DrawStep.RUN:
        if facts.has_transcript or _ORDER[state] > _ORDER[DrawState.REVEALED]:
            return "already_drawn"
        return "not_sealed" if state is DrawState.FROZEN else "reveals_open"
    if step is DrawStep.SIGN_OFF:
        return "already_published" if state is DrawState.PUBLISHED else "not_drawn"
    return "already_superseded"


def refusal(state: DrawState | str, step: DrawStep, facts: DrawFacts) -> str | None:
    """Why ``step`` is not possible now, as a code, or None when it is (who may take
    it is :data:`STEP_ACTORS`'s)."""
    current = DrawState(state)
    if (current, step) not in DRAW_STEPS:
        return _out_of_state(current, step, facts)
    if step is DrawStep.COMMIT:
        if facts.own_commitment:
            return "already_committed"
        if facts.commitments >= MAX_SEED_PARTS:
            return "too_many_parts"
    elif step is DrawStep.SEAL:
        if not facts.commitments:
            return "no_commitments"
    elif step is DrawStep.REVEAL:
        if not facts.own_commitment:
            return "no_commitment"
        if facts.own_part_revealed:
            return "already_revealed"
    elif step is DrawStep.BEACON:
        if facts.beacon_value_recorded:
            return "beacon_value_recorded"
    elif step is DrawStep.RUN:
        if not facts.beacon_value_recorded:
            return "no_beacon_value"
    elif step is DrawStep.SIGN_OFF and facts.ran_the_draw:
        return "signer_ran_the_draw"
    return None


def steps_from(state: DrawState | str, actors: Collection[Actor],
               facts: DrawFacts) -> tuple[DrawStep, ...]:
    """The steps ``actors`` may take now, in the table's order."""
    current = DrawState(state)
    return tuple(step for (start, step) in DRAW_STEPS
                 if start == current and STEP_ACTORS[step] in actors
                 and refusal(current, step, facts) is None)


class NotSealed(Refused):
    """The seed asked for before it is fixed: no result may exist before that."""


def sealed_seed(state: DrawState | str, facts: DrawFacts, *, revealed: Sequence[str],
                beacon_value: str) -> str:
    """The seed the run draws with: the revealed parts in the order committed, then the
    beacon's value (``build_seed``). The only way to the seed of a ceremony, and refused
    (:class:`NotSealed`, with the table's code) unless the draw may be run now, that is
    sealed, its reveals closed and its beacon's value recorded: before that, no draw's
    result can be computed from a ceremony, so none can be previewed."""
    code = refusal(state, DrawStep.RUN, facts)
    if code is not None:
        raise NotSealed(code)
    if not beacon_value:
        raise NotSealed("no_beacon_value")
    return build_seed(revealed, beacon_value)
