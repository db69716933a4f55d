"""Paper entry under load: 200 concurrent clerks entering result forms through
``shafaf serve`` on PostgreSQL (docs/results-entry.md).

1. A Kirkuk contest with one station per form to enter (clerks × forms each, default
   200 × 5 = 1,000 stations), 10 lists of 10 candidates (120 numbers per form), and
   200 clerk accounts of the governorate.
2. ``shafaf serve`` starts as a real subprocess (gunicorn, production settings, its
   default workers and threads) behind a pretend TLS proxy.
3. Each clerk logs in through the login form (one after another: logins are not
   measured, and the login throttle counts tries per address), then, all 200 at once,
   each on its own keep-alive connection, enters the first entry of the forms of its
   own block of stations: it opens the station's form (GET, for the CSRF token) and
   posts every number and vote. Then, all at once again, each enters the second entry
   of its neighbour's block (never its own, which the server would refuse).
4. The database is then read: every form entered twice must be definitive with
   exactly one live manual form (a **lost** form is one entered but not in the
   database; a **doubled** form, a station with more than one form or a task with more
   than two entries). Prints both counts (target 0 and 0) and the p50 and p99 of the
   POSTs (target p99 under 300 ms), and of the GETs beside them.

    .venv/bin/python benchmarks/results_entry.py [--clerks 200] [--forms 5]

Needs PostgreSQL: a database of its own (``shafaf_bench_entry_<random>``) on the server
of BENCHMARK_DATABASE_URL, dropped at the end. Exits 0 whatever the timings, 1 if a
form is lost or doubled, or the server answers wrongly.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlencode

from bench_database import benchmark_database
from bench_kirkuk import kirkuk_stations

SECRET = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PASSWORD = "a-clerk-benchmark-passphrase-1"  # noqa: S105
PORT = 8768
LISTS = 10
CANDIDATES = 10
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def prepare(env: dict[str, str], clerks: int, forms: int) -> tuple[list[str], dict[str, int]]:
    """Migrate, make the stations, lists and clerks; the station codes in order and the
    values every clerk types (the same form each time: identical entries)."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shafaf.web.settings.production"
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from shafaf.access.roles import Role
    from shafaf.accounts.models import User
    from shafaf.elections import actions
    from shafaf.elections.models import (
        Governorate,
        PollingStation,
    )
    from shafaf.entities.models import Candidate, NominationList
    from shafaf.entities.synthetic import create_entities

    call_command("migrate", verbosity=0, interactive=False)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    kirkuk = Governorate.objects.get(code="IQ-KI")
    stations = clerks * forms
    kirkuk_stations(election, stations)
    create_entities(election, lists={"IQ-KI": LISTS}, candidates_per_list=CANDIDATES)
    hashed = make_password(PASSWORD)
    User.objects.bulk_create(User(username=f"clerk{n:03d}", password=hashed, role=Role.CLERK,
                                  governorate=kirkuk) for n in range(clerks))
    values: dict[str, int] = {}
    valid = 0
    for nomination in NominationList.objects.filter(contest__governorate=kirkuk):
        values[f"l{nomination.pk}"] = 7
        valid += 7
        for candidate in Candidate.objects.filter(nomination=nomination):
            values[f"c{candidate.pk}"] = 2
            valid += 2
    box = valid + 6
    values.update(registered=500, voted=box, ballots_received=box + 40, ballots_in_box=box,
                  ballots_spoiled=4, ballots_unused=36, invalid=6, valid=valid)
    codes = list(PollingStation.objects.order_by("code").values_list("code", flat=True))
    print(f"Kirkuk: {stations:,} stations, {LISTS} lists of {CANDIDATES} candidates "
          f"({len(values)} numbers per form), {clerks} clerks")
    return codes, values


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


