"""How fast the public forensics pages answer for a Baghdad-sized publication, cold and
warm (docs/forensics.md, "The pages").

A synthetic publication of Baghdad (``--stations`` stations, default 6,300, about
Baghdad's share of 2023's 35,560; 30 lists, each with its list-alone row and
``--candidates`` candidate rows: 570,000 vote rows, some 12 MB of ``votes.csv``), made
by ``benchmarks/forensics.py``'s generator and stored as a publication's files in a
new SQLite database, or with ``--postgres`` in a PostgreSQL database of its own on the
server of BENCHMARK_DATABASE_URL (bench_database.py; dropped at the end). The figures
are read from the publication's files; the database only holds them.

1. **cold**: the first request of ``/results/gc-2023/IQ-BG/forensics/``: the files
   read from the database, ``shafaf forensics report`` run on them in a child process
   (start-up included), the summary and three plots stored under the publication's
   manifest SHA-256, the page rendered.
2. **warm**: the ``--requests`` requests after it, each reading the stored figures:
   median and 95th percentile; and the same for each plot's SVG.
3. **the election's page**, cold and warm, over the same one governorate (the files
   joined, the command run with ``--stations``).

Run it from the project root::

    .venv/bin/python benchmarks/forensics_pages.py [--stations 6300] [--requests 100]
        [--postgres]

Figures are printed, never asserted; it exits 1 only if a sanity check fails (a
request that is not 200, or a warm request that computed the figures again).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _ms(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return f"median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=6300)
    parser.add_argument("--candidates", type=int, default=2)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--postgres", action="store_true",
                        help="store the publication in PostgreSQL, not SQLite")
    args = parser.parse_args()
    if not args.postgres:
        os.environ.pop("DATABASE_URL", None)
        return run(args)
    from bench_database import benchmark_database, server_url, unreachable

    server = server_url()
    why_not = unreachable(server)
    if why_not:
        print(f"PostgreSQL unreachable: {why_not} ({server})")
        return 1
    with benchmark_database("forensics_pages", server) as url:
        os.environ["DATABASE_URL"] = url
        try:
            return run(args)
        finally:
            from django.db import connections

            connections.close_all()


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="shafaf-bench-forensics-pages-") as data_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "shafaf.web.settings.development"
        os.environ["SHAFAF_DATA_DIR"] = data_dir
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.utils import timezone

        from forensics import write_files
        from shafaf.accounts.models import User
        from shafaf.elections import actions
        from shafaf.elections.models import Contest
        from shafaf.results import forensics
        from shafaf.results.models import Publication, PublicationFile

        call_command("migrate", interactive=False, verbosity=0)
        actions.load_governorates(actor=None)
        election = actions.create_council_election_2023(actor=None)
        contest = Contest.objects.get(election=election, governorate__code="IQ-BG")
        folder = Path(data_dir) / "files"
        folder.mkdir()
        started = time.perf_counter()
        write_files(folder, args.stations, args.candidates)
        files = {name: (folder / name).read_bytes() for name in ("votes.csv", "forms.csv")}
        files["lists.csv"] = b"list_id,name\n" + b"".join(
            f"L{j:02d},List {j}\n".encode() for j in range(30))
        files["manifest.json"] = b'{"synthetic": true}\n'
        admin = User.objects.create_user(username="bench", role="admin")
        publication = Publication.objects.create(
            contest=contest, stage="preliminary", stations_total=args.stations,
            stations_counted=args.stations,
            manifest_sha256=hashlib.sha256(files["votes.csv"] + files["forms.csv"]).hexdigest(),
            published_at=timezone.now(), published_by=admin)
        PublicationFile.objects.bulk_create(
            PublicationFile(publication=publication, name=name, content=content,
                            content_type="text/csv", sha256=hashlib.sha256(content).hexdigest())
            for name, content in files.items())
        rows = files["votes.csv"].count(b"\n") - 1
        engine = "PostgreSQL" if args.postgres else "SQLite"
        print(f"Baghdad-sized publication in {engine}: {args.stations:,} stations, "
              f"{rows:,} vote rows, "
              f"{len(files['votes.csv']) / 1e6:.1f} MB of votes.csv (made in "
              f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} cores here)")

        computed = 0
        real_report = forensics._report

        def counted(*a: object, **k: object) -> object:
            nonlocal computed
            computed += 1
            return real_report(*a, **k)  # type: ignore[arg-type]

        forensics._report = counted  # type: ignore[assignment]
        client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="ar")
        statuses = []

        def get(url: str) -> float:
            started = time.perf_counter()
            statuses.append(client.get(url).status_code)
            return time.perf_counter() - started

        for label, page, plots in (
                ("governorate", "/results/gc-2023/IQ-BG/forensics/",
                 "/results/gc-2023/IQ-BG/forensics/"),
                ("election", "/results/gc-2023/forensics/", "/results/gc-2023/forensics/")):
            before = computed
            cold = get(page)
            warm = [get(page) for _ in range(args.requests)]
            svg = {kind: [get(f"{plots}{kind}.svg") for _ in range(args.requests)]
                   for kind in forensics.PLOTS}
            print(f"{label} page, cold (files read, the command run, figures stored): "
                  f"{cold:.2f} s")
            print(f"{label} page, warm, {len(warm)} requests: {_ms(warm)}")
            for kind, times in svg.items():
                print(f"  {kind}.svg, warm: {_ms(times)}")
            if computed - before != 1:
                print(f"SANITY CHECK FAILED: the {label}'s figures were computed "
                      f"{computed - before} times for {1 + len(warm) * 4} requests")
                return 1
        if set(statuses) != {200}:
            print(f"SANITY CHECK FAILED: answers {sorted(set(statuses))}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
