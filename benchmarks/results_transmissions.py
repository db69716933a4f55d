"""Signed transmissions under load: ``POST /api/results/transmissions`` through
``shafaf serve`` on PostgreSQL.

1. The 2023 election with N synthetic stations in Kirkuk (default 3,000), three lists
   of twelve candidates standing there, and one counting device per station,
   registered through the import action (``register_devices``) before polling day.
2. Every device's transmission is signed in this process beforehand (the
   ``shafaf-transmission/1`` format, a form of 37 vote rows that adds up).
3. ``shafaf serve`` starts as a real subprocess (production settings, its default
   workers), behind a pretend TLS proxy; C concurrent keep-alive clients (default 20)
   send every station's transmission once, as fast as the server takes them. Prints
   transmissions accepted per second, p50 and p99: each one is checked, logged,
   recorded as a form, settled (adoption moves the running totals) and audited.
4. Then the same bodies again: every one is refused as replayed (and logged). Prints
   that rate too.

    .venv/bin/python benchmarks/results_transmissions.py [--stations 3000] [--clients 20]

No target in the issue. Needs PostgreSQL: a database of its own
(``shafaf_bench_transmission_<random>``) on the server of BENCHMARK_DATABASE_URL,
dropped at the end. Exits 0 whatever the timings, 1 if an answer is wrong or the
totals do not add up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime

from bench_database import benchmark_database

SECRET = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PORT = 8791
PER_CENTRE = 10


def prepare(env: dict[str, str], stations: int) -> list[bytes]:
    """Migrate, load the stations, lists and devices; the signed bodies, one a station."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shafaf.web.settings.production"
    import django

    django.setup()
    from django.core.management import call_command

    from shafaf import signatures
    from shafaf.core import transmission as wire
    from shafaf.elections import actions
    from shafaf.elections.models import (
        District,
        Governorate,
        PollingCentre,
        PollingStation,
        SubDistrict,
    )
    from shafaf.entities.synthetic import create_entities
    from shafaf.results.settlement import BAGHDAD
    from shafaf.results.transmissions import register_devices

    call_command("migrate", verbosity=0, interactive=False)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    kirkuk = Governorate.objects.get(code="IQ-KI")
    district = District.objects.create(governorate=kirkuk, code="IQ-KI-D", name_ar="قضاء")
    sub = SubDistrict.objects.create(district=district, code="IQ-KI-S", name_ar="ناحية")
    centres = PollingCentre.objects.bulk_create(
        PollingCentre(election=election, code=f"KI{c:04d}", name_ar=f"مدرسة {c}",
                      sub_district=sub, governorate=kirkuk)
        for c in range((stations + PER_CENTRE - 1) // PER_CENTRE))
    PollingStation.objects.bulk_create(
        PollingStation(centre=centres[n // PER_CENTRE], number=n % PER_CENTRE + 1,
                       code=f"{centres[n // PER_CENTRE].code}-{n % PER_CENTRE + 1:02d}",
                       registered_voters=500) for n in range(stations))
    create_entities(election, lists={"IQ-KI": 3}, candidates_per_list=12)
    codes = list(PollingStation.objects.order_by("code").values_list("code", flat=True))
    keys = [signatures.generate() for _ in codes]
    started = time.perf_counter()
    register_devices(actor=None, election=election, name="devices.csv", content=(
        "serial,station_code,public_key\n" + "".join(
            f"PCOS-{n:06d},{code},{signatures.public_text(key)}\n"
            for n, (code, key) in enumerate(zip(codes, keys, strict=True)))).encode(),
        now=datetime(2023, 12, 1, tzinfo=BAGHDAD))
    print(f"{len(codes):,} stations and devices registered in "
          f"{time.perf_counter() - started:.1f} s")
    bodies = []
    for n, (code, key) in enumerate(zip(codes, keys, strict=True)):
        votes = [{"list": f"synthetic-{lst:03d}", "candidate": "", "votes": 2 + n % 3}
                 for lst in (1, 2, 3)]
        votes += [{"list": f"synthetic-{lst:03d}", "candidate": f"synthetic-{lst:03d}-{p}",
                   "votes": 1 + (n + p) % 7} for lst in (1, 2, 3) for p in range(1, 13)]
        valid = sum(v["votes"] for v in votes)  # type: ignore[misc]
        doc: dict[str, object] = {
            "format": wire.FORMAT, "device": f"PCOS-{n:06d}", "election": election.code,
            "station": code, "component": "", "sequence": 1,
            "sent_at": "2023-12-18T18:40:00+03:00",
            "numbers": {"registered": 500, "voted": valid + 5, "ballots_received": valid + 55,
                        "ballots_in_box": valid + 5, "ballots_spoiled": 2,
                        "ballots_unused": 48, "invalid": 5, "valid": valid},
            "votes": votes}
        doc["signature"] = signatures.sign(key, wire.canonical(doc).decode())
        bodies.append(json.dumps(doc).encode())
    return bodies


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def request_bytes(body: bytes) -> bytes:
    return (b"POST /api/results/transmissions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"X-Forwarded-Proto: https\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


async def _client(todo: list[bytes], expected: bytes, timings: list[float],
                  errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    for request in todo:
        started = time.perf_counter()
        writer.write(request)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 60)
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await reader.readexactly(length)
        timings.append(time.perf_counter() - started)
        if not head.startswith(b"HTTP/1.1 " + expected):
            status = head.split(b"\r\n", 1)[0].decode()
            errors.append(status + " " + body[:400].decode(errors="replace"))
    writer.close()


def send(bodies: list[bytes], clients: int, expected: bytes
         ) -> tuple[list[float], float, list[str]]:
    requests = [[request_bytes(body) for body in bodies[n::clients]] for n in range(clients)]
    timings: list[float] = []
    errors: list[str] = []

    async def run() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(_client(todo, expected, timings, errors) for todo in requests))
        return time.perf_counter() - started

    wall = asyncio.run(run())
    return sorted(timings), wall, errors


def report(name: str, timings: list[float], wall: float) -> None:
    def at(share: float) -> float:
        return timings[max(0, int(len(timings) * share) - 1)] * 1000

    print(f"  {name:<40} {len(timings) / wall:>8,.0f} /s   p50 {at(0.5):6.1f} ms"
          f"   p99 {at(0.99):6.1f} ms   ({len(timings):,} requests)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=3_000)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    with benchmark_database("transmission") as url:
        return measure(url, args)


def measure(url: str, args: argparse.Namespace) -> int:
    env = {"DATABASE_URL": url, "SHAFAF_SECRET_KEY": SECRET,
           "SHAFAF_ALLOWED_HOSTS": "127.0.0.1,localhost", "SHAFAF_PROXY_SSL_HEADER": "1",
           "SHAFAF_DATA_DIR": tempfile.mkdtemp(prefix="shafaf-bench-"),
           # Every replay comes from this one address: lift the per-address throttle on
           # refusals so the refusal path itself is measured, not the 429.
           "SHAFAF_TRANSMISSION_REFUSALS_PER_MINUTE": str(10 * args.stations)}
    bodies = prepare(env, args.stations)
    from django.db import connections

    connections.close_all()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "shafaf", "serve", "--port", str(PORT)],
        env={**os.environ, **env, "SHAFAF_ENV": "production"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(PORT)
        print(f"Load: {args.clients} concurrent keep-alive clients, one transmission per "
              "station")
        accepted, wall, errors = send(bodies, args.clients, b"201")
        replayed, replay_wall, replay_errors = send(bodies, args.clients, b"409")
    finally:
        server.terminate()
        server.wait(timeout=30)
    report("accepted (checked, recorded, settled)", accepted, wall)
    report("replayed (refused and logged)", replayed, replay_wall)
    print(f"  machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    from shafaf.results.models import ContestTotal, ResultForm, Transmission

    forms = ResultForm.objects.count()
    total = ContestTotal.objects.get(component="").valid
    expected = sum(json.loads(body)["numbers"]["valid"] for body in bodies)
    logged = Transmission.objects.count()
    print(f"  forms {forms:,}, log rows {logged:,}, adopted valid ballots {total:,} "
          f"(expected {expected:,})")
    wrong = errors + replay_errors
    if wrong:
        print(f"{len(wrong)} wrong answers, e.g. {wrong[0]}")
        return 1
    return 0 if (forms, total, logged) == (len(bodies), expected, 2 * len(bodies)) else 1


if __name__ == "__main__":
    sys.exit(main())
