"""The voter import's fast path on PostgreSQL (docs/register.md, "Import").

The file's bytes (unpacked if gzip) go straight into ``COPY ... FROM STDIN (FORMAT
csv)``: PostgreSQL parses them, not Python. The rows are then looked at set-wise
in SQL, which only *flags* a row that may be wrong: a flagged row is read back and
checked by the very function the row-by-row path uses
(:func:`shafaf.register.imports.check_row`), so every problem has the same row,
column and words whichever path found it. A row SQL does not flag is one in which
every value is plain (no space at its edges, no control character, a sex of F or
M, a date ``YYYY-MM-DD`` that exists, a known centre, an ASCII voter number...):
for such a row SQL's conversion and Python's are the same by construction.

The sort keys are computed once per distinct name in Python
(:func:`shafaf.register.order.name_key`) and joined back in SQL.

The fast path is taken only where PostgreSQL's CSV reading and Python's cannot
differ: a CSV file without a single double quote (PostgreSQL opens a quoted
section at a quote in the middle of a field, Python's reader does not) whose
header has no empty trailing cell. Anything else COPY refuses (bad UTF-8, a NUL
byte, a row with too many or too few values, a blank line, mixed line ends), a
gzip stream that is damaged or unpacks too far, or more rows than the limit: the
fast path gives way (:class:`GiveWay`) and the row-by-row path reads the file,
reporting each problem with its row.

The SQL is built from this module's constants and the header's width, never from
input; every value is a parameter.
"""
# ruff: noqa: S608

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import IO, Any, cast

from shafaf.core.names import BIDI_CONTROLS
from shafaf.register import imports
from shafaf.register.models import Category
from shafaf.register.order import name_key
from shafaf.tabular import Row, Table, bounds
from shafaf.tabular.normalise import key

CHUNK = 1 << 20
RAW = "register_voter_raw"
CHECKED = "register_voter_staging"  # the staging table the merge reads
CENTRES = "register_voter_centres"
KEYS = "register_voter_name_keys"
FIXED = "register_voter_fixed"
DAYS = "register_voter_days"
FIRST_DAY = date(1900, 1, 1)
# Rows between two progress reports.
BATCH = 5_000

Progress = Callable[[int, int], None]


class GiveWay(Exception):
    """The fast path cannot read this file as Python's reader would: the row-by-row
    path takes it (the caller rolls back to its savepoint)."""


@lru_cache(maxsize=1)
def _whitespace() -> str:
    """Every character ``str.strip()`` removes."""
    return "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def eligible(name: str, head: bytes) -> bool:
    lowered = name.lower().removesuffix(".gz")
    return not (lowered.endswith((".xlsx", ".xls")) or head.startswith(b"PK\x03\x04"))


def _chunks(stream: IO[bytes], name: str) -> Iterator[bytes]:
    """The file's bytes, unpacked if gzip (bounded as the reader bounds them)."""
    head = stream.read(2)
    stream.seek(stream.tell() - len(head))
    if name.lower().endswith(".gz") or head == b"\x1f\x8b":
        import gzip

        packed = bounds.Counted(stream)
        unzipped = gzip.GzipFile(fileobj=packed, mode="rb")
        stream = io.BufferedReader(bounds.Inflated(cast(IO[bytes], unzipped), packed), CHUNK)
    try:
        while chunk := stream.read(CHUNK):
            yield chunk
    except (OSError, EOFError, bounds.Oversized) as exc:
        raise GiveWay from exc


def _header(first: bytes) -> tuple[int, dict[str, int]]:
    """The header's width and where each known column is, as the reader finds them
    (:func:`shafaf.tabular.reader._header`)."""
    try:
        text = first.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise GiveWay from exc
    if "\r" in text:
        raise GiveWay  # lines ended by a lone carriage return: the reader splits them
    header = [cell.strip() for cell in text.split(",")]
    if not header or not header[-1]:
        raise GiveWay  # trailing empty header cells: the reader's width differs
    known = (*imports.REQUIRED, *imports.OPTIONAL)
    names = {key(column): column for column in known}
    columns = [names.get(key(cell), cell.lower()) for cell in header]
    if any(columns.count(c) > 1 for c in known if c in columns):
        raise GiveWay
    return len(header), {column: columns.index(column) for column in known if column in columns}


