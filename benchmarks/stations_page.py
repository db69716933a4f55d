"""The polling-station list page under load, on PostgreSQL.

What it measures: the staff page /staff/stations/ (paginated, 50 a page, with
random page numbers, a governorate filter and searches), served exactly as in
production (`shafaf serve`: gunicorn, production settings, WhiteNoise) from a
PostgreSQL database holding the demo's 35,560 synthetic stations. Every client
is logged in with its own session and keeps its connection alive.

1. **20 concurrent users**, each reading a page for 0.5-1.5 s before the next
   request, as staff paging through stations do, once every server worker is
   warm. Target: median under 50 ms, 99th percentile under 200 ms.
2. **Saturation**: the same 20 clients with no pause at all, to show the
   capacity of this machine (requests per second). With closed-loop clients the
   latency there is simply clients / throughput, so it has no target.

    .venv/bin/python benchmarks/stations_page.py [--requests 600] [--clients 20]

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


def client_loop(cookie: str, todo: list[str], timings: list[float], errors: list[str],
                think: random.Random | None = None) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    for path in todo:
        if think is not None:
            time.sleep(think.uniform(0.5, 1.5))
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200 or b"<table" not in body:
            errors.append(f"{path}: HTTP {response.status}")
        timings.append(elapsed)
    conn.close()


def run_phase(name: str, cookies: list[str], rng: random.Random, requests: int,
              errors: list[str], think: bool) -> tuple[list[float], float]:
    per_client = requests // len(cookies)
    timings: list[float] = []
    threads = [threading.Thread(
        target=client_loop,
        args=(cookie, paths(rng, per_client), timings, errors,
              random.Random(f"{name}-{n}") if think else None))
        for n, cookie in enumerate(cookies)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    return timings, time.perf_counter() - started


def percentiles(timings: list[float]) -> tuple[float, float, float]:
    """Median, 95th and 99th percentiles of sorted timings, in milliseconds."""
    def at(share: float) -> float:
        return timings[max(0, int(len(timings) * share) - 1)] * 1000
    return statistics.median(timings) * 1000, at(0.95), at(0.99)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=600)
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
        [sys.executable, "-m", "shafaf", "serve", "--port", str(PORT)],  # its defaults
        env={**os.environ, **env, "SHAFAF_ENV": "production"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(PORT)
        rng = random.Random(35560)
        # Warm every worker (templates compiled, catalogues loaded) before measuring.
        run_phase("warm-up", cookies, rng, 10 * len(cookies), [], think=False)
        errors: list[str] = []
        results = [run_phase(name, cookies, rng, args.requests, errors, think)
                   for name, think in (("users", True), ("saturation", False))]
    finally:
        server.terminate()
        server.wait(timeout=30)

    (timings, wall), (saturated, saturated_wall) = results
    median, p95, p99 = percentiles(timings)
    ok = median < 50 and p99 < 200
    print(f"station list page, PostgreSQL, {args.clients} concurrent users reading "
          f"0.5-1.5 s between pages: {len(timings)} requests in {wall:.1f} s")
    print(f"  median {median:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max "
          f"{timings[-1] * 1000:.1f} ms (target median < 50 ms, p99 < 200 ms): "
          f"{'OK' if ok else 'MISSED'}")
    s_median, _, s_p99 = percentiles(saturated)
    print(f"saturation, {args.clients} clients without pause: "
          f"{len(saturated) / saturated_wall:.0f} requests/s on this machine; median "
          f"{s_median:.0f} ms, p99 {s_p99:.0f} ms (no target: latency = clients / throughput)")
    if errors:
        print(f"  {len(errors)} failed requests, e.g. {errors[:3]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
