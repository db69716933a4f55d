"""The parameters of counting and results: how a station's two counts are reconciled,
how long its transmission may take, and the deadlines of complaints and appeals.

Domain brief, section 7 (Law 4 of 2023 as the commission cites it): the counting
device's result is transmitted, the station then counts by hand; a difference under
5% adopts the manual count, 5% or more sends the station to the central audit centre,
whose recount is adopted; a station whose electronic result has not arrived within
6 hours also goes to the audit centre. Preliminary results are due within 24 hours;
complaints are filed within 2 days, appeals within 3 days of publication.

How the 5% is measured is not in the sources. Shafaf takes the sum over lists of
|electronic − manual| list totals, over the manual count's valid ballots: an
interpretation, flagged in each profile and in docs/laws.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction


@dataclass(frozen=True, slots=True, kw_only=True)
class CountingRules:
    manual_difference_threshold: Fraction
    """A difference at or above this share of the manual count's valid ballots sends
    the station to the audit centre; below it the manual count is adopted."""
    transmission_window: timedelta
    """A station whose electronic result has not arrived by the close of polling plus
    this window goes to the audit centre."""
    preliminary_within: timedelta
    """Preliminary results are due within this time of the close of polling."""
    complaint_days: int
    """Complaints are filed within this many days of polling day."""
    appeal_days: int
    """Appeals to the Judicial Electoral Panel within this many days of publication."""
    box_over_voted_tolerance: int
    """``box_over_voted``: ballots in the box may exceed the voters the device verified
    by at most this many (a voter who left without being scanned, a scanner reset)."""

    def __post_init__(self) -> None:
        if not 0 < self.manual_difference_threshold <= 1:
            raise ValueError("the manual difference threshold is a share in (0, 1]")
        if self.transmission_window <= timedelta(0) or self.preliminary_within <= timedelta(0):
            raise ValueError("windows must be positive")
        if min(self.complaint_days, self.appeal_days, self.box_over_voted_tolerance) < 0:
            raise ValueError("deadlines and tolerances must not be negative")


IRAQ_2023 = CountingRules(
    manual_difference_threshold=Fraction(5, 100),
    transmission_window=timedelta(hours=6),
    preliminary_within=timedelta(hours=24),
    complaint_days=2,
    appeal_days=3,
    box_over_voted_tolerance=5,
)
"""Law 4 of 2023 as the commission cites it (domain brief, section 7)."""
