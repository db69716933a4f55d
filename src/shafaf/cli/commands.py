"""``shafaf serve``, ``shafaf worker``, ``shafaf audit verify`` and ``shafaf manage``."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import threading


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser(
        "serve", help="serve the application in production (gunicorn)",
        description="Serve Shafaf with gunicorn. Settings come from the environment "
                    "(SHAFAF_SECRET_KEY, SHAFAF_ALLOWED_HOSTS, DATABASE_URL; see the README). "
                    "Apply migrations first with `shafaf manage migrate`.")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    # Processes beat threads for Python's CPU-bound page rendering: two workers per
    # core, each with a few threads for requests that wait on the database.
    serve.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                       help="worker processes (default: two per core)")
    serve.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    serve.add_argument("--no-jobs", action="store_true",
                       help="do not start a background-job worker beside the server (run "
                            "`shafaf worker` elsewhere instead)")
    serve.set_defaults(run=run_serve)

    worker = subparsers.add_parser(
        "worker", help="run background jobs (imports, duplicate detection) as they are queued",
        description="Run the background jobs pages queue (a national import, duplicate "
                    "detection), one at a time, until stopped. `shafaf serve` starts one "
                    "itself unless given --no-jobs.")
    worker.add_argument("--once", action="store_true",
                        help="run the jobs waiting now, then stop")
    worker.set_defaults(run=run_worker)

    from shafaf.cli import audit

    audit.add_parsers(subparsers)

    manage = subparsers.add_parser("manage", help="run a Django management command",
                                   add_help=False)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(run=run_manage)


def run_serve(args: argparse.Namespace) -> int:
    from shafaf.cli.web import serve, setup_django

    setup_django("production")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    return serve(host=args.host, port=args.port, workers=args.workers, threads=args.threads,
                 jobs=None if args.no_jobs else "production")


def run_worker(args: argparse.Namespace) -> int:
    from shafaf.cli.web import DatabaseNotReady, setup_django, stderr

    try:
        setup_django(migrated=True)
    except DatabaseNotReady as error:
        stderr(f"shafaf worker: {error}")
        return 2
    from shafaf.jobs import worker

    if args.once:
        worker.run_pending()
        return 0
    stop = threading.Event()
    # `shafaf serve` stops its worker with SIGTERM: finish the job at hand, then stop.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        worker.loop(stop=stop)
    return 0


def run_manage(args: argparse.Namespace) -> int:
    from shafaf.cli.web import manage, setup_django

    setup_django()
    return manage(args.args)