class Clerk:
    """One clerk's browser: its cookies and one keep-alive connection."""

    def __init__(self, port: int, username: str) -> None:
        self.port = port
        self.username = username
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, body: bytes = b""
                      ) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            await self._connect()
        assert self.reader is not None
        assert self.writer is not None
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"X-Forwarded-Proto: https\r\nOrigin: https://127.0.0.1\r\n"
                f"Referer: https://127.0.0.1{path}\r\n"
                + (f"Cookie: {cookie}\r\n" if cookie else "")
                + ("Content-Type: application/x-www-form-urlencoded\r\n" if body else "")
                + f"Content-Length: {len(body)}\r\n\r\n").encode()
        self.writer.write(head + body)
        raw = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 60)
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                name, value = name.strip().lower(), value.strip()
                if name == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
                headers[name] = value
        if headers.get("transfer-encoding") == "chunked":
            content = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                content += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            content = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status, headers, content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.writer = None

    async def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """A GET, sent again on a new connection if the server had closed the idle one
        (a GET changes nothing; a POST is never sent twice)."""
        try:
            return await self.request("GET", path)
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            return await self.request("GET", path)

    async def log_in(self) -> None:
        _s, _h, page = await self.get("/accounts/login/")
        token = CSRF.search(page)
        assert token is not None, page[:300]
        status, _h, body = await self.request("POST", "/accounts/login/", urlencode({
            "csrfmiddlewaretoken": token.group(1).decode(), "username": self.username,
            "password": PASSWORD}).encode())
        if status != 302:
            raise SystemExit(f"{self.username} could not log in: {status} {body[:300]!r}")
        self.close()

    async def enter(self, code: str, values: dict[str, int], gets: list[float],
                    posts: list[float], errors: list[str]) -> None:
        query = urlencode({"station": code, "source": "manual"})
        started = time.perf_counter()
        status, _h, page = await self.get(f"/staff/results/entry/?{query}")
        gets.append(time.perf_counter() - started)
        token = CSRF.search(page)
        if status != 200 or token is None:
            errors.append(f"GET {code}: {status}")
            return
        body = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "station": code,
                          "source": "manual", "component": "", **values}).encode()
        started = time.perf_counter()
        status, headers, answer = await self.request("POST", "/staff/results/entry/", body)
        posts.append(time.perf_counter() - started)
        if status != 302 or "done=" not in headers.get("location", ""):
            errors.append(f"POST {code}: {status} {answer[:200]!r}")


class Round:
    """One round's timings: the form (GET), the entry (POST), and for a paced round the
    whole entry counted from when it was due (so a late answer also counts against the
    entries queued behind it)."""

    def __init__(self) -> None:
        self.gets: list[float] = []
        self.posts: list[float] = []
        self.whole: list[float] = []
        self.wall = 0.0


async def _round(people: list[Clerk], codes: list[str], forms: int, values: dict[str, int],
                 errors: list[str], rate: float | None) -> Round:
    """First entries of each clerk's own block, then second entries of its neighbour's;
    as fast as they can (``rate`` None) or at ``rate`` entries a second in all."""
    found = Round()
    clerks = len(people)
    interval = clerks / rate if rate else 0.0

    async def block(clerk: Clerk, n: int, owner: int, first: float) -> None:
        for i, code in enumerate(codes[owner * forms:(owner + 1) * forms]):
            due = first + n * interval / clerks + i * interval
            if rate:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            await clerk.enter(code, values, found.gets, found.posts, errors)
            found.whole.append(time.perf_counter() - due)

    started = time.perf_counter()
    for second in (False, True):
        for clerk in people:  # idle while the others finished: the server closed them
            clerk.close()
        first = time.perf_counter() + 0.5
        await asyncio.gather(*(block(clerk, n, (n + 1) % clerks if second else n, first)
                               for n, clerk in enumerate(people)))
    found.wall = time.perf_counter() - started
    for timings in (found.gets, found.posts, found.whole):
        timings.sort()
    return found


async def _run(port: int, clerks: int, forms: int, paced_forms: int, rate: float,
               codes: list[str], values: dict[str, int]
               ) -> tuple[Round, Round, list[str]]:
    people = [Clerk(port, f"clerk{n:03d}") for n in range(clerks)]
    for clerk in people:  # one after another: not measured
        await clerk.log_in()
    errors: list[str] = []
    split = clerks * forms
    saturated = await _round(people, codes[:split], forms, values, errors, None)
    paced = await _round(people, codes[split:], paced_forms, values, errors, rate)
    return saturated, paced, errors


