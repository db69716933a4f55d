"""Complaints against a station's or a centre's count, the Board's decisions, appeals to
the Judicial Electoral Panel and its rulings (docs/results-complaints.md).

Domain brief, section 7: complaints are classed **red** (may affect the results),
**yellow** (formal requirements missing: dismissed) or **green** (violations that do not
affect the results: noted); they are filed within 2 days; the Board of Commissioners
decides; its decisions are appealed to the Judicial Electoral Panel within 3 days of
their publication, and the Panel rules.

Every complaint moves through one table (:data:`STEPS`), whose steps each belong to one
:class:`Actor`; :func:`steps_from` is what pages, views and actions all ask:

- filed → the Board classes it red, yellow (dismissed) or green (noted);
- red → the Board dismisses it, orders a recount at the audit centre, or cancels the
  station (or every station of the centre);
- yellow, green, dismissed, recount, cancelled → appealed to the Panel (by the filer,
  or an agent of the filer's entity) within :attr:`CountingRules.appeal_days`;
- appealed → the Panel upholds the Board's decision or overturns it.

**Interpretations** (the sources do not say):

- the complaint period runs from the station's polling day (the special voting day for
  special stations) and ends ``complaint_days`` days later, both days included;
- the appeal period runs from the Board's decision, which Shafaf publishes the moment it
  is taken (the public decisions page), for ``appeal_days`` days, both days included;
- every step of the Board needs a reason (it is published); a cancellation above all;
- a ruling that overturns a recount or a cancellation clears the order; one that
  overturns a dismissal (a yellow or green class, or a red complaint dismissed) may
  order the recount or cancellation the Board refused; with several complaints on one
  station, the strongest standing order wins (cancel over recount).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from shafaf.core.refusal import Refused

__all__ = [
    "APPEALABLE", "STEPS", "Actor", "ComplaintRefused", "Order", "State", "Step",
    "appeal_closes", "appeal_refusal", "filing_closes", "filing_refusal", "next_state",
    "order_of", "station_order", "steps_from", "steps_of",
]


class State(StrEnum):
    FILED = "filed"
    RED = "red"
    YELLOW = "yellow"
    """Formal requirements missing: dismissed without examination."""
    GREEN = "green"
    """A violation that does not affect the results: noted."""
    DISMISSED = "dismissed"
    RECOUNT = "recount"
    CANCELLED = "cancelled"
    APPEALED = "appealed"
    UPHELD = "upheld"
    """The Panel upheld the Board's decision."""
    OVERTURNED = "overturned"


class Step(StrEnum):
    CLASS_RED = "class_red"
    CLASS_YELLOW = "class_yellow"
    CLASS_GREEN = "class_green"
    DISMISS = "dismiss"
    RECOUNT = "recount"
    CANCEL = "cancel"
    APPEAL = "appeal"
    UPHOLD = "uphold"
    OVERTURN = "overturn"


class Actor(StrEnum):
    BOARD = "board"
    """The Board of Commissioners (DECIDE_RESULT_COMPLAINTS)."""
    APPELLANT = "appellant"
    """The filer, or an agent of the filer's entity (FILE_APPEAL), or the Panel's
    registry recording an appeal lodged with it directly."""
    PANEL = "panel"
    """Who records the Judicial Electoral Panel's rulings (RECORD_RULING)."""


class Order(StrEnum):
    """What a complaint asks of the station's count; the results app's BoardOrder."""

    NONE = ""
    RECOUNT = "recount"
    CANCEL = "cancel"


STEPS: Mapping[tuple[State, Step], tuple[Actor, State]] = MappingProxyType({
    (State.FILED, Step.CLASS_RED): (Actor.BOARD, State.RED),
    (State.FILED, Step.CLASS_YELLOW): (Actor.BOARD, State.YELLOW),
    (State.FILED, Step.CLASS_GREEN): (Actor.BOARD, State.GREEN),
    (State.RED, Step.DISMISS): (Actor.BOARD, State.DISMISSED),
    (State.RED, Step.RECOUNT): (Actor.BOARD, State.RECOUNT),
    (State.RED, Step.CANCEL): (Actor.BOARD, State.CANCELLED),
    **{(state, Step.APPEAL): (Actor.APPELLANT, State.APPEALED)
       for state in (State.YELLOW, State.GREEN, State.DISMISSED, State.RECOUNT,
                     State.CANCELLED)},
    (State.APPEALED, Step.UPHOLD): (Actor.PANEL, State.UPHELD),
    (State.APPEALED, Step.OVERTURN): (Actor.PANEL, State.OVERTURNED),
})

