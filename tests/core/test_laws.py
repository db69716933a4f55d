"""The law profiles and the seat tables they ship."""

from pathlib import Path

import pytest

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
