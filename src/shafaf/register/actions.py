"""Every write to the voter register, each with its audit event.

The SQL here is built from this module's own constants (table and column names),
never from input; every value is a parameter.
"""
# ruff: noqa: S608

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from shafaf.access.checks import governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.elections.models import Election, PollingCentre
from shafaf.register import bulk, imports
from shafaf.register.finality import refuse_if_final
from shafaf.register.models import Voter, VoterChange
from shafaf.tabular import Problems, Table

# (rows read or written so far, rows in all: 0 while the file is still being read)
Progress = Callable[[int, int], None]

# Rows per executemany on SQLite, and between two progress reports.
BATCH = 5_000
STAGING = "register_voter_staging"
# A file of at least this many rows, and more than the register holds, is a bulk
# load (_bulk_load).
BULK_LOAD = 100_000
# Staged and compared: everything a file sets. Status, card and station are the
# campaign's and the station filling's, never an import's.
COMPARED = ("first_name", "father_name", "grandfather_name", "family_name", "mother_name",
            "sex", "birth_date", "centre_id", "governorate_id", "category")
STAGED = ("row_number", "voter_number", *COMPARED, "sort_key")


def _(message: str) -> str:
    return str(gettext(message))


def _number(value: int) -> str:
    return str(number_format(value, force_grouping=True))


@dataclass(frozen=True)
class VoterImport:
    file: str
    sha256: str
    rows: int
    created: int
    updated: int

    @property
    def unchanged(self) -> int:
        return self.rows - self.created - self.updated

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def audit_data(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "rows": self.rows,
                "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged}

    def text(self) -> str:
        text = _("%(file)s: voters: %(created)s created, %(updated)s updated, %(unchanged)s "
                 "unchanged.") % {"file": self.file, "created": _number(self.created),
                                  "updated": _number(self.updated),
                                  "unchanged": _number(self.unchanged)}
        if not self.changed:
            text += " " + _("Nothing changed.")
        return text


def import_voters(*, actor: Visitor | None, election: Election, name: str,
                  content: bytes | IO[bytes], progress: Progress | None = None,
                  today: date | None = None) -> VoterImport:
    """Create or update voters from a register file (CSV, plain or gzip): all of it, or
    nothing and :class:`~shafaf.tabular.ImportRejected` with every problem. Voters
    are matched by their number; only real changes are written, each with its
    history. Voters absent from the file are kept, never removed.

    The rows are checked as they are read and staged in a temporary table (``COPY``
    on PostgreSQL), then checked as a whole and merged with a few set-wise
    statements: memory stays flat whatever the file's size."""
    scope = None
    if actor is not None:
        actor = require(actor, Capability.IMPORT_REGISTER)
        scope = governorate_scope(actor)
    today = today or timezone.localdate()
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    start = stream.tell()
    table = imports.read_table(name=name, content=stream)
    with transaction.atomic():
        # Locking the election serialises concurrent imports into it.
        election = Election.objects.select_for_update().get(pk=election.pk)
        refuse_if_final(election)
        centres_in = PollingCentre.objects.filter(election=election)
        if scope is not None:
            centres_in = centres_in.filter(governorate_id=scope)
        centres = {code: (pk, governorate) for code, pk, governorate
                   in centres_in.values_list("code", "pk", "governorate_id")}
        with connection.cursor() as cursor:
            rows = None
            if connection.vendor == "postgresql":
                # Room for the staging's joins and the duplicate search to hash in
                # memory rather than spill to disk, for this transaction only.
                cursor.execute("SET LOCAL work_mem = '256MB'")
            if connection.vendor == "postgresql" and bulk.eligible(name, _head(stream, start)):
                rows = _bulk_stage(cursor, stream, start, table, centres=centres,
                                   polling_day=election.polling_day, today=today,
                                   progress=progress)
            if rows is None:
                # Row by row: SQLite, XLSX, and every file COPY cannot read as
                # Python's reader does.
                stream.seek(start)
                table = imports.read_table(name=name, content=stream)
                checked = (imports.check_row(row, table, centres=centres,
                                             polling_day=election.polling_day, today=today,
                                             problems=table.problems) for row in table.rows)
                _create_staging(cursor)
                rows = _stage(cursor, (row for row in checked if row is not None), progress)
            problems = table.problems
            _duplicates(cursor, problems)
            problems.raise_if_any()
            summary = _merge(cursor, actor=actor, file=name, sha256=table.sha256,
                             rows=rows)
            cursor.execute(f"DROP TABLE {STAGING}")
        if progress:
            progress(rows, rows)
        if summary.changed:
            record(actor=actor, action="register.import_voters", target=election,
                   data={"election": election.code, **summary.audit_data()})
    return summary


def _head(stream: IO[bytes], start: int) -> bytes:
    """The file's first bytes (the reader has read past them already)."""
    at = stream.tell()
    stream.seek(start)
    head = stream.read(4)
    stream.seek(at)
    return head


def _bulk_stage(cursor: Any, stream: IO[bytes], start: int, table: Table, *,
                centres: dict[str, tuple[int, int]], polling_day: date, today: date,
                progress: Progress | None) -> int | None:
    """The fast path (shafaf.register.bulk): the number of rows staged, or None
    when the file must be read row by row."""
    import psycopg

    stream.seek(start)
    try:
        with transaction.atomic():  # a savepoint: a refused COPY leaves nothing
            width, index = bulk.load(cursor, stream, table.name, progress, imports.ROWS_LIMIT)
    except (bulk.GiveWay, psycopg.Error, DatabaseError):
        return None
    bulk.check(cursor, width=width, index=index, table=table, centres=centres,
               polling_day=polling_day, today=today)
    cursor.execute(f"SELECT count(*) FROM {STAGING}")
    (rows,) = cursor.fetchone()
    return int(rows)


def _create_staging(cursor: Any) -> None:
    day = "date" if connection.vendor == "postgresql" else "text"
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGING} (row_number integer NOT NULL, "
        "voter_number text NOT NULL, first_name text NOT NULL, father_name text NOT NULL, "
        "grandfather_name text NOT NULL, family_name text NOT NULL, "
        f"mother_name text NOT NULL, sex text NOT NULL, birth_date {day} NOT NULL, "
        "centre_id integer NOT NULL, governorate_id integer NOT NULL, "
        "category text NOT NULL, sort_key text NOT NULL)")


