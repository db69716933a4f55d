"""How a centre's voters fill its stations: as few stations as the maximum allows,
contiguous runs as even as possible, never above the maximum."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.core.station_filling import fill, station_of


def test_a_centre_with_no_voters_needs_no_station():
    filling = fill(0, 450)
    assert (filling.stations, filling.sizes(), filling.runs(), filling.largest()) == (
        0, (), (), 0)


def test_exactly_the_maximum_is_one_full_station():
    assert fill(450, 450).sizes() == (450,)


def test_one_over_the_maximum_splits_into_two_even_stations():
    assert fill(451, 450).sizes() == (226, 225)
    assert fill(451, 450).runs() == ((1, 226), (227, 451))


def test_the_longer_stations_come_first_and_differ_by_one():
    assert fill(1000, 450).sizes() == (334, 333, 333)
    assert fill(7, 3).sizes() == (3, 2, 2)


def test_one_voter():
    assert fill(1, 450).sizes() == (1,)


def test_nonsense_is_refused():
    with pytest.raises(ValueError, match="maximum"):
        fill(10, 0)
    with pytest.raises(ValueError, match="fewer"):
        fill(-1, 450)
    with pytest.raises(ValueError, match="ranks"):
        station_of(0, base=1, longer=0)


@settings(deadline=None)  # a centre of 20,000 voters cut in stations of one
@given(voters=st.integers(0, 20_000), maximum=st.integers(1, 1_000))
def test_every_voter_has_one_place_within_the_maximum(voters, maximum):
    filling = fill(voters, maximum)
    sizes = filling.sizes()
    assert sum(sizes) == voters
    assert all(size <= maximum for size in sizes)
    assert filling.stations == len(sizes)
    # As few stations as possible: one fewer would overflow.
    assert (filling.stations - 1) * maximum < voters or voters == 0
    assert not sizes or max(sizes) - min(sizes) <= 1
    assert list(sizes) == sorted(sizes, reverse=True)
    # The formula the database uses puts each rank in the run that holds it.
    for number, (first, last) in enumerate(filling.runs(), start=1):
        for rank in {first, last}:
            assert station_of(rank, base=filling.base, longer=filling.longer) == number
