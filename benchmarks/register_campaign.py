"""How fast the update campaign's public figures and the bulk removal of the
deceased run on PostgreSQL.

What it measures, in a database of its own on the server of BENCHMARK_DATABASE_URL
(see bench_database.py), dropped at the end:

1. **Figures page**: ``/register/campaign/`` rendered (two grouped counts, three SVG
   charts and their tables) over ``--requests`` synthetic requests
   (``shafaf.register.campaign_demo``; default 100,000, CI's size; the issue's size
   is 500,000): the first render and the best of three.
2. **CSV**: ``/register/campaign/figures.csv`` over the same requests.
3. **Bulk removal**: ``remove_deceased`` of a file of ``--deaths`` rows (default
   100,000) naming voters of a register of the same size: read, checked, and every
   voter removed with its history and its request, in one transaction.

The figures are printed, nothing is asserted.

    .venv/bin/python benchmarks/register_campaign.py
    .venv/bin/python benchmarks/register_campaign.py --requests 500000
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

MEASURE = "--measure"


def _voters(count: int) -> None:
    """``count`` voters in the register, written straight with COPY."""
    from django.db import connection
    from django.utils import timezone

    from shafaf.elections.models import PollingCentre
    from shafaf.register.models import Voter

    centres = list(PollingCentre.objects.values_list("pk", "governorate_id"))
    now = timezone.now().isoformat()
    columns = ("voter_number", "first_name", "father_name", "grandfather_name", "family_name",
               "mother_name", "sex", "birth_date", "governorate_id", "centre_id", "category",
               "card_kind", "status", "removal_reason", "sort_key", "created", "updated")
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {Voter._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
        for n in range(count):
            centre, governorate = centres[n % len(centres)]
            copy.write(f"D{n}\tعلي\tحسين\tكاظم\t\tفاطمة\tM\t1950-01-01\t{governorate}\t"
                       f"{centre}\tgeneral\tbiometric\tactive\t\tkey{n}\t{now}\t{now}\n")


def measure(requests: int, deaths: int) -> dict[str, float]:
    """In a process of its own, with the environment naming the database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from shafaf.accounts.models import User
    from shafaf.elections import actions
    from shafaf.elections.demo_stations import places_of, synthetic_files
    from shafaf.register.campaign import remove_deceased
    from shafaf.register.campaign_demo import create_requests

    call_command("migrate", interactive=False, verbosity=0)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    files = synthetic_files(places_of(election))
    actions.import_geography(actor=None, name="geography.csv", content=files.geography.encode())
    actions.import_stations(actor=None, election=election, name="stations.csv",
                            content=files.stations.encode())
    result: dict[str, float] = {}
    started = time.perf_counter()
    create_requests(election, requests)
    result["create"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client(HTTP_HOST="localhost")

    def timed(url: str) -> float:
        began = time.perf_counter()
        answer = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
        assert answer.status_code == 200, (answer.status_code, answer.content[:300])
        return time.perf_counter() - began

    result["page_first"] = timed("/register/campaign/")
    result["page_best"] = min(timed("/register/campaign/") for _ in range(3))
    result["csv_best"] = min(timed("/register/campaign/figures.csv") for _ in range(3))

    _voters(deaths)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    admin = User.objects.create_user(username="bench", password="a-long-passphrase-9",  # noqa: S106
                                     role="admin")
    content = ("voter_number,death_date,reference\n" + "".join(
        f"D{n},2023-0{1 + n % 9}-1{n % 10},MOH-{n}\n" for n in range(deaths))).encode()
    started = time.perf_counter()
    if os.environ.get("CAMPAIGN_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        summary = profile.runcall(remove_deceased, actor=admin, election=election,
                                  name="deaths.csv", content=content)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    else:
        summary = remove_deceased(actor=admin, election=election, name="deaths.csv",
                                  content=content)
    result["removal"] = time.perf_counter() - started
    assert summary.removed == deaths
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(MEASURE, action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--deaths", type=int, default=100_000)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests, args.deaths)))
        return 0
    server = server_url()
    why_not = unreachable(server)
    if why_not:
        print(f"Campaign figures: PostgreSQL skipped: {why_not} ({server})")
        return 0
    with benchmark_database("register_campaign", server) as url, \
            tempfile.TemporaryDirectory(prefix="shafaf-bench-") as data_dir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shafaf.web.settings.development",
               "SHAFAF_DATA_DIR": data_dir, "DATABASE_URL": url}
        done = subprocess.run([sys.executable, __file__, MEASURE, "--requests",  # noqa: S603
                               str(args.requests), "--deaths", str(args.deaths)],
                              env=env, check=False, capture_output=True, text=True)
    if done.returncode or os.environ.get("CAMPAIGN_PROFILE"):
        print(done.stderr[-8000:], file=sys.stderr)
    if done.returncode:
        return 1
    result = json.loads(done.stdout.splitlines()[-1])
    print(f"Campaign figures over {args.requests:,} requests (PostgreSQL): created in "
          f"{result['create']:.1f} s; page first {result['page_first'] * 1000:.0f} ms, "
          f"best {result['page_best'] * 1000:.0f} ms; CSV best "
          f"{result['csv_best'] * 1000:.0f} ms")
    print(f"Bulk removal of {args.deaths:,} deceased (PostgreSQL): "
          f"{result['removal']:.1f} s ({args.deaths / result['removal']:,.0f} rows/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
