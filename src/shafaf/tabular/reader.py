"""Reading a CSV or XLSX file row by row, never the whole file at once.

A file is CSV (UTF-8, decoded as it is read; a spreadsheet's byte-order mark is
accepted; gzip-compressed too) or XLSX (the first sheet, read with openpyxl's
read-only mode, which parses the sheet as it goes), with a header row. Column names
are matched by :func:`shafaf.tabular.normalise.key` (case, spaces and hyphens do not
count), against the names and their ``aliases`` (a column's name in Arabic or
Kurdish), in any order; extra columns are ignored. Row numbers are the
spreadsheet's: the header is row 1, blank rows are skipped but counted.

A row limit is enforced while reading: at the first row beyond it the file is
refused and nothing more is read. Problems go to one capped collector
(:mod:`shafaf.tabular.problems`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, cast

from shafaf.tabular import bounds
from shafaf.tabular.normalise import key
from shafaf.tabular.problems import (
    PROBLEMS_LIMIT,
    ImportRejected,
    Problems,
    Translate,
    untranslated,
)

CHUNK = 64 * 1024
ROWS_LIMIT = 1_000_000
_BREAK = re.compile(r"\r\n|\r|\n")
# The other characters str.splitlines breaks at, which a CSV line does not end at.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

Source = bytes | IO[bytes]


def _(message: str) -> str:
    """Marks a message for the catalogues; the collector's ``translate`` words it."""
    return message


@dataclass(frozen=True, slots=True)
class Row:
    number: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True, slots=True)
class Table:
    """A file's header and its rows, read as they are iterated (once)."""

    name: str
    sha256: str
    columns: frozenset[str]  # the known columns the header has
    rows: Iterator[Row]
    problems: Problems  # the reader's and, after it, the caller's

    def optional(self, row: Row, column: str) -> str | None:
        """The value, or None when the file has no such column: the import then keeps
        what the database holds."""
        return row[column] if column in self.columns else None


def read_table(*, name: str, content: Source, required: Sequence[str],
               optional: Sequence[str] = (), aliases: Mapping[str, str] | None = None,
               limit: int = ROWS_LIMIT, problems_limit: int = PROBLEMS_LIMIT,
               translate: Translate = untranslated) -> Table:
    """The header of a CSV or XLSX file and an iterator of its rows (values stripped,
    blank rows skipped). Raises :class:`~shafaf.tabular.problems.ImportRejected` at
    once if the file cannot be read or its header lacks a required column, and while
    the rows are read if the file has more than ``limit`` rows.

    ``aliases`` maps other names of a column (``"الترتيب"``) to the column
    (``"position"``)."""
    problems = Problems(name, limit=problems_limit, translate=translate)
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    digest = _sha256(stream)
    grid = rows(name=name, content=stream, problems=problems, limit=limit)
    columns, index = _header(grid, required, optional, aliases or {}, problems)
    problems.raise_if_any()
    return Table(name=name, sha256=digest, columns=frozenset(index),
                 rows=_records(grid, index, columns, problems), problems=problems)


def _sha256(stream: IO[bytes]) -> str:
    import hashlib  # here, like gzip and openpyxl: the command line starts without them

    digest = hashlib.sha256()
    start = stream.tell()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    stream.seek(start)
    return digest.hexdigest()


def _header(grid: Iterator[tuple[int, list[str]]], required: Sequence[str],
            optional: Sequence[str], aliases: Mapping[str, str],
            problems: Problems) -> tuple[int, dict[str, int]]:
    """The header's width and where each known column is."""
    first = next(grid, None)
    if first is None or not any(cell.strip() for cell in first[1]):
        if not problems:
            problems.add(None, "", _("the file is empty: it needs a header row"))
        return 0, {}
    header = [cell.strip() for cell in first[1]]
    while header and not header[-1]:
        header.pop()
    known = (*required, *optional)
    names = {key(column): column for column in known}
    names.update({key(alias): column for alias, column in aliases.items()
                  if column in known and key(alias) not in names})
    columns = [names.get(key(cell), cell.lower()) for cell in header]
    for column in sorted({c for c in columns if c in known and columns.count(c) > 1}):
        problems.add(1, column, _("this column appears more than once in the header"))
    missing = [column for column in required if column not in columns]
    if missing:
        problems.add(1, ", ".join(missing), _("missing column(s) %(missing)s; the header has: "
                                              "%(header)s"), {
            "missing": ", ".join(missing), "header": ", ".join(c for c in header if c) or "—"})
    return len(header), {column: columns.index(column) for column in known if column in columns}


def _records(grid: Iterator[tuple[int, list[str]]], index: Mapping[str, int], width: int,
             problems: Problems) -> Iterator[Row]:
    places = list(index.items())
    for number, cells in grid:
        if not "".join(cells).strip():
            continue
        if len(cells) > width and "".join(cells[width:]).strip():
            problems.add(number, "", _("values beyond the header's %(columns)d columns"), {
                "columns": width})
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        yield Row(number, {column: cells[i].strip() for column, i in places})


