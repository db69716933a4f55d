"""A parallel vote tabulation's estimate: the ratio estimator over a sample of stations
(issue 13; docs/pvt-estimate.md).

Observers report the count of a random sample of the frame's stations (drawn in
public by ``shafaf-sample/1``). For each list, over the ``k`` stations reported of the
``K`` in the frame, with ``a`` the list's votes at a station and ``m`` the station's
total list votes:

    p = Σa / Σm              the list's share
    f = k / K                the sampling fraction
    m̄ = Σm / k
    Var = (1 − f) / (k · m̄²) · Σ (a − p·m)² / (k − 1)
    moe95 = z · √Var         z = 1.96 for 95%

This is the ratio estimator of a cluster sample (Cochran, *Sampling Techniques*, 3rd
ed., 1977, §6.3, eq. 6.13, with the sample's own variance; Lohr, *Sampling: Design and
Analysis*, 2nd ed., §4.1 and §5.3), the estimator the PVT handbooks use (NDI, *The
Quick Count and Election Observation*, 2002, ch. 5). It is computed exactly: with
``A = Σa`` and ``M = Σm``, ``Σ (a − p·m)² = Σ (a·M − A·m)² / M²``, so the variance is
the fraction ``(K − k) · k · Σ (a·M − A·m)² / (K · M⁴ · (k − 1))`` of whole numbers and
only the square root is a float.

Interpretation, stated so it can be questioned:

- A station that reported counts for every list it sent; a list absent from a
  reporting station's report has 0 votes there (its ``a`` is 0, its ``m`` is
  unchanged). A station that sent nothing is not reported.
- A station whose lists all have 0 votes (``m = 0``) is reported: it counts in ``k``
  and in ``m̄`` and adds nothing to the sums.
- ``k < 2``: no variance can be estimated (``k − 1`` is 0); the share is given and the
  margin is missing (``NoMargin.FEWER_THAN_TWO_STATIONS``). ``Σm = 0``: no share either
  (``NoMargin.NO_VOTES``).
- Every station reported (``f = 1``): the margin is 0, a census.
- The whole sample is treated as one simple random sample (``f = k / K``), as the
  issue gives it. ``shafaf-sample/1`` allocates the sample to the strata in proportion
  to their stations, so the sample is self-weighting and the estimate unbiased in the
  ratio estimator's sense; ignoring the strata in the variance usually overstates it a
  little (stratification can only remove between-strata variance). While reports are
  still arriving, strata that report late are under-represented: the per-stratum
  estimates show it.
- Turnout is the same estimator with ``a`` the voters who voted and ``m`` the voters
  registered at each station that reported them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

Z95 = Fraction("1.96")
"""The normal quantile of a two-sided 95% interval, as the issue writes it."""


class NoMargin(StrEnum):
    """Why an estimate has no margin of error."""

    FEWER_THAN_TWO_STATIONS = "fewer_than_two_stations"  # k − 1 = 0: no variance
    NO_VOTES = "no_votes"  # Σm = 0: no share either


@dataclass(frozen=True, slots=True)
class Ratio:
    """One ratio estimate: ``share = votes / total`` over the stations reported, its
    variance (exact) and its margin (``z · √variance``), or why there is none."""

    votes: int  # Σa
    total: int  # Σm
    share: Fraction | None
    variance: Fraction | None
    moe: float | None
    no_margin: NoMargin | None


@dataclass(frozen=True, slots=True)
class ListShare:
    list_id: str
    ratio: Ratio


@dataclass(frozen=True, slots=True)
class Estimate:
    """The estimate of one frame (the whole country, or one stratum)."""

    stations_reported: int
    stations_in_frame: int
    lists: tuple[ListShare, ...]  # by list id
    turnout: Ratio | None  # None when no station reported registered and voted
    stations_with_turnout: int


@dataclass(frozen=True, slots=True)
class Comparison:
    """A list's estimate beside its official result."""

    list_id: str
    official_share: Fraction
    outside: bool | None  # |official − share| > moe; None when there is no margin


