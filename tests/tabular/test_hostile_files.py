"""Files made to exhaust the reader are refused at once, in bounded memory, with a
reason: XLSX whose rows, cells or shared strings unpack to far more than the file,
gzip bombs, an endless CSV line, thousands of columns, a number of 5,000 digits.
Each file is built here, small."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator

import pytest

from shafaf import tabular
from shafaf.tabular import bounds
from tests.tabular import hostile

LIMIT = 2000  # a candidate list's


def refusal(content: bytes | io.RawIOBase, name: str = "upload.xlsx") -> tuple[list[str], float,
                                                                              int]:
    """Why the file is refused, how long it took and the peak of Python's memory
    (the time is for the benchmark, benchmarks/hostile_files.py; tests do not time)."""
    stream = io.BufferedReader(content) if isinstance(content, io.RawIOBase) else content
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(tabular.ImportRejected) as rejected:
            read_whole(stream, name)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return ([str(p) for p in rejected.value.problems], time.perf_counter() - started, peak)


MB = 1024 * 1024


def read_whole(stream: bytes | io.BufferedReader, name: str) -> None:
    table = tabular.read_table(name=name, content=stream, required=("position",), limit=LIMIT)
    for _row in table.rows:
        pass
    table.problems.raise_if_any()


def test_the_issues_two_million_row_xlsx_is_refused_at_once_in_little_memory():
    content = hostile.two_million_rows(dimension="A1:B2")
    assert len(content) < 300_000
    problems, _seconds, peak = refusal(content)
    assert problems == ["upload.xlsx: the file unpacks to more than 100 times its size: it "
                        "looks like a compression bomb, not a spreadsheet"]
    assert peak < 16 * MB


def test_a_sheet_without_a_dimension_is_refused_the_same():
    problems, _seconds, peak = refusal(hostile.two_million_rows(dimension=None))
    assert "compression bomb" in problems[0]
    assert peak < 16 * MB


def test_a_sheet_that_understates_its_rows_stops_at_the_limit_however_it_compresses(
        monkeypatch):
    """With the ratio check out of the way, the rows themselves are counted."""
    monkeypatch.setattr(bounds, "RATIO_LIMIT", 10**9)
    monkeypatch.setattr(bounds, "sheet_bytes", lambda limit: 1 << 40)
    problems, _seconds, peak = refusal(hostile.two_million_rows(dimension="A1:B2"))
    assert problems == ["upload.xlsx: the file has more than 2000 rows; at most 2000 are read"]
    assert peak < 16 * MB


def test_a_cell_that_unpacks_to_hundreds_of_megabytes_is_refused():
    content = hostile.one_huge_cell(400)
    assert len(content) < 1 * MB
    problems, _seconds, peak = refusal(content)
    assert "compression bomb" in problems[0] or "unpacks to more than" in problems[0]
    assert peak < 16 * MB


def test_one_row_of_megabytes_is_refused_as_it_is_unpacked(monkeypatch):
    """The sizes a file declares are checked first; the bytes of each row are
    counted as they are unpacked, so one row never fills the memory."""
    monkeypatch.setattr(bounds, "RATIO_LIMIT", 10**9)
    problems, _seconds, peak = refusal(hostile.one_huge_cell(8))
    assert problems == ["upload.xlsx: a row of the sheet holds more than 512 KB: is it a "
                        "spreadsheet of rows?"]
    assert peak < 16 * MB


def test_a_huge_shared_strings_table_is_refused_before_it_is_read(monkeypatch):
    problems, _seconds, _peak = refusal(hostile.shared_strings(3_000_000))
    assert "compression bomb" in problems[0]
    monkeypatch.setattr(bounds, "RATIO_LIMIT", 10**9)  # the table's own bound
    problems, _seconds, peak = refusal(hostile.shared_strings(3_000_000))
    assert problems == ["upload.xlsx: the file unpacks to more than 3 MB: split it, or save "
                        "it as CSV UTF-8"]
    assert peak < 16 * MB


@pytest.mark.parametrize("build", [lambda: hostile.wide_row(1_000_000), hostile.far_cell],
                         ids=["a million cells", "a cell in column XFD"])
def test_a_row_of_thousands_of_columns_is_refused(build: Callable[[], bytes], monkeypatch):
    monkeypatch.setattr(bounds, "RATIO_LIMIT", 10**9)
    problems, _seconds, peak = refusal(build())
    assert len(problems) == 1
    assert ("more than 256 columns" in problems[0]) or ("more than 512 KB" in problems[0])
    assert peak < 64 * MB


def test_an_archive_of_thousands_of_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for n in range(1001):
            book.writestr(f"part{n}.xml", b"")
    problems, _seconds, _peak = refusal(buffer.getvalue())
    assert problems == ["upload.xlsx: the file holds more than 1000 parts: it is not a "
                        "spreadsheet"]


def test_a_number_of_five_thousand_digits_in_a_cell_is_a_problem_not_a_crash():
    problems, _seconds, _peak = refusal(hostile.huge_number(5000))
    assert problems == ["upload.xlsx, row 2: not a readable XLSX file: open it in a "
                        "spreadsheet and save it again as XLSX or as CSV UTF-8"]


def test_a_gzip_bomb_is_refused_as_it_is_unpacked():
    content = hostile.gzip_bomb(1000)
    assert len(content) < 2 * MB
    problems, _seconds, peak = refusal(content, "upload.csv.gz")
    assert problems == ["upload.csv.gz: the file unpacks to more than 100 times its size: it "
                        "looks like a compression bomb, not a spreadsheet"]
    assert peak < 16 * MB


def test_a_gzip_bomb_of_blank_lines_stops_at_the_row_limit():
    problems, _seconds, peak = refusal(hostile.gzip_bomb(1000, b"\n"), "upload.csv.gz")
    assert problems in (
        ["upload.csv.gz: the file has more than 2000 rows; at most 2000 are read"],
        ["upload.csv.gz: the file unpacks to more than 100 times its size: it looks like a "
         "compression bomb, not a spreadsheet"])
    assert peak < 16 * MB


class Endless(io.RawIOBase):
    """A stream of the given chunks, made as they are read."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.pending = b""
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while len(self.pending) < len(buffer):
            chunk = next(self.chunks, b"")
            if not chunk:
                break
            self.pending += chunk
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        self.served += size
        return size