APPEALABLE = frozenset(state for (state, step) in STEPS if step is Step.APPEAL)
"""The Board's decisions: the states from which an appeal runs."""

_BOARD_ORDERS = {State.RECOUNT: Order.RECOUNT, State.CANCELLED: Order.CANCEL}


class ComplaintRefused(Refused):
    """A complaint or a step on it refused, with a code and its figures."""


def steps_from(state: State | str, actor: Actor | str) -> tuple[Step, ...]:
    """The steps ``actor`` may take on a complaint in ``state``, in the table's order."""
    state, actor = State(state), Actor(actor)
    return tuple(step for (at, step), (who, _) in STEPS.items() if at is state and who is actor)


def steps_of(actor: Actor | str) -> frozenset[Step]:
    """Every step the table gives ``actor``, from any state."""
    actor = Actor(actor)
    return frozenset(step for (_, step), (who, _) in STEPS.items() if who is actor)


def next_state(state: State | str, step: Step | str, *, reason: str) -> State:
    """Where ``step`` takes a complaint in ``state``, or ``ComplaintRefused``."""
    state, step = State(state), Step(step)
    found = STEPS.get((state, step))
    if found is None:
        raise ComplaintRefused("complaint_step_not_allowed", step=step.value,
                               state=state.value)
    if not reason.strip():
        raise ComplaintRefused("complaint_reason_required")
    return found[1]


def filing_closes(polling_day: date, *, complaint_days: int) -> date:
    """The last day a complaint against a station polled on ``polling_day`` is filed."""
    return polling_day + timedelta(days=complaint_days)


def filing_refusal(*, polling_day: date, today: date,
                   complaint_days: int) -> ComplaintRefused | None:
    """Why a complaint may not be filed ``today``, or None: from the polling day to
    :func:`filing_closes`, both included."""
    closes = filing_closes(polling_day, complaint_days=complaint_days)
    if today < polling_day:
        return ComplaintRefused("complaint_before_polling", opens=polling_day)
    if today > closes:
        return ComplaintRefused("complaint_period_over", opens=polling_day, closes=closes)
    return None


def appeal_closes(decided: date, *, appeal_days: int) -> date:
    return decided + timedelta(days=appeal_days)


def appeal_refusal(*, decided: date, today: date, appeal_days: int) -> ComplaintRefused | None:
    """Why an appeal may not be lodged ``today`` against a decision of ``decided``."""
    closes = appeal_closes(decided, appeal_days=appeal_days)
    if today > closes:
        return ComplaintRefused("appeal_period_over", decided=decided, closes=closes)
    return None


def order_of(*, state: State | str, decision: State | str | None,
             panel_order: Order | str = Order.NONE) -> Order:
    """What a complaint, where it stands, orders for its stations' counts.

    ``decision`` is the Board's decision (the state the complaint was in when
    appealed); ``panel_order`` what an overturning ruling ordered in its place.
    """
    state = State(state)
    if state is State.OVERTURNED:
        board = _BOARD_ORDERS.get(State(decision)) if decision else None
        return Order.NONE if board is not None else Order(panel_order)
    if state in (State.APPEALED, State.UPHELD):
        return _BOARD_ORDERS.get(State(decision), Order.NONE) if decision else Order.NONE
    return _BOARD_ORDERS.get(state, Order.NONE)


def station_order(orders: Iterable[Order | str]) -> Order:
    """The order that stands for a station among its complaints': cancel over recount."""
    found = {Order(order) for order in orders}
    for order in (Order.CANCEL, Order.RECOUNT):
        if order in found:
            return order
    return Order.NONE
