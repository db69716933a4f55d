"""The reader's lines are the lines of Python's own universal-newline reading, however
the text falls into chunks: \\r\\n, \\n and \\r end a line (a \\r\\n split between two
chunks too), the other characters str.splitlines would break at do not."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.tabular import Problems, reader

pieces = st.lists(st.sampled_from(
    ["a", "علي", ",", "\r\n", "\n", "\r", '"', "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "7"]),
    max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(pieces, st.integers(1, 12))
def test_the_lines_are_pythons_whatever_the_chunks(text, chunk):
    expected_lines = io.StringIO(text, newline="").readlines()
    original = reader.CHUNK
    reader.CHUNK = chunk
    try:
        lines = list(reader._lines(io.BytesIO(text.encode()), Problems("x.csv")))
    finally:
        reader.CHUNK = original
    assert lines == expected_lines
    try:
        expected_rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return
    assert list(csv.reader(lines)) == expected_rows
