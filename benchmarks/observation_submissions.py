"""Polling day's opening reports under load: observers sending their opening forms
through ``shafaf serve`` on PostgreSQL, in bursts, every report sent twice
(docs/observation-api.md).

1. Kirkuk with one station per observer (default 10,000), an approved organisation,
   its accredited observers, each deployed to its own station and with an account,
   and the standard opening form.
2. ``shafaf serve`` starts as a real subprocess (gunicorn, production settings, its
   default workers and threads) behind a pretend TLS proxy.
3. Each observer is signed in: its session is written straight into the session
   table (10,000 logins through the form would measure the password hash, not the
   reports), with a CSRF cookie that the report's ``X-CSRFToken`` header repeats, as
   the phone app sends it.
4. The observers report in bursts of ``--burst`` (200) at once, each on its own new
   connection, as phones do: ``POST /api/observation/submissions`` with the phone's
   UUID, and every report is sent a second time (the answer was lost): half of the
   observers send it again after the first answer, the other half while the first
   is still in flight, on a second connection. 10,000 reports within 15 minutes is
   11 a second; the bursts here follow one another as fast as the server answers
   (time compressed), and the rate reached is printed beside the one needed.
5. The database is read: a **lost** report is one sent but not stored, a
   **duplicated** one an observer with more than one stored. Prints both (target 0
   and 0) and the p50 and p99 of every POST (target p99 under 300 ms).

    .venv/bin/python benchmarks/observation_submissions.py [--observers 10000] [--burst 200]

Needs PostgreSQL: a database of its own (``shafaf_bench_observation_<random>``) on the
server of BENCHMARK_DATABASE_URL, dropped at the end. Exits 0 whatever the timings, 1
if a report is lost or duplicated, or the server answers wrongly.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid

from bench_database import benchmark_database
from bench_kirkuk import kirkuk_stations
from results_entry import at, wait_for

SECRET = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PORT = 8771
OPENING = [
    {"id": "arrived_at", "type": "time", "required": True, "label": {"ar": "وقت الوصول"}},
    {"id": "opened_at", "type": "time", "required": True, "label": {"ar": "وقت الافتتاح"}},
    {"id": "opened_on_time", "type": "yes_no", "required": True,
     "label": {"ar": "افتتحت في الموعد"}},
    {"id": "materials_complete", "type": "yes_no", "required": True,
     "label": {"ar": "المواد كاملة"}},
    {"id": "device_working", "type": "yes_no", "required": True,
     "label": {"ar": "الأجهزة تعمل"}},
]
ANSWERS = {"arrived_at": "06:30", "opened_at": "07:00", "opened_on_time": True,
           "materials_complete": True, "device_working": True}


def prepare(env: dict[str, str], observers: int) -> list[tuple[str, str, str]]:
    """Migrate and make the stations, observers, sessions and the opening form; each
    observer's (station code, session key, CSRF secret)."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shafaf.web.settings.production"
    import django

    django.setup()
    from datetime import date, timedelta

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from shafaf.access.roles import Role
    from shafaf.accounts.models import User
    from shafaf.accounts.sessions import SIGNED_IN_AT
    from shafaf.elections import actions
    from shafaf.elections.models import (
        Governorate,
    )
    from shafaf.observation.models import (
        Assignment,
        FormDefinition,
        Observer,
        ObserverStatus,
        Organisation,
        OrganisationStatus,
    )

    call_command("migrate", verbosity=0, interactive=False)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    kirkuk = Governorate.objects.get(code="IQ-KI")
    stations = kirkuk_stations(election, observers)
    # In place of the shipped opening form (migration 0002_forms): the reports below
    # answer these questions.
    FormDefinition.objects.update_or_create(
        code="opening", version=1, organisation=None,
        defaults={"name_ar": "الافتتاح", "questions": OPENING})
    organisation = Organisation.objects.create(
        election=election, name_ar="شبكة مراقبة", contact_name="x",
        contact_email="x@example.org", status=OrganisationStatus.APPROVED, code="CSO-B")
    hashed = make_password("an-observer-benchmark-passphrase-1")
    users = User.objects.bulk_create(User(username=f"observer{n:05d}", password=hashed,
                                          role=Role.OBSERVER) for n in range(observers))
    people = Observer.objects.bulk_create(Observer(
        organisation=organisation, full_name=f"مراقب {n}", birth_date=date(1990, 1, 1),
        sex="F", governorate=kirkuk, user=user, status=ObserverStatus.ACCREDITED)
        for n, user in enumerate(users))
    Assignment.objects.bulk_create(
        Assignment(observer=person, station=station, centre_id=station.centre_id)
        for person, station in zip(people, stations, strict=True))
    # The same password hash for all: one session hash serves every account.
    session_hash, backend = users[0].get_session_auth_hash(), settings.AUTHENTICATION_BACKENDS[0]
    expires, now = timezone.now() + timedelta(days=1), time.time()
    keys = [secrets.token_hex(16) for _ in users]
    store = SessionStore()
    Session.objects.bulk_create(Session(
        session_key=key, expire_date=expires, session_data=store.encode({
            "_auth_user_id": str(user.pk), "_auth_user_backend": backend,
            "_auth_user_hash": session_hash, SIGNED_IN_AT: now}))
        for key, user in zip(keys, users, strict=True))
    print(f"Kirkuk: {observers:,} stations, {observers:,} accredited observers signed in, "
          "the opening form")
    return [(station.code, key, secrets.token_hex(16))
            for station, key in zip(stations, keys, strict=True)]


