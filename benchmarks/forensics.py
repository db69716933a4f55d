"""How fast the forensics of a whole country's published station results are made:
35,560 stations × 30 lists, in 18 governorates (issue 13).

The files are a results publication's (docs/results-cli.md): ``votes.csv`` with, for
each station and list, the list-alone votes and ``--candidates`` candidate rows (2
unless told: 3.2 million rows; the real national file, every candidate at every
station, is 17.6 million), ``forms.csv`` (registered, voted) and ``stations.csv``
(station_id, governorate). Counts are drawn at random (fixed seed) from an honest
model: turnout around 45%, lists' support varying by governorate.

What it measures, in-process, each the median of ``--rounds`` runs after a warm-up run
(none with ``--rounds 1``, as CI runs it):

1. **last-digit**: ``shafaf forensics last-digit --votes votes.csv --format json``.
2. **report, all stations**: ``shafaf forensics report --votes --forms --out DIR``:
   the country's summary (last digits, round numbers, turnout, fingerprint) and its 3
   SVG plots. Target: under 5 s including the plots.
3. **report, each governorate**: the same with ``--stations``: all stations and each of
   the 18 governorates, 57 SVG plots. For reference.

Timings are printed against the target, never asserted; the script exits 1 only if a
sanity check fails (a command fails, or the digits' frequencies do not add up). The
p-value of these honest counts is printed: it is tiny, because most counts are small
(a list's few votes at a station of a few hundred voters) and the last digits of
counts just above 10 are not uniform: the test's limit at this scale
(docs/forensics.md).
Run it from the project root::

    .venv/bin/python benchmarks/forensics.py [--stations N] [--candidates N]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from shafaf.cli.main import main

LISTS = 30
GOVERNORATES = 18
TARGET_S = 5.0


def write_files(folder: Path, stations: int, candidates: int) -> None:
    rng = random.Random(13)
    support = [[rng.random() ** 3 for _ in range(LISTS)] for _ in range(GOVERNORATES)]
    with (folder / "votes.csv").open("w") as votes, (folder / "forms.csv").open("w") as forms:
        votes.write("station_id,list_id,candidate_id,votes\n")
        forms.write("station_id,registered,voted,ballots_received,ballots_in_box,"
                    "ballots_spoiled,ballots_unused,invalid,valid\n")
        for i in range(stations):
            station = f"S{i:05d}"
            registered = rng.randint(300, 600)
            voted = min(registered, max(0, int(rng.gauss(0.45, 0.1) * registered)))
            weights = support[i % GOVERNORATES]
            scale = voted / sum(weights)
            lines = []
            for j, weight in enumerate(weights):
                list_id = f"L{j:02d}"
                share = [rng.random() for _ in range(candidates + 1)]
                for k, part in enumerate(share):
                    count = int(rng.random() * 2 * weight * scale * part / sum(share))
                    candidate = f"{list_id}-{k}" if k else ""
                    lines.append(f"{station},{list_id},{candidate},{count}\n")
            votes.write("".join(lines))
            forms.write(f"{station},{registered},{voted},{registered},{voted},0,"
                        f"{registered - voted},0,{voted}\n")
    (folder / "stations.csv").write_text("station_id,governorate\n" + "".join(
        f"S{i:05d},G{i % GOVERNORATES:02d}\n" for i in range(stations)))


def timed(run: Callable[[], object], rounds: int) -> tuple[float, float]:
    """The median wall-clock and CPU seconds (DuckDB reads on every core, so CPU can
    exceed wall; on a shared machine wall exceeds CPU). One warm-up run first, unless a
    single round is asked for (CI: the files are read once before, by the sanity check)."""
    if rounds > 1:
        run()
    walls, cpus = [], []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def shafaf(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(argv))
    if status != 0:
        raise SystemExit(f"shafaf {' '.join(argv[:2])} exited {status}")
    return out.getvalue()


def main_() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=35_560)
    parser.add_argument("--candidates", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        write_files(folder, args.stations, args.candidates)
        made = time.perf_counter() - start
        size = (folder / "votes.csv").stat().st_size
        rows = args.stations * LISTS * (args.candidates + 1)
        files = [str(folder / name) for name in ("votes.csv", "forms.csv", "stations.csv")]
        digits = json.loads(shafaf("forensics", "last-digit", "--votes", files[0],
                                   "--format", "json"))
        if digits["counts_used"] != sum(digits["frequencies"]) or not digits["counts_used"]:
            print("sanity check failed: the frequencies do not add up to the counts used",
                  file=sys.stderr)
            return 1
        last_digit_s = timed(functools.partial(
            shafaf, "forensics", "last-digit", "--votes", files[0], "--format", "json"),
            args.rounds)
        national = timed(functools.partial(
            shafaf, "forensics", "report", "--votes", files[0], "--forms", files[1],
            "--out", str(folder / "national")), args.rounds)
        out = folder / "out"
        governorates = timed(functools.partial(
            shafaf, "forensics", "report", "--votes", files[0], "--forms", files[1],
            "--stations", files[2], "--out", str(out)), args.rounds)
        plots = len(list(out.glob("*.svg")))
    last_digit_s, last_digit_cpu = last_digit_s
    verdict = "within" if national[0] < TARGET_S else "OVER"
    print(f"forensics, {args.stations:,} stations × {LISTS} lists in {GOVERNORATES} "
          f"governorates ({rows:,} vote rows, {size / 1e6:.0f} MB; made in {made:.1f} s):")
    print(f"  last-digit (json):      {last_digit_s:6.2f} s wall, {last_digit_cpu:6.2f} s CPU "
          f"(p = {digits['p_value']:.3f})")
    print(f"  report, all stations, 3 SVG plots: {national[0]:6.2f} s wall, {national[1]:6.2f} s "
          f"CPU (target {TARGET_S:.0f} s: {verdict})")
    print(f"  report, all and each governorate, {plots} SVG plots: {governorates[0]:6.2f} s "
          f"wall, {governorates[1]:6.2f} s CPU")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
