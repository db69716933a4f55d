"""Regression on official results: the 2023 Anbar council (final results, 28 December
2023), read from the reference data kept with the tests (tests/data/reference),
not from the package's copy."""

import csv
from pathlib import Path

from shafaf.core.allocation import Allocation, allocate
from shafaf.core.contest import Contest, ElectoralList, ListId
from shafaf.core.laws import get

DATA = Path(__file__).resolve().parents[1] / "data" / "reference"
BUNDLED = Path(__file__).resolve().parents[2] / "src/shafaf/demo_data/gc2023_anbar_final.csv"


def test_anbar_2023_final_results_reproduce_the_official_seats():
    with (DATA / "gc2023_anbar_final.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    law = get("iraq-gc-2023")
    contest = Contest(
        seats=law.districts["IQ-AN"].general_seats,
        lists=tuple(ElectoralList(list_id=ListId(r["list_id"]), votes=int(r["votes"]))
                    for r in rows),
    )
    result = allocate(contest, rules=law.rules)
    assert isinstance(result, Allocation)
    assert {lst.list_id: lst.seats for lst in result.lists} == {
        r["list_id"]: int(r["official_seats"]) for r in rows}
    assert result.ties == ()


def test_the_demo_ships_the_reference_data_unchanged():
    assert BUNDLED.read_bytes() == (DATA / "gc2023_anbar_final.csv").read_bytes()
