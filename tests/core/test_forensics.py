"""Election forensics (shafaf.core.forensics): the chi-square p-value against
published table values, the last-digit test and the round-number share worked by
hand, and the turnout and fingerprint bins computed exactly."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shafaf.core.forensics import (
    chi2_sf,
    fingerprint,
    last_digit,
    turnout_histogram,
    upper_gamma_regularized,
    zero_or_five,
)


@pytest.mark.parametrize(("chi2", "df", "p"), [
    # Critical values of the chi-square distribution (any statistics table, e.g. NIST/
    # SEMATECH e-Handbook §1.3.6.7.4), to the table's three decimals.
    (16.919, 9, 0.05), (21.666, 9, 0.01), (27.877, 9, 0.001), (14.684, 9, 0.10),
    (2.088, 9, 0.99), (3.325, 9, 0.95), (3.841, 1, 0.05), (6.635, 1, 0.01),
    (5.991, 2, 0.05), (11.345, 3, 0.01), (18.307, 10, 0.05),
])
def test_the_p_value_matches_the_tables(chi2, df, p):
    assert chi2_sf(chi2, df) == pytest.approx(p, abs=5e-5)


@pytest.mark.parametrize("x", [0.01, 0.5, 1.0, 3.0, 7.5, 20.0, 60.0])
def test_the_p_value_matches_closed_forms(x):
    # df = 2: e^(−x/2). df = 1: erfc(√(x/2)). Both sides of the series/fraction split.
    assert chi2_sf(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-12)
    assert chi2_sf(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-10, abs=1e-300)


def test_the_p_value_at_the_ends():
    assert chi2_sf(0, 9) == 1.0
    assert chi2_sf(500, 9) < 1e-90
    # The median of chi-square with 9 degrees of freedom is 8.34283 (tables: p = 0.50).
    assert upper_gamma_regularized(4.5, 8.34283 / 2) == pytest.approx(0.5, abs=1e-5)
    with pytest.raises(ValueError, match="df"):
        chi2_sf(1.0, 0)


def test_the_last_digit_test_worked_by_hand():
    # Counts of 10 or more: 15, 25, 35, 40, 51 (7 and 9 are left out). Last digits:
    # 5, 5, 5, 0, 1. n = 5, expected 0.5 a digit.
    #   digit 5: (3 − 0.5)² / 0.5 = 12.5
    #   digits 0 and 1: (1 − 0.5)² / 0.5 = 0.5 each → 1.0
    #   the 7 other digits: (0 − 0.5)² / 0.5 = 0.5 each → 3.5
    #   chi² = 17.0, 9 degrees of freedom: p just under 0.05 (16.919 gives 0.05).
    result = last_digit([15, 25, 35, 40, 51, 7, 9])
    assert result.counts_used == 5
    assert result.frequencies == (1, 1, 0, 0, 0, 3, 0, 0, 0, 0)
    assert result.chi2 == 17
    assert result.p_value == pytest.approx(0.04865, abs=1e-4)


def test_uniform_last_digits_give_no_evidence_and_no_counts_give_no_p_value():
    result = last_digit(range(10, 110))  # every digit ten times
    assert (result.chi2, result.p_value) == (0, 1.0)
    assert last_digit([1, 2, 9]).p_value is None


def test_the_share_of_counts_ending_in_0_or_5_worked_by_hand():
    # The same counts: 25, 35, 40, 15 end in 0 or 5; 51 does not. 4/5 against 1/5:
    # z = (4 − 5/5) / √(5 · 0.2 · 0.8) = 3 / 0.8944 = 3.354.
    result = zero_or_five([15, 25, 35, 40, 51, 7, 9])
    assert (result.counts_used, result.ending_in_0_or_5) == (5, 4)
    assert (result.share, result.expected) == (Fraction(4, 5), Fraction(1, 5))
    assert result.z == pytest.approx(3.3541, abs=1e-4)


def test_turnout_bins_are_exact():
    histogram = turnout_histogram([(29, 100), (57, 100), (1, 3), (2, 3), (3, 3), (1, 2),
                                   (4, 3), (0, 0)])
    # 57/100 as a float times 100 is 56.999…: exact arithmetic keeps it in bin 57.
    expected = {29: 1, 57: 1, 33: 1, 66: 1, 99: 1, 50: 1}
    assert {i: n for i, n in enumerate(histogram.bins) if n} == expected
    assert (histogram.over_100, histogram.no_registered) == (1, 1)


def test_the_fingerprint_places_each_station_by_turnout_and_share():
    result = fingerprint([(100, 50, 30, 50),   # turnout 50%, share 60%
                          (100, 100, 50, 50),  # 100%, 100%: the top-right corner
                          (0, 0, 0, 0), (100, 120, 10, 20), (100, 50, 0, 0)], bins=100)
    assert result.grid[60][50] == 1
    assert result.grid[99][99] == 1
    assert (result.stations_used, result.left_out) == (2, 3)
    assert sum(map(sum, result.grid)) == 2


@given(st.lists(st.integers(0, 10**6)))
def test_every_count_of_ten_or_more_is_counted_once_and_p_is_a_probability(counts):
    result = last_digit(counts)
    assert result.counts_used == sum(result.frequencies) == sum(c >= 10 for c in counts)
    assert result.p_value is None or 0 <= result.p_value <= 1
    assert zero_or_five(counts).ending_in_0_or_5 == sum(c >= 10 and c % 5 == 0 for c in counts)


@given(st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 2000))))
def test_every_station_lands_in_one_turnout_bin(stations):
    histogram = turnout_histogram(stations)
    assert sum(histogram.bins) + histogram.over_100 + histogram.no_registered == len(stations)
