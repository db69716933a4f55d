"""The benchmarks' databases (benchmarks/bench_database.py): each run makes its own,
named as a benchmark's, and drops that one alone; DATABASE_URL is never read."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_database


class Server:
    """Stands in for a PostgreSQL server: records where each statement was sent."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, str]] = []  # (database connected to, statement)

    def connect(self, url: str, **_options: object) -> Connection:
        return Connection(self, url.rsplit("/", 1)[1])


class Connection:
    def __init__(self, server: Server, database: str) -> None:
        self.server, self.database = server, database

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_exc: object) -> None:
        pass

    def execute(self, statement: sql.Composable) -> None:
        self.server.statements.append((self.database, repr(statement)))


@pytest.fixture
def server(monkeypatch) -> Server:
    fake = Server()
    monkeypatch.setattr(psycopg, "connect", fake.connect)
    monkeypatch.setenv("DATABASE_URL", "postgres://prod@db.example:5432/shafaf")
    monkeypatch.setenv("BENCHMARK_DATABASE_URL", "postgres://ci@10.0.0.2:5433/shafaf_ci")
    return fake


def test_the_server_comes_from_its_own_variable_never_database_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://prod@db.example:5432/shafaf")
    monkeypatch.delenv("BENCHMARK_DATABASE_URL", raising=False)
    assert bench_database.server_url() == "postgres://postgres@127.0.0.1:5432/postgres"
    monkeypatch.setenv("BENCHMARK_DATABASE_URL", "postgres://ci@10.0.0.2:5433/shafaf_ci")
    # The database it names is not used: only the server's maintenance database.
    assert bench_database.server_url() == "postgres://ci@10.0.0.2:5433/postgres"


def test_a_run_creates_a_new_benchmark_database_and_drops_that_one_alone(server):
    with bench_database.benchmark_database("imports") as url:
        name = url.rsplit("/", 1)[1]
        assert url == f"postgres://ci@10.0.0.2:5433/{name}"
        assert name.startswith("shafaf_bench_imports_")
        assert server.statements == [
            ("postgres", f"Composed([SQL('CREATE DATABASE '), Identifier('{name}')])")]
    assert server.statements[1:] == [
        ("postgres", f"Composed([SQL('DROP DATABASE IF EXISTS '), Identifier('{name}'), "
                     "SQL(' WITH (FORCE)')])")]


def test_each_run_has_a_database_of_its_own(server):
    with bench_database.benchmark_database("page") as first, \
            bench_database.benchmark_database("page") as second:
        assert first != second


def test_the_database_is_dropped_when_the_benchmark_fails(server):
    with pytest.raises(RuntimeError), bench_database.benchmark_database("page"):
        raise RuntimeError("the server did not start")
    assert [statement.split("'")[1] for _, statement in server.statements] == [
        "CREATE DATABASE ", "DROP DATABASE IF EXISTS "]