def test_a_hundred_megabyte_line_is_refused_after_its_first_megabyte():
    source = Endless(hostile.endless_line(100))
    problems = tabular.Problems("upload.csv")
    tracemalloc.start()
    try:
        for _row in tabular.rows(name="upload.csv", content=io.BufferedReader(source),
                                 problems=problems, limit=LIMIT):
            pass
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [str(p) for p in problems.found] == [
        "upload.csv: a line of the file is longer than 1048576 characters: is it a CSV file?"]
    assert source.served < 2 * MB
    assert peak < 32 * MB


def test_a_csv_row_of_ten_thousand_columns_is_refused():
    content = b"position\n" + b"," * 10_000 + b"\n"
    problems, _seconds, _peak = refusal(content, "upload.csv")
    assert problems == ["upload.csv, row 2: more than 256 columns: the file is refused"]


def test_an_ordinary_spreadsheet_is_still_read():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append(["position", "name"])
    for n in range(1, 1001):
        sheet.append([n, "محمد علي حسين جاسم"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = tabular.read_table(name="list.xlsx", content=buffer.getvalue(),
                               required=("position",), limit=LIMIT)
    assert [row["position"] for row in table.rows][-1] == "1000"
    assert not table.problems


def test_a_sheet_without_a_dimension_is_not_parsed_to_its_end_before_its_first_row(
        monkeypatch):
    """openpyxl looks for a missing <dimension> by parsing the whole sheet; the
    reader looks only at the sheet's head."""
    from shafaf.tabular import xlsx

    monkeypatch.setattr(bounds, "RATIO_LIMIT", 10**9)
    unpacked: list[int] = []
    readinto = xlsx._Metered.readinto

    def counted(self, buffer):  # type: ignore[no-untyped-def]
        size = readinto(self, buffer)
        if self.rows:
            unpacked.append(size)
        return size

    monkeypatch.setattr(xlsx._Metered, "readinto", counted)
    content = hostile.two_million_rows(dimension=None)  # 50 MB of sheet XML
    grid = tabular.rows(name="x.xlsx", content=content, problems=tabular.Problems(),
                        limit=3_000_000)
    assert next(grid)[1] == ["position", "name_ar"]
    assert sum(unpacked) < 1 * MB