def _values(row: imports.VoterRow) -> tuple[Any, ...]:
    return (row.row, row.voter_number, row.first_name, row.father_name, row.grandfather_name,
            row.family_name, row.mother_name, row.sex,
            row.birth_date if connection.vendor == "postgresql" else row.birth_date.isoformat(),
            row.centre_id, row.governorate_id, row.category, row.sort_key)


# COPY's text format: a backslash, tab or line break inside a value is escaped (the
# checks refuse control characters already; this keeps COPY safe on its own).
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_line(row: imports.VoterRow) -> str:
    text = (row.voter_number, row.first_name, row.father_name, row.grandfather_name,
            row.family_name, row.mother_name, row.sex)
    return "\t".join((str(row.row), *(value.translate(_COPY_ESCAPES) for value in text),
                      row.birth_date.isoformat(), str(row.centre_id), str(row.governorate_id),
                      row.category, row.sort_key.translate(_COPY_ESCAPES))) + "\n"


def _stage(cursor: Any, rows: Iterator[imports.VoterRow], progress: Progress | None) -> int:
    """Write the checked rows into the staging table; returns how many."""
    count = 0
    if connection.vendor == "postgresql":
        # psycopg 3's COPY in its text format, a batch of lines at a time: rows stream
        # to the server as they are checked, without psycopg adapting each value.
        with cursor.cursor.copy(f"COPY {STAGING} ({', '.join(STAGED)}) FROM STDIN") as copy:
            lines: list[str] = []
            for row in rows:
                lines.append(_copy_line(row))
                if len(lines) == BATCH:
                    copy.write("".join(lines))
                    count += len(lines)
                    lines = []
                    if progress:
                        progress(count, 0)
            if lines:
                copy.write("".join(lines))
                count += len(lines)
        return count
    insert = (f"INSERT INTO {STAGING} ({', '.join(STAGED)}) "
              f"VALUES ({', '.join(['%s'] * len(STAGED))})")
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(_values(row))
        if len(batch) == BATCH:
            cursor.executemany(insert, batch)
            count += len(batch)
            batch = []
            if progress:
                progress(count, 0)
    if batch:
        cursor.executemany(insert, batch)
        count += len(batch)
    return count


def _duplicates(cursor: Any, problems: Problems) -> None:
    """A voter number twice in the file: every later row is a problem."""
    cursor.execute(
        f"SELECT s.row_number, s.voter_number, d.first FROM {STAGING} s JOIN "
        f"(SELECT voter_number, MIN(row_number) AS first FROM {STAGING} "
        "GROUP BY voter_number HAVING COUNT(*) > 1) d ON d.voter_number = s.voter_number "
        "WHERE s.row_number > d.first ORDER BY s.row_number")
    for row, number, first in cursor.fetchall():
        problems.add(row, "voter_number", _("duplicate voter number %(number)s (first at row "
                                            "%(row)d)"), {"number": number, "row": first})


