"""A register extract read for duplicate detection: every row checked before any
matching, every bad row named (row, column, reason).

The file is CSV (plain or gzip) read by the one tabular reader, with the columns
``voter_id, first_name, father_name, grandfather_name, family_name, mother_name,
sex, birth_date, governorate``. The family (tribe) name may be empty; every other
value is required, ``sex`` is F or M and ``birth_date`` a real date.

The rows are kept column by column (one list per column), not as a million small
objects, because the model loads them into DuckDB as one Arrow table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from shafaf.core.name_matching import match_key
from shafaf.tabular import ImportRejected, Problems, day, read_table

COLUMNS = ("voter_id", "first_name", "father_name", "grandfather_name", "family_name",
           "mother_name", "sex", "birth_date", "governorate")
NAMES = ("first_name", "father_name", "grandfather_name", "family_name", "mother_name")
REQUIRED_VALUES = ("voter_id", "first_name", "father_name", "grandfather_name",
                   "mother_name", "sex", "birth_date", "governorate")
SEXES = {"F": "F", "M": "M", "f": "F", "m": "M", "ذ": "M", "أ": "F", "ا": "F"}
# The national register holds 16.2 million voters; a file beyond this is a mistake.
ROWS_LIMIT = 20_000_000


@dataclass
class Extract:
    """The rows of a file, one list per column; names either folded (the model's
    input) or as written (the same model without the Arabic normalisation)."""

    columns: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in COLUMNS})

    def __len__(self) -> int:
        return len(self.columns["voter_id"])


def read(name: str, content: IO[bytes], *, normalise: bool = True) -> Extract:
    """The extract in ``content``. Raises ImportRejected naming every bad row (a
    missing column, an empty value, an impossible date, a repeated voter id)."""
    table = read_table(name=name, content=content, required=COLUMNS, limit=ROWS_LIMIT)
    problems: Problems = table.problems
    extract = Extract()
    out = extract.columns
    seen: set[str] = set()
    for row in table.rows:
        bad = False
        for column in REQUIRED_VALUES:
            if not row[column]:
                problems.add(row.number, column, "empty: every record needs this value")
                bad = True
        born = day(row["birth_date"]) if row["birth_date"] else None
        if row["birth_date"] and born is None:
            problems.add(row.number, "birth_date", "not a date (YYYY-MM-DD): %(value)s",
                         {"value": row["birth_date"]})
            bad = True
        sex = SEXES.get(row["sex"])
        if row["sex"] and sex is None:
            problems.add(row.number, "sex", "F or M, not %(value)s", {"value": row["sex"]})
            bad = True
        voter = row["voter_id"]
        if voter in seen:
            problems.add(row.number, "voter_id", "this voter id appears twice: %(value)s",
                         {"value": voter})
            bad = True
        seen.add(voter)
        if bad or problems:
            continue  # nothing is matched from a file with a problem: stop collecting
        out["voter_id"].append(voter)
        for column in NAMES:
            value = row[column]
            out[column].append(match_key(value) if normalise else value)
        out["sex"].append(sex or "")
        out["birth_date"].append(born.isoformat() if born else "")
        out["governorate"].append(row["governorate"])
    problems.raise_if_any()
    return extract


__all__ = ["COLUMNS", "Extract", "ImportRejected", "read"]
