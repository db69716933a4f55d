"""How fast the final register's canonical hash is computed (``shafaf register hash``,
and the finalisation, docs/register-exhibition.md).

The register is written straight into the voters' table with one set-wise statement
(the import has its own benchmark): ``--voters`` synthetic voters (default 1.62
million on PostgreSQL, a tenth of the national register; 1 million on SQLite),
spread over the demo's polling centres. Then
:func:`shafaf.register.finalising.canonical_hash` streams them in voter-number order
and hashes the canonical listing. Printed: the seconds, the rate, and the measuring
process's peak memory (it stays flat: the listing is streamed, never held). Nothing
is asserted. PostgreSQL is the server of BENCHMARK_DATABASE_URL (bench_database.py),
in a database of its own dropped at the end.

    .venv/bin/python benchmarks/register_finalise.py
    .venv/bin/python benchmarks/register_finalise.py --full     # 16.2 million, PostgreSQL
"""
# ruff: noqa: S608

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from bench_database import benchmark_database, server_url, unreachable

MEASURE = "--measure"
FULL_REGISTER = 16_200_000
POSTGRES_VOTERS = 1_620_000
SQLITE_VOTERS = 1_000_000
NAMES = ["محمد", "أحمد", "علي", "حسين", "فاطمة", "زينب", "مصطفى", "مريم", "إبراهيم",
         "عبد الله", "نور الهدى", "آمنة", "ئازاد", "ژیان", "گوران", "کاروان"]


def _fill(voters: int) -> None:
    """``voters`` voters written by the database itself, names picked by number."""
    from django.db import connection

    from shafaf.elections.models import PollingCentre

    centres = list(PollingCentre.objects.values_list("pk", "governorate_id"))
    names = ", ".join(f"'{name}'" for name in NAMES)
    count = len(NAMES)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_centres (n integer, centre integer, "
                       "governorate integer)")
        cursor.executemany("INSERT INTO bench_centres VALUES (%s, %s, %s)",
                           [(n, pk, governorate) for n, (pk, governorate) in enumerate(centres)])
        if connection.vendor == "postgresql":
            numbers = f"SELECT generate_series(0, {voters - 1}) AS i"
            pick = f"(ARRAY[{names}])[1 + (EXPR %% {count})]"
            day = "DATE '1940-01-01' + ((i %% 23000) * 7919 %% 23000)"
        else:
            numbers = (f"WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s "
                       f"WHERE i < {voters - 1}) SELECT i FROM s")
            pick = f"json_extract(json_array({names}), '$[' || (EXPR %% {count}) || ']')"
            day = "date('1940-01-01', '+' || ((i %% 23000) * 7919 %% 23000) || ' days')"

        def name(expression: str) -> str:
            return pick.replace("EXPR", expression)

        cursor.execute(
            "INSERT INTO register_voter (voter_number, first_name, father_name, "
            "grandfather_name, family_name, mother_name, sex, birth_date, governorate_id, "
            "centre_id, category, card_kind, status, removal_reason, sort_key, created, "
            "updated) "
            f"SELECT CAST(100000000 + (CAST(i AS bigint) * 48271 %% 2147483647) %% 900000000 "
            "AS text) "
            f"|| '-' || i, {name('i')}, {name('(i / 7)')}, {name('(i / 11)')}, "
            f"{name('(i / 13)')}, {name('(i / 17)')} || ' ' || {name('(i / 19)')}, "
            f"CASE WHEN i %% 2 = 0 THEN 'F' ELSE 'M' END, {day}, c.governorate, c.centre, "
            "'general', 'biometric', 'active', '', '', %s, %s "
            f"FROM ({numbers}) AS numbers JOIN bench_centres c ON c.n = i %% {len(centres)}",
            [now := _now(), now])


def _now() -> object:
    from django.utils import timezone

    return timezone.now()


def measure(voters: int) -> dict[str, float | int]:
    """In a process of its own, with the environment naming the database."""
    import resource

    import django

    django.setup()
    from django.core.management import call_command

    from shafaf.elections import actions
    from shafaf.elections.demo_stations import places_of, synthetic_files
    from shafaf.register.finalising import canonical_hash

    call_command("migrate", interactive=False, verbosity=0)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    files = synthetic_files(places_of(election))
    actions.import_geography(actor=None, name="geography.csv", content=files.geography.encode())
    actions.import_stations(actor=None, election=election, name="stations.csv",
                            content=files.stations.encode())
    started = time.perf_counter()
    _fill(voters)
    filled = time.perf_counter() - started
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    started = time.perf_counter()
    sha256, counted = canonical_hash(election)
    seconds = time.perf_counter() - started
    return {"fill": filled, "hash": seconds, "voters": counted, "sha256": sha256,
            "before_mb": before,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def run_measurement(voters: int, database_url: str | None) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="shafaf-bench-") as data_dir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shafaf.web.settings.development",
               "SHAFAF_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        done = subprocess.run([sys.executable, __file__, MEASURE, "--voters", str(voters)],  # noqa: S603
                              env=env, check=False, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    result: dict[str, float | int] = json.loads(done.stdout.splitlines()[-1])
    return result


def report(name: str, result: dict[str, float | int]) -> None:
    voters = int(result["voters"])
    seconds = float(result["hash"])
    print(f"{name:<11} {voters:>11,} voters hashed in {seconds:>7.2f} s "
          f"({voters / seconds:>9,.0f} voters/s)   peak {result['peak_mb']} MB "
          f"(before hashing {result['before_mb']} MB)   "
          f"[written in {float(result['fill']):.1f} s]")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(MEASURE, action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--voters", type=int, default=None,
                        help=f"voters (default {POSTGRES_VOTERS:,} on PostgreSQL, "
                             f"{SQLITE_VOTERS:,} on SQLite)")
    parser.add_argument("--full", action="store_true",
                        help="the national register, 16.2 million, on PostgreSQL only")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.voters)))
        return 0
    if not args.full:
        report("SQLite", run_measurement(min(args.voters or SQLITE_VOTERS, SQLITE_VOTERS),
                                         None))
    server = server_url()
    why_not = unreachable(server)
    if why_not:
        print(f"PostgreSQL  skipped: {why_not} ({server})")
        return 0
    voters = FULL_REGISTER if args.full else args.voters or POSTGRES_VOTERS
    with benchmark_database("register_finalise", server) as postgres:
        report("PostgreSQL", run_measurement(voters, postgres))
    return 0


if __name__ == "__main__":
    sys.exit(main())
