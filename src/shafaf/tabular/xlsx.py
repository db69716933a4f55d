"""Reading the first sheet of an XLSX file with openpyxl's read-only mode, within
:mod:`shafaf.tabular.bounds`.

An XLSX file is a ZIP archive of XML parts. Before openpyxl reads anything, every
part's size (which the ZIP reader enforces: it never unpacks more than a part
declares) and compression ratio are checked; then each part openpyxl opens is
metered as it is unpacked: the sheet against its total and against the bytes of
any one row, the shared strings against theirs. Imported only when an XLSX file is
read (openpyxl is slow to import, and the command line starts without it).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from shafaf.tabular import bounds
from shafaf.tabular.bounds import KIB, Oversized, bomb, too_large


def _(message: str) -> str:
    """Marks a message for the catalogues; the collector's ``translate`` words it."""
    return message


# The end of a row: </row> (with any namespace prefix) or an empty <row .../>.
_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row>|<(?:[\w.-]+:)?row\b[^<>]*/>")
_TAIL = 1 * KIB  # a row's closing tag split between two reads is found whole


class _Metered(io.RawIOBase):
    """One part, unpacked as it is read, refused beyond ``budget`` bytes; a sheet
    (``rows``) also beyond :data:`~shafaf.tabular.bounds.ROW_BYTES` since the end of
    the last row."""

    def __init__(self, inner: IO[bytes], budget: int, *, rows: bool) -> None:
        self.inner = inner
        self.budget = budget
        self.rows = rows
        self.count = 0
        self.since_row = 0
        self.tail = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        buffer[:len(data)] = data
        self.count += len(data)
        if self.count > self.budget:
            raise too_large(self.budget)
        if self.rows and data:
            self._track_rows(data)
        return len(data)

    def _track_rows(self, data: bytes) -> None:
        window = self.tail + data
        end = None
        for end in _ROW_END.finditer(window):  # noqa: B007 (the last one counts)
            pass
        if end is not None and end.end() > len(self.tail):
            self.since_row = len(window) - end.end()
        else:
            self.since_row += len(data)
        self.tail = window[-_TAIL:]
        if self.since_row > bounds.ROW_BYTES:
            raise Oversized(_("a row of the sheet holds more than %(size)s KB: is it a "
                              "spreadsheet of rows?"), {"size": bounds.ROW_BYTES // KIB})

    def close(self) -> None:
        self.inner.close()
        super().close()


class _Archive(zipfile.ZipFile):
    """The XLSX archive, its parts checked on opening and metered as they are read."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__(stream)
        self.limit = limit
        infos = self.infolist()
        if len(infos) > bounds.PARTS_LIMIT:
            raise Oversized(_("the file holds more than %(limit)s parts: it is not a "
                              "spreadsheet"), {"limit": bounds.PARTS_LIMIT})
        # A bomb is named as one, whatever its size.
        if any(info.file_size > bounds.RATIO_FLOOR
               and info.file_size > bounds.RATIO_LIMIT * max(1, info.compress_size)
               for info in infos):
            raise bomb()
        for info in infos:
            budget = self._budget(info.filename)
            if info.file_size > budget:
                raise too_large(budget)

    def _budget(self, name: str) -> int:
        name = name.lower()
        if name.startswith("xl/worksheets/"):
            return bounds.sheet_bytes(self.limit)
        if name.endswith("sharedstrings.xml"):
            return bounds.strings_bytes(self.limit)
        return bounds.PART_BYTES

    def open(self, name: Any, mode: Any = "r", pwd: bytes | None = None, *,
             force_zip64: bool = False) -> IO[bytes]:
        inner = super().open(name, mode, pwd, force_zip64=force_zip64)
        if mode != "r":
            return inner
        part = name.filename if isinstance(name, zipfile.ZipInfo) else str(name)
        return io.BufferedReader(_Metered(inner, self._budget(part),
                                          rows=part.lower().startswith("xl/worksheets/")))


_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s[^>]*?ref="([A-Za-z]{1,3}[0-9]{1,7}'
                        rb'(?::[A-Za-z]{1,3}[0-9]{1,7})?)"')
_HEAD = 64 * KIB  # where a sheet's <dimension> is, before its rows


class _Sheet(ReadOnlyWorksheet):  # type: ignore[misc]
    """A read-only sheet sized from the head of its XML: openpyxl parses a sheet
    without a <dimension> to its very end to look for one (a minute for a sheet of
    millions of rows, before the first row is read)."""

    def _get_size(self) -> None:
        with self._get_source() as source:
            head = source.read(_HEAD)
        match = _DIMENSION.search(head)
        if match is not None:
            bounds_ = range_boundaries(match.group(1).decode())
            if None not in bounds_:
                self._min_column, self._min_row, self._max_column, self._max_row = bounds_


class _Reader(ExcelReader):  # type: ignore[misc]
    def read_worksheets(self) -> None:
        """The workbook's worksheets as :class:`_Sheet` (charts and the rest are not
        read: only the first worksheet's rows are)."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                ws = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state
                self.wb._sheets.append(ws)


def sheet_rows(stream: IO[bytes], limit: int,
               declared: Callable[[int], None]) -> Iterator[tuple[Any, ...]]:
    """The values of each row of the first sheet, blank rows included (as empty
    tuples), so that a row's place is its spreadsheet row number. ``declared`` is
    told the number of rows the sheet declares, before any is read. Raises
    :class:`~shafaf.tabular.bounds.Oversized` at the first bound the file crosses."""
    archive = _Archive(stream, limit)
    reader = _Reader(stream, read_only=True, data_only=True)
    reader.archive.close()
    reader.archive, reader.valid_files = archive, archive.namelist()
    try:
        reader.read()
        sheet = reader.wb.worksheets[0]
        declared(sheet.max_row or 0)
        # A sheet declares its size, and openpyxl would stop there: a sheet that
        # understates it would be cut short silently. Every row there is is read, up
        # to the limit the caller counts.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        archive.close()
