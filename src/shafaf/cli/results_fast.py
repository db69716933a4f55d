# ruff: noqa: S608 (the SQL is built from this module's names and numbers only; every
# value of the files is a bound parameter)
"""``shafaf results tabulate``'s set-wise reading of a clean votes file, with DuckDB.

A governorate's votes file is millions of rows (Baghdad's, about 7 million); read
and summed row by row in Python it takes seconds beyond the command's 5 s target
(docs/results-cli.md, "Speed"). This module reads it set-wise instead, but only
when it is sure to give what the row-by-row reading
(:func:`shafaf.cli.results_files._read_votes`) gives; otherwise it says so
(``None``) and that reading runs, naming every problem with its row as it always
did. So the problems and their row numbers are those of the one Python path by
construction, as the register's PostgreSQL import is set-wise when clean and leaves
the wording to the row checker.

When it applies:

- a plain CSV file: not gzip, not XLSX, no byte-order mark;
- a header of exactly the four columns (in any order, read by the one reader);
- a byte pre-scan finds no ``"`` (so no quoting, where DuckDB's and Python's CSV
  dialects could differ), no NUL, no ``\\r`` (lines end with ``\\n`` only), no blank
  line, and exactly three commas a line (four cells in every row);
- DuckDB reads it (every cell text, no quoting, strict; invalid UTF-8 is its error)
  and finds every row clean: its station in the forms file, its (list, candidate)
  an exact pair of the roster, its count 1 to 18 ASCII digits, no (station, list,
  candidate) twice, at most ``VOTES_LIMIT`` rows; these are exactly the rows the
  Python path takes without a problem and without stripping a space.

Any DuckDB error means the same as an unclean row: the Python path runs. Then
DuckDB sums each station's lists (what the checks compare with the valid ballots;
component votes are outside them), the core decides the quarantined stations with
the same code as :func:`shafaf.core.tabulation.tally`
(:func:`~shafaf.core.tabulation.quarantined`), and DuckDB sums each list, candidate
and component over the counted stations into the same
:class:`~shafaf.core.tabulation.Totals` (:func:`~shafaf.core.tabulation.summed`).

DuckDB is imported only here, when a tabulation runs: the command line starts
without it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

    from shafaf.core.tabulation import Totals, VoteKey

SCAN_CHUNK = 1 << 20
_COUNT = "[0-9]{1,18}"  # what the Python path's common row takes: isdecimal, < 19 long, ASCII


@dataclass(slots=True)
class Outcome:
    """What the last attempt did: ``ran`` the set-wise path, or why not (``reason``).
    Tests observe it; nothing else reads it."""

    ran: bool = False
    reason: str = ""


LAST = Outcome()


def _fall_back(reason: str) -> None:
    LAST.ran, LAST.reason = False, reason


def totals(path: Path, *, forms: Mapping[str, Mapping[str, int]],
           keys: Mapping[tuple[str, str], VoteKey], columns: tuple[str, ...], limit: int,
           box_over_voted_tolerance: int, include_quarantined: bool) -> Totals | None:
    """The totals of the votes file at ``path``, or None when the set-wise reading does
    not apply or finds any row the Python path would not take as it is (``LAST`` says
    why). ``forms`` are each station's numbers (the form's columns), ``keys`` the
    roster's exact (list_id, candidate_id) texts, ``columns`` the file's four columns
    (station, list, candidate, votes), ``limit`` its most rows."""
    LAST.ran, LAST.reason = False, ""
    order = _header(path, columns)
    if order is None:
        return None
    lines = _prescan(path)
    if lines is None:
        return None
    from shafaf.tabular.bounds import LINE_LIMIT

    longest_key = max((len(lst) + len(cand) for lst, cand in keys), default=0)
    if max(map(len, forms), default=0) + longest_key + 18 + 4 > LINE_LIMIT:
        _fall_back("ids long enough for a line to cross the reader's line limit")
        return None
    if lines - 1 > limit:
        _fall_back("more rows than the limit")
        return None
    import duckdb

    try:
        with tempfile.TemporaryDirectory(prefix="shafaf_duckdb_") as spill:
            con = duckdb.connect(config={"temp_directory": spill,
                                         "preserve_insertion_order": False})
            try:
                # No progress bar: DuckDB would draw one on the terminal of a long
                # read (a session setting: the connection's config refuses it).
                con.execute("SET enable_progress_bar = false")
                return _totals(con, path, order, lines - 1, forms=forms, keys=keys,
                               box_over_voted_tolerance=box_over_voted_tolerance,
                               include_quarantined=include_quarantined)
            finally:
                con.close()
    except duckdb.Error as exc:
        _fall_back(f"DuckDB: {str(exc).splitlines()[0]}")
        return None


def _header(path: Path, columns: tuple[str, ...]) -> list[int] | None:
    """Where each of ``columns`` is, when the file is a plain CSV whose header is
    exactly those columns (after :func:`~shafaf.tabular.key`), read by the one reader."""
    from shafaf.tabular import Problems, key, rows

    lowered = path.name.lower()
    if lowered.endswith((".gz", ".xlsx", ".xls")):
        _fall_back("not a plain CSV file name")
        return None
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
            if head.startswith((b"\x1f\x8b", b"PK\x03\x04", b"\xef\xbb\xbf")):
                _fall_back("gzip, XLSX or a byte-order mark")
                return None
            stream.seek(0)
            own = Problems(path.name)
            first = next(rows(name=path.name, content=stream, problems=own), None)
    except OSError:
        _fall_back("cannot read the file")
        return None
    if first is None or own.found:
        _fall_back("no readable header")
        return None
    header = [key(cell) for cell in first[1]]
    if len(header) != len(columns) or sorted(header) != sorted(columns):
        _fall_back("the header is not exactly the votes columns")
        return None
    return [header.index(column) for column in columns]


def _prescan(path: Path) -> int | None:
    """The number of lines, when every line ends with ``\\n`` alone (or is the last),
    none is blank, each has exactly three commas, and no byte is ``"`` or NUL."""
    commas = ends = 0
    last = b"\n"  # a first line that is blank is a blank line too
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(SCAN_CHUNK):
                if (b'"' in chunk or b"\x00" in chunk or b"\r" in chunk
                        or b"\n\n" in chunk or (last == b"\n" and chunk[:1] == b"\n")):
                    _fall_back("a quote, NUL, carriage return or blank line")
                    return None
                commas += chunk.count(b",")
                ends += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        _fall_back("cannot read the file")
        return None
    lines = ends + (0 if last == b"\n" else 1)
    if commas != 3 * lines:
        _fall_back("a line without exactly four cells")
        return None
    return lines


