"""Reading a contest from CSV files, validating every row before anything is computed.

Files are UTF-8 (a spreadsheet's byte-order mark is accepted) with a header row;
extra columns are ignored. Row numbers are the file's line numbers, so the
header is row 1 and the first record row 2, as a spreadsheet shows them. Every
problem in every file is collected and reported together; nothing is computed
from a file with a problem.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from shafaf.core.contest import (
    Candidate,
    CandidateId,
    Component,
    ComponentCandidate,
    ElectoralList,
    ListId,
    Sex,
)


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    row: int | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}, row {self.row}"
        return f"{where}: {self.reason}"


class InputError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class Problems:
    found: list[Problem] = field(default_factory=list)

    def add(self, file: str, row: int | None, reason: str) -> None:
        self.found.append(Problem(file, row, reason))

    def raise_if_any(self) -> None:
        if self.found:
            raise InputError(self.found)


@dataclass(frozen=True, slots=True)
class Record:
    row: int
    values: Mapping[str, str]


def read_records(path: Path, required: tuple[str, ...], problems: Problems) -> list[Record]:
    """The rows of ``path`` with surrounding spaces stripped, or none if the file is
    unusable (its problem is recorded)."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.add(name, None, f"file not found: {path}")
        return []
    except UnicodeDecodeError as exc:
        problems.add(name, None, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
        return []
    except OSError as exc:
        problems.add(name, None, f"cannot read {path}: {exc.strerror}")
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        problems.add(name, None, "the file is empty; it needs a header row")
        return []
    columns = [column.strip().lower() for column in header]
    missing = [column for column in required if column not in columns]
    if missing:
        problems.add(name, 1, f"missing column(s): {', '.join(missing)} "
                              f"(the header has: {', '.join(columns)})")
        return []
    records = []
    for fields in reader:
        row = reader.line_num
        if not any(value.strip() for value in fields):
            continue
        if len(fields) != len(columns):
            problems.add(name, row, f"{len(fields)} fields where the header has {len(columns)}")
            continue
        records.append(Record(row, {c: v.strip() for c, v in zip(columns, fields, strict=True)}))
    return records


def whole_number(value: str, column: str) -> int | str:
    """The count in ``value`` or the reason it is not one. Arabic-Indic digits
    (٠١٢…) are accepted as the same numbers."""
    if not value:
        return f"{column} is empty"
    if value.startswith("-") and value[1:].isdecimal():
        return f"{column} {value!r} is negative"
    if not value.isdecimal():
        return f"{column} {value!r} is not a whole number"
    return int(value)


@dataclass(frozen=True, slots=True)
class ListRows:
    lists: tuple[ElectoralList, ...]
    names: dict[str, str]
    rows: dict[ListId, int]


def read_lists(path: Path, problems: Problems) -> ListRows:
    name = path.name
    lists: list[ElectoralList] = []
    names: dict[str, str] = {}
    rows: dict[ListId, int] = {}
    for rec in read_records(path, ("list_id", "name", "votes"), problems):
        list_id = ListId(rec.values["list_id"])
        votes = whole_number(rec.values["votes"], "votes")
        if not list_id:
            problems.add(name, rec.row, "list_id is empty")
        elif list_id in rows:
            problems.add(name, rec.row, f"duplicate list_id {list_id} (first at row "
                                        f"{rows[list_id]})")
        elif isinstance(votes, str):
            problems.add(name, rec.row, votes)
        else:
            rows[list_id] = rec.row
            lists.append(ElectoralList(list_id=list_id, votes=votes))
            names[list_id] = rec.values["name"]
    return ListRows(tuple(lists), names, rows)


SEX_CODES = {"F": Sex.FEMALE, "M": Sex.MALE}


def _person(rec: Record, name: str, seen: dict[str, tuple[str, int]],
            problems: Problems) -> tuple[CandidateId, Sex, int] | None:
    """The fields every candidate row shares, or None with its problems recorded."""
    ok = True
    candidate_id = CandidateId(rec.values["candidate_id"])
    if not candidate_id:
        problems.add(name, rec.row, "candidate_id is empty")
        ok = False
    elif candidate_id in seen:
        first_file, first_row = seen[candidate_id]
        problems.add(name, rec.row, f"duplicate candidate_id {candidate_id} "
                                    f"(first in {first_file}, row {first_row})")
        ok = False
    sex = SEX_CODES.get(rec.values["sex"].upper())
    if sex is None:
        problems.add(name, rec.row, f"sex {rec.values['sex']!r} must be F or M")
        ok = False
    votes = whole_number(rec.values["votes"], "votes")
    if isinstance(votes, str):
        problems.add(name, rec.row, votes)
        ok = False
    if not ok or sex is None or isinstance(votes, str):
        return None
    seen[candidate_id] = (name, rec.row)
    return candidate_id, sex, votes


def read_candidates(path: Path, lists: ListRows, seen: dict[str, tuple[str, int]],
                    problems: Problems) -> tuple[tuple[Candidate, ...], dict[str, str]]:
    name = path.name
    candidates: list[Candidate] = []
    names: dict[str, str] = {}
    for rec in read_records(path, ("candidate_id", "list_id", "name", "sex", "votes"), problems):
        person = _person(rec, name, seen, problems)
        list_id = ListId(rec.values["list_id"])
        if list_id not in lists.rows:
            problems.add(name, rec.row, f"list_id {list_id!r} is not in the lists file")
            continue
        if person is None:
            continue
        candidate_id, sex, votes = person
        candidates.append(Candidate(candidate_id=candidate_id, list_id=list_id, sex=sex,
                                    votes=votes))
        names[candidate_id] = rec.values["name"]
    return tuple(candidates), names


def component_code(text: str) -> Component:
    """``Sabean-Mandaean`` or ``sabean mandaean`` → ``sabean_mandaean``."""
    return Component("_".join(text.lower().replace("-", " ").split()))


def read_components(path: Path, seats: Mapping[Component, int],
                    seen: dict[str, tuple[str, int]], problems: Problems
                    ) -> tuple[tuple[ComponentCandidate, ...], dict[str, str]]:
    name = path.name
    candidates: list[ComponentCandidate] = []
    names: dict[str, str] = {}
    for rec in read_records(path, ("candidate_id", "component", "name", "sex", "votes"),
                            problems):
        person = _person(rec, name, seen, problems)
        component = component_code(rec.values["component"])
        if component not in seats:
            known = ", ".join(sorted(seats)) or "none"
            problems.add(name, rec.row, f"component {rec.values['component']!r} has no seat in "
                                        f"this contest (seats: {known})")
            continue
        if person is None:
            continue
        candidate_id, sex, votes = person
        candidates.append(ComponentCandidate(candidate_id=candidate_id, component=component,
                                             sex=sex, votes=votes))
        names[candidate_id] = rec.values["name"]
    return tuple(candidates), names


def check_list_totals(lists: ListRows, candidates: tuple[Candidate, ...], path: Path,
                      problems: Problems) -> None:
    """A list's total counts every vote for it, so it can never be below the sum of its
    candidates' personal votes; nor can a list with votes have no candidates at all."""
    personal: dict[ListId, int] = {}
    for cand in candidates:
        personal[cand.list_id] = personal.get(cand.list_id, 0) + cand.votes
    for lst in lists.lists:
        row = lists.rows[lst.list_id]
        if lst.list_id not in personal:
            if lst.votes > 0:
                problems.add(path.name, row, f"list {lst.list_id} has votes but no candidates "
                                             "in the candidates file")
        elif personal[lst.list_id] > lst.votes:
            problems.add(path.name, row, f"list {lst.list_id} has {lst.votes} votes, fewer than "
                                         f"its candidates' {personal[lst.list_id]} personal votes")


def iter_ids(text: str) -> Iterator[str]:
    """``A, B,C`` → A, B, C."""
    return (part.strip() for part in text.split(",") if part.strip())
