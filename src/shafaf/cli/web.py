"""Commands that need the web platform: they start Django first, and only then."""

from __future__ import annotations

import gc
import os
import subprocess
import sys


class DatabaseNotReady(Exception):
    """The database has not been set up, or not for this version of Shafaf."""


def setup_django(environment: str | None = None, *, migrated: bool = False) -> None:
    """Start Django with the settings of ``environment`` (default: SHAFAF_ENV, else
    development). An explicit DJANGO_SETTINGS_MODULE wins. With ``migrated``, a
    database that lacks any of this version's migrations is :class:`DatabaseNotReady`
    (a command that reads it would otherwise end in a database error's traceback)."""
    environment = environment or os.environ.get("SHAFAF_ENV") or "development"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"shafaf.web.settings.{environment}")
    import django

    django.setup()
    if migrated:
        _require_migrated()


def _require_migrated() -> None:
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        raise DatabaseNotReady(f"the database cannot be read ({error})") from None
    if pending:
        raise DatabaseNotReady(
            f"the database lacks {len(pending)} of this version's migrations: run "
            "'shafaf manage migrate' (or 'shafaf demo --no-serve' for the demo) first")


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def start_jobs(environment: str) -> subprocess.Popen[bytes]:
    """A ``shafaf worker`` beside the server, with the same settings, so that one
    command runs the whole site, background jobs included."""
    return subprocess.Popen([sys.executable, "-m", "shafaf", "worker"],
                            env={**os.environ, "SHAFAF_ENV": environment})


def serve(*, host: str, port: int, workers: int, threads: int,
          jobs: str | None = None) -> int:
    """Serve with gunicorn (threads per worker), static files by WhiteNoise; with
    ``jobs`` (the settings' environment), a job worker beside it for as long."""
    from gunicorn.app.base import BaseApplication

    from shafaf.web.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
        def load_config(self) -> None:
            for key, value in {"bind": f"{host}:{port}", "workers": workers,
                               "threads": threads, "worker_class": "gthread",
                               "accesslog": None, "timeout": 120,
                               # Gunicorn would believe X-Forwarded-Proto from 127.0.0.1
                               # on its own; Django alone decides, from
                               # SHAFAF_PROXY_SSL_HEADER (docs/deployment.md).
                               "secure_scheme_headers": {}}.items():
                self.cfg.set(key, value)

        def load(self) -> object:
            return application

    worker = start_jobs(jobs) if jobs else None
    # Collect what the set-up left behind before gunicorn forks its workers: an
    # extension's object freed for the first time in a forked worker (seen with the
    # demo's second run, which reads its data set up before) crashed that worker.
    gc.collect()
    try:
        Server().run()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


def manage(argv: list[str]) -> int:
    """Any Django management command: ``shafaf manage createsuperuser``."""
    from django.core.management import execute_from_command_line

    execute_from_command_line(["shafaf manage", *argv])
    return 0


def stderr(message: str) -> None:
    print(message, file=sys.stderr)
