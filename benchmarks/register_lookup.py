"""Where do I vote under load: ``POST /api/register/lookup`` through ``shafaf serve``
on PostgreSQL with the register loaded.

1. A register of N voters (default 1,620,000, a tenth of the national register)
   over 7,166 synthetic centres of 5 stations each (loaded with ``COPY``), the
   voters made by the server itself in one ``INSERT … SELECT`` from
   ``generate_series``; then ``ANALYZE``.
2. ``shafaf serve`` starts as a real subprocess (gunicorn, production settings, its
   default workers and threads), behind a pretend TLS proxy
   (``SHAFAF_PROXY_SSL_HEADER=1`` and ``X-Forwarded-Proto: https``).
3. 50 concurrent clients, each on its own keep-alive connection, look up random
   voters (uniform over the register, right birth years: every answer is a 200) as
   fast as they can; the load generator is asyncio on raw sockets in one process.
   Prints lookups per second, p50 and p99. Target: at least 1,000 per second, p99
   under 50 ms.
4. Beside it, the same lookup as a bare psycopg point query (the same statement, the
   same keys) at the same concurrency: the database's own ceiling on this machine.
5. The load generator's own ceiling: the same clients against a trivial asyncio HTTP
   server in another process that answers a fixed body.

    .venv/bin/python benchmarks/register_lookup.py [--voters 1620000]
        [--requests 20000] [--clients 50]

Needs PostgreSQL: a database of its own (``shafaf_bench_lookup_<random>``) on the
server of BENCHMARK_DATABASE_URL, dropped at the end. Exits 0 whatever the timings,
1 only if the server answers wrongly.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time

from bench_database import benchmark_database

SECRET = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PORT = 8766
ECHO_PORT = 8767
NUMBER_BASE = 880_000_000_000
CENTRES = 7_166
STATIONS_PER_CENTRE = 5


def birth_year(index: int) -> int:
    return 1950 + index % 50


def prepare(env: dict[str, str], voters: int) -> None:
    """Migrate, then load the centres, stations and voters with COPY."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shafaf.web.settings.production"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shafaf.elections import actions
    from shafaf.elections.models import District, Governorate, SubDistrict

    call_command("migrate", verbosity=0, interactive=False)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    governorates = list(Governorate.objects.order_by("code"))
    subs = []
    for governorate in governorates:
        district = District.objects.create(governorate=governorate,
                                           code=f"{governorate.code}-D", name_ar="قضاء")
        subs.append(SubDistrict.objects.create(district=district,
                                               code=f"{governorate.code}-S", name_ar="ناحية"))
    started = time.perf_counter()
    raw = connection.connection  # psycopg's own connection, for COPY
    with raw.cursor() as cursor:
        with cursor.copy("COPY elections_pollingcentre (election_id, code, name_ar, name_ckb,"
                         " name_en, sub_district_id, governorate_id, kind, address)"
                         " FROM STDIN") as copy:
            for c in range(CENTRES):
                sub = subs[c % len(subs)]
                copy.write_row((election.pk, f"C{c:05d}", f"مدرسة {c}", "", f"School {c}",
                                sub.pk, sub.district.governorate_id, "general", ""))
        cursor.execute("SELECT id, governorate_id FROM elections_pollingcentre"
                       " WHERE election_id = %s ORDER BY id", (election.pk,))
        centres = cursor.fetchall()
        with cursor.copy("COPY elections_pollingstation (centre_id, number, code,"
                         " registered_voters) FROM STDIN") as copy:
            for pk, _g in centres:
                for n in range(1, STATIONS_PER_CENTRE + 1):
                    copy.write_row((pk, n, f"{pk}-{n:02d}", 0))
        # The voters are made by the server itself (generate_series): the load is
        # not what this benchmark measures.
        cursor.execute(
            "INSERT INTO register_voter (voter_number, first_name, father_name,"
            " grandfather_name, family_name, mother_name, sex, birth_date, governorate_id,"
            " centre_id, station_id, category, card_kind, status, removal_reason, sort_key,"
            " created, updated)"
            " SELECT (%s + i)::text, 'محمد', 'علي', 'حسين', 'الجبوري', 'فاطمة كاظم', 'M',"
            " make_date(1950 + i %% 50, 1, 1) + (i %% 365), c.governorate_id, c.id,"
            " c.first_station + i %% %s, 'general', 'biometric', 'active', '', 'محمد',"
            " now(), now()"
            " FROM generate_series(0, %s - 1) AS i"
            " JOIN (SELECT p.id, p.governorate_id, min(s.id) AS first_station,"
            " row_number() OVER (ORDER BY p.id) - 1 AS n"
            " FROM elections_pollingcentre p JOIN elections_pollingstation s"
            " ON s.centre_id = p.id GROUP BY p.id) c ON c.n = i %% %s",
            (NUMBER_BASE, STATIONS_PER_CENTRE, voters, len(centres)))
        cursor.execute("ANALYZE")
    raw.commit()
    print(f"Register: {voters:,} voters over {CENTRES:,} centres, loaded in "
          f"{time.perf_counter() - started:.1f} s")


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def request_bytes(index: int) -> bytes:
    body = json.dumps({"voter_number": str(NUMBER_BASE + index),
                       "birth_year": birth_year(index)}).encode()
    return (b"POST /api/register/lookup HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"X-Forwarded-Proto: https\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


async def _client(port: int, todo: list[bytes], timings: list[float],
                  errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for request in todo:
        started = time.perf_counter()
        writer.write(request)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await reader.readexactly(length)
        timings.append(time.perf_counter() - started)
        if not head.startswith(b"HTTP/1.1 200") or b"centre_code" not in body:
            errors.append(head.split(b"\r\n", 1)[0].decode() + " " + body[:200].decode())
    writer.close()


async def _paced_client(port: int, todo: list[bytes], interval: float, first: float,
                        timings: list[float], errors: list[str]) -> None:
    """One client sending at a steady rate: request i is due at ``first + i * interval``,
    and its time is counted from then, so a late answer also delays (and counts
    against) the requests queued behind it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for index, request in enumerate(todo):
        due = first + index * interval
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        writer.write(request)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await reader.readexactly(length)
        timings.append(time.perf_counter() - due)
        if not head.startswith(b"HTTP/1.1 200") or b"centre_code" not in body:
            errors.append(head.split(b"\r\n", 1)[0].decode() + " " + body[:200].decode())
    writer.close()


async def _paced(port: int, requests: list[list[bytes]],
                 rate: float) -> tuple[list[float], float, list[str]]:
    timings: list[float] = []
    errors: list[str] = []
    clients = len(requests)
    interval = clients / rate  # each client's share of the rate
    started = time.perf_counter() + 0.5  # every connection open before the first is due
    await asyncio.gather(*(
        _paced_client(port, todo, interval, started + n * interval / clients, timings, errors)
        for n, todo in enumerate(requests)))
    return sorted(timings), time.perf_counter() - started, errors


def paced(port: int, clients: int, total: int, rate: float, rng: random.Random,
          voters: int) -> tuple[list[float], float, list[str]]:
    per = max(1, total // clients)
    requests = [[request_bytes(rng.randrange(voters)) for _ in range(per)]
                for _ in range(clients)]
    return asyncio.run(_paced(port, requests, rate))


async def _load(port: int, requests: list[list[bytes]]) -> tuple[list[float], float, list[str]]:
    timings: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, todo, timings, errors) for todo in requests))
    return sorted(timings), time.perf_counter() - started, errors


def load(port: int, clients: int, total: int, rng: random.Random,
         voters: int) -> tuple[list[float], float, list[str]]:
    per = max(1, total // clients)
    requests = [[request_bytes(rng.randrange(voters)) for _ in range(per)]
                for _ in range(clients)]
    return asyncio.run(_load(port, requests))


def report(name: str, timings: list[float], wall: float) -> None:
    def at(share: float) -> float:
        return timings[max(0, int(len(timings) * share) - 1)] * 1000

    print(f"  {name:<44} {len(timings) / wall:>8,.0f} /s   p50 {at(0.5):6.1f} ms"
          f"   p99 {at(0.99):6.1f} ms   ({len(timings):,} requests)")


def _echo_server(port: int) -> None:
    answer = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n"
              b"\r\n{\"centre_code\":1}")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                await reader.readexactly(length)
                writer.write(answer)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def bare_psycopg(url: str, clients: int, total: int, voters: int) -> tuple[list[float], float]:
    """The lookup's own statement through psycopg, one connection per thread."""
    import psycopg

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    from shafaf.register.lookup import _QUERY

    query = _QUERY.replace("%s", "%s")
    timings: list[float] = []
    per = max(1, total // clients)
    rng = random.Random(7)
    keys = [[rng.randrange(voters) for _ in range(per)] for _ in range(clients)]

    def run(todo: list[int]) -> None:
        with psycopg.connect(url) as connection:
            for index in todo:
                started = time.perf_counter()
                row = connection.execute(query, ("127.0.0.1", 1, str(NUMBER_BASE + index),
                                                 "active")).fetchone()
                timings.append(time.perf_counter() - started)
                assert row is not None
                assert row[1] is not None

    threads = [threading.Thread(target=run, args=(todo,)) for todo in keys]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(timings), time.perf_counter() - started


def cpu_seconds(root: int) -> float:
    """CPU time (user and system) of a process and its children, from /proc: what the
    server spent, whatever else the machine was doing."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == root or int(fields[1]) == root:  # fields[1]: the parent
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=1_620_000)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=float, default=1_000.0,
                        help="lookups per second offered in the paced run (1,000)")
    args = parser.parse_args()
    with benchmark_database("lookup") as url:
        return measure(url, args)


def measure(url: str, args: argparse.Namespace) -> int:
    data_dir = tempfile.mkdtemp(prefix="shafaf-bench-")
    env = {"DATABASE_URL": url, "SHAFAF_SECRET_KEY": SECRET,
           "SHAFAF_ALLOWED_HOSTS": "127.0.0.1,localhost", "SHAFAF_PROXY_SSL_HEADER": "1",
           "SHAFAF_DATA_DIR": data_dir}
    prepare(env, args.voters)
    from django.db import connections

    connections.close_all()
    print(f"Load: {args.clients} concurrent keep-alive clients, uniform random voters")
    echo = multiprocessing.Process(target=_echo_server, args=(ECHO_PORT,), daemon=True)
    echo.start()
    try:
        wait_for(ECHO_PORT)
        timings, wall, _ = load(ECHO_PORT, args.clients, args.requests, random.Random(1),
                                args.voters)
        report("load generator's ceiling (fixed answer)", timings, wall)
    finally:
        echo.terminate()
        echo.join(timeout=10)

    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "shafaf", "serve", "--port", str(PORT)],  # its defaults
        env={**os.environ, **env, "SHAFAF_ENV": "production"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(PORT)
        load(PORT, args.clients, 20 * args.clients, random.Random(2), args.voters)  # warm-up
        before = cpu_seconds(server.pid)
        timings, wall, errors = load(PORT, args.clients, args.requests, random.Random(3),
                                     args.voters)
        server_cpu = cpu_seconds(server.pid) - before
        # The same clients, each sending at its share of the target rate: the latency a
        # voter sees when 1,000 lookups a second arrive, not when the clients push the
        # server to its limit (there, by Little's law, the 50 waiting clients alone make
        # the mean 50 / rate).
        at_rate, rate_wall, rate_errors = paced(PORT, args.clients, args.requests,
                                                args.rate, random.Random(4), args.voters)
        errors += rate_errors
    finally:
        server.terminate()
        server.wait(timeout=30)
    report("POST /api/register/lookup (shafaf serve)", timings, wall)
    report(f"  the same, {args.rate:,.0f}/s offered", at_rate, rate_wall)
    print(f"  server CPU per lookup (gunicorn and Django, not PostgreSQL): "
          f"{server_cpu / len(timings) * 1000:.2f} ms; machine load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    bare, bare_wall = bare_psycopg(url.replace("postgres://", "postgresql://"), args.clients,
                                   args.requests, args.voters)
    report("the same statement, bare psycopg", bare, bare_wall)
    rate = len(timings) / wall
    p99 = timings[max(0, int(len(timings) * 0.99) - 1)] * 1000
    paced_p99 = at_rate[max(0, int(len(at_rate) * 0.99) - 1)] * 1000
    print(f"Target: >= 1,000 lookups/s and p99 < 50 ms: "
          f"{'met' if rate >= 1000 and paced_p99 < 50 else 'NOT met'} "
          f"(at most {rate:,.0f}/s; p99 {paced_p99:.1f} ms at {args.rate:,.0f}/s offered, "
          f"{p99:.1f} ms with the server saturated)")
    if errors:
        print(f"{len(errors)} wrong answers, e.g. {errors[0]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
