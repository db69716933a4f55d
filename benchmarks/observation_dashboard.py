"""An observation organisation's polling-day figures, on PostgreSQL.

What it measures: one organisation with ``--stations`` stations in Kirkuk, an observer
deployed to each, the four polling-day forms from each (4 × stations reports, received
between 07:00 and 18:00) and an incident from one station in ten (one in five of them
critical, a third verified). Timed, each the median of five runs:

1. the coordinator's dashboard figures (dash_figures.dashboard: coverage, forms by
   hour, opened on time, turnout by hour, incidents), all reports;
2. the same from verified reports only (the public page's and the statement's);
3. the statement's PDF (WeasyPrint).

    .venv/bin/python benchmarks/observation_dashboard.py [--stations 5000]

Needs PostgreSQL: a database of its own (``shafaf_bench_observation_dashboard_<random>``)
on the server of BENCHMARK_DATABASE_URL (see bench_database.py), dropped at the end.
Prints its figures; exits 0 whatever the timings.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from bench_database import benchmark_database
from bench_kirkuk import kirkuk_stations

SECRET = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
CATEGORIES = ("violence", "intimidation", "vote_buying", "campaigning", "device_failure")


def prepare(stations: int) -> object:
    from django.core.management import call_command

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
        Submission,
        Verification,
    )

    call_command("migrate", verbosity=0, interactive=False)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    kirkuk = Governorate.objects.get(code="IQ-KI")
    made = kirkuk_stations(election, stations)
    organisation = Organisation.objects.create(
        election=election, name_ar="منظمة", contact_name="x", contact_email="x@example.org",
        status=OrganisationStatus.APPROVED, code="BENCH-1")
    organisation.governorates.set([kirkuk])
    observers = Observer.objects.bulk_create(
        Observer(organisation=organisation, full_name=f"مراقب {n}", birth_date=date(1990, 1, 1),
                 sex="F", governorate=kirkuk, status=ObserverStatus.ACCREDITED)
        for n in range(stations))
    Assignment.objects.bulk_create(
        Assignment(observer=o, station=s, centre_id=s.centre_id)
        for o, s in zip(observers, made, strict=True))
    # The shipped standard forms (migration 0002_forms): the reports below name them.
    forms = {code: FormDefinition.objects.get_or_create(
                 code=code, version=1, organisation=None,
                 defaults={"name_ar": code, "questions": []})[0]
             for code in ("opening", "voting", "closing", "counting", "incident")}
    day = datetime(2023, 12, 18, 4, 0, tzinfo=UTC)  # 07:00 in Baghdad
    rows = []
    for n, (observer, station) in enumerate(zip(observers, made, strict=True)):
        status = Verification.VERIFIED if n % 3 == 0 else Verification.PENDING
        answers = {"opening": {"opened_on_time": n % 4 != 0},
                   "voting": {"voters_10": 60, "voters_13": 150, "voters_16": 260},
                   "closing": {"voters_total": 300}, "counting": {"voted": 300}}
        for code, given in answers.items():
            rows.append(Submission(id=uuid.uuid4(), observer=observer, form=forms[code],
                                   station=station, answers=given, status=status))
        if n % 10 == 0:
            rows.append(Submission(
                id=uuid.uuid4(), observer=observer, form=forms["incident"], station=station,
                status=status,
                answers={"category": CATEGORIES[n % len(CATEGORIES)],
                         "severity": "critical" if n % 50 == 0 else "minor",
                         "description": "x"}))
    Submission.objects.bulk_create(rows, batch_size=5000)
    # ``received`` is set on saving: put each form at its hour of a polling day.
    for k, code in enumerate(("opening", "voting", "closing", "counting", "incident")):
        Submission.objects.filter(form=forms[code]).update(
            received=day + timedelta(hours=3 * k, minutes=20))
    print(f"{stations:,} stations and observers, {len(rows):,} reports")
    return organisation


def timed(step, runs: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(url: str, stations: int) -> int:
    os.environ.update({"DATABASE_URL": url, "SHAFAF_SECRET_KEY": SECRET,
                       "DJANGO_SETTINGS_MODULE": "shafaf.web.settings.production",
                       "SHAFAF_ALLOWED_HOSTS": "127.0.0.1"})
    import django

    django.setup()
    from django.utils import timezone

    from shafaf.observation import dash_figures, dash_views, statements
    from shafaf.observation.dash_models import Statement

    organisation = prepare(stations)
    seconds, found = timed(lambda: dash_figures.dashboard(organisation))
    print(f"dashboard, all reports: {seconds * 1000:.0f} ms "
          f"({found.by_hour[-1].cumulative:,} forms of {found.expected:,} expected, "
          f"{found.incidents.total:,} incidents)")
    seconds, found = timed(lambda: dash_figures.dashboard(organisation, verified_only=True))
    print(f"dashboard, verified only: {seconds * 1000:.0f} ms "
          f"({found.incidents.total:,} verified incidents)")
    statement = Statement.objects.create(organisation=organisation, text_ar="بيان " * 200,
                                         figures=dash_figures.public_figures(organisation),
                                         published=timezone.now())
    context = dash_views._statement_context(statement)
    seconds, pdf = timed(lambda: statements.pdf(statement, context), runs=3)
    print(f"statement PDF: {seconds * 1000:.0f} ms ({len(pdf):,} bytes)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=5000)
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    with benchmark_database("observation_dashboard") as url:
        return measure(url, args.stations)


if __name__ == "__main__":
    raise SystemExit(main())
