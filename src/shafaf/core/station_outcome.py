"""Which of a station's counts is adopted, or why none is (domain brief, section 7).

A station's count for a contest part comes from up to four forms: the counting
device's transmission (``electronic``), the device's printed tape or memory stick
entered where the transmission failed (``paper``, which stands in for the electronic
result), the station's hand count (``manual``) and the audit centre's recount
(``recount``). The rule, in order:

1. The Board cancelled the station: nothing counts.
2. A recount exists: it is adopted, unless it has an error the audit centre has not
   cleared (then the station stays at the audit centre).
3. The Board ordered a recount (on a complaint): the station waits at the audit centre.
4. The manual count has an uncleared error: quarantine, at the audit centre.
5. Manual and electronic both exist: their difference (the sum over lists of
   |electronic − manual|, over the manual count's valid ballots: an interpretation)
   below the threshold adopts the manual count; at or above it, the audit centre.
6. Manual only: adopted; if the transmission is late, the station is also listed for
   the audit centre (``late``), but the manual count stays adopted, as the law says.
7. Electronic only: adopted as the preliminary result, unless it has an uncleared
   error (quarantine).
8. Nothing yet: awaiting (``late`` once the window has passed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class Outcome(StrEnum):
    AWAITING = "awaiting"
    ADOPTED = "adopted"
    AUDIT = "audit"
    CANCELLED = "cancelled"


class AuditReason(StrEnum):
    NONE = ""
    QUARANTINE = "quarantine"
    DIFFERENCE = "difference"
    LATE = "late"
    COMPLAINT = "complaint"


class Count(StrEnum):
    ELECTRONIC = "electronic"
    PAPER = "paper"
    MANUAL = "manual"
    RECOUNT = "audit"


@dataclass(frozen=True, slots=True, kw_only=True)
class CountForm:
    """What the rule needs of one form: its list totals, valid ballots and whether an
    error holds it (an error the audit centre cleared does not)."""

    list_votes: Mapping[str, int]
    valid: int
    held: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    outcome: Outcome
    adopt: Count | None
    audit_reason: AuditReason = AuditReason.NONE
    difference: Fraction | None = None
    """The electronic–manual difference, when both were compared."""


def difference(*, electronic: CountForm, manual: CountForm) -> Fraction:
    """Σ over lists of |electronic − manual|, over the manual count's valid ballots; a
    difference with no valid manual ballot is total (1), none is 0."""
    lists = set(electronic.list_votes) | set(manual.list_votes)
    gap = sum(abs(electronic.list_votes.get(key, 0) - manual.list_votes.get(key, 0))
              for key in lists)
    if manual.valid == 0:
        return Fraction(0) if gap == 0 else Fraction(1)
    return Fraction(gap, manual.valid)


def decide(*, forms: Mapping[Count, CountForm], threshold: Fraction, late: bool = False,
           cancelled: bool = False, recount_ordered: bool = False) -> Decision:
    """The station's outcome from its live forms (see the module's rule)."""
    if cancelled:
        return Decision(outcome=Outcome.CANCELLED, adopt=None)
    recount = forms.get(Count.RECOUNT)
    if recount is not None:
        if recount.held:
            return Decision(outcome=Outcome.AUDIT, adopt=None,
                            audit_reason=AuditReason.QUARANTINE)
        return Decision(outcome=Outcome.ADOPTED, adopt=Count.RECOUNT)
    if recount_ordered:
        return Decision(outcome=Outcome.AUDIT, adopt=None, audit_reason=AuditReason.COMPLAINT)
    manual = forms.get(Count.MANUAL)
    device = Count.ELECTRONIC if Count.ELECTRONIC in forms else (
        Count.PAPER if Count.PAPER in forms else None)
    electronic = forms[device] if device is not None else None
    if manual is not None:
        if manual.held:
            return Decision(outcome=Outcome.AUDIT, adopt=None,
                            audit_reason=AuditReason.QUARANTINE)
        if electronic is not None:
            gap = difference(electronic=electronic, manual=manual)
            if gap >= threshold:
                return Decision(outcome=Outcome.AUDIT, adopt=None,
                                audit_reason=AuditReason.DIFFERENCE, difference=gap)
            return Decision(outcome=Outcome.ADOPTED, adopt=Count.MANUAL, difference=gap)
        return Decision(outcome=Outcome.ADOPTED, adopt=Count.MANUAL,
                        audit_reason=AuditReason.LATE if late else AuditReason.NONE)
    if electronic is not None and device is not None:
        if electronic.held:
            return Decision(outcome=Outcome.AUDIT, adopt=None,
                            audit_reason=AuditReason.QUARANTINE)
        return Decision(outcome=Outcome.ADOPTED, adopt=device)
    return Decision(outcome=Outcome.AWAITING, adopt=None,
                    audit_reason=AuditReason.LATE if late else AuditReason.NONE)
