"""How fast a parallel vote tabulation's estimate is computed: 1,500 sampled stations
reporting 30 lists each, from a frame of 35,560 stations in 18 strata (issue 13).

What it measures:

1. **core**: ``shafaf.core.pvt_estimate.estimate`` and ``by_stratum`` on the reports
   already in memory (every list's share and exact variance, nationally and in each
   stratum). Target: under 100 ms.
2. **command**: ``shafaf pvt estimate --format json`` in-process, files read and
   checked, with the official result beside it (45,000 report rows). For reference.

Figures are the median of ``--rounds`` runs after one warm-up run. Timings are printed
against their targets, never asserted; the script exits 1 only if a sanity check fails
(a list's shares do not add up to one). Run it from the project root::

    .venv/bin/python benchmarks/pvt_estimate.py
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from shafaf.cli.main import main
from shafaf.core.pvt_estimate import by_stratum, estimate

STATIONS = 35_560
SAMPLE = 1_500
LISTS = 30
STRATA = 18
TARGET_MS = 100.0


def timed(run: Callable[[], object], rounds: int) -> float:
    run()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main_() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(13)
    frame = {f"S{i:05d}": f"G{i % STRATA:02d}" for i in range(STATIONS)}
    sampled = rng.sample(sorted(frame), SAMPLE)
    weights = [rng.random() ** 2 for _ in range(LISTS)]
    lists = [f"L{j:02d}" for j in range(LISTS)]
    reports = {station: dict(zip(lists, (int(rng.random() * 40 * w) for w in weights),
                                 strict=True)) for station in sampled}
    national = estimate(reports, stations_in_frame=STATIONS)
    total = sum(share.ratio.share or 0 for share in national.lists)
    if total != 1:
        print(f"sanity check failed: the shares add up to {total}", file=sys.stderr)
        return 1
    core_ms = timed(lambda: (estimate(reports, stations_in_frame=STATIONS),
                             by_stratum(reports, frame=frame)), args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "frame.csv").write_text(
            "station_id,stratum\n" + "".join(f"{s},{g}\n" for s, g in frame.items()))
        (folder / "reports.csv").write_text("station_id,list_id,votes\n" + "".join(
            f"{s},{lst},{n}\n" for s, counts in reports.items() for lst, n in counts.items()))
        (folder / "official.csv").write_text("list_id,votes\n" + "".join(
            f"{lst},{int(w * 1_000_000)}\n" for lst, w in zip(lists, weights, strict=True)))

        def command() -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                status = main(["pvt", "estimate", "--frame", str(folder / "frame.csv"),
                               "--reports", str(folder / "reports.csv"), "--official",
                               str(folder / "official.csv"), "--format", "json"])
            if status != 0:
                raise SystemExit(f"shafaf pvt estimate exited {status}")

        command_ms = timed(command, max(3, args.rounds // 3))
    verdict = "within" if core_ms < TARGET_MS else "OVER"
    print(f"pvt estimate, {SAMPLE:,} reports × {LISTS} lists, frame of {STATIONS:,} in "
          f"{STRATA} strata:")
    print(f"  core (national + per stratum): {core_ms:7.1f} ms  (target {TARGET_MS:.0f} ms: "
          f"{verdict})")
    print(f"  command, files read and checked, with --official: {command_ms:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
