"""The one tabular reader: rows come as they are read, a file too long is refused
at the first row beyond its limit without reading the rest, problems are listed up
to a cap and counted beyond it, and one normalisation decides what a code means."""

from __future__ import annotations

import gzip
import io
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from shafaf import tabular
from shafaf.tabular import reader

# --- streaming and the row limit -------------------------------------------------------


class CountingCsv(io.RawIOBase):
    """An endless CSV file that counts the bytes anyone read from it."""

    def __init__(self) -> None:
        self.served = 0
        self._pending = b"code,votes\n"
        self._row = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while len(self._pending) < len(buffer):
            self._row += 1
            self._pending += f"C{self._row},{self._row}\n".encode()
        size = len(buffer)
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self.served += size
        return size

    def seekable(self) -> bool:
        return False


def drain(rows: Iterator[object], seen: list[object]) -> None:
    """Read every row, keeping each in ``seen`` (until the reader refuses)."""
    for row in rows:
        seen.append(row)


def test_a_csv_beyond_its_limit_is_refused_without_reading_the_rest():
    source = CountingCsv()
    problems = tabular.Problems("endless.csv")
    seen: list[object] = []
    rows = tabular.rows(name="endless.csv", content=io.BufferedReader(source), problems=problems,
                        limit=1000)
    with pytest.raises(tabular.ImportRejected) as rejected:
        drain(rows, seen)
    assert len(seen) == 1001  # the header and the 1,000 rows allowed, never the 1,001st
    assert source.served < 200_000  # a few chunks, of an endless file
    [problem] = rejected.value.problems
    assert problem.reason == "the file has more than 1000 rows; at most 1000 are read"


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
              b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')


def write_xlsx(path: Path, rows: int, *, declared: int | None = None) -> None:
    """A minimal XLSX of ``rows`` rows under a header, its sheet written as a stream.
    The sheet declares ``declared`` rows (a spreadsheet writes the true count; a
    hand-made file may say anything)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        book.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship '
            f'Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        book.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="register" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        book.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship '
            f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            size = (rows if declared is None else declared) + 1
            sheet.write(SHEET_HEAD.replace(b"<sheetData>", f'<dimension ref="A1:B{size}"/>'
                                                           '<sheetData>'.encode()))
            sheet.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>voter_id</t></is></c>'
                        b'<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>')
            for start in range(2, rows + 2, 10_000):
                sheet.write("".join(
                    f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}" t="inlineStr"><is><t>'
                    f'ناخب</t></is></c></row>' for n in range(start, min(start + 10_000,
                                                                     rows + 2))).encode())
            sheet.write(b"</sheetData></worksheet>")


@pytest.fixture(scope="module")
def two_million_rows(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("register") / "register.xlsx"
    write_xlsx(path, 2_000_000)
    return path


def test_a_two_million_row_xlsx_is_refused_before_its_rows_are_read(two_million_rows):
    tracemalloc.start()
    try:
        with two_million_rows.open("rb") as stream, pytest.raises(
                tabular.ImportRejected) as rejected:
            tabular.read_table(name="register.xlsx", content=stream,
                                   required=("voter_id", "name"), limit=5000)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Its sheet unpacks to over 150 MB of XML, more than 5,000 rows can take.
    assert [p.reason for p in rejected.value.problems] == [
        "the file unpacks to more than 26 MB: split it, or save it as CSV UTF-8"]
    assert peak < 16 * 1024 * 1024


def test_a_sheet_that_declares_too_many_rows_is_refused_before_its_first_row(tmp_path):
    path = tmp_path / "declared.xlsx"
    write_xlsx(path, 10, declared=2_000_000)
    with path.open("rb") as stream, pytest.raises(tabular.ImportRejected) as rejected:
        tabular.read_table(name="register.xlsx", content=stream, required=("voter_id", "name"),
                           limit=5000)
    assert [p.reason for p in rejected.value.problems] == [
        "the file has more than 5000 rows; at most 5000 are read"]


def test_a_sheet_that_understates_its_size_is_refused_at_its_limit(tmp_path):
    path = tmp_path / "understated.xlsx"
    write_xlsx(path, 100_000, declared=10)
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            table = tabular.read_table(name="register.xlsx", content=stream,
                                       required=("voter_id", "name"), limit=5000)
            read: list[object] = []
            with pytest.raises(tabular.ImportRejected) as rejected:
                drain(table.rows, read)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(read) == 5000  # the 5,001st row raised; the 95,000 after it were never read
    assert [p.reason for p in rejected.value.problems] == [
        "the file has more than 5000 rows; at most 5000 are read"]
    assert peak < 16 * 1024 * 1024


def test_rows_are_read_as_they_are_asked_for(tmp_path):
    path = tmp_path / "register.xlsx"
    write_xlsx(path, 50_000)
    with path.open("rb") as stream:
        table = tabular.read_table(name="register.xlsx", content=stream,
                                   required=("voter_id", "name"), limit=3_000_000)
        first = next(table.rows)
    assert (first.number, first["voter_id"], first["name"]) == (2, "2", "ناخب")


def test_csv_is_decoded_chunk_by_chunk(monkeypatch):
    """A letter split between two chunks, a line ending split between two chunks,
    and the byte-order mark of Excel's "CSV UTF-8" are all read as one text."""
    monkeypatch.setattr(reader, "CHUNK", 7)
    text = "\ufeffname,votes\r\nعلي,٤٠\r\nحسن,7\r\n\"two\nlines\",3\r\n"
    table = tabular.read_table(name="x.csv", content=text.encode(), required=("name", "votes"))
    assert [(r.number, r["name"], r["votes"]) for r in table.rows] == [
        (2, "علي", "٤٠"), (3, "حسن", "7"), (4, "two\nlines", "3")]


