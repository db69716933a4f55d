"""Structured SMS reports under load, and the demo's polling day, on PostgreSQL.

1. The 2023 election with N synthetic stations in Kirkuk (default 2,000), one
   accredited observer per station with a phone and that station assigned.
2. Every observer's opening report as an SMS (``OP <station> A0650 B0700 C1 D1 E1 G5``)
   through ``POST /api/observation/sms`` in this process (Django's test client: the
   whole middleware stack, the webhook, the grammar, ``submissions.submit``), each sent
   twice as a gateway retrying would, half with a gateway id and half without. Prints
   messages per second, p50 and p99, and checks: one report per observer, none lost,
   none duplicated.
3. The demo's polling day (``demo_forms.load_polling_day``, at most 60 observers) on
   the same database: prints its time (target from the brief: under about 3 s).

    .venv/bin/python benchmarks/observation_sms.py [--stations 2000]

Not through ``shafaf serve``: this measures the webhook's own cost per message (the
serve path is the submissions benchmark's). Needs PostgreSQL: a database of its own
(``shafaf_bench_obs_forms_sms_<random>``) on the server of BENCHMARK_DATABASE_URL,
dropped at the end. Exits 0 whatever the timings, 1 if a report is lost or doubled.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench_database import benchmark_database

SECRET = "benchmark-only-sms-secret"  # noqa: S105
PER_CENTRE = 10


def run(url: str, stations: int) -> int:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "shafaf.web.settings.test"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from shafaf.elections import actions
    from shafaf.elections.models import (
        District,
        Governorate,
        PollingCentre,
        PollingStation,
        SubDistrict,
    )
    from shafaf.observation.demo_forms import load_polling_day
    from shafaf.observation.models import (
        Assignment,
        Observer,
        ObserverStatus,
        Organisation,
        OrganisationStatus,
        Submission,
    )

    settings.SHAFAF_SMS_SECRET = SECRET
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    kirkuk = Governorate.objects.get(code="IQ-KI")
    district = District.objects.create(governorate=kirkuk, code="IQ-KI-B1", name_ar="قضاء")
    sub = SubDistrict.objects.create(district=district, code="IQ-KI-B1-S1", name_ar="ناحية")
    centres = PollingCentre.objects.bulk_create([PollingCentre(
        election=election, sub_district=sub, governorate=kirkuk, code=f"KI{c:05d}",
        name_ar=f"مركز {c}") for c in range(1, stations // PER_CENTRE + 2)])
    made = PollingStation.objects.bulk_create([PollingStation(
        centre=centres[n // PER_CENTRE], number=n % PER_CENTRE + 1,
        code=f"{centres[n // PER_CENTRE].code}-{n % PER_CENTRE + 1:02d}",
        registered_voters=450) for n in range(stations)])
    organisation = Organisation.objects.create(
        election=election, name_ar="منظمة", contact_name="x", contact_email="x@example.org",
        status=OrganisationStatus.APPROVED, code="CSO-B")
    now = datetime.now(UTC)
    observers = Observer.objects.bulk_create([Observer(
        organisation=organisation, full_name=f"مراقب {n}", birth_date=date(1990, 1, 1),
        sex="F", governorate=kirkuk, status=ObserverStatus.ACCREDITED, conduct_accepted=now,
        phone=f"+96477{n:08d}") for n in range(stations)])
    Assignment.objects.bulk_create([Assignment(observer=o, station=s, centre=s.centre)
                                    for o, s in zip(observers, made, strict=True)])
    client = Client(HTTP_X_SHAFAF_SMS_SECRET=SECRET)
    took: list[float] = []
    wrong = 0
    started = time.perf_counter()
    for n, station in enumerate(made):
        body = {"from": f"0{7700000000 + n}",
                "text": f"OP {station.code} A0650 B0700 C1 D1 E1 G5"}
        if n % 2:
            body["id"] = f"gw-{n}"
        for _ in range(2):  # the gateway retries every message once
            t = time.perf_counter()
            response = client.post("/api/observation/sms", body)
            took.append(time.perf_counter() - t)
            wrong += response.status_code != 200
    elapsed = time.perf_counter() - started
    stored = Submission.objects.filter(channel="sms").count()
    per_observer = set(Submission.objects.values_list("observer_id", flat=True))
    took.sort()
    print(f"SMS webhook: {len(took):,} messages ({stations:,} reports, each sent twice) in "
          f"{elapsed:.1f} s: {len(took) / elapsed:,.0f} per second, "
          f"p50 {statistics.median(took) * 1000:.1f} ms, "
          f"p99 {took[int(len(took) * 0.99)] * 1000:.1f} ms")
    print(f"  stored {stored:,} (expected {stations:,}), wrong answers {wrong}")
    Submission.objects.all().delete()
    t = time.perf_counter()
    lines = load_polling_day(election)
    print(f"Demo polling day: {time.perf_counter() - t:.2f} s {''.join(lines).strip()}")
    ok = stored == stations and len(per_observer) == stations and wrong == 0
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stations", type=int, default=2000)
    args = parser.parse_args()
    with benchmark_database("obs_forms_sms") as url:
        code = run(url, args.stations)
        from django.db import connections

        connections.close_all()
    return code


if __name__ == "__main__":
    sys.exit(main())
