"""How fast stations are filled from the register, and the station voter lists printed.

On ``--voters`` synthetic voters (default 1,620,000 on PostgreSQL, CI's size; SQLite
at most 1 million) spread over the demo's synthetic polling centres, plus one big
centre of 9,000 voters (20 stations of 450):

1. **Fill**: ``shafaf.register.stations.assign_stations`` over every centre of an
   empty set of assignments (stations created, every voter placed).
2. **Again**: the same a second time (nothing changes: the cost of checking).
3. **One station's list**: the posted list of one station of 450 voters, as PDF.
4. **A big centre's lists**: the polling-day lists of the 9,000-voter centre, one PDF.
5. **Peak memory** of the measuring process (the import before it included).

The register is loaded first with ``import_voters`` (not timed here: see
register_import.py). ``--full`` runs the national size (16.2 million) on PostgreSQL
only. The figures are printed, nothing is asserted. PostgreSQL is the server of
BENCHMARK_DATABASE_URL (see bench_database.py), in a database of its own dropped
at the end.

    .venv/bin/python benchmarks/register_stations.py
    .venv/bin/python benchmarks/register_stations.py --full
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_database import benchmark_database, server_url, unreachable
from register_import import FAMILY, NAMES, write_register

MEASURE = "--measure"
CI_REGISTER = 1_620_000
FULL_REGISTER = 16_200_000
SQLITE_MAX = 1_000_000
BIG_CENTRE = "BENCH-BIG"
BIG_VOTERS = 9_000


def append_big_centre(path: Path) -> None:
    rng = random.Random(450)
    with path.open("a", encoding="utf-8") as out:
        for number in range(BIG_VOTERS):
            out.write(f"{900_000_000 + number},{rng.choice(NAMES)},{rng.choice(NAMES)},"
                      f"{rng.choice(NAMES)},{rng.choice(FAMILY)},"
                      f"{rng.choice(NAMES)} {rng.choice(NAMES)},{rng.choice('FM')},"
                      f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02}-"
                      f"{rng.randint(1, 28):02},{BIG_CENTRE}\n")


def measure(voters: int, data_dir: str) -> dict[str, float | int]:
    """In a process of its own, with the environment naming the database."""
    import django

    django.setup()
    import io
    import resource

    from django.core.management import call_command

    from shafaf.elections import actions
    from shafaf.elections.demo_stations import places_of, synthetic_files
    from shafaf.elections.models import PollingCentre
    from shafaf.register import voter_lists
    from shafaf.register.actions import import_voters
    from shafaf.register.stations import assign_stations

    call_command("migrate", interactive=False, verbosity=0)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    files = synthetic_files(places_of(election))
    actions.import_geography(actor=None, name="geography.csv", content=files.geography.encode())
    actions.import_stations(actor=None, election=election, name="stations.csv",
                            content=files.stations.encode())
    first = PollingCentre.objects.order_by("code").first()
    assert first is not None
    big = PollingCentre.objects.create(election=election, code=BIG_CENTRE,
                                       name_ar="مركز كبير للقياس",
                                       sub_district=first.sub_district,
                                       governorate=first.governorate)
    path = Path(data_dir) / "register.csv"
    write_register(path, voters, sorted(PollingCentre.objects.exclude(pk=big.pk)
                                        .values_list("code", flat=True)))
    append_big_centre(path)
    started = time.perf_counter()
    with path.open("rb") as content:
        import_voters(actor=None, election=election, name=path.name, content=content)
    result: dict[str, float | int] = {"load": time.perf_counter() - started,
                                      "centres": PollingCentre.objects.count()}

    def timed() -> tuple[float, int, int]:
        started = time.perf_counter()
        summary = assign_stations(actor=None, election=election)
        return time.perf_counter() - started, summary.stations, summary.voters_moved

    result["fill"], result["stations"], result["moved"] = timed()
    result["again"], _stations, result["moved_again"] = timed()

    started = time.perf_counter()
    one = voter_lists.print_lists(actor=None, centre=big, kind=voter_lists.Kind.POSTED,
                                  out=io.BytesIO(), station=1)
    result["station_pdf"], result["station_voters"] = time.perf_counter() - started, one.voters
    result["station_pages"] = one.pages
    out = io.BytesIO()
    started = time.perf_counter()
    whole = voter_lists.print_lists(actor=None, centre=big, kind=voter_lists.Kind.POLLING_DAY,
                                    out=out)
    result["centre_pdf"], result["centre_voters"] = time.perf_counter() - started, whole.voters
    result["centre_pages"], result["centre_mb"] = whole.pages, len(out.getvalue()) / 1e6
    result["centre_stations"] = whole.stations
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return result


def run_measurement(voters: int, database_url: str | None) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="shafaf-bench-") as data_dir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shafaf.web.settings.development",
               "SHAFAF_DATA_DIR": data_dir, "SHAFAF_VOTERS_PER_STATION": "450"}
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        done = subprocess.run([sys.executable, __file__, MEASURE, "--voters", str(voters),  # noqa: S603
                               "--data-dir", data_dir], env=env, check=True,
                              capture_output=True, text=True)
    result: dict[str, float | int] = json.loads(done.stdout.splitlines()[-1])
    return result


def report(name: str, voters: int, r: dict[str, float | int]) -> None:
    total = voters + BIG_VOTERS
    print(f"{name:<11} {total:,} voters in {r['centres']:,} centres (loaded in "
          f"{r['load']:.1f} s)")
    print(f"{'':<11} fill {r['fill']:.2f} s ({total / float(r['fill']):,.0f} voters/s): "
          f"{r['stations']:,} stations, {r['moved']:,} voters placed;   again "
          f"{r['again']:.2f} s, {r['moved_again']} moved")
    print(f"{'':<11} one station's list: {r['station_voters']} voters, "
          f"{r['station_pages']} pages in {r['station_pdf']:.2f} s;   the big centre's: "
          f"{r['centre_voters']:,} voters, {r['centre_stations']} stations, "
          f"{r['centre_pages']} pages, {r['centre_mb']:.1f} MB in {r['centre_pdf']:.1f} s;"
          f"   peak {r['peak_mb']} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(MEASURE, action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--voters", type=int, default=CI_REGISTER)
    parser.add_argument("--full", action="store_true",
                        help="the national register (16.2 million) on PostgreSQL only")
    args = parser.parse_args()
    voters = FULL_REGISTER if args.full else args.voters
    if args.measure:
        print(json.dumps(measure(args.voters, args.data_dir)))
        return 0
    print(f"Filling stations (at most 450 voters each) for {voters:,} synthetic voters, and "
          "printing station voter lists")
    if not args.full:
        sqlite = min(voters, SQLITE_MAX)
        report("SQLite", sqlite, run_measurement(sqlite, None))
    server = server_url()
    why_not = unreachable(server)
    if why_not:
        print(f"PostgreSQL  skipped: {why_not} ({server})")
        return 0
    with benchmark_database("register_stations", server) as postgres:
        report("PostgreSQL", voters, run_measurement(voters, postgres))
    return 0


if __name__ == "__main__":
    sys.exit(main())
