"""How fast an organisation's accreditation badges are printed as one PDF.

What it measures: 5,000 accredited observers of one organisation (synthetic names,
spread over its governorates, a photo for one in ten), each with a badge; then what a
coordinator's "Prepare the badges PDF" sets going: the job queued and run by the job
worker (``shafaf.observation.badge_job``): the cards built from the database (each
QR code drawn), laid out by WeasyPrint (Arabic shaped by Pango/HarfBuzz) at card size,
85.6 × 54 mm, one card a page, in chunks of 250 on up to two processes, joined by
pypdf and written to the file the coordinator downloads. Target: under 60 s.

Figures: the seconds from the job's start to its file, the pages and the PDF's size;
with ``--single``, also ``badges.render`` on one process, for comparison. Checked,
not timed: the file has a page per badge and the last page's text carries the last
observer's code.

The database is PostgreSQL, a new ``shafaf_bench_accred_badges_*`` database on
BENCHMARK_DATABASE_URL's server, dropped afterwards. Run it from the project root::

    .venv/bin/python benchmarks/observation_badges.py [--observers 5000] [--single]

Timings are printed against the target, never asserted: exit 0 whatever they are, 1
only if a sanity check fails.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from bench_database import benchmark_database

TARGET_SECONDS = 60.0
PHOTO_EVERY = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observers", type=int, default=5000)
    parser.add_argument("--single", action="store_true",
                        help="also lay the badges out on one process, for comparison")
    args = parser.parse_args()
    with benchmark_database("accred_badges") as url:
        return measure(url, args)


def measure(url: str, args: argparse.Namespace) -> int:
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE":
                       "shafaf.web.settings.development",
                       "SHAFAF_DATA_DIR": tempfile.mkdtemp(prefix="shafaf-bench-")})
    import django

    django.setup()
    from django.core.management import call_command
    from PIL import Image
    from pypdf import PdfReader

    from shafaf.access.roles import Role
    from shafaf.accounts.models import User
    from shafaf.core.badge_codes import shown
    from shafaf.elections import actions
    from shafaf.elections.models import Governorate
    from shafaf.jobs import worker
    from shafaf.observation import badge_job, badges, codes
    from shafaf.observation.models import Badge, Coordinator, Observer, Organisation

    call_command("migrate", interactive=False, verbosity=0)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    organisation = Organisation.objects.create(
        election=election, name_ar="شبكة الرقابة المدنية التجريبية", code="CSO-0001",
        contact_name="x", contact_email="x@example.org", status="approved")
    places = list(Governorate.objects.filter(code__in=("IQ-KI", "IQ-BG", "IQ-NI", "IQ-BA")))
    organisation.governorates.set(places)
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (90, 110, 130)).save(out, format="PNG")
    photo = out.getvalue()
    now = datetime.now(UTC)
    first = ("علي", "حسن", "زينب", "فاطمة", "محمد", "سارة", "عمر", "نور")
    family = ("الجبوري", "العبيدي", "الكردي", "التميمي", "الساعدي")
    Observer.objects.bulk_create(
        Observer(organisation=organisation, full_name=f"{first[n % 8]} {first[n // 8 % 8]} "
                 f"{family[n % 5]} {n}", birth_date=date(1980 + n % 20, 1, 1),
                 sex="MF"[n % 2], governorate=places[n % len(places)],
                 status="accredited", conduct_accepted=now,
                 photo=photo if n % PHOTO_EVERY == 0 else None,
                 photo_type="image/png" if n % PHOTO_EVERY == 0 else "")
        for n in range(args.observers))
    Badge.objects.bulk_create(
        Badge(observer=observer, code=codes.new_code(), issued=now,
              expires=now + timedelta(days=30))
        for observer in Observer.objects.filter(organisation=organisation))
    chosen = list(Badge.objects.filter(observer__organisation=organisation)
                  .select_related("observer__organisation", "observer__governorate")
                  .order_by("observer__full_name"))
    print(f"Badges for {len(chosen):,} observers of one organisation "
          f"({len(chosen) // PHOTO_EVERY:,} with a photo), card size, one PDF")
    failed = False

    def report(what: str, seconds: float, pdf: bytes) -> None:
        nonlocal failed
        reader = PdfReader(io.BytesIO(pdf))
        pages = len(reader.pages)
        ok = pages == len(chosen) and shown(chosen[-1].code) in reader.pages[-1].extract_text()
        failed |= not ok
        verdict = "meets" if seconds < TARGET_SECONDS else "MISSES"
        print(f"  {what}: {seconds:6.1f} s, {pages:,} pages, {len(pdf) / 1e6:.1f} MB, "
              f"{seconds / max(pages, 1) * 1000:.1f} ms a badge "
              f"({verdict} the {TARGET_SECONDS:.0f} s target){'' if ok else '  CHECK FAILED'}")

    coordinator = User.objects.create_user(username="coordinator", password=None,
                                           role=Role.CSO_COORDINATOR)
    Coordinator.objects.create(user=coordinator, organisation=organisation)
    job = badge_job.queue(actor=coordinator, organisation=organisation,
                          base="https://shafaf.example/")
    started = time.perf_counter()
    worker.run_pending()
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    if job.state != "done":
        print(f"  the job failed: {job.lines}")
        return 1
    report(f"the job ({min(2, os.cpu_count() or 1)} processes)", seconds,
           badge_job.path_of(job.params["file"]).read_bytes())
    if args.single:
        started = time.perf_counter()
        pdf = badges.render(chosen, "https://shafaf.example/", workers=1)
        report("1 process", time.perf_counter() - started, pdf)
    from django.db import connections

    connections.close_all()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    sys.exit(main())
