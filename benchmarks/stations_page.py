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

A tail is reported only when it rests on at least 50 samples (TAIL_SAMPLES): the
p95 of 1,000 requests rests on 50 of them, the p99 needs 5,000. The users' phase
takes 1,000 requests by default (about a minute of reading pauses), so it reports
the p95 and holds the tail target against it; ``--requests 5000`` gives its p99 in
about five minutes. The saturation phase, which does not pause, takes 5,000 and
reports its p99.

    .venv/bin/python benchmarks/stations_page.py [--requests 1000] [--saturation 5000]
        [--clients 20]

Needs PostgreSQL: a database of its own (``shafaf_bench_stations_page_<random>``) on
the server of BENCHMARK_DATABASE_URL (never DATABASE_URL; see bench_database.py),
dropped at the end. Prints its figures; exits 0 whatever the timings, 1 only if the
server fails to answer correctly.
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

from bench_database import benchmark_database

TAIL_SAMPLES = 50
SECRET = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PORT = 8765


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
        # As the TLS proxy in front of production forwards it (docs/deployment.md).
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1",
                                           "X-Forwarded-Proto": "https"})
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


def percentile(timings: list[float], share: float) -> float | None:
    """The ``share`` percentile of sorted timings in milliseconds, or None when fewer
    than TAIL_SAMPLES requests lie beyond it (a tail resting on a handful of samples
    says nothing)."""
    if len(timings) * (1 - share) < TAIL_SAMPLES:
        return None
    return timings[max(0, int(len(timings) * share) - 1)] * 1000


def tails(timings: list[float]) -> str:
    parts = [f"median {statistics.median(timings) * 1000:.1f} ms"]
    for name, share in (("p95", 0.95), ("p99", 0.99)):
        value = percentile(timings, share)
        parts.append(f"{name} {value:.1f} ms" if value is not None else
                     f"no {name} (would rest on {len(timings) * (1 - share):.0f} samples)")
    return ", ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000,
                        help="requests of the users' phase (default 1000)")
    parser.add_argument("--saturation", type=int, default=5000,
                        help="requests of the saturation phase (default 5000)")
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    with benchmark_database("stations_page") as url:
        return measure(url, args)


def measure(url: str, args: argparse.Namespace) -> int:
    data_dir = tempfile.mkdtemp(prefix="shafaf-bench-")
    env = {"DATABASE_URL": url, "SHAFAF_SECRET_KEY": SECRET,
           "SHAFAF_ALLOWED_HOSTS": "127.0.0.1,localhost", "SHAFAF_PROXY_SSL_HEADER": "1",
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
        results = [run_phase(name, cookies, rng, requests, errors, think)
                   for name, requests, think in (("users", args.requests, True),
                                                 ("saturation", args.saturation, False))]
    finally:
        server.terminate()
        server.wait(timeout=30)

    (timings, wall), (saturated, saturated_wall) = results
    median = statistics.median(timings) * 1000
    # The tail target is for the p99; with too few requests for one, the p95 stands in.
    tail_name, tail = next(((name, value) for name, value in (
        ("p99", percentile(timings, 0.99)), ("p95", percentile(timings, 0.95)))
        if value is not None), ("max", timings[-1] * 1000))
    ok = median < 50 and tail < 200
    print(f"station list page, PostgreSQL, {args.clients} concurrent users reading "
          f"0.5-1.5 s between pages: {len(timings)} requests in {wall:.1f} s")
    print(f"  {tails(timings)}, max {timings[-1] * 1000:.1f} ms")
    print(f"  target median < 50 ms, p99 < 200 ms (judged on the {tail_name}): "
          f"{'OK' if ok else 'MISSED'}")
    print(f"saturation, {args.clients} clients without pause: "
          f"{len(saturated) / saturated_wall:.0f} requests/s on this machine, "
          f"{len(saturated)} requests; {tails(saturated)} "
          f"(no target: latency = clients / throughput)")
    if errors:
        print(f"  {len(errors)} failed requests, e.g. {errors[:3]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
