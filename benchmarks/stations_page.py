"""The polling-station list page under load, on PostgreSQL.

What it measures: the staff page /staff/stations/ (paginated, 50 a page, with
random page numbers and searches), served exactly as in production (`shafaf
serve`: gunicorn, production settings, WhiteNoise) from a PostgreSQL database
holding the demo's 35,560 synthetic stations, hit by 20 concurrent clients, each
logged in with its own session and keeping its connection alive.

Target: median under 50 ms and 99th percentile under 200 ms.

    .venv/bin/python benchmarks/stations_page.py [--requests 1500] [--clients 20]

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/shafaf_bench_page;
the database is dropped and created anew). Prints its figures; exits 0 whatever
the timings, 1 only if the server fails to answer correctly.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/shafaf_bench_page"
SECRET = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PORT = 8765


def recreate_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict[str, str], clients: int) -> list[str]:
    """Load the demo data and log in ``clients`` sessions; return their cookies."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shafaf.web.settings.production"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from shafaf.accounts.demo import ensure_demo_users
    from shafaf.accounts.models import User
    from shafaf.elections import actions
    from shafaf.elections.demo_stations import load_demo_stations

    call_command("migrate", verbosity=0, interactive=False)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    started = time.perf_counter()
    print(load_demo_stations(election=election, progress=False))
    print(f"  loaded in {time.perf_counter() - started:.1f} s")
    ensure_demo_users()
    admin = User.objects.get(username="admin")
    cookies = []
    for _ in range(clients):
        client = Client()
        client.force_login(admin)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}")
    return cookies


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def paths(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            out.append(f"/staff/stations/?page={rng.randint(1, 711)}")
        elif roll < 0.8:
            out.append(f"/staff/stations/?governorate=IQ-BG&page={rng.randint(1, 100)}")
        else:
            out.append(f"/staff/stations/?q={rng.randint(1, 9999):04d}")
    return out


def client_loop(cookie: str, todo: list[str], timings: list[float], errors: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    for path in todo:
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200 or b"<table" not in body:
            errors.append(f"{path}: HTTP {response.status}")
        timings.append(elapsed)
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    data_dir = tempfile.mkdtemp(prefix="shafaf-bench-")
    env = {"DATABASE_URL": url, "SHAFAF_SECRET_KEY": SECRET,
           "SHAFAF_ALLOWED_HOSTS": "127.0.0.1,localhost", "SHAFAF_HTTPS": "0",
           "SHAFAF_DATA_DIR": data_dir}
    cookies = prepare(env, args.clients)

    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "shafaf", "serve", "--port", str(PORT), "--workers", "2",
         "--threads", "8"],
        env={**os.environ, **env, "SHAFAF_ENV": "production"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(PORT)
        rng = random.Random(35560)
        warm: list[float] = []
        client_loop(cookies[0], paths(rng, 40), warm, [])
        per_client = args.requests // args.clients
        timings: list[float] = []
        errors: list[str] = []
        threads = [threading.Thread(target=client_loop,
                                    args=(cookie, paths(rng, per_client), timings, errors))
                   for cookie in cookies]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    timings.sort()
    median = statistics.median(timings) * 1000
    p95 = timings[int(len(timings) * 0.95) - 1] * 1000
    p99 = timings[int(len(timings) * 0.99) - 1] * 1000
    ok = median < 50 and p99 < 200
    print(f"station list page, PostgreSQL, {args.clients} concurrent clients, "
          f"{len(timings)} requests in {wall:.1f} s ({len(timings) / wall:.0f} req/s)")
    print(f"  median {median:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max "
          f"{timings[-1] * 1000:.1f} ms (target median < 50 ms, p99 < 200 ms): "
          f"{'OK' if ok else 'MISSED'}")
    if errors:
        print(f"  {len(errors)} failed requests, e.g. {errors[:3]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