def test_a_byte_that_is_not_utf8_is_named_by_its_place_in_the_file(monkeypatch):
    monkeypatch.setattr(reader, "CHUNK", 5)
    content = "name,votes\nعلي,1\n".encode() + "حسن".encode("cp1256") + b",2\n"
    table = tabular.read_table(name="x.csv", content=content, required=("name",))
    assert list(table.rows) == [tabular.Row(2, {"name": "علي"})]  # the rows before it
    with pytest.raises(tabular.ImportRejected) as rejected:
        table.problems.raise_if_any()
    assert rejected.value.problems[0].reason.startswith(f"not UTF-8 text (byte {len(content) - 6})")


def test_a_gzipped_csv_is_read_like_a_csv():
    content = gzip.compress("name,votes\nعلي,3\n".encode())
    table = tabular.read_table(name="x.csv.gz", content=content, required=("name", "votes"))
    assert [r.values for r in table.rows] == [{"name": "علي", "votes": "3"}]


def test_the_hash_is_of_the_file_as_given():
    content = gzip.compress(b"name\nx\n")
    table = tabular.read_table(name="x.csv.gz", content=content, required=("name",))
    import hashlib

    assert table.sha256 == hashlib.sha256(content).hexdigest()


# --- the problem collector -------------------------------------------------------------


def test_problems_beyond_the_cap_are_counted_per_reason():
    problems = tabular.Problems("register.csv", limit=1000)
    for row in range(2, 5002):
        problems.add(row, "votes", "%(value)s is negative", {"value": -row})
        if row % 2:
            problems.add(row, "name", "required, but empty")
    rejected = problems.rejected()
    assert len(rejected.problems) == 1000
    assert rejected.total == 7500
    listed = [p.column for p in rejected.problems]
    assert {(u.file, u.column, u.reason, u.count) for u in rejected.unlisted} == {
        ("register.csv", "votes", "… is negative", 5000 - listed.count("votes")),
        ("register.csv", "name", "required, but empty", 2500 - listed.count("name"))}
    assert str(rejected.problems[0]) == "register.csv, row 2, column votes: -2 is negative"


def test_the_collector_words_its_messages_in_the_callers_language():
    words = {"required, but empty": "مطلوب", "row %(row)d": "الصف %(row)d",
             "column %(column)s": "العمود %(column)s"}
    problems = tabular.Problems("x.csv", translate=lambda m: words.get(m, m))
    problems.add(3, "name", "required, but empty")
    assert str(problems.found[0]) == "x.csv, الصف 3, العمود name: مطلوب"


# --- one normalisation -----------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["Sabean-Mandaean", "sabean mandaean", "SABEAN_MANDAEAN",
                                      " Sabean – Mandaean ", "sabean_mandaean"])
def test_codes_are_one_however_written(spelling):
    assert tabular.key(spelling) == "sabean_mandaean"


def test_arabic_and_kurdish_letter_forms_are_one():
    assert tabular.key("إعدادية") == tabular.key("اعدادية")
    assert tabular.key("تاريخ الميلاد") == tabular.key("تاريـخ  الميلاد")  # tatweel
    assert tabular.key("مسيحي") == tabular.key("مسیحی")  # Arabic and Kurdish yeh


@pytest.mark.parametrize(("text", "day"), [
    ("1980-03-02", (1980, 3, 2)), ("02/03/1980", (1980, 3, 2)), ("2/3/1980", (1980, 3, 2)),
    ("٠٢/٠٣/١٩٨٠", (1980, 3, 2)), ("2.3.1980", (1980, 3, 2)), ("1980-03-02 00:00:00", (1980, 3, 2)),
    ("30/02/1980", None), ("03/1980", None), ("yesterday", None)])
def test_dates_as_people_write_them(text, day):
    from datetime import date

    assert tabular.day(text) == (date(*day) if day else None)


def test_a_problem_quotes_a_long_value_short():
    problems = tabular.Problems("x.csv")
    problems.add(2, "sex", "unknown value %(value)s", {"value": "x" * 100_000})
    assert len(problems.found[0].reason) == len("unknown value ") + 200
    assert problems.found[0].reason.endswith("x…")
