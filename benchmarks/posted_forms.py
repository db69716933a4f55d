"""How fast observers' copies of posted forms are compared with a large published
governorate (docs/observation-posted-forms.md).

A Baghdad-sized publication, synthetic: ``--stations`` stations (default 8,000) in
``forms.csv``, and in ``votes.csv`` a row per station, list and candidate with votes
(``--lists`` lists of ``--candidates`` candidates, each list-alone row too: 8,000 ×
30 × 20 is about 5 million rows, some 140 MB), sorted by station as a publication
writes it. Timed, median of ``--rounds`` after one warm-up:

1. **lookup**: ``shafaf.core.posted_forms.published_station_counts`` for ``--reports``
   stations (default 200, a large organisation's copies in one governorate): each
   station's vote rows found by bisection. Target (Shafaf's): under 100 ms, so the
   coordinators' page answers in a moment whatever the governorate's size.
2. **compare**: ``compare`` of each copy (one list in ten differing) with its station.
3. For reference, reading the whole ``votes.csv`` with the csv module (what a page
   that parsed the file would pay on every view).

Run it from the project root (no database)::

    .venv/bin/python benchmarks/posted_forms.py
    .venv/bin/python benchmarks/posted_forms.py --stations 2000 --rounds 3

Figures are printed, never asserted; it exits 1 only if a sanity check fails (a
lookup that disagrees with the full read).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from shafaf.core import posted_forms

FORM_HEADER = ("station_id,registered,voted,ballots_received,ballots_in_box,"
               "ballots_spoiled,ballots_unused,invalid,valid\n")


def publication(stations: int, lists: int, candidates: int) -> tuple[bytes, bytes, list[str]]:
    rng = random.Random(2023)
    codes = [f"BG{1 + n // 8:05d}-{1 + n % 8:02d}" for n in range(stations)]
    forms, votes = [FORM_HEADER], ["station_id,list_id,candidate_id,votes\n"]
    for code in codes:  # already in order
        valid = 0
        for lst in range(1, lists + 1):
            for cand in range(candidates + 1):
                count = rng.randrange(0, 40)
                valid += count
                votes.append(f"{code},{lst},{f'{lst}-{cand}' if cand else ''},{count}\n")
        forms.append(f"{code},600,{valid + 10},{valid + 60},{valid + 10},5,45,10,{valid}\n")
    return "".join(forms).encode(), "".join(votes).encode(), codes


def median_ms(work, rounds: int) -> float:
    work()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=8000)
    parser.add_argument("--lists", type=int, default=30)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    forms, votes, codes = publication(args.stations, args.lists, args.candidates)
    made = time.perf_counter() - started
    rows = votes.count(b"\n") - 1
    print(f"Publication: {args.stations:,} stations, {rows:,} vote rows, "
          f"{len(votes) / 1e6:.0f} MB of votes.csv (made in {made:.1f} s)")
    rng = random.Random(7)
    chosen = sorted(rng.sample(codes, min(args.reports, len(codes))))

    found: dict[str, posted_forms.StationCount] = {}

    def lookup() -> None:
        found.update(posted_forms.published_station_counts(
            forms_csv=forms, votes_csv=votes, stations=chosen))

    lookup_ms = median_ms(lookup, args.rounds)
    copies = {}
    for code in chosen:
        lists = dict(found[code].lists or {})
        for list_id in list(lists)[::10]:
            lists[list_id] += 1
        copies[code] = posted_forms.StationCount(
            **{item: found[code].number(item) for item in posted_forms.NUMBERS}, lists=lists)

    def compare() -> None:
        for code in chosen:
            posted_forms.compare(transcribed=copies[code], published=found[code])

    compare_ms = median_ms(compare, args.rounds)
    started = time.perf_counter()
    totals: dict[str, dict[str, int]] = {}
    for row in csv.DictReader(io.StringIO(votes.decode())):
        if row["station_id"] in found:
            per = totals.setdefault(row["station_id"], {})
            per[row["list_id"]] = per.get(row["list_id"], 0) + int(row["votes"])
    full_ms = (time.perf_counter() - started) * 1000
    if totals != {code: dict(c.lists or {}) for code, c in found.items()}:
        print("SANITY CHECK FAILED: the bisection disagrees with the full read")
        return 1
    print(f"lookup of {len(chosen)} stations by bisection: {lookup_ms:.1f} ms "
          f"(target: under 100 ms)")
    print(f"compare {len(chosen)} copies: {compare_ms:.1f} ms")
    print(f"for reference, reading the whole votes.csv: {full_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
