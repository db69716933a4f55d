"""How many audited actions per second the audit chain takes, with 1 and 8 writers.

What it measures: writer processes each doing real audited actions as fast as they
can: in one transaction, a small model write (a governorate's English name) and
``shafaf.audit.actions.record`` of its event. Each configuration runs for a fixed
number of actions per writer; the figure is actions committed per second of wall
time, from the first writer's start to the last writer's end. The chain is then
verified (every event present, gapless, linked): a fast chain that breaks is no
result.

Target (issue 9): at least 1,000 audited actions per second with 8 concurrent
writers on PostgreSQL, every guarantee kept (gapless sequence, chain, the event
atomic with its action, committed durably).

PostgreSQL only (SQLite takes one writer at a time by design): a new database of its
own (``shafaf_bench_audit_<random>``) on the server of BENCHMARK_DATABASE_URL (never
DATABASE_URL; see bench_database.py), dropped at the end.

    .venv/bin/python benchmarks/audit_throughput.py

Figures are printed against the target, never asserted.

``--without-disk-wait`` adds a diagnostic run with the benchmark database set to
``synchronous_commit = off``, as a stand-in for a disk whose flushes cost nothing (a
write cache): it shows how far each way of sealing goes when the commit's wait for
the disk is taken away. It is never a configuration for Shafaf (decision 0014).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time

from bench_database import benchmark_database, server_url, unreachable

TARGET = 1000.0
MEASURE = "--measure"
SEALING = "SHAFAF_BENCH_SEALING"
MODES = {"in-transaction": "sealed in the action's transaction (one lock until commit)",
         "after-commit": "written unsealed with the action, sealed in batches after "
                         "its commit (the default on PostgreSQL)"}
ACTIONS_PER_WRITER = {1: 600, 8: 400}


def _writer(index: int, count: int, start: float) -> None:
    from django.db import connection, transaction

    from shafaf.audit.actions import record
    from shafaf.elections.models import Governorate

    governorate = Governorate.objects.order_by("pk")[index % Governorate.objects.count()]
    while time.time() < start:
        time.sleep(0.001)
    for i in range(count):
        with transaction.atomic():
            Governorate.objects.filter(pk=governorate.pk).update(name_en=f"G{index}-{i}")
            record(actor=None, action="bench.touch", target=governorate,
                   data={"writer": index, "i": i})
    connection.close()


def measure() -> dict[str, object]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    settings.SHAFAF_AUDIT_SEAL_AFTER_COMMIT = os.environ[SEALING] == "after-commit"

    from shafaf.audit.models import AuditEvent
    from shafaf.audit.selectors import verify
    from shafaf.elections import actions

    call_command("migrate", interactive=False, verbosity=0)
    actions.load_governorates(actor=None)
    results: dict[str, object] = {}
    context = multiprocessing.get_context("fork")
    for writers, per_writer in ACTIONS_PER_WRITER.items():
        before = AuditEvent.objects.count()
        connections.close_all()  # never share a connection with the children
        start = time.time() + 0.5
        processes = [context.Process(target=_writer, args=(i, per_writer, start))
                     for i in range(writers)]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        elapsed = time.time() - start
        done = AuditEvent.objects.count() - before
        results[str(writers)] = {"actions": done, "seconds": elapsed,
                                 "per_second": done / elapsed,
                                 "failed": sum(p.exitcode != 0 for p in processes)}
    from shafaf.audit.actions import seal_pending
    from shafaf.audit.selectors import unsealed

    results["left_unsealed"] = unsealed()
    seal_pending(wait=True)
    status = verify()
    results["chain"] = {"events": status.events, "intact": status.intact,
                        "gapless": status.events == AuditEvent.objects.count()}
    return results


def run_measurement(database_url: str, mode: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="shafaf-bench-") as data_dir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shafaf.web.settings.development",
               "SHAFAF_DATA_DIR": data_dir, "DATABASE_URL": database_url, SEALING: mode}
        done = subprocess.run([sys.executable, __file__, MEASURE], env=env, check=True,  # noqa: S603
                              capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def report(result: dict[str, object]) -> None:
    for writers in ACTIONS_PER_WRITER:
        figures = result[str(writers)]
        assert isinstance(figures, dict)
        line = (f"{writers} writer{'s' if writers > 1 else ' '}  {figures['actions']:>6,} actions "
                f"in {figures['seconds']:6.2f} s  {figures['per_second']:>8,.0f}/s")
        if writers == 8:
            line += "   " + ("meets" if figures["per_second"] >= TARGET else "MISSES") + \
                " the target"
        if figures["failed"]:
            line += f"   ({figures['failed']} writers FAILED)"
        print(line)
    chain = result["chain"]
    assert isinstance(chain, dict)
    print(f"chain after the run: {chain['events']:,} events, "
          f"{'intact' if chain['intact'] else 'BROKEN'}, "
          f"{'every event sealed' if chain['gapless'] else 'EVENTS MISSING'} "
          f"({result['left_unsealed']} left unsealed when the writers ended)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(MEASURE, action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--without-disk-wait", action="store_true",
                        help="also measure with synchronous_commit off (a diagnostic)")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return 0
    server = server_url()
    why_not = unreachable(server)
    if why_not:
        print(f"Audit throughput skipped: PostgreSQL unreachable: {why_not} ({server})")
        return 0
    print(f"Audited actions per second on PostgreSQL; target: {TARGET:,.0f}/s with 8 writers")
    for mode, meaning in MODES.items():
        print(f"-- {mode}: {meaning}")
        with benchmark_database("audit", server) as postgres:
            report(run_measurement(postgres, mode))
    if args.without_disk_wait:
        import psycopg

        for mode in MODES:
            print(f"-- {mode}, DIAGNOSTIC: commits not waiting for the disk")
            with benchmark_database("audit", server) as postgres:
                name = postgres.rsplit("/", 1)[1]
                with psycopg.connect(server, autocommit=True) as connection:
                    connection.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
                report(run_measurement(postgres, mode))
    return 0


if __name__ == "__main__":
    sys.exit(main())
