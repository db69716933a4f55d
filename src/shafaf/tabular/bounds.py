"""How much of a file the reader unpacks and holds, whatever the file claims.

A row limit alone does not bound the work a file can cause: a few hundred kilobytes
of XLSX or gzip can unpack to gigabytes (a "bomb"), one CSV line can run for a
hundred megabytes, one spreadsheet row can hold a million cells, and a shared-strings
table is read whole before the first row. Each of those is bounded here, counted on
the bytes actually unpacked (never on sizes the file declares), and refused with a
reason the person who sent the file can act on
(docs/decisions/0018-bounded-imports.md).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO

KIB = 1024
MIB = 1024 * KIB

# No file Shafaf reads has more than a dozen columns; a few hundred leave room for
# notes and helper columns people keep beside the data.
COLUMNS_LIMIT = 256
# A CSV line (a record spans several lines only inside quotes, and the csv module
# bounds a field to 128 KiB).
LINE_LIMIT = 1 * MIB
# Compressed data unpacking to more than this many times its size is a bomb: text
# and spreadsheets compress 5 to 30 times. Parts smaller than the floor are not
# looked at (a tiny part of repeated bytes may compress 1,000 times, harmlessly).
RATIO_LIMIT = 100
RATIO_FLOOR = 1 * MIB
# XLSX: one row's XML (cells of 32,767 characters are possible, not a megabyte of
# them), every part that is neither a sheet nor the shared strings (styles, workbook,
# relationships: kilobytes in a real file), and the number of parts.
ROW_BYTES = 512 * KIB
PART_BYTES = 4 * MIB
PARTS_LIMIT = 1000


def sheet_bytes(limit: int) -> int:
    """The XML a sheet of ``limit`` rows may unpack to: a real row takes a few
    hundred bytes, so this bounds the time a file of long rows can take."""
    return 16 * MIB + 2 * KIB * (limit + 1)


def strings_bytes(limit: int) -> int:
    """The shared-strings table, which openpyxl holds whole in memory."""
    return min(32 * MIB, 1 * MIB + 1 * KIB * (limit + 1))


def _(message: str) -> str:
    """Marks a message for the catalogues; the collector's ``translate`` words it."""
    return message


class Oversized(Exception):
    """The file goes beyond a bound: a message for the problem collector and its
    parameters. Not a ValueError, so that no parser mistakes it for bad XML."""

    def __init__(self, message: str, params: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params = dict(params or {})


def too_large(size: int) -> Oversized:
    return Oversized(_("the file unpacks to more than %(size)s MB: split it, or save it "
                       "as CSV UTF-8"), {"size": max(1, round(size / MIB))})


def bomb() -> Oversized:
    return Oversized(_("the file unpacks to more than %(ratio)s times its size: it looks "
                       "like a compression bomb, not a spreadsheet"), {"ratio": RATIO_LIMIT})


class Counted(io.RawIOBase):
    """A stream that counts the bytes read from it (the compressed side of a
    gzip file)."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        buffer[:len(data)] = data
        self.count += len(data)
        return len(data)


class Inflated(io.RawIOBase):
    """The unpacked side of a compressed stream, refused once it has given more than
    :data:`RATIO_LIMIT` times what was read from ``packed`` (past the floor)."""

    def __init__(self, inner: IO[bytes], packed: Counted) -> None:
        self.inner = inner
        self.packed = packed
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        buffer[:len(data)] = data
        self.count += len(data)
        if self.count > RATIO_FLOOR and self.count > RATIO_LIMIT * max(1, self.packed.count):
            raise bomb()
        return len(data)
