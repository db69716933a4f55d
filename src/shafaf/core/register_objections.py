"""Objections to the preliminary register, and how its entries are shown.

Law 12/2018 Art. 1: the preliminary register is published so that people can
inspect it and challenge it; the final register, published after the objection
period, cannot be challenged. During the exhibition phase (``register_exhibition``
in the election's calendar) anyone may inspect the entries of a polling centre, and
an objection against one entry is filed on one of the :class:`Ground` s:

- ``deceased``: the voter has died;
- ``duplicate``: the person is in the register twice (the objection names the other
  entry, which stays);
- ``under_age``: the voter is not 18 on polling day;
- ``wrong_centre``: the voter is listed at a centre that is not theirs (the
  objection names the right centre);
- ``not_eligible``: the voter may not vote for another reason (not Iraqi, deprived
  of the right by a court).

Every objection moves through one table (:data:`OBJECTION_STEPS`): it is **filed**,
then the office **upholds** it or **dismisses** it (a reason is required for both,
it is published), and an upheld objection is **applied**: the register changes,
with its history (removed for every ground but ``wrong_centre``, which moves the
voter). Filing is only possible during the exhibition phase; no step at all once the
register is final (:func:`filing_refusal`, :func:`step_refusal`).

**Interpretations**: the law does not say how long the office has to decide; the
register cannot be finalised while an objection is undecided (filed) or upheld but
not applied, so the office must decide every objection first. Decisions may be
taken after the exhibition closes (the objection was filed in time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from shafaf.core.refusal import Refused

__all__ = [
    "OBJECTION_STEPS", "OPEN_STATES", "ExhibitionWindow", "Ground", "ObjectionRefused",
    "ObjectionState", "ObjectionStep", "Timing", "filing_refusal", "initial",
    "masked_voter_number", "next_state", "removes", "step_refusal", "timing",
]


class Ground(StrEnum):
    DECEASED = "deceased"
    DUPLICATE = "duplicate"
    UNDER_AGE = "under_age"
    WRONG_CENTRE = "wrong_centre"
    NOT_ELIGIBLE = "not_eligible"


class ObjectionState(StrEnum):
    FILED = "filed"
    UPHELD = "upheld"
    DISMISSED = "dismissed"
    APPLIED = "applied"


class ObjectionStep(StrEnum):
    UPHOLD = "uphold"
    DISMISS = "dismiss"
    APPLY = "apply"


OBJECTION_STEPS: Mapping[tuple[ObjectionState, ObjectionStep], ObjectionState] = (
    MappingProxyType({
        (ObjectionState.FILED, ObjectionStep.UPHOLD): ObjectionState.UPHELD,
        (ObjectionState.FILED, ObjectionStep.DISMISS): ObjectionState.DISMISSED,
        (ObjectionState.UPHELD, ObjectionStep.APPLY): ObjectionState.APPLIED,
    }))

OPEN_STATES = frozenset({ObjectionState.FILED, ObjectionState.UPHELD})
"""States that keep the register from being finalised."""


def removes(ground: Ground | str) -> bool:
    """Whether an upheld objection on ``ground`` removes the voter (else moves them)."""
    return Ground(ground) is not Ground.WRONG_CENTRE


class ObjectionRefused(Refused):
    """An objection or a step on it refused, with a code and its figures."""


@dataclass(frozen=True, slots=True)
class ExhibitionWindow:
    """The exhibition phase's dates in the calendar, both days included."""

    opens: date
    closes: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.opens <= day <= self.closes


class Timing(StrEnum):
    NOT_SCHEDULED = "not_scheduled"
    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"
    FINAL = "final"


def timing(window: ExhibitionWindow | None, today: date, *, final: bool) -> Timing:
    """Where the exhibition stands ``today``: the pages show the register only when open."""
    if final:
        return Timing.FINAL
    if window is None:
        return Timing.NOT_SCHEDULED
    if today < window.opens:
        return Timing.BEFORE
    return Timing.OPEN if today in window else Timing.CLOSED


@dataclass(frozen=True, slots=True, kw_only=True)
class Filing:
    ground: Ground
    statement: str
    against_active: bool = True
    """The entry objected to is still in the register."""
    other_entry: bool = False
    """A duplicate names another entry, in the register, not the same one."""
    right_centre: bool = False
    """A wrong-centre objection names another centre of the same election."""


def filing_refusal(filing: Filing, *, window: ExhibitionWindow | None, today: date,
                   final: bool) -> ObjectionRefused | None:
    """Why ``filing`` may not be filed ``today``, or None when it may."""
    if final:
        return ObjectionRefused("register_final")
    if window is None:
        return ObjectionRefused("exhibition_not_scheduled")
    if today not in window:
        return ObjectionRefused("outside_exhibition", opens=window.opens, closes=window.closes)
    if not filing.against_active:
        return ObjectionRefused("entry_not_in_register")
    if not filing.statement.strip():
        return ObjectionRefused("statement_required")
    if filing.ground is Ground.DUPLICATE and not filing.other_entry:
        return ObjectionRefused("duplicate_needs_other_entry")
    if filing.ground is Ground.WRONG_CENTRE and not filing.right_centre:
        return ObjectionRefused("wrong_centre_needs_centre")
    return None


def step_refusal(state: ObjectionState | str, step: ObjectionStep, *, reason: str,
                 final: bool) -> str | None:
    """Why ``step`` is not possible now, as a code, or None when it is."""
    current = ObjectionState(state)
    if final:
        return "register_final"
    if (current, step) not in OBJECTION_STEPS:
        if current is ObjectionState.FILED:
            return "objection_not_upheld"
        return f"objection_already_{current.value}"
    if step is not ObjectionStep.APPLY and not reason.strip():
        return "objection_reason_required"
    return None


def next_state(state: ObjectionState | str, step: ObjectionStep, *, reason: str = "",
               final: bool = False) -> ObjectionState:
    """The state after ``step``, or :class:`ObjectionRefused` with
    :func:`step_refusal`'s code."""
    current = ObjectionState(state)
    code = step_refusal(current, step, reason=reason, final=final)
    if code is not None:
        raise ObjectionRefused(code)
    return OBJECTION_STEPS[current, step]


# --- What the public page shows of an entry (docs/register-exhibition.md) -----------

SHOWN_DIGITS = 4


def masked_voter_number(number: str) -> str:
    """The voter number with all but its last :data:`SHOWN_DIGITS` characters hidden:
    a voter recognises their own number, a list cannot be matched to other files."""
    shown = number[-SHOWN_DIGITS:] if len(number) > SHOWN_DIGITS else number[-1:]
    return "•" * (len(number) - len(shown)) + shown


def initial(name: str) -> str:
    """A name's first letter and a full stop (``الموسوي`` → ``ا.``), skipping the
    Arabic article ``ال`` so that family names are told apart; empty stays empty."""
    name = name.strip()
    if not name:
        return ""
    if name.startswith("ال") and len(name) > 2:
        name = name[2:]
    return f"{name[0]}."
