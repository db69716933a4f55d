"""The law profiles and the seat tables they ship."""

from pathlib import Path

import pytest

from shafaf.core.allocation import Allocation, allocate
from shafaf.core.contest import Contest, ElectoralList, ListId
from shafaf.core.laws import PROFILES, get
from shafaf.core.laws.profile import SourceStatus

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference" / "iraq_governorates.csv"
PACKAGED = Path(__file__).resolve().parents[2] / "src/shafaf/core/laws/data/iraq_governorates.csv"


def test_the_2023_councils_have_275_general_10_component_seats_and_75_women():
    law = get("iraq-gc-2023")
    districts = law.districts.values()
    assert len(law.districts) == 15
    assert sum(d.general_seats for d in districts) == 275
    assert sum(sum(d.component_seats.values()) for d in districts) == 10
    assert sum(law.rules.women_quota.target.target(d.general_seats) for d in districts) == 75
    assert law.districts["IQ-BG"].component_seats == {
        "christian": 1, "sabean_mandaean": 1, "faili_kurd": 1}
    assert law.districts["IQ-DQ"].seats_status is SourceStatus.INFERRED


def test_the_packaged_seat_table_is_the_reference_data():
    assert PACKAGED.read_bytes() == REFERENCE.read_bytes()


def test_krg_2024_has_100_seats_and_30_for_women():
    law = get("krg-2024")
    districts = law.districts.values()
    assert sum(d.general_seats + sum(d.component_seats.values()) for d in districts) == 100
    assert sum(law.rules.women_quota.target.target(d.general_seats) for d in districts) == 30


def test_every_profile_cites_sources_and_flags_its_interpretations():
    for profile in PROFILES.values():
        assert profile.sources
        assert any(f.status is not SourceStatus.CONFIRMED for f in profile.flags)


def test_unknown_law_names_the_known_ones():
    with pytest.raises(KeyError, match="iraq-gc-2023"):
        get("iraq-gc-2019")


def test_each_profile_is_filed_under_its_own_code():
    assert sorted(PROFILES) == ["iraq-cor-2021", "iraq-gc-2023", "krg-2024"]
    for code in PROFILES:
        assert code in PROFILES
        assert PROFILES[code].code == code
        assert get(code) is PROFILES[code]
    assert "iraq-gc-2019" not in PROFILES
    assert len(PROFILES) == len(list(PROFILES.values())) == 3


def test_the_2023_councils_give_seats_by_sainte_lague_with_a_first_divisor_of_1_7():
    # 470, 170, 90, 80 votes for 7 seats. Quotients (first divisor 1.7, then 3, 5, 7, 9):
    #   A 276.47* 156.67* 94.00* 67.14* 52.22 | B 100.00* 56.67* | C 52.94* | D 47.06
    # → A4 B2 C1 D0. A first divisor of 1.0 or 1.4 seats D (80 or 57.14 > B's 56.67):
    # A4 B1 C1 D1; 1.9 leaves C out (47.37 < 52.22): A5 B2; d'Hondt gives A5 B1 C1
    # (tests/core/test_divisor.py works each one out).
    contest = Contest(seats=7, lists=tuple(
        ElectoralList(list_id=ListId(name), votes=count)
        for name, count in {"A": 470, "B": 170, "C": 90, "D": 80}.items()))
    result = allocate(contest, rules=get("iraq-gc-2023").rules)
    assert isinstance(result, Allocation)
    assert {lst.list_id: lst.seats for lst in result.lists} == {"A": 4, "B": 2, "C": 1, "D": 0}
