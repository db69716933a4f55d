"""The PVT estimate (shafaf.core.pvt_estimate): the ratio estimator worked by hand,
its edge cases, and its 95% interval covering the true share about 95% of the time
over many simulated samples."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shafaf.core.pvt_estimate import NoMargin, by_stratum, compare, estimate, ratio

# Three stations reported of a frame of five (S1: L1 60, L2 40; S2: 30, 70; S3: 50, 50).
REPORTS = {"S1": {"L1": 60, "L2": 40}, "S2": {"L1": 30, "L2": 70}, "S3": {"L1": 50, "L2": 50}}


def shares(result):
    return {s.list_id: s.ratio for s in result.lists}


def test_the_ratio_estimator_worked_by_hand():
    # L1: a = 60, 30, 50; m = 100 at each station. k = 3, K = 5.
    #   p = Σa / Σm = 140 / 300 = 7/15 ≈ 0.4667
    #   f = 3/5; m̄ = 300 / 3 = 100
    #   a − p·m = 60 − 46.667 = 13.333; 30 − 46.667 = −16.667; 50 − 46.667 = 3.333
    #   Σ (a − p·m)² = 177.78 + 277.78 + 11.11 = 466.67 (exactly 4200/9)
    #   Var = (1 − 3/5) / (3 · 100²) · (4200/9) / 2 = 0.4 / 30000 · 233.33 = 7/2250
    #   moe95 = 1.96 · √(7/2250) = 1.96 · 0.055777 = 0.109324
    result = estimate(REPORTS, stations_in_frame=5)
    l1 = shares(result)["L1"]
    assert result.stations_reported == 3
    assert l1.share == Fraction(7, 15)
    assert l1.variance == Fraction(7, 2250)
    assert l1.moe == pytest.approx(0.109324, abs=1e-6)
    # L2's residuals are L1's with the sign turned: the same margin.
    assert shares(result)["L2"].share == Fraction(8, 15)
    assert shares(result)["L2"].moe == pytest.approx(l1.moe)


def test_a_list_missing_from_a_reporting_station_has_no_votes_there():
    with_zero = estimate({**REPORTS, "S4": {"L1": 20, "L2": 0}}, stations_in_frame=5)
    without = estimate({**REPORTS, "S4": {"L1": 20}}, stations_in_frame=5)
    assert shares(with_zero) == shares(without)
    assert shares(without)["L2"].share == Fraction(160, 320)


def test_a_station_with_no_list_votes_counts_in_k_but_adds_nothing():
    result = estimate({**REPORTS, "S4": {"L1": 0, "L2": 0}}, stations_in_frame=5)
    l1 = shares(result)["L1"]
    assert result.stations_reported == 4
    assert l1.share == Fraction(7, 15)  # the sums are unchanged
    # k = 4, f = 4/5: (5 − 4)·4·Σ(a·M − A·m)² / (5·M⁴·3), Σ = 42,000,000 as by hand.
    assert l1.variance == Fraction(1 * 4 * 42_000_000, 5 * 300**4 * 3)


def test_one_station_gives_a_share_and_says_why_there_is_no_margin():
    result = estimate({"S1": {"L1": 60, "L2": 40}}, stations_in_frame=5)
    l1 = shares(result)["L1"]
    assert l1.share == Fraction(3, 5)
    assert (l1.moe, l1.no_margin) == (None, NoMargin.FEWER_THAN_TWO_STATIONS)


def test_no_votes_at_all_gives_no_share():
    r = ratio([(0, 0), (0, 0)], stations_in_frame=5)
    assert (r.share, r.moe, r.no_margin) == (None, None, NoMargin.NO_VOTES)


def test_every_station_reported_is_a_census_with_no_margin_of_error():
    assert shares(estimate(REPORTS, stations_in_frame=3))["L1"].moe == 0


def test_refuses_more_stations_than_the_frame_and_negative_counts():
    with pytest.raises(ValueError, match="frame"):
        ratio([(1, 2), (1, 2)], stations_in_frame=1)
    with pytest.raises(ValueError, match="negative"):
        ratio([(-1, 2), (1, 2)], stations_in_frame=5)


def test_turnout_is_the_same_estimator_over_voters_and_registered():
    result = estimate(REPORTS, stations_in_frame=5,
                      turnout={"S1": (100, 200), "S2": (100, 250), "S3": (100, 300)})
    assert result.turnout is not None
    assert result.turnout.share == Fraction(300, 750)
    assert result.turnout.moe == ratio([(100, 200), (100, 250), (100, 300)],
                                       stations_in_frame=5).moe


def test_each_stratum_has_its_own_sampling_fraction():
    frame = {"S1": "A", "S2": "A", "S3": "B", "S4": "B", "S5": "B"}
    strata = by_stratum(REPORTS, frame=frame)
    assert (strata["A"].stations_reported, strata["A"].stations_in_frame) == (2, 2)
    assert shares(strata["A"])["L1"].moe == 0  # every station of A reported
    assert shares(strata["B"])["L1"].no_margin is NoMargin.FEWER_THAN_TWO_STATIONS
    with pytest.raises(ValueError, match="not in the frame"):
        by_stratum({"S9": {"L1": 1}}, frame=frame)


def test_an_official_share_beyond_the_margin_is_outside():
    result = estimate(REPORTS, stations_in_frame=5, lists={"L3"})
    # L1: 7/15 ± 0.1093 holds 0.40 (inside) but not 0.30 (outside); L3 had no report.
    by_list = {c.list_id: c for c in compare(result, {"L1": 40, "L2": 60, "L3": 0})}
    assert (by_list["L1"].official_share, by_list["L1"].outside) == (Fraction(2, 5), False)
    by_list = {c.list_id: c for c in compare(result, {"L1": 30, "L2": 60, "L3": 10})}
    assert by_list["L1"].outside is True
    assert by_list["L3"].outside is True  # 10% against an estimate of 0 ± 0
    one = estimate({"S1": {"L1": 1}}, stations_in_frame=5)
    assert compare(one, {"L1": 5})[0].outside is None  # no margin, no verdict
    with pytest.raises(ValueError, match="no votes"):
        compare(result, {"L1": 0})


def test_the_95_percent_interval_covers_the_true_share_about_95_percent_of_the_time():
    """A synthetic country: 4,000 stations of 100 to 700 voters, list L1's support
    varying from station to station (a beta-like spread around 35%), L2 the rest.
    1,000 samples of 300 stations without replacement (fixed seed): the interval
    share ± moe95 must hold L1's true national share in 92% to 98% of them."""
    rng = random.Random(20261207)  # noqa: S311 (a simulation, not a secret)
    population = {}
    for i in range(4000):
        m = rng.randint(100, 700)
        support = min(1.0, max(0.0, rng.gauss(0.35, 0.15)))
        a = round(m * support)
        population[f"S{i}"] = {"L1": a, "L2": m - a}
    true_share = Fraction(sum(c["L1"] for c in population.values()),
                          sum(c["L1"] + c["L2"] for c in population.values()))
    ids = sorted(population)
    covered = 0
    draws = 1000
    for _ in range(draws):
        sample = {s: population[s] for s in rng.sample(ids, 300)}
        l1 = shares(estimate(sample, stations_in_frame=len(ids)))["L1"]
        assert l1.share is not None
        assert l1.moe is not None
        covered += abs(float(l1.share - true_share)) <= l1.moe
    assert 0.92 <= covered / draws <= 0.98, covered / draws


REPORTED = st.dictionaries(
    st.text("S0123456789", min_size=1, max_size=4),
    st.dictionaries(st.sampled_from(["L1", "L2", "L3"]), st.integers(0, 10_000), max_size=3),
    max_size=20)


@given(REPORTED, st.integers(0, 50))
def test_shares_add_up_to_one_and_margins_are_never_negative(reports, more):
    result = estimate(reports, stations_in_frame=len(reports) + more)
    known = [s.ratio for s in result.lists if s.ratio.share is not None]
    if known:
        assert sum(r.share for r in known) == 1
    for r in known:
        assert r.variance is None or r.variance >= 0


@given(REPORTED, st.randoms(use_true_random=False))
def test_the_order_of_the_reports_does_not_matter(reports, rng):
    stations = list(reports)
    rng.shuffle(stations)
    shuffled = {s: reports[s] for s in stations}
    assert estimate(shuffled, stations_in_frame=100) == estimate(reports, stations_in_frame=100)
