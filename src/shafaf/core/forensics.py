"""Election forensics on published station results (issue 13; docs/forensics.md).

Four summaries of the station-level counts a commission publishes, each a screen, not
a proof: a departure from what honest counts usually look like is a reason to look at
the stations behind it, and honest counts can depart too. Every function states its
method's source and its limits.

- :func:`last_digit`: the last-digit test (Beber & Scacco 2012).
- :func:`zero_or_five`: the share of counts ending in 0 or 5 (round numbers).
- :func:`turnout_histogram`: the stations' turnout in bins.
- :func:`fingerprint`: the turnout × vote-share 2-D histogram (Klimek et al. 2012).

:func:`chi2_sf`, the chi-square distribution's survival function (the p-value), is
computed here from the regularized upper incomplete gamma function, so the core needs
nothing beyond the standard library.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

# -- The chi-square p-value -------------------------------------------------------------

_EPSILON = 1e-15
_TINY = 1e-300
_ITERATIONS = 1000


def upper_gamma_regularized(a: float, x: float) -> float:
    """Q(a, x) = Γ(a, x) / Γ(a), for a > 0 and x ≥ 0: the series of P = 1 − Q below
    x = a + 1 and the continued fraction (modified Lentz) above it, as in Press et al.,
    *Numerical Recipes*, 3rd ed., 2007, §6.2 (gser and gcf). Accurate to about 1e-14."""
    if a <= 0:
        raise ValueError("a must be positive")
    if x < 0:
        raise ValueError("x must not be negative")
    if x == 0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        # P(a, x) = e^−x x^a / Γ(a + 1) · Σ x^n / ((a + 1) … (a + n))
        term = total = 1.0 / a
        ap = a
        for _ in range(_ITERATIONS):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * _EPSILON:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    # Q(a, x) = e^−x x^a / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − …))
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    h = d
    for i in range(1, _ITERATIONS):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPSILON:
            break
    return math.exp(log_front) * h


def chi2_sf(chi2: float, df: int) -> float:
    """P(X ≥ chi2) for X chi-square with ``df`` degrees of freedom: Q(df / 2, chi2 / 2).
    chi2_sf(16.919, 9) is 0.05 to four places."""
    if df < 1:
        raise ValueError("df must be at least 1")
    return upper_gamma_regularized(df / 2, max(chi2, 0.0) / 2)


# -- The last-digit test ------------------------------------------------------------------

LAST_DIGIT_MINIMUM = 10


@dataclass(frozen=True, slots=True)
class LastDigit:
    counts_used: int
    frequencies: tuple[int, ...]  # how many counts end in 0, 1, …, 9
    chi2: Fraction  # Σ (observed − expected)² / expected, expected = counts_used / 10
    p_value: float | None  # None when no count was used


def last_digit(counts: Iterable[int], *, minimum: int = LAST_DIGIT_MINIMUM) -> LastDigit:
    """The last-digit test of Beber & Scacco, "What the Numbers Say: A Digit-Based Test
    for Election Fraud", *Political Analysis* 20(2), 2012, 211–234: the last digits of
    the counts of ``minimum`` (10) or more against the uniform distribution, by
    Pearson's chi-square with 9 degrees of freedom.

    Why: people who invent numbers pick digits unevenly (they favour some, avoid
    repeats); the last digit of a real count of 10 or more is close to uniform.
    Limits: a small p-value says the digits are uneven, not that the counts were
    invented; with hundreds of thousands of counts even a slight unevenness from honest
    causes (counts capped by a station's size, many counts just above 10) gives a tiny
    p-value; with few counts the test has little power, and a clever forger passes it.
    The counts of one station are not independent of each other. Counts under 10 are
    left out: their last digit is the count, and small counts are not uniform."""
    frequencies = [0] * 10
    for count in counts:
        if count >= minimum:
            frequencies[count % 10] += 1
    n = sum(frequencies)
    if n == 0:
        return LastDigit(0, tuple(frequencies), Fraction(0), None)
    # Σ (o − n/10)² / (n/10) = Σ (10·o − n)² / (10·n), exactly.
    chi2 = Fraction(sum((10 * o - n) ** 2 for o in frequencies), 10 * n)
    return LastDigit(n, tuple(frequencies), chi2, chi2_sf(float(chi2), 9))


# -- Round numbers ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ZeroOrFive:
    counts_used: int
    ending_in_0_or_5: int
    share: Fraction | None  # ending_in_0_or_5 / counts_used
    expected: Fraction  # 1/5 when last digits are uniform
    z: float | None  # (observed − expected count) / its binomial standard deviation


def zero_or_five(counts: Iterable[int], *, minimum: int = LAST_DIGIT_MINIMUM) -> ZeroOrFive:
    """The share of counts of ``minimum`` (10) or more that end in 0 or 5, against the
    1/5 of uniform last digits, with its binomial z-score. Rounding to 0 and 5 is the
    commonest mark of numbers written without counting (Beber & Scacco 2012, §2; Mebane,
    "Election Forensics", 2006, on round numbers). Limits: as for the last-digit test;
    in addition, a rule of the count that rounds or caps (ballot boxes delivered in
    fives) raises it honestly."""
    return round_numbers(last_digit(counts, minimum=minimum))


def round_numbers(digits: LastDigit) -> ZeroOrFive:
    """:func:`zero_or_five` from a last-digit test's frequencies (the same counts)."""
    used = digits.counts_used
    ending = digits.frequencies[0] + digits.frequencies[5]
    expected = Fraction(1, 5)
    if used == 0:
        return ZeroOrFive(0, 0, None, expected, None)
    z = (ending - used / 5) / math.sqrt(used * 0.2 * 0.8)
    return ZeroOrFive(used, ending, Fraction(ending, used), expected, z)


# -- Turnout ----------------------------------------------------------------------------

TURNOUT_BINS = 100


@dataclass(frozen=True, slots=True)
class TurnoutHistogram:
    bins: tuple[int, ...]  # stations with turnout in [i / n, (i + 1) / n); 100% in the last
    over_100: int  # stations where more voted than were registered
    no_registered: int  # stations with nobody registered, left out


def turnout_bin(voted: int, registered: int, bins: int) -> int:
    """The bin of turnout ``voted / registered`` (exact: no float rounding moves a
    station across an edge); ``bins`` for turnout over 100%."""
    if voted > registered:
        return bins
    return min(voted * bins // registered, bins - 1)


def turnout_histogram(stations: Iterable[tuple[int, int]], *,
                      bins: int = TURNOUT_BINS) -> TurnoutHistogram:
    """How many stations of ``(voted, registered)`` have each turnout, in ``bins`` equal
    bins from 0 to 100% (Klimek et al. 2012 plot this as the first look; Mebane's
    election forensics toolkit too). Stations count alike whatever their size.

    What to look for: honest turnout is roughly bell-shaped across comparable stations;
    a second peak near 100%, or spikes at round percentages, call for a look. Limits:
    turnout varies honestly with region, urban or rural, and the register's quality; a
    small station's ratio falls on few values (3 of 4 registered is exactly 75%), which
    makes spikes at simple fractions without anything wrong: compare stations of similar
    size, and governorates on their own."""
    counts = [0] * bins
    over = none = 0
    for voted, registered in stations:
        if registered <= 0:
            none += 1
            continue
        at = turnout_bin(voted, registered, bins)
        if at == bins:
            over += 1
        else:
            counts[at] += 1
    return TurnoutHistogram(tuple(counts), over, none)


FINGERPRINT_BINS = 100


@dataclass(frozen=True, slots=True)
class Fingerprint:
    bins: int
    grid: tuple[tuple[int, ...], ...]  # grid[share bin][turnout bin]: stations
    stations_used: int
    left_out: int  # nobody registered, more voted than registered, or no list votes


def fingerprint(stations: Iterable[tuple[int, int, int, int]], *,
                bins: int = FINGERPRINT_BINS) -> Fingerprint:
    """The election fingerprint of Klimek, Yegorov, Hanel & Thurner, "Statistical
    detection of systematic election irregularities", *PNAS* 109(41), 2012,
    16469–16473: a 2-D histogram of the stations by turnout (``voted / registered``,
    across) and a list's share (``list votes / all list votes``, up), from
    ``(registered, voted, list_votes, all_list_votes)`` per station; usually the list
    that won.

    What to look for: honest elections give one roughly round cluster; ballot stuffing
    and invented results smear it towards the top right, up to a cluster at 100%
    turnout and 100% share. Limits: a list strong in some regions and weak in others
    gives two clusters honestly; turnout and support can go together honestly (a
    mobilised community); the paper's model needs comparable stations, and one
    governorate's few hundred stations draw a sparse picture. Stations with nobody
    registered, with more voters than registered or with no list vote are left out and
    counted."""
    grid = [[0] * bins for _ in range(bins)]
    used = left = 0
    for registered, voted, votes, total in stations:
        if registered <= 0 or voted > registered or total <= 0 or votes > total:
            left += 1
            continue
        x = min(voted * bins // registered, bins - 1)
        y = min(votes * bins // total, bins - 1)
        grid[y][x] += 1
        used += 1
    return Fingerprint(bins, tuple(tuple(row) for row in grid), used, left)