async def post(port: int, path: str, body: bytes, session: str, csrf: str
               ) -> tuple[int, bytes]:
    """One request on a new connection, as a phone opens one."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "X-Forwarded-Proto: https\r\nOrigin: https://127.0.0.1\r\n"
                      f"Cookie: sessionid={session}; csrftoken={csrf}\r\n"
                      f"X-CSRFToken: {csrf}\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                      ).encode() + body)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 120)
        status = int(head.split(b" ", 2)[1])
        return status, await reader.read()
    finally:
        writer.close()


class Load:
    def __init__(self) -> None:
        self.timings: list[float] = []
        self.errors: list[str] = []
        self.sent: list[str] = []


async def observe(port: int, n: int, station: str, session: str, csrf: str,
                  load: Load) -> None:
    """One observer's opening report, sent twice: after the answer (even) or while
    the first send is in flight (odd)."""
    report_id = str(uuid.uuid4())
    body = json.dumps({"id": report_id, "form": "opening", "station": station,
                       "answers": ANSWERS}).encode()
    load.sent.append(report_id)

    async def send() -> int:
        started = time.perf_counter()
        try:
            status, answer = await post(port, "/api/observation/submissions", body,
                                        session, csrf)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
            load.errors.append(f"{station}: {error!r}")
            return 0
        load.timings.append(time.perf_counter() - started)
        if status not in (200, 201) or report_id.encode() not in answer:
            load.errors.append(f"{station}: {status} {answer[-200:]!r}")
        return status

    if n % 2 == 0:
        answers = [await send(), await send()]
    else:
        answers = list(await asyncio.gather(send(), send()))
    if sorted(answers) != [200, 201]:
        load.errors.append(f"{station}: answered {answers}, not once 201 and once 200")


async def run(port: int, people: list[tuple[str, str, str]], burst: int) -> tuple[Load, float]:
    load = Load()
    started = time.perf_counter()
    for first in range(0, len(people), burst):
        await asyncio.gather(*(observe(port, first + i, *person, load)
                               for i, person in enumerate(people[first:first + burst])))
    return load, time.perf_counter() - started


def count(sent: list[str]) -> tuple[int, int, int]:
    """Lost reports, duplicated reports, and reports stored, read from the database."""
    from django.db.models import Count

    from shafaf.observation.models import Submission

    stored = set(map(str, Submission.objects.values_list("pk", flat=True)))
    lost = sum(1 for report_id in sent if report_id not in stored)
    duplicated = sum(n - 1 for n in Submission.objects.values("observer_id").annotate(
        n=Count("pk")).values_list("n", flat=True))
    return lost, duplicated, len(stored)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--observers", type=int, default=10_000)
    parser.add_argument("--burst", type=int, default=200,
                        help="observers reporting at once (200)")
    args = parser.parse_args()
    with benchmark_database("observation") as url:
        return measure(url, args)


def measure(url: str, args: argparse.Namespace) -> int:
    env = {"DATABASE_URL": url, "SHAFAF_SECRET_KEY": SECRET,
           "SHAFAF_ALLOWED_HOSTS": "127.0.0.1,localhost", "SHAFAF_PROXY_SSL_HEADER": "1",
           "SHAFAF_DATA_DIR": tempfile.mkdtemp(prefix="shafaf-bench-")}
    people = prepare(env, args.observers)
    from django.db import connections

    connections.close_all()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "shafaf", "serve", "--port", str(PORT)],  # its defaults
        env={**os.environ, **env, "SHAFAF_ENV": "production"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(PORT)
        load, wall = asyncio.run(run(PORT, people, args.burst))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
    lost, duplicated, stored = count(load.sent)
    load.timings.sort()
    rate = len(load.sent) / wall
    print(f"Load: {len(people):,} observers in bursts of {args.burst} at once, each report "
          f"sent twice (half after the answer, half while the first is in flight), "
          f"each send on a new connection")
    print(f"  {len(load.sent):,} reports, {len(load.timings):,} POSTs in {wall:.1f} s: "
          f"{rate:,.1f} reports/s (15 minutes for {len(people):,} needs "
          f"{len(people) / 900:,.1f}/s)")
    print(f"  POST /api/observation/submissions   p50 {at(load.timings, 0.5):7.1f} ms"
          f"   p99 {at(load.timings, 0.99):7.1f} ms   max {at(load.timings, 1.0):7.1f} ms")
    print(f"  reports stored {stored:,} of {len(load.sent):,}; lost {lost}; "
          f"duplicated {duplicated}")
    p99 = at(load.timings, 0.99)
    print(f"Target: 0 lost, 0 duplicated, p99 < 300 ms: "
          f"{'met' if lost == 0 and duplicated == 0 and p99 < 300 else 'NOT met'} "
          f"(machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    if load.errors:
        print(f"{len(load.errors)} wrong answers, e.g. {load.errors[0]}")
    return 1 if load.errors or lost or duplicated else 0


if __name__ == "__main__":
    sys.exit(main())
