"""Reading a contest from CSV or XLSX files, validating every row before anything is
computed.

Files are read by the one tabular reader (:mod:`shafaf.tabular`): UTF-8 CSV (a
spreadsheet's byte-order mark is accepted) or XLSX, with a header row; extra columns
are ignored. Row numbers are the spreadsheet's, so the header is row 1 and the first
record row 2. Every problem in every file is collected and reported together;
nothing is computed from a file with a problem. Nothing here needs Django, and
openpyxl is imported only when an XLSX file is read, so ``shafaf allocate`` starts
fast.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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
from shafaf.tabular import ImportRejected as InputError
from shafaf.tabular import Problem, Problems, key, rows
from shafaf.tabular.normalise import DIGITS_LIMIT, shown

__all__ = ["InputError", "Problem", "Problems", "component_code", "read_records"]

# A contest's files hold a few thousand rows; the reader stops long before a
# mistaken file (a whole register) is read.
ROWS_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class Record:
    row: int
    values: Mapping[str, str]


def read_records(path: Path, required: tuple[str, ...], problems: Problems) -> list[Record]:
    """The rows of ``path`` with surrounding spaces stripped, or none if the file is
    unusable (its problem is recorded)."""
    name = path.name
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        problems.add(None, "", f"file not found: {path}", file=name)
        return []
    except OSError as exc:
        problems.add(None, "", f"cannot read {path}: {exc.strerror}", file=name)
        return []
    own = Problems(name)
    with stream:
        records = _records(name, rows(name=name, content=stream, problems=own,
                                      limit=ROWS_LIMIT), required, own)
    problems.extend(own)
    return records


def _records(name: str, grid: Iterator[tuple[int, list[str]]], required: tuple[str, ...],
             problems: Problems) -> list[Record]:
    first = next(grid, None)
    if first is None:
        if not problems:
            problems.add(None, "", "the file is empty; it needs a header row")
        return []
    columns = [key(column) for column in first[1]]
    while columns and not columns[-1]:
        columns.pop()
    missing = [column for column in required if column not in columns]
    if missing:
        problems.add(1, "", f"missing column(s): {', '.join(missing)} "
                            f"(the header has: {', '.join(columns)})")
        return []
    records = []
    for row, fields in grid:
        if not any(value.strip() for value in fields):
            continue
        while len(fields) > len(columns) and not fields[-1].strip():
            fields.pop()  # a spreadsheet's empty trailing cells
        if len(fields) != len(columns):
            problems.add(row, "", "%(found)s fields where the header has %(columns)s", {
                "found": len(fields), "columns": len(columns)})
            continue
        records.append(Record(row, {c: v.strip() for c, v in zip(columns, fields, strict=True)}))
    return records


Reason = tuple[str, dict[str, str]]  # a message and its parameters, counted as one reason


def whole_number(value: str, column: str) -> int | Reason:
    """The count in ``value`` or the reason it is not one. Arabic-Indic digits
    (٠١٢…) are accepted as the same numbers."""
    if not value:
        return f"{column} is empty", {}
    if value.startswith("-") and value[1:].isdecimal():
        return f"{column} %(value)s is negative", {"value": repr(shown(value))}
    if not value.isdecimal():
        return f"{column} %(value)s is not a whole number", {"value": repr(shown(value))}
    if len(value.lstrip("0")) > DIGITS_LIMIT:
        # Python would refuse to convert more than 4,300 digits with a traceback.
        return f"{column} %(value)s has more than {DIGITS_LIMIT} digits", {
            "value": repr(shown(value))}
    return int(value)


@dataclass(frozen=True, slots=True)
class ListRows:
    lists: tuple[ElectoralList, ...]
    names: dict[str, str]
    rows: dict[ListId, int]


def read_lists(path: Path, problems: Problems, *, with_votes: bool = True) -> ListRows:
    """The lists of ``path``; without ``with_votes`` (a roster: ``shafaf results``)
    the file needs no ``votes`` column and each list is read with 0 votes."""
    name = path.name
    lists: list[ElectoralList] = []
    names: dict[str, str] = {}
    rows: dict[ListId, int] = {}
    for rec in read_records(path, ("list_id", "name", "votes")[:3 if with_votes else 2],
                            problems):
        list_id = ListId(rec.values["list_id"])
        votes = whole_number(rec.values["votes"], "votes") if with_votes else 0
        if not list_id:
            problems.add(rec.row, "", "list_id is empty", file=name)
        elif list_id in rows:
            problems.add(rec.row, "", "duplicate list_id %(id)s (first at row %(row)s)", {
                "id": list_id, "row": rows[list_id]}, file=name)
        elif isinstance(votes, tuple):
            problems.add(rec.row, "", *votes, file=name)
        else:
            rows[list_id] = rec.row
            lists.append(ElectoralList(list_id=list_id, votes=votes))
            names[list_id] = rec.values["name"]
    return ListRows(tuple(lists), names, rows)


SEX_CODES = {"F": Sex.FEMALE, "M": Sex.MALE}


def _person(rec: Record, name: str, seen: dict[str, tuple[str, int]],
            problems: Problems, with_votes: bool) -> tuple[CandidateId, Sex, int] | None:
    """The fields every candidate row shares, or None with its problems recorded."""
    ok = True
    candidate_id = CandidateId(rec.values["candidate_id"])
    if not candidate_id:
        problems.add(rec.row, "", "candidate_id is empty", file=name)
        ok = False
    elif candidate_id in seen:
        first_file, first_row = seen[candidate_id]
        problems.add(rec.row, "", "duplicate candidate_id %(id)s (first in %(file)s, row "
                                  "%(row)s)", {"id": candidate_id, "file": first_file,
                                               "row": first_row}, file=name)
        ok = False
    sex = SEX_CODES.get(rec.values["sex"].upper())
    if sex is None:
        problems.add(rec.row, "", "sex %(value)s must be F or M",
                     {"value": repr(shown(rec.values["sex"]))}, file=name)
        ok = False
    votes = whole_number(rec.values["votes"], "votes") if with_votes else 0
    if isinstance(votes, tuple):
        problems.add(rec.row, "", *votes, file=name)
        ok = False
    if not ok or sex is None or isinstance(votes, tuple):
        return None
    seen[candidate_id] = (name, rec.row)
    return candidate_id, sex, votes


def read_candidates(path: Path, lists: ListRows, seen: dict[str, tuple[str, int]],
                    problems: Problems, *, with_votes: bool = True
                    ) -> tuple[tuple[Candidate, ...], dict[str, str]]:
    name = path.name
    candidates: list[Candidate] = []
    names: dict[str, str] = {}
    columns = ("candidate_id", "list_id", "name", "sex", "votes")[:5 if with_votes else 4]
    for rec in read_records(path, columns, problems):
        person = _person(rec, name, seen, problems, with_votes)
        list_id = ListId(rec.values["list_id"])
        if list_id not in lists.rows:
            problems.add(rec.row, "", "list_id %(value)s is not in the lists file",
                         {"value": repr(shown(list_id))}, file=name)
            continue
        if person is None:
            continue
        candidate_id, sex, votes = person
        candidates.append(Candidate(candidate_id=candidate_id, list_id=list_id, sex=sex,
                                    votes=votes))
        names[candidate_id] = rec.values["name"]
    return tuple(candidates), names


def component_code(text: str) -> Component:
    """``Sabean-Mandaean`` or ``sabean mandaean`` → ``sabean_mandaean``: the one
    normalisation of codes (:func:`shafaf.tabular.key`), as a list upload reads them."""
    return Component(key(text))


def read_components(path: Path, seats: Mapping[Component, int],
                    seen: dict[str, tuple[str, int]], problems: Problems, *,
                    with_votes: bool = True
                    ) -> tuple[tuple[ComponentCandidate, ...], dict[str, str]]:
    name = path.name
    candidates: list[ComponentCandidate] = []
    names: dict[str, str] = {}
    columns = ("candidate_id", "component", "name", "sex", "votes")[:5 if with_votes else 4]
    for rec in read_records(path, columns, problems):
        person = _person(rec, name, seen, problems, with_votes)
        component = component_code(rec.values["component"])
        if component not in seats:
            known = ", ".join(sorted(seats)) or "none"
            problems.add(rec.row, "", "component %(value)s has no seat in this contest "
                                      "(seats: %(known)s)", {
                "value": repr(shown(rec.values["component"])), "known": known}, file=name)
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
                problems.add(row, "", "list %(id)s has votes but no candidates in the "
                                      "candidates file", {"id": lst.list_id}, file=path.name)
        elif personal[lst.list_id] > lst.votes:
            problems.add(row, "", "list %(id)s has %(votes)s votes, fewer than its "
                                  "candidates' %(personal)s personal votes", {
                "id": lst.list_id, "votes": lst.votes, "personal": personal[lst.list_id]},
                file=path.name)


def iter_ids(text: str) -> Iterator[str]:
    """``A, B,C`` → A, B, C."""
    return (part.strip() for part in text.split(",") if part.strip())
