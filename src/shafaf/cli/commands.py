"""``shafaf serve``, ``shafaf audit verify`` and ``shafaf manage``."""

from __future__ import annotations

import argparse
import os


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
    serve.set_defaults(run=run_serve)

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
    return serve(host=args.host, port=args.port, workers=args.workers, threads=args.threads)


def run_manage(args: argparse.Namespace) -> int:
    from shafaf.cli.web import manage, setup_django

    setup_django()
    return manage(args.args)
