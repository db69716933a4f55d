"""``shafaf demo``: the Anbar 2023 council allocation, checked against the official seats.

The bundled file holds the final 2023 totals of the seven lists that won seats
in Anbar (16 general seats); losing lists are absent, which cannot change the
result since each fell below the last winning quotient.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from importlib import resources

from shafaf.cli.allocate import print_report
from shafaf.cli.table import render
from shafaf.core import laws
from shafaf.core.allocation import Allocation, allocate
from shafaf.core.contest import Contest, ElectoralList, ListId

DATA = "demo_data/gc2023_anbar_final.csv"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo", help="allocate Anbar 2023 and compare with the official seats",
        description="Allocate the 2023 Anbar council from its final results and compare "
                    "with the official seats. Exit status 1 if any list differs.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = resources.files("shafaf").joinpath(DATA).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    law = laws.get("iraq-gc-2023")
    district = law.districts["IQ-AN"]
    contest = Contest(
        seats=district.general_seats,
        lists=tuple(ElectoralList(list_id=ListId(r["list_id"]), votes=int(r["votes"]))
                    for r in rows),
    )
    result = allocate(contest, rules=law.rules)
    if not isinstance(result, Allocation):  # the official figures hold no tie
        print(f"shafaf demo: unexpected tie: {result.tie}", file=sys.stderr)
        return 1
    names = {r["list_id"]: r["name_ar"] for r in rows}
    print_report(result, law=law, district=district, names=names, fmt="text")

    computed = {lst.list_id: lst.seats for lst in result.lists}
    table = []
    matches = 0
    for r in rows:
        official = int(r["official_seats"])
        ok = computed[ListId(r["list_id"])] == official
        matches += ok
        table.append([r["list_id"], f"{int(r['votes']):,}", str(computed[ListId(r["list_id"])]),
                      str(official), "yes" if ok else "NO", r["name"], r["name_ar"]])
    print("\nComparison with the official 2023 seats (IHEC final results, 28 December 2023)")
    print(render(["List", "Votes", "Computed", "Official", "Match", "Name", "الاسم"], table,
                 numeric=[False, True, True, True]))
    verdict = "match" if matches == len(rows) else "DIFFER"
    print(f"\n{matches} of {len(rows)} lists {verdict} the official seats.")
    return 0 if matches == len(rows) else 1
