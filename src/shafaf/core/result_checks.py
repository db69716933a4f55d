"""The checks of a station's result form: errors put a form in quarantine, warnings are
shown beside it but do not.

The five errors are those of the results issue (docs/results.md), in the manner of
Abacus's validation codes and tally-ho's quarantine checks:

- ``ballot_reconciliation``: ballots received ≠ in the box + spoiled + unused;
- ``box_vs_counted``: ballots in the box ≠ valid + invalid;
- ``valid_vs_votes``: valid ≠ the sum of every vote on the form;
- ``over_registered``: ballots in the box > registered voters;
- ``box_over_voted``: ballots in the box > voters the device verified + a tolerance
  (the law profile's ``counting.box_over_voted_tolerance``, 5).

The warnings are Shafaf's own, after Abacus's W201–W204; their thresholds are
parameters (:class:`WarningThresholds`), and their values here are our choice, not
the commission's:

- ``high_invalid_share``: invalid ballots are more than 10% of the ballots in the box;
- ``full_turnout``: every registered voter voted;
- ``high_turnout``: more than 90% (and less than all) voted;
- ``ballots_missing``: fewer ballots in the box than voters verified, beyond the
  tolerance (voters who left with their ballot, or ballots lost);
- ``empty_box``: a station with registered voters and no ballot in the box;
- ``single_list_share``: one list has more than 95% of the valid votes of a station
  with at least 50 valid votes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction


class ResultError(StrEnum):
    BALLOT_RECONCILIATION = "ballot_reconciliation"
    BOX_VS_COUNTED = "box_vs_counted"
    VALID_VS_VOTES = "valid_vs_votes"
    OVER_REGISTERED = "over_registered"
    BOX_OVER_VOTED = "box_over_voted"


class ResultWarning(StrEnum):
    HIGH_INVALID_SHARE = "high_invalid_share"
    FULL_TURNOUT = "full_turnout"
    HIGH_TURNOUT = "high_turnout"
    BALLOTS_MISSING = "ballots_missing"
    EMPTY_BOX = "empty_box"
    SINGLE_LIST_SHARE = "single_list_share"


@dataclass(frozen=True, slots=True, kw_only=True)
class FormNumbers:
    """A form's numbers and its votes summed per list (list alone + its candidates).

    ``list_votes`` also carries a component form's candidates, each as its own key.
    """

    registered: int
    voted: int
    ballots_received: int
    ballots_in_box: int
    ballots_spoiled: int
    ballots_unused: int
    invalid: int
    valid: int
    list_votes: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("registered", "voted", "ballots_received", "ballots_in_box",
                     "ballots_spoiled", "ballots_unused", "invalid", "valid"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if any(votes < 0 for votes in self.list_votes.values()):
            raise ValueError("votes must not be negative")

    @property
    def votes(self) -> int:
        return sum(self.list_votes.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningThresholds:
    invalid_share: Fraction = Fraction(10, 100)
    high_turnout: Fraction = Fraction(90, 100)
    single_list_share: Fraction = Fraction(95, 100)
    single_list_minimum_valid: int = 50


@dataclass(frozen=True, slots=True, kw_only=True)
class Findings:
    errors: tuple[ResultError, ...]
    warnings: tuple[ResultWarning, ...]

    @property
    def quarantined(self) -> bool:
        return bool(self.errors)


def check(form: FormNumbers, *, box_over_voted_tolerance: int,
          thresholds: WarningThresholds = WarningThresholds()) -> Findings:
    """Every error and warning of ``form``, each once, in the order of the enums."""
    f = form
    errors = [code for code, failed in (
        (ResultError.BALLOT_RECONCILIATION,
         f.ballots_received != f.ballots_in_box + f.ballots_spoiled + f.ballots_unused),
        (ResultError.BOX_VS_COUNTED, f.ballots_in_box != f.valid + f.invalid),
        (ResultError.VALID_VS_VOTES, f.valid != f.votes),
        (ResultError.OVER_REGISTERED, f.ballots_in_box > f.registered),
        (ResultError.BOX_OVER_VOTED, f.ballots_in_box > f.voted + box_over_voted_tolerance),
    ) if failed]
    top = max(f.list_votes.values(), default=0)
    warnings = [code for code, raised in (
        (ResultWarning.HIGH_INVALID_SHARE,
         f.ballots_in_box > 0 and Fraction(f.invalid, f.ballots_in_box) > thresholds.invalid_share),
        (ResultWarning.FULL_TURNOUT, f.registered > 0 and f.voted >= f.registered),
        (ResultWarning.HIGH_TURNOUT,
         f.registered > 0 and thresholds.high_turnout < Fraction(f.voted, f.registered) < 1),
        (ResultWarning.BALLOTS_MISSING, f.ballots_in_box < f.voted - box_over_voted_tolerance),
        (ResultWarning.EMPTY_BOX, f.registered > 0 and f.ballots_in_box == 0),
        (ResultWarning.SINGLE_LIST_SHARE,
         f.valid >= thresholds.single_list_minimum_valid
         and Fraction(top, f.valid) > thresholds.single_list_share),
    ) if raised]
    return Findings(errors=tuple(errors), warnings=tuple(warnings))