def _totals(con: duckdb.DuckDBPyConnection, path: Path, order: list[int], rows: int, *,
            forms: Mapping[str, Mapping[str, int]], keys: Mapping[tuple[str, str], VoteKey],
            box_over_voted_tolerance: int, include_quarantined: bool) -> Totals | None:
    from shafaf.core.result_checks import FormNumbers
    from shafaf.core.tabulation import quarantined, summed

    # Stations, pairs and lists as enums: a row's text is looked up once, while it is
    # read, and the table holds 2-byte codes. A pair is "list,candidate": no cell of a
    # clean row holds a comma, so a roster pair with one can match no row and is left
    # out (such a row falls back).
    pairs = {f"{lst},{cand}": vote_key for (lst, cand), vote_key in keys.items()
             if "," not in lst and "," not in cand}
    lists = sorted({lst for lst, cand in keys if lst and "," not in lst})
    for name, values in (("station", list(forms)), ("pair", list(pairs)), ("list", lists)):
        con.execute(f"CREATE TEMP TABLE {name}_values AS SELECT unnest($1::VARCHAR[]) AS v",
                    [values])
        con.execute(f"CREATE TYPE {name}_code AS ENUM (SELECT v FROM {name}_values)")
    station, list_id, candidate, votes = (f"c{i}" for i in order)
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(4))
    con.execute(f"""
        CREATE TEMP TABLE votes AS
        SELECT TRY_CAST({station} AS station_code) AS s,
               TRY_CAST(concat({list_id}, ',', {candidate}) AS pair_code) AS k,
               TRY_CAST({list_id} AS list_code) AS l,
               CASE WHEN regexp_full_match({votes}, '{_COUNT}') THEN CAST({votes} AS BIGINT)
               END AS n
        FROM read_csv($1, columns = {{{columns}}}, header = true, delim = ',', quote = '',
                      escape = '', new_line = '\\n', auto_detect = false,
                      strict_mode = true, null_padding = false, ignore_errors = false)
        """, [str(path)])
    read, stations_known, pairs_known, counts_plain = con.execute(
        "SELECT count(*), count(s), count(k), count(n) FROM votes").fetchall()[0]
    if read != rows:
        _fall_back(f"DuckDB read {read} rows of {rows} lines")
        return None
    if stations_known != read:
        _fall_back("a station not in the forms file")
        return None
    if pairs_known != read:
        _fall_back("a (list, candidate) pair not in the roster")
        return None
    if counts_plain != read:
        _fall_back("a count that is not 1 to 18 ASCII digits")
        return None
    # A station's pairs are distinct when as many bits are set as it has rows.
    twice = con.execute(f"""
        SELECT count(*) FROM (
            SELECT count(*) AS n,
                   bit_count(bitstring_agg(enum_code(k), 0, {max(len(pairs) - 1, 0)})) AS b
            FROM votes GROUP BY s)
        WHERE n <> b""").fetchone()
    if twice is None or twice[0]:
        _fall_back("a (station, list, candidate) given twice")
        return None
    by_station: dict[str, dict[str, int]] = {station_id: {} for station_id in forms}
    for station_id, lst, count in con.execute(
            "SELECT s::VARCHAR, l::VARCHAR, sum(n) FROM votes WHERE l IS NOT NULL "
            "GROUP BY s, l").fetchall():
        by_station[station_id][lst] = int(count)
    left = quarantined(((station_id, FormNumbers(**numbers, list_votes=by_station[station_id]))
                        for station_id, numbers in forms.items()),
                       box_over_voted_tolerance=box_over_voted_tolerance)
    where = ""
    if left and not include_quarantined:
        con.execute("CREATE TEMP TABLE left_out AS "
                    "SELECT unnest($1::VARCHAR[])::station_code AS s", [sorted(left)])
        where = "WHERE s NOT IN (SELECT s FROM left_out)"
    sums = {pairs[pair]: int(count) for pair, count in con.execute(
        f"SELECT k::VARCHAR, sum(n) FROM votes {where} GROUP BY k").fetchall()}
    total = len(forms)
    LAST.ran, LAST.reason = True, ""
    return summed([sums], total=total,
                  counted=total if include_quarantined else total - len(left),
                  quarantined=left)