def ratio(pairs: Sequence[tuple[int, int]], *, stations_in_frame: int,
          z: Fraction = Z95) -> Ratio:
    """The ratio estimate of ``(a, m)`` pairs, one per station reported, from a frame of
    ``stations_in_frame`` stations. Raises ValueError on a negative count or more
    stations than the frame holds."""
    k = len(pairs)
    big_k = stations_in_frame
    if k > big_k:
        raise ValueError(f"{k} stations reported from a frame of {big_k}")
    votes = total = 0
    for a, m in pairs:
        if a < 0 or m < 0:
            raise ValueError("a count is negative")
        votes += a
        total += m
    if total == 0:
        return Ratio(votes, total, None, None, None, NoMargin.NO_VOTES)
    share = Fraction(votes, total)
    if k < 2:
        return Ratio(votes, total, share, None, None, NoMargin.FEWER_THAN_TWO_STATIONS)
    residuals = sum((a * total - votes * m) ** 2 for a, m in pairs)
    variance = Fraction((big_k - k) * k * residuals, big_k * total**4 * (k - 1))
    return Ratio(votes, total, share, variance, float(z) * math.sqrt(variance), None)


def estimate(reports: Mapping[str, Mapping[str, int]], *, stations_in_frame: int,
             lists: Iterable[str] = (),
             turnout: Mapping[str, tuple[int, int]] | None = None,
             z: Fraction = Z95) -> Estimate:
    """Every list's share from ``reports`` (station → list → votes; every station in it
    reported), over a frame of ``stations_in_frame``. ``lists`` adds lists no station
    reported (their share is 0); ``turnout`` maps stations to ``(voted, registered)``."""
    totals = {station: sum(counts.values()) for station, counts in reports.items()}
    ids = set(lists)
    for counts in reports.values():
        ids.update(counts)
    shares = tuple(
        ListShare(list_id, ratio([(counts.get(list_id, 0), totals[station])
                                  for station, counts in reports.items()],
                                 stations_in_frame=stations_in_frame, z=z))
        for list_id in sorted(ids))
    turnout_ratio = None
    if turnout:
        turnout_ratio = ratio(list(turnout.values()), stations_in_frame=stations_in_frame, z=z)
    return Estimate(stations_reported=len(reports), stations_in_frame=stations_in_frame,
                    lists=shares, turnout=turnout_ratio,
                    stations_with_turnout=len(turnout or ()))


def by_stratum(reports: Mapping[str, Mapping[str, int]], *, frame: Mapping[str, str],
               lists: Iterable[str] = (),
               turnout: Mapping[str, tuple[int, int]] | None = None,
               z: Fraction = Z95) -> dict[str, Estimate]:
    """One estimate per stratum of ``frame`` (station → stratum), each over its own
    stations (``f = k_h / K_h``), every list of the whole sample in each. Raises
    ValueError for a report from a station outside the frame."""
    stations: dict[str, int] = {}
    for stratum in frame.values():
        stations[stratum] = stations.get(stratum, 0) + 1
    grouped: dict[str, dict[str, Mapping[str, int]]] = {s: {} for s in stations}
    grouped_turnout: dict[str, dict[str, tuple[int, int]]] = {s: {} for s in stations}
    for station, counts in reports.items():
        if station not in frame:
            raise ValueError(f"station {station!r} is not in the frame")
        grouped[frame[station]][station] = counts
    for station, pair in (turnout or {}).items():
        if station not in frame:
            raise ValueError(f"station {station!r} is not in the frame")
        grouped_turnout[frame[station]][station] = pair
    every = set(lists)
    for counts in reports.values():
        every.update(counts)
    return {stratum: estimate(grouped[stratum], stations_in_frame=stations[stratum],
                              lists=every, turnout=grouped_turnout[stratum], z=z)
            for stratum in sorted(stations)}


def compare(result: Estimate, official: Mapping[str, int], *,
            z: Fraction = Z95) -> tuple[Comparison, ...]:
    """Each list of ``result`` beside its official share (its votes over the sum of
    ``official``; 0 for a list missing from it): ``outside`` when the official share
    is farther from the estimate than the margin, compared exactly (``(o − p)² >
    z² · Var``). ``result`` must hold every list of ``official`` (pass them as
    ``lists`` to :func:`estimate`). Raises ValueError when ``official`` has no votes."""
    total = sum(official.values())
    if total <= 0:
        raise ValueError("the official results have no votes")
    compared = []
    for share in result.lists:
        official_share = Fraction(official.get(share.list_id, 0), total)
        r = share.ratio
        outside = None
        if r.share is not None and r.variance is not None:
            outside = (official_share - r.share) ** 2 > z**2 * r.variance
        compared.append(Comparison(share.list_id, official_share, outside))
    return tuple(compared)
