"""How fast a national polling-station file imports, on SQLite and on PostgreSQL.

What it measures: ``shafaf.elections.actions.import_stations`` on the synthetic
stations file of the demo (``shafaf.elections.demo_stations``: 7,166 centres and
35,560 stations, the real totals of the 2023 council election), from the file's
bytes to the committed transaction, parsing and checking every row included:

1. **First import** into an empty election: every centre and station created.
   Target: under 20 s.
2. **Re-import** of the same file: nothing changes and nothing is written.
3. **Every count changed**: the same file with each station's registered voters
   one higher, as after an update of the register (35,560 updates).

Each database is measured in a fresh process of this script (Django's settings are
fixed once per process): SQLite in a new temporary data directory, PostgreSQL in a
new database of its own (``shafaf_bench_imports_<random>``) on the server of
BENCHMARK_DATABASE_URL (never DATABASE_URL; see bench_database.py), dropped at the
end. Generating the file, migrating and loading the geography are outside the timed
region.

Run it from the project root::

    .venv/bin/python benchmarks/imports.py
    BENCHMARK_DATABASE_URL=postgres://user@host:5432/postgres .venv/bin/python benchmarks/imports.py

Timings are printed against the target, never asserted: the script exits 0
whatever they are, and when PostgreSQL cannot be reached it says so and measures
SQLite alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from bench_database import benchmark_database, server_url, unreachable

TARGET_SECONDS = 20.0
MEASURE = "--measure"


def measure() -> dict[str, float | int]:
    """In a process of its own, with the environment naming the database."""
    import django

    django.setup()
    from django.core.management import call_command

    from shafaf.elections import actions
    from shafaf.elections.demo_stations import places_of, synthetic_files
    from shafaf.elections.models import PollingCentre, PollingStation

    call_command("migrate", interactive=False, verbosity=0)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    files = synthetic_files(places_of(election))
    actions.import_geography(actor=None, name="geography.csv",
                             content=files.geography.encode())
    content = files.stations.encode()
    lines = files.stations.splitlines(keepends=True)
    # registered_voters is the last column of the generated file.
    changed = (lines[0] + "".join(f"{line[:line.rindex(',')]},"
                                  f"{int(line[line.rindex(',') + 1:]) + 1}\n"
                                  for line in lines[1:])).encode()

    def timed(data: bytes) -> float:
        started = time.perf_counter()
        actions.import_stations(actor=None, election=election, name="stations.csv",
                                content=data)
        return time.perf_counter() - started

    first = timed(content)
    again = timed(content)
    every = timed(changed)
    return {"first": first, "again": again, "changed": every,
            "centres": PollingCentre.objects.count(),
            "stations": PollingStation.objects.count()}


def run_measurement(database_url: str | None) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="shafaf-bench-") as data_dir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shafaf.web.settings.development",
               "SHAFAF_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        done = subprocess.run([sys.executable, __file__, MEASURE], env=env, check=True,  # noqa: S603
                              capture_output=True, text=True)
    result: dict[str, float | int] = json.loads(done.stdout.splitlines()[-1])
    return result


def report(name: str, result: dict[str, float | int]) -> None:
    first, again, changed = (float(result[k]) for k in ("first", "again", "changed"))
    verdict = "meets" if first < TARGET_SECONDS else "MISSES"
    print(f"{name:<11} {first:>8.2f} s {again:>12.2f} s {changed:>14.2f} s   "
          f"{verdict} the target ({result['centres']:,} centres, "
          f"{result['stations']:,} stations)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(MEASURE, action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return 0
    server = server_url()
    print(f"Importing 35,560 polling stations (7,166 centres); target: first import "
          f"under {TARGET_SECONDS:.0f} s")
    print(f"{'database':<11} {'first':>10} {'re-import':>14} {'every count':>16}")
    report("SQLite", run_measurement(None))
    why_not = unreachable(server)
    if why_not:
        print(f"PostgreSQL  skipped: {why_not} ({server})")
    else:
        with benchmark_database("imports", server) as postgres:
            report("PostgreSQL", run_measurement(postgres))
    return 0


if __name__ == "__main__":
    sys.exit(main())