def count_forms(codes: list[str]) -> tuple[int, int, int]:
    """Lost forms, doubled forms, and definitive tasks, read from the database."""
    from django.db.models import Count

    from shafaf.results.models import Entry, EntryTask, ResultForm

    per_station = dict(ResultForm.objects.filter(source="manual").exclude(
        state="superseded").values("station__code").annotate(n=Count("pk")).values_list(
        "station__code", "n"))
    every = dict(ResultForm.objects.values("station__code").annotate(n=Count("pk"))
                 .values_list("station__code", "n"))
    lost = sum(1 for code in codes if per_station.get(code, 0) == 0)
    doubled = sum(1 for code in codes if every.get(code, 0) > 1)
    doubled += EntryTask.objects.annotate(n=Count("entries")).filter(n__gt=2).count()
    doubled += Entry.objects.values("task_id", "kind").annotate(n=Count("pk")).filter(
        n__gt=1).count()
    definitive = EntryTask.objects.filter(state="definitive").count()
    return lost, doubled, definitive


def at(timings: list[float], share: float) -> float:
    return timings[max(0, int(len(timings) * share) - 1)] * 1000 if timings else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clerks", type=int, default=200)
    parser.add_argument("--forms", type=int, default=5,
                        help="forms per clerk's block, as fast as they can (5)")
    parser.add_argument("--paced-forms", type=int, default=2,
                        help="forms per clerk's block at the offered rate (2)")
    parser.add_argument("--rate", type=float, default=5.0,
                        help="entries per second offered in the paced round (5)")
    args = parser.parse_args()
    with benchmark_database("entry") as url:
        return measure(url, args)


def measure(url: str, args: argparse.Namespace) -> int:
    env = {"DATABASE_URL": url, "SHAFAF_SECRET_KEY": SECRET,
           "SHAFAF_ALLOWED_HOSTS": "127.0.0.1,localhost", "SHAFAF_PROXY_SSL_HEADER": "1",
           "SHAFAF_DATA_DIR": tempfile.mkdtemp(prefix="shafaf-bench-")}
    codes, values = prepare(env, args.clerks, args.forms + args.paced_forms)
    from django.db import connections

    connections.close_all()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "shafaf", "serve", "--port", str(PORT)],  # its defaults
        env={**os.environ, **env, "SHAFAF_ENV": "production"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(PORT)
        saturated, paced, errors = asyncio.run(_run(
            PORT, args.clerks, args.forms, args.paced_forms, args.rate, codes, values))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
    lost, doubled, definitive = count_forms(codes)
    print(f"Load: {args.clerks} concurrent clerks, each form opened (GET) then posted "
          f"with every number")
    for name, found in ((f"as fast as they can ({args.forms} forms each, twice)", saturated),
                        (f"{args.rate:,.0f} entries/s offered ({args.paced_forms} forms each, "
                         f"twice)", paced)):
        print(f"  {name}: {len(found.posts):,} entries in {found.wall:.1f} s "
              f"({len(found.posts) / found.wall:,.1f} entries/s)")
        print(f"    POST /staff/results/entry/ (the entry)     p50 {at(found.posts, 0.5):7.1f} ms"
              f"   p99 {at(found.posts, 0.99):7.1f} ms")
        print(f"    GET  /staff/results/entry/ (the form)      p50 {at(found.gets, 0.5):7.1f} ms"
              f"   p99 {at(found.gets, 0.99):7.1f} ms")
        if found is paced:
            print(f"    the whole entry, from when it was due     p50 "
                  f"{at(found.whole, 0.5):7.1f} ms   p99 {at(found.whole, 0.99):7.1f} ms")
    print(f"  forms definitive {definitive:,} of {len(codes):,}; lost {lost}; doubled {doubled}")
    p99 = at(paced.posts, 0.99)
    print(f"Target: 0 lost, 0 doubled, p99 < 300 ms at {args.rate:,.0f} entries/s: "
          f"{'met' if lost == 0 and doubled == 0 and p99 < 300 else 'NOT met'} "
          f"(p99 {p99:.1f} ms; machine load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores)")
    if errors:
        print(f"{len(errors)} wrong answers, e.g. {errors[0]}")
    return 1 if errors or lost or doubled else 0


if __name__ == "__main__":
    sys.exit(main())