def rows(*, name: str, content: Source, problems: Problems,
         limit: int = ROWS_LIMIT) -> Iterator[tuple[int, list[str]]]:
    """Every row of the file, the header first, with its spreadsheet row number, as
    text cells. A problem with the file as a whole ends the rows (a bound of
    :mod:`shafaf.tabular.bounds` crossed among them); a row beyond ``limit`` (not
    counting the header) raises ImportRejected before it is read."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    lowered = name.lower()
    head = _peek(stream)
    if lowered.endswith(".gz") or head.startswith(b"\x1f\x8b"):
        import gzip

        packed = bounds.Counted(stream)
        unzipped = gzip.GzipFile(fileobj=packed, mode="rb")
        lowered = lowered.removesuffix(".gz")
        try:
            head = unzipped.peek(4)[:4]
        except (OSError, EOFError):
            problems.add(None, "", _("not a readable gzip file"))
            return
        stream = io.BufferedReader(bounds.Inflated(cast(IO[bytes], unzipped), packed), CHUNK)
    if lowered.endswith(".xls"):
        problems.add(None, "", _("old Excel .xls files cannot be read: save the file as "
                                 "XLSX or as CSV UTF-8"))
        return
    grid = (_xlsx_rows(stream, problems, limit) if lowered.endswith(".xlsx")
            or head == b"PK\x03\x04" else _csv_rows(stream, problems))
    for number, cells in enumerate(grid, start=1):
        if number > limit + 1:
            _too_long(problems, limit)
        if len(cells) > bounds.COLUMNS_LIMIT:
            problems.add(number, "", _("more than %(limit)s columns: the file is refused"), {
                "limit": bounds.COLUMNS_LIMIT})
            return
        yield number, cells


def _too_long(problems: Problems, limit: int) -> None:
    problems.add(None, "", _("the file has more than %(limit)s rows; at most %(limit)s "
                             "are read"), {"limit": limit})
    problems.raise_if_any()


def _peek(stream: IO[bytes]) -> bytes:
    """The first bytes, left in the stream."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(4)[:4])
    head = stream.read(4)
    stream.seek(stream.tell() - len(head))
    return head


def _csv_rows(stream: IO[bytes], problems: Problems) -> Iterator[list[str]]:
    try:
        yield from csv.reader(_lines(stream, problems))
    except csv.Error as exc:
        problems.add(None, "", _("the CSV file is damaged: %(error)s"), {"error": exc})
    except bounds.Oversized as exc:
        problems.add(None, "", exc.message, exc.params)
    except (OSError, EOFError):  # a damaged gzip stream
        problems.add(None, "", _("not a readable gzip file"))


def _lines(stream: IO[bytes], problems: Problems) -> Iterator[str]:
    """The text's lines with their endings, decoded chunk by chunk."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, carry, first = 0, "", True
    while True:
        chunk = stream.read(CHUNK)
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            problems.add(None, "", _("not UTF-8 text (byte %(byte)d): save the file as CSV "
                                     "UTF-8 or as XLSX"), {"byte": offset - pending + exc.start})
            return
        offset += len(chunk)
        if first and text:
            text, first = text.removeprefix("\ufeff"), False
        if "\x00" in text:
            problems.add(None, "", _("not a CSV text file: save the file as CSV UTF-8 or as "
                                     "XLSX"))
            return
        # The carry holds no line end (but perhaps a last "\r"): the search starts
        # where it ends, so a long line is scanned once, not once a chunk.
        scan = max(0, len(carry) - 1)
        text = carry + text
        end = 0
        if _OTHER_BREAKS.search(text) is None:
            # The common text: its only line ends are \r\n, \n and \r, which
            # str.splitlines finds in C. A "\r" at the end of a chunk may be the first
            # half of "\r\n": it waits for the next chunk.
            stop = len(text) - 1 if text.endswith("\r") and chunk else len(text)
            end = max(text.rfind("\n", 0, stop), text.rfind("\r", 0, stop)) + 1
            yield from text[:end].splitlines(True)
        else:
            for match in _BREAK.finditer(text, scan):
                if match.end() == len(text) and text.endswith("\r") and chunk:
                    break
                yield text[end:match.end()]
                end = match.end()
        carry = text[end:]
        if len(carry) > bounds.LINE_LIMIT:
            # One line without an end: its carry would be copied at every chunk.
            problems.add(None, "", _("a line of the file is longer than %(limit)s "
                                     "characters: is it a CSV file?"), {
                "limit": bounds.LINE_LIMIT})
            return
        if not chunk:
            if carry:
                yield carry
            return


def _xlsx_rows(stream: IO[bytes], problems: Problems, limit: int) -> Iterator[list[str]]:
    from shafaf.tabular import xlsx  # only when an XLSX is read: the CLI starts without it

    def declared(size: int) -> None:
        # A spreadsheet declares its size before its rows: a sheet too long is
        # refused before its first row is read.
        if size > limit + 1:
            _too_long(problems, limit)

    number = 0
    try:
        for row in xlsx.sheet_rows(stream, limit, declared):
            number += 1
            yield [_cell_text(value) for value in row]
    except bounds.Oversized as exc:
        # No row number: the XML is unpacked ahead of the rows it holds.
        problems.add(None, "", exc.message, exc.params)
    except ImportRejected:
        raise
    # A damaged or hostile upload can fail in many ways inside the ZIP and XML
    # readers (a number of 5,000 digits in a cell among them); each means the same
    # to the person who sent it.
    except Exception:
        problems.add(number + 1 if number else None, "", _(
            "not a readable XLSX file: open it in a spreadsheet and save it again as XLSX "
            "or as CSV UTF-8"))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # spreadsheets store whole numbers as 400.0
    return str(value)