def _json(alias: str) -> str:
    """The fields that differ between the register (``v``) and the file (``s``), as
    a JSON object of ``alias``'s values: the others are left out (null, then
    stripped)."""
    pairs = ", ".join(f"'{c}', CASE WHEN v.{c} <> s.{c} THEN {alias}.{c} END"
                      for c in COMPARED)
    if connection.vendor == "postgresql":
        return f"jsonb_strip_nulls(jsonb_build_object({pairs}))"
    return f"json_patch('{{}}', json_object({pairs}))"  # a null in a patch removes the key


def _bulk_load(cursor: Any, rows: int) -> list[str]:
    """For a file larger than the register (the national load, a new register): the
    register's foreign keys and secondary indexes are dropped before the insert and
    built again after it, in the same transaction. One sort per index and one join
    per key check cost far less than millions of index insertions and of deferred
    key checks at commit. The statements that restore them; none for a smaller file."""
    voters = Voter._meta.db_table
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [voters])
    (held,) = cursor.fetchone()
    if rows < BULK_LOAD or rows <= held:
        return []
    # The foreign keys, and the voter number's unique constraint: its index built in
    # one sort costs a fraction of 16 million insertions into it (the file's numbers
    # are already known to be unique, and new to the register).
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')", [voters])
    keys = cursor.fetchall()
    cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM "
                   "pg_index WHERE indrelid = %s::regclass AND NOT indisunique", [voters])
    indexes = cursor.fetchall()
    # A table with key checks still pending in this transaction cannot be altered:
    # they are run now (and deferred again once the keys are back).
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, _definition in keys:
        cursor.execute(f'ALTER TABLE {voters} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {voters} ADD CONSTRAINT "{name}" {definition}'
        for name, definition in keys] + ["SET CONSTRAINTS ALL DEFERRED"]


def _merge(cursor: Any, *, actor: Visitor | None, file: str, sha256: str,
           rows: int) -> VoterImport:
    voters, changes = Voter._meta.db_table, VoterChange._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    differs = " OR ".join(f"v.{c} <> s.{c}" for c in COMPARED)
    join = f"{voters} v JOIN {STAGING} s ON s.voter_number = v.voter_number"
    reason = f"import {file} ({sha256[:12]})"[:200]
    if connection.vendor == "postgresql":
        # One join of the file with the register finds the changed voters; their
        # history and their update are written from it.
        cursor.execute(
            f"WITH changed AS MATERIALIZED (SELECT v.id, {_json('v')} AS before, "
            f"{_json('s')} AS after, {', '.join(f's.{c}' for c in COMPARED)}, s.sort_key "
            f"FROM {join} WHERE {differs}), history AS (INSERT INTO {changes} "
            "(voter_id, at, actor_id, before, after, reason) SELECT id, %s, %s, before, "
            f"after, %s FROM changed) UPDATE {voters} SET "
            f"{', '.join(f'{c} = c.{c}' for c in COMPARED)}, sort_key = c.sort_key, "
            f"updated = %s FROM changed c WHERE {voters}.id = c.id",
            [now, getattr(actor, "pk", None), reason, now])
        updated = cursor.rowcount
    else:
        # The history first, while the register still holds what is about to change.
        cursor.execute(
            f"INSERT INTO {changes} (voter_id, at, actor_id, before, after, reason) "
            f"SELECT v.id, %s, %s, {_json('v')}, {_json('s')}, %s FROM {join} "
            f"WHERE {differs}", [now, getattr(actor, "pk", None), reason])
        cursor.execute(
            f"UPDATE {voters} SET {', '.join(f'{c} = s.{c}' for c in COMPARED)}, "
            f"sort_key = s.sort_key, updated = %s FROM {STAGING} s "
            f"WHERE s.voter_number = {voters}.voter_number AND "
            f"({differs.replace('v.', f'{voters}.')})", [now])
        updated = cursor.rowcount
    restore = _bulk_load(cursor, rows) if connection.vendor == "postgresql" else []
    cursor.execute(
        f"INSERT INTO {voters} (voter_number, {', '.join(COMPARED)}, sort_key, card_kind, "
        "status, removal_reason, created, updated) "
        f"SELECT s.voter_number, {', '.join(f's.{c}' for c in COMPARED)}, s.sort_key, "
        "'biometric', 'active', '', %s, %s "
        f"FROM {STAGING} s WHERE NOT EXISTS "
        f"(SELECT 1 FROM {voters} v WHERE v.voter_number = s.voter_number)", [now, now])
    created = cursor.rowcount
    for statement in restore:
        cursor.execute(statement)
    if connection.vendor == "postgresql" and created + updated >= BATCH:
        # The planner would otherwise see the register as it was before the load.
        cursor.execute(f"ANALYZE {voters}")
    return VoterImport(file, sha256, rows, created, updated)
