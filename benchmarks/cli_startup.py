"""How fast the ``shafaf`` command starts and allocates one governorate.

What it measures: the installed console script (``shafaf`` beside this Python), run in
a new process each time as an analyst runs it, end to end (interpreter start, imports,
reading the files, the allocation, the report):

1. ``shafaf allocate --help``. Target: under 150 ms.
2. ``shafaf allocate --law iraq-gc-2023 --governorate IQ-AN --lists <Anbar 2023>``:
   one governorate's allocation from the official 2023 figures (the package's demo
   data). Target: under 150 ms.
3. For reference, the bare interpreter (``python -c pass``) and ``shafaf --help``:
   what no import can save.

Each figure is the wall-clock median of ``--runs`` runs (default 25) after one untimed run that
warms the file cache and compiles the modules; the slowest run is shown too. The
compiled bytecode is kept in a temporary directory (``PYTHONPYCACHEPREFIX``), as an
installed package keeps it beside its modules, even where the environment sets
``PYTHONDONTWRITEBYTECODE``; the allocation is also shown without it, every module
compiled at every start, for comparison. Beside it, the median CPU time (user and
system) of the same runs, which a busy machine inflates far less than the wall
clock. Run it from the project root::

    .venv/bin/python benchmarks/cli_startup.py [--runs 25]

Timings are printed against the target, never asserted: the script exits 0 whatever
they are, and 1 only if a command fails.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 150.0
ANBAR = Path(__file__).resolve().parents[1] / "src/shafaf/demo_data/gc2023_anbar_final.csv"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str], runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of ``runs`` runs of ``argv``, after one untimed
    run."""
    subprocess.run(argv, check=True, capture_output=True, env=env)  # noqa: S603 - our own
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), cpu_seconds()
        subprocess.run(argv, check=True, capture_output=True, env=env)  # noqa: S603
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((cpu_seconds() - cpu_started) * 1000)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="timed runs of each (default 25)")
    args = parser.parse_args()
    runs = max(args.runs, 20)
    shafaf = str(Path(sys.executable).parent / "shafaf")
    allocate = [shafaf, "allocate", "--law", "iraq-gc-2023", "--governorate", "IQ-AN",
                "--lists", str(ANBAR)]
    with tempfile.TemporaryDirectory(prefix="shafaf-bench-pycache-") as cache:
        return measure(shafaf, allocate, cache, runs)


def measure(shafaf: str, allocate: list[str], cache: str, runs: int) -> int:
    compiled = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
                "PYTHONPYCACHEPREFIX": cache}
    uncompiled = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    uncompiled.pop("PYTHONPYCACHEPREFIX", None)
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"], compiled, None),
        ("shafaf --help", [shafaf, "--help"], compiled, None),
        ("shafaf allocate --help", [shafaf, "allocate", "--help"], compiled, TARGET_MS),
        ("shafaf allocate (Anbar)", allocate, compiled, TARGET_MS),
        ("  the same, no bytecode", allocate, uncompiled, None),
    ]
    print(f"The shafaf command, end to end, median of {runs} runs; target under "
          f"{TARGET_MS:.0f} ms")
    for name, argv, env, target in cases:
        try:
            times, cpu = timed(argv, runs, env)
        except subprocess.CalledProcessError as failed:
            print(f"{name}: FAILED with status {failed.returncode}: {failed.stderr!r}")
            return 1
        median = statistics.median(times)
        verdict = ("" if target is None
                   else f"  {'meets' if median < target else 'MISSES'} the target")
        print(f"  {name:<26} {median:7.1f} ms  (max {max(times):7.1f}; CPU "
              f"{statistics.median(cpu):6.1f} ms){verdict}")
    print(f"  ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
