"""One reader for every file people give Shafaf: CSV or XLSX, read row by row with
a row limit, one capped problem collector, one normalisation of names and codes.

It sits below every app and imports none (docs/decisions/0010-tabular-reader.md).
"""

from shafaf.tabular.normalise import count, day, key, lookup, spellings, whole
from shafaf.tabular.problems import (
    ImportRejected,
    Problem,
    Problems,
    ProblemsCsv,
    Unlisted,
    recording,
)
from shafaf.tabular.reader import Row, Table, read_table, rows

__all__ = ["ImportRejected", "Problem", "Problems", "ProblemsCsv", "Row", "Table", "Unlisted",
           "count", "day", "key", "lookup", "read_table", "recording", "rows", "spellings",
           "whole"]
