"""Checking a voter register file row by row (docs/register.md, "Import").

A file is CSV, plain or gzip, read as a stream by the one tabular reader: a national
register of 16 million rows never sits in memory. Each row is checked on its own
here; what needs the whole file (a voter number twice) is checked set-wise in the
database by the action, on the staging table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import IO

from django.utils.translation import gettext

from shafaf import tabular
from shafaf.core.names import BIDI_CONTROLS, bidi_controls, character_label
from shafaf.core.register_requests import MINIMUM_VOTING_AGE, age_on
from shafaf.register.models import (
    MOTHER_NAME_LENGTH,
    NAME_LENGTH,
    VOTER_NUMBER_LENGTH,
    Category,
    Sex,
)
from shafaf.register.order import stored_sort_key
from shafaf.tabular import Problems, Row, Table

REQUIRED = ("voter_number", "first_name", "father_name", "grandfather_name", "family_name",
            "mother_name", "sex", "birth_date", "centre_code")
OPTIONAL = ("category",)
NAMES = ("first_name", "father_name", "grandfather_name", "family_name", "mother_name")
LENGTHS = {"voter_number": VOTER_NUMBER_LENGTH, "mother_name": MOTHER_NAME_LENGTH,
           **dict.fromkeys(NAMES[:4], NAME_LENGTH)}
# Iraq's registered voters, with room to grow.
ROWS_LIMIT = 30_000_000
CATEGORIES = frozenset(Category.values)
CHECKED = (*NAMES, "voter_number")
# Control characters (the stored sort key's separator among them) and the
# bidirectional controls a name may not hold.
_REFUSED = re.compile("[\x00-\x1f\x7f" + "".join(sorted(BIDI_CONTROLS)) + "]")
SEXES = frozenset(Sex.values)


def _(message: str) -> str:
    return str(gettext(message))


def read_table(*, name: str, content: bytes | IO[bytes]) -> Table:
    return tabular.read_table(name=name, content=content, required=REQUIRED, optional=OPTIONAL,
                              limit=ROWS_LIMIT, translate=_)


@dataclass(frozen=True, slots=True)
class VoterRow:
    """A checked row, as the staging table holds it."""

    row: int
    voter_number: str
    first_name: str
    father_name: str
    grandfather_name: str
    family_name: str
    mother_name: str
    sex: str
    birth_date: date
    centre_id: int
    governorate_id: int
    category: str
    sort_key: str


def check_row(row: Row, table: Table, *, centres: Mapping[str, tuple[int, int]],
              polling_day: date, today: date, problems: Problems) -> VoterRow | None:
    """The row's values, or None with its problems added.

    ``centres`` maps the code of each polling centre the importer may fill to its id
    and governorate's id. A voter must be 18 on polling day (Law 12/2018): a register
    is prepared for one election, and someone younger cannot vote in it."""
    before = problems.count
    values = row.values
    for column in REQUIRED:
        if column != "family_name" and not values.get(column):
            problems.add(row.number, column, _("required, but empty"))
    for column, limit in LENGTHS.items():
        if len(values.get(column, "")) > limit:
            problems.add(row.number, column, _("longer than %(limit)d characters"),
                         {"limit": limit})
    # One search over the row for the rare character that is refused, then the
    # column-by-column look only for a row that has one: 16 million rows go by.
    if _REFUSED.search("".join(values.get(column, "") for column in CHECKED)):
        _refused_characters(row, problems)
    sex = row["sex"].upper()
    if sex and sex not in SEXES:
        problems.add(row.number, "sex", _("%(value)s is not F or M"), {"value": row["sex"]})
    born = None
    if text := row["birth_date"]:
        born = _iso_day(text)
        if born is None:
            problems.add(row.number, "birth_date", _("%(value)s is not a date written "
                                                     "YYYY-MM-DD"), {"value": text})
        elif born > today:
            problems.add(row.number, "birth_date", _("%(value)s is in the future"),
                         {"value": text})
        elif age_on(born, polling_day) < MINIMUM_VOTING_AGE:
            problems.add(row.number, "birth_date", _(
                "born %(value)s: under %(age)d on polling day, %(day)s"),
                {"value": text, "age": MINIMUM_VOTING_AGE, "day": polling_day.isoformat()})
    centre = centres.get(row["centre_code"])
    if row["centre_code"] and centre is None:
        problems.add(row.number, "centre_code", _(
            "no polling centre %(code)s in this election that you may import into"),
            {"code": row["centre_code"]})
    category = (table.optional(row, "category") or Category.GENERAL).lower()
    if category not in CATEGORIES:
        problems.add(row.number, "category", _("unknown category %(value)s; the categories "
                                               "are %(known)s"),
                     {"value": category, "known": ", ".join(sorted(CATEGORIES))})
    if problems.count > before or born is None or centre is None:
        return None
    first, father, grandfather, family, mother = (row[column] for column in NAMES)
    return VoterRow(row.number, row["voter_number"], first, father, grandfather, family,
                    mother, sex, born, centre[0], centre[1], category,
                    stored_sort_key(first, father, grandfather, family, row["voter_number"]))


def _refused_characters(row: Row, problems: Problems) -> None:
    for column in CHECKED:
        value = row[column]
        if controls := bidi_controls(value):
            problems.add(row.number, column, _("%(character)s is not allowed in a name"),
                         {"character": character_label(controls[0])})
        elif any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
            problems.add(row.number, column, _("a control character is not allowed here"))


@lru_cache(maxsize=1 << 16)  # some 30,000 birth days for the whole register
def _iso_day(text: str) -> date | None:
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
