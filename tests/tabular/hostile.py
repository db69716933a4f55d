"""Hostile files, built small: each is a few hundred kilobytes at most on disk and
streamed into its archive, however much it unpacks to. Used by the reader's tests,
the upload tests and benchmarks/hostile_files.py."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterable, Iterator

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def xlsx(sheet: Iterable[bytes], *, dimension: str | None = None,
         strings: Iterable[bytes] | None = None, level: int = 9) -> bytes:
    """An XLSX file whose first sheet's <sheetData> holds the ``sheet`` chunks, with
    a <dimension> if given and a shared-strings table of the ``strings`` chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
            + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
               if strings is not None else "") + "</Types>"))
        book.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship '
            f'Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        book.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        book.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship '
            f'Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode())
            if dimension:
                part.write(f'<dimension ref="{dimension}"/>'.encode())
            part.write(b"<sheetData>")
            for chunk in sheet:
                part.write(chunk)
            part.write(b"</sheetData></worksheet>")
        if strings is not None:
            with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode())
                for chunk in strings:
                    part.write(chunk)
                part.write(b"</sst>")
    return buffer.getvalue()


def header(*columns: str) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in columns)
    return f'<row r="1">{cells}</row>'.encode()


def many_rows(count: int) -> Iterator[bytes]:
    """``count`` rows of one number each, without row numbers (a spreadsheet may
    leave them out), so that they compress as well as deflate can."""
    return repeated(b"<row><c><v>1</v></c></row>", count)


def repeated(piece: bytes, times: int) -> Iterator[bytes]:
    chunk = piece * max(1, (1 << 20) // len(piece))
    per_chunk = len(chunk) // len(piece)
    for _ in range(times // per_chunk):
        yield chunk
    yield piece * (times % per_chunk)


def two_million_rows(*, dimension: str | None = "A1:B2") -> bytes:
    """The issue's bomb: two million rows in a couple of hundred kilobytes, under a
    dimension that says two rows."""
    return xlsx([header("position", "name_ar"), *many_rows(2_000_000)], dimension=dimension)


def one_huge_cell(megabytes: int) -> bytes:
    """A sheet whose one cell unpacks to ``megabytes`` MB of text."""
    return xlsx([header("position"), b'<row r="2"><c t="inlineStr"><is><t>',
                 *repeated(b"a" * 1024, megabytes * 1024), b"</t></is></c></row>"])


def wide_row(cells: int) -> bytes:
    """A row of ``cells`` empty cells (each a few bytes)."""
    return xlsx([header("position"), b'<row r="2">', *repeated(b"<c/>", cells), b"</row>"])


def far_cell() -> bytes:
    """A row whose one cell is in the last column (XFD): openpyxl pads the row to
    16,384 values."""
    return xlsx([header("position"), b'<row r="2"><c r="XFD2"><v>1</v></c></row>'])


def shared_strings(count: int) -> bytes:
    """A shared-strings table of ``count`` empty strings."""
    return xlsx([header("position")], strings=repeated(b"<si><t></t></si>", count))


def huge_number(digits: int) -> bytes:
    """A number cell of ``digits`` digits."""
    return xlsx([header("position", "votes"),
                 f'<row r="2"><c><v>1</v></c><c><v>{"9" * digits}</v></c></row>'.encode()])


def gzip_bomb(megabytes: int, piece: bytes = b"a,") -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
        packed.write(b"position,name_ar\n")
        for chunk in repeated(piece * 512, megabytes * 1024):
            packed.write(chunk)
    return out.getvalue()


def endless_line(megabytes: int) -> Iterator[bytes]:
    """A CSV whose second line has no end."""
    yield b"position,name_ar\n1,"
    yield from repeated(b"a" * 1024, megabytes * 1024)
