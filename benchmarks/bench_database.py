"""Databases for the benchmarks: their own, never one they did not create.

A benchmark that needs PostgreSQL reads the server from ``BENCHMARK_DATABASE_URL``
(default postgres://postgres@127.0.0.1:5432/postgres), never from ``DATABASE_URL``, the
variable production uses. It creates a database of its own on that server, named
``shafaf_bench_<benchmark>_<random>`` so that anyone looking at the server sees what
it is, and drops that database, and only that one, when it is done. The database
named in the URL is ignored: creating and dropping go through the server's
``postgres`` maintenance database, so the URL of a test database that does not
exist yet (CI's) serves as well.

    with benchmark_database("imports") as url:
        ...  # url names the new, empty database

CI gives its PostgreSQL server as ``BENCHMARK_DATABASE_URL`` (.ci/run).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

VARIABLE = "BENCHMARK_DATABASE_URL"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PREFIX = "shafaf_bench_"


def server_url() -> str:
    """The server's maintenance database, from BENCHMARK_DATABASE_URL."""
    url = urlparse(os.environ.get(VARIABLE) or DEFAULT_SERVER)
    return url._replace(path="/postgres").geturl()


def unreachable(url: str) -> str | None:
    """Why the server of ``url`` cannot be used, or None if it can."""
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]


@contextmanager
def benchmark_database(benchmark: str, server: str | None = None) -> Iterator[str]:
    """A new empty database for ``benchmark`` on the server of ``server`` (default:
    BENCHMARK_DATABASE_URL); yields its URL and drops it afterwards."""
    import psycopg
    from psycopg import sql

    admin = urlparse(server or server_url())._replace(path="/postgres").geturl()
    name = f"{PREFIX}{benchmark}_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        # CREATE fails if the name exists: a database is only ever dropped by the run
        # that created it.
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlparse(admin)._replace(path="/" + name).geturl()
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