def load(cursor: Any, stream: IO[bytes], name: str, progress: Progress | None,
         limit: int) -> tuple[int, dict[str, int]]:
    """COPY the file into the raw table; its width and column places."""
    chunks = _chunks(stream, name)
    first = next(chunks, b"")
    end = first.find(b"\n")
    if end < 0 and len(first) == CHUNK:
        raise GiveWay
    width, index = _header(first[:end + 1] if end >= 0 else first)
    cells = ", ".join(f"c{i} text" for i in range(width))
    cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
    cursor.execute(f"CREATE TEMPORARY TABLE {RAW} (id bigint GENERATED ALWAYS AS IDENTITY, "
                   f"{cells})")
    lines, reported = 0, 0
    columns = ", ".join(f"c{i}" for i in range(width))
    with cursor.cursor.copy(f"COPY {RAW} ({columns}) FROM STDIN (FORMAT csv, HEADER true)"
                            ) as copy:
        for chunk in _prepend(first, chunks):
            if b'"' in chunk or b"\x00" in chunk:
                raise GiveWay
            copy.write(chunk)
            lines += chunk.count(b"\n")
            while progress and reported + BATCH <= lines:
                reported += BATCH
                progress(reported, 0)
    cursor.execute(f"SELECT max(id) FROM {RAW}")
    (rows,) = cursor.fetchone()
    if rows is not None and rows > limit:
        raise GiveWay  # the reader refuses the file with its own words
    return width, index


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _cell(index: Mapping[str, int], column: str) -> str:
    return f"coalesce(r.c{index[column]}, '')" if column in index else "''"


def check(cursor: Any, *, width: int, index: Mapping[str, int], table: Table,
          centres: Mapping[str, tuple[int, int]], polling_day: date, today: date) -> None:
    """Stage the raw rows in the merge's staging table, flagging those that may be
    wrong; check the flagged ones row by row (their problems to ``table.problems``)
    and stage the good ones among them."""
    _centres(cursor, centres)
    _keys(cursor, index)
    _days(cursor, polling_day, today)
    # The file has no double quote, so no value holds a comma: joined with commas,
    # the row's values start after one and end before one.
    everything = " || ',' || ".join(f"coalesce(r.c{i}, '')" for i in range(width))
    v, sex = _raw(index, "voter_number"), _raw(index, "sex")
    space = _whitespace()
    odd = ("[\x01-\x1f\x7f" + "".join(sorted(BIDI_CONTROLS)) + "]"
           f"|(^|,)[{space}]|[{space}](,|$)")
    # COPY reads an empty value of an unquoted CSV as NULL; no condition below is
    # NULL for a plain row (a NULL would flag it, through the coalesce).
    cheap = [f"{_raw(index, c)} IS NULL" for c in imports.REQUIRED if c != "family_name"]
    cheap += [f"(octet_length({_cell(index, c)}) > {int(most)} AND "
              f"char_length({_cell(index, c)}) > {int(most)})"
              for c, most in imports.LENGTHS.items()]
    cheap += ["c.id IS NULL", "d.day IS NULL", f"octet_length({v}) <> char_length({v})",
              f"{sex} NOT IN ('F', 'M', 'f', 'm')"]
    if "category" in index:
        categories = ", ".join(f"'{c}'" for c in sorted(Category.values))
        cheap.append(f"coalesce({_raw(index, 'category')}, 'general') NOT IN ({categories})")
    flagged = f"coalesce({' OR '.join(cheap)} OR {everything} ~ %(odd)s, true)"
    sort_key = " || chr(1) || ".join(
        [f"k{i}.key" for i in range(4)] + [_cell(index, c) for c in imports.NAMES[:4]]
        + [v, v])
    joins = " ".join(f"LEFT JOIN {KEYS} k{i} ON k{i}.name = {_cell(index, c)}"
                     for i, c in enumerate(imports.NAMES[:4]))
    typed = ", ".join(f"{_cell(index, c)} AS {c}" for c in (
        "voter_number", *imports.NAMES))
    category = (f"coalesce({_raw(index, 'category')}, 'general')" if "category" in index
                else "'general'")
    cursor.execute(f"DROP TABLE IF EXISTS {CHECKED}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {CHECKED} AS SELECT r.id + 1 AS row_number, {typed}, "
        f"upper({sex}) AS sex, d.day AS birth_date, c.id AS centre_id, c.governorate_id, "
        f"{category} AS category, {sort_key} AS sort_key, {flagged} AS flagged "
        f"FROM {RAW} r LEFT JOIN {CENTRES} c ON c.code = {_raw(index, 'centre_code')} "
        f"LEFT JOIN {DAYS} d ON d.text = {_raw(index, 'birth_date')} {joins}",
        {"odd": odd})
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {CHECKED} WHERE flagged)")
    if cursor.fetchone()[0]:
        _check_flagged(cursor, width=width, index=index, table=table, centres=centres,
                       polling_day=polling_day, today=today)
    cursor.execute(f"DROP TABLE {RAW}, {CENTRES}, {KEYS}, {DAYS}")


def _raw(index: Mapping[str, int], column: str) -> str:
    return f"r.c{index[column]}"


