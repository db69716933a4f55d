# ruff: noqa: S608 (the SQL is built from this module's names only; every value of the
# files is a bound parameter)
"""``shafaf forensics``'s set-wise reading of a clean votes file, with DuckDB.

A national votes file is millions of rows; the forensics need only each station's
total per list. As :mod:`shafaf.cli.results_fast` does for ``results tabulate``, this
reads a file set-wise only when it is sure to give what the row-by-row reading gives,
and otherwise returns ``None`` so that reading runs and names every problem with its
row. It uses the same tests of a clean file (:func:`shafaf.cli.results_fast._header`
and ``_prescan``: a plain CSV of exactly the four columns, no quote, NUL, carriage
return or blank line, three commas a line), then asks DuckDB whether every row is one
the Python path takes as it is: a station (in the forms file when one is given), a
list or a candidate, a count of 1 to 18 ASCII digits, no (station, list, candidate)
twice, no value with spaces around it and none longer than the reader allows.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

COLUMNS = ("station_id", "list_id", "candidate_id", "votes")
# Below the csv module's 128 KiB field and the reader's 1 MiB line: a longer value
# goes to the Python path, which names it.
VALUE_BYTES = 100_000
ROWS_LIMIT = 30_000_000  # the results reader's (results_files.VOTES_LIMIT)


def list_totals(path: Path, *, stations: Mapping[str, Any] | None
                ) -> dict[str, dict[str, int]] | None:
    """Each station's total per list of the votes file at ``path`` (component votes,
    with an empty list, left out), or None when the set-wise reading does not apply."""
    from shafaf.cli import results_fast

    order = results_fast._header(path, COLUMNS)
    if order is None:
        return None
    lines = results_fast._prescan(path)
    if lines is None or lines - 1 > ROWS_LIMIT:
        return None
    import duckdb

    try:
        with tempfile.TemporaryDirectory(prefix="shafaf_duckdb_") as spill:
            con = duckdb.connect(config={"temp_directory": spill,
                                         "preserve_insertion_order": False})
            try:
                con.execute("SET enable_progress_bar = false")
                return _totals(con, path, order, lines - 1, stations)
            finally:
                con.close()
    except duckdb.Error:
        return None


def _totals(con: duckdb.DuckDBPyConnection, path: Path, order: list[int], rows: int,
            stations: Mapping[str, Any] | None) -> dict[str, dict[str, int]] | None:
    station, list_id, candidate, votes = (f"c{i}" for i in order)
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(4))
    con.execute(f"""
        CREATE TEMP TABLE votes AS
        SELECT {station} AS s, coalesce({list_id}, '') AS l, coalesce({candidate}, '') AS c,
               CASE WHEN regexp_full_match({votes}, '[0-9]{{1,18}}') THEN CAST({votes} AS BIGINT)
               END AS n
        FROM read_csv($1, columns = {{{columns}}}, header = true, delim = ',', quote = '',
                      escape = '', new_line = '\\n', auto_detect = false,
                      strict_mode = true, null_padding = false, ignore_errors = false,
                      all_varchar = true)
        """, [str(path)])
    found = con.execute("""
        SELECT count(*), count(n), count(*) FILTER (WHERE s IS NULL OR s = ''),
               count(*) FILTER (WHERE l = '' AND c = ''),
               max(greatest(strlen(coalesce(s, '')), strlen(l), strlen(c)))
        FROM votes""").fetchone()
    if found is None:
        return None
    read, counted, no_station, no_vote, longest = found
    if read != rows or counted != read or no_station or no_vote or (longest or 0) > VALUE_BYTES:
        return None
    # Rows with the same hash of (station, list, candidate): a row given twice, or
    # (about once in 10^12 national files) two rows whose hashes collide, which only
    # sends the file to the Python path, which tells them apart.
    twice = con.execute("SELECT count(*) - count(DISTINCT hash(s, l, c)) FROM votes"
                        ).fetchone()
    if twice is None or twice[0]:
        return None
    # A value with spaces around it is stripped by the Python path: few distinct
    # values, checked here.
    for (value,) in con.execute("SELECT DISTINCT s FROM votes UNION SELECT DISTINCT l FROM "
                                "votes UNION SELECT DISTINCT c FROM votes").fetchall():
        if value != value.strip():
            return None
    # Each station's lists and totals as two lists: far fewer Python objects to make
    # than a row per (station, list). A station with component votes only has none.
    totals = {s: dict(zip(lists or (), counts or (), strict=True))
              for s, lists, counts in con.execute(
        "SELECT s, list(l) FILTER (WHERE l <> ''), list(t) FILTER (WHERE l <> '') FROM ("
        "SELECT s, l, sum(n)::BIGINT AS t FROM votes GROUP BY s, l) GROUP BY s").fetchall()}
    if stations is not None and not set(totals) <= set(stations):
        return None
    return totals
