"""The demo's synthetic register: labelled so, in its reserved range, the same every
run, and enough for "where do I vote" to show a centre with an address and a station."""

from __future__ import annotations

from shafaf.register import demo
from shafaf.register.lookup import Place, lookup
from shafaf.register.models import Voter


def test_the_synthetic_register_is_labelled_reserved_and_the_same_every_run(stations):
    first = demo.create_register(stations, voters=200)
    assert first.created == 200
    numbers = set(Voter.objects.values_list("voter_number", flat=True))
    assert numbers == {str(demo.NUMBER_BASE + i) for i in range(1, 201)}
    assert all(name.endswith(demo.SYNTHETIC)
               for name in Voter.objects.values_list("mother_name", flat=True))
    before = list(Voter.objects.order_by("pk").values_list("voter_number", "birth_date",
                                                            "centre_id", "station_id"))
    again = demo.create_register(stations, voters=200)
    assert again.created == 0
    assert list(Voter.objects.order_by("pk").values_list(
        "voter_number", "birth_date", "centre_id", "station_id")) == before


def test_the_showcase_voters_find_a_centre_with_an_address_and_a_station(stations):
    register = demo.create_register(stations, voters=200)
    assert len(register.showcase) == 2  # the first centre of Basra and of Kirkuk
    for number, year, centre, station in register.showcase:
        place = lookup(number, year, address="192.0.2.1")
        assert isinstance(place, Place)
        assert place.centre_code == centre
        assert place.station_number == station
        assert station is not None
        assert "(تجريبي)" in place.address
        assert place.map_link