def _days(cursor: Any, polling_day: date, today: date) -> None:
    """Every birth day written YYYY-MM-DD that is surely 18 on polling day and not in
    the future, from 1900: a row born on another day (or any other text) is flagged
    and :func:`~shafaf.register.imports.check_row` decides."""
    last = min(today, date(polling_day.year - 18, polling_day.month, min(polling_day.day, 28))
               - timedelta(days=3))
    cursor.execute(f"DROP TABLE IF EXISTS {DAYS}")
    cursor.execute(f"CREATE TEMPORARY TABLE {DAYS} (text text PRIMARY KEY, day date)")
    # Whole days added to a date: no time zone or daylight saving comes into it.
    cursor.execute(f"INSERT INTO {DAYS} SELECT to_char(day, 'YYYY-MM-DD'), day FROM "
                   "(SELECT %s::date + i AS day FROM generate_series(0, %s) AS i) AS days",
                   [FIRST_DAY, (last - FIRST_DAY).days])
    cursor.execute(f"ANALYZE {DAYS}")


def _centres(cursor: Any, centres: Mapping[str, tuple[int, int]]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {CENTRES}")
    cursor.execute(f"CREATE TEMPORARY TABLE {CENTRES} (code text PRIMARY KEY, id integer, "
                   "governorate_id integer)")
    with cursor.cursor.copy(f"COPY {CENTRES} FROM STDIN") as copy:
        for code, (pk, governorate) in centres.items():
            copy.write_row((code, pk, governorate))
    cursor.execute(f"ANALYZE {CENTRES}")


def _keys(cursor: Any, index: Mapping[str, int]) -> None:
    """Each distinct name's key, computed once in Python."""
    # Each column grouped on its own (a hash of a few thousand names), then the
    # union of those few: far quicker than one union of every row's four names.
    names = " UNION ".join(f"SELECT {_cell(index, c)} FROM {RAW} r GROUP BY 1"
                           for c in imports.NAMES[:4])
    cursor.execute(f"DROP TABLE IF EXISTS {KEYS}")
    cursor.execute(f"CREATE TEMPORARY TABLE {KEYS} (name text PRIMARY KEY, key text)")
    for batch in _batches(cursor, f"SELECT name FROM ({names}) n(name)", "register_names"):
        with cursor.cursor.copy(f"COPY {KEYS} FROM STDIN") as target:
            for (value,) in batch:
                target.write_row((value, name_key(value)))
    cursor.execute(f"ANALYZE {KEYS}")


def _check_flagged(cursor: Any, *, width: int, index: Mapping[str, int], table: Table,
                   centres: Mapping[str, tuple[int, int]], polling_day: date,
                   today: date) -> None:
    """The flagged rows, checked by :func:`~shafaf.register.imports.check_row` in
    their order; the good ones replace their flagged copy, the others leave it."""
    cells = ", ".join(f"r.c{i}" for i in range(width))
    cursor.execute(f"DROP TABLE IF EXISTS {FIXED}")
    cursor.execute(f"CREATE TEMPORARY TABLE {FIXED} (LIKE {CHECKED})")
    places = list(index.items())
    query = (f"SELECT r.id + 1, {cells} FROM {RAW} r WHERE r.id + 1 IN "
             f"(SELECT row_number FROM {CHECKED} WHERE flagged) ORDER BY r.id")
    for batch in _batches(cursor, query, "register_flagged"):
        good_rows = []
        for number, *values in batch:
            row = _row(number, values, places)
            if row is None:
                continue
            good = imports.check_row(row, table, centres=centres, polling_day=polling_day,
                                     today=today, problems=table.problems)
            if good is not None:
                good_rows.append(good)
        with cursor.cursor.copy(f"COPY {FIXED} FROM STDIN") as fixed:
            for good in good_rows:
                fixed.write_row((good.row, good.voter_number, good.first_name,
                                 good.father_name, good.grandfather_name, good.family_name,
                                 good.mother_name, good.sex, good.birth_date, good.centre_id,
                                 good.governorate_id, good.category, good.sort_key, False))
    cursor.execute(f"DELETE FROM {CHECKED} WHERE flagged")
    cursor.execute(f"INSERT INTO {CHECKED} SELECT * FROM {FIXED}")
    cursor.execute(f"DROP TABLE {FIXED}")


def _batches(cursor: Any, query: str, name: str) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of ``query`` a batch at a time, through a server-side cursor: between
    two batches the connection is free for a COPY."""
    cursor.execute(f"DECLARE {name} NO SCROLL CURSOR FOR {query}")
    while batch := _fetch(cursor, name):
        yield batch
    cursor.execute(f"CLOSE {name}")


def _fetch(cursor: Any, name: str) -> list[tuple[Any, ...]]:
    cursor.execute(f"FETCH {BATCH} FROM {name}")
    return list(cursor.fetchall())


def _row(number: int, values: Sequence[str | None],
         places: Sequence[tuple[str, int]]) -> Row | None:
    """The row as the reader gives it, or None for a blank row (skipped)."""
    cells = [value or "" for value in values]
    if not "".join(cells).strip():
        return None
    return Row(number, {column: cells[i].strip() for column, i in places})
