"""Reading a list's candidates from a CSV or XLSX file (format: docs/nominations.md).

Every row is checked and every problem reported with its row number; the file is
taken whole or not at all. The eligibility rules are not applied here: they run
when the list is submitted, on the list as it then stands.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext

from shafaf.core.eligibility import EducationLevel
from shafaf.elections import imports
from shafaf.elections.models import Component

REQUIRED = ("position", "name_ar", "mother_name_ar", "sex", "date_of_birth", "education")
OPTIONAL = ("surname_ar", "name_ckb", "name_en", "component", "governorate_code")
LENGTHS = {"name_ar": 200, "surname_ar": 100, "mother_name_ar": 200, "name_ckb": 200,
           "name_en": 200}
MAX_CANDIDATES = 1000

# Sex as agents write it: the code, or the word in Arabic, Kurdish or English.
SEXES = {"f": "F", "m": "M", "female": "F", "male": "M", "أنثى": "F", "انثى": "F",
         "ذكر": "M", "مێ": "F", "نێر": "M"}
EDUCATION_WORDS = {"بكالوريوس": "bachelor", "دبلوم": "diploma", "ماجستير": "master",
                   "دكتوراه": "doctorate", "اعدادية": "secondary", "إعدادية": "secondary"}


def _(message: str) -> str:
    return str(gettext(message))


@dataclass(frozen=True, slots=True)
class CandidateRow:
    row: int
    position: int
    name_ar: str
    surname_ar: str
    mother_name_ar: str
    name_ckb: str
    name_en: str
    sex: str
    date_of_birth: date
    education: str
    component: str
    governorate_code: str


def read_candidates(*, name: str, content: bytes,
                    governorates: frozenset[str]) -> list[CandidateRow]:
    table = imports.read_table(name=name, content=content, required=REQUIRED, optional=OPTIONAL)
    problems = imports.Problems(name)
    if len(table.rows) > MAX_CANDIDATES:
        problems.add(None, "", _("a list holds at most %(limit)d candidates") % {
            "limit": MAX_CANDIDATES})
        problems.raise_if_any()
    found: list[CandidateRow] = []
    positions: dict[int, int] = {}
    for row in table.rows:
        before = len(problems.found)
        for column in REQUIRED:
            if not row[column]:
                problems.add(row.number, column, _("a value is required"))
        for column, limit in LENGTHS.items():
            if len(row[column]) > limit:
                problems.add(row.number, column, _("longer than %(limit)d characters") % {
                    "limit": limit})
        position = _position(row, problems)
        if position is not None and position in positions:
            problems.add(row.number, "position", _("position %(position)d is also on row "
                                                   "%(row)d") % {"position": position,
                                                                 "row": positions[position]})
        elif position is not None:
            positions[position] = row.number
        sex = SEXES.get(row["sex"].lower())
        if row["sex"] and sex is None:
            problems.add(row.number, "sex", _("write F or M"))
        born = _date(row, problems)
        education = _education(row, problems)
        component = row["component"].lower()
        if component and component not in Component.values:
            problems.add(row.number, "component", _("unknown component %(value)s; known: "
                                                    "%(known)s") % {
                "value": row["component"], "known": ", ".join(Component.values)})
        governorate = row["governorate_code"].upper()
        if governorate and governorate not in governorates:
            problems.add(row.number, "governorate_code",
                         _("unknown governorate code %(value)s") % {"value": governorate})
        # Each value is None exactly when a problem was added for it.
        if (len(problems.found) == before and position is not None and sex is not None
                and born is not None and education is not None):
            found.append(CandidateRow(
                row=row.number, position=position, name_ar=row["name_ar"],
                surname_ar=row["surname_ar"], mother_name_ar=row["mother_name_ar"],
                name_ckb=row["name_ckb"], name_en=row["name_en"], sex=sex, date_of_birth=born,
                education=education, component=component, governorate_code=governorate))
    if not table.rows:
        problems.add(None, "", _("the file has no candidates"))
    problems.raise_if_any()
    return found


def _position(row: imports.Row, problems: imports.Problems) -> int | None:
    if not row["position"]:
        return None
    value = imports.count(row["position"], (1, MAX_CANDIDATES))
    if isinstance(value, str):
        problems.add(row.number, "position", value)
        return None
    return value


def _date(row: imports.Row, problems: imports.Problems) -> date | None:
    text = row["date_of_birth"][:10]  # a spreadsheet's date cell reads "1970-01-31 00:00:00"
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.add(row.number, "date_of_birth", _("write the date as YYYY-MM-DD"))
        return None


def _education(row: imports.Row, problems: imports.Problems) -> str | None:
    value = row["education"].strip().lower()
    value = EDUCATION_WORDS.get(value, value)
    if not value:
        return None
    if value not in {level.value for level in EducationLevel}:
        problems.add(row.number, "education", _("unknown education level %(value)s; known: "
                                                "%(known)s") % {
            "value": row["education"], "known": ", ".join(e.value for e in EducationLevel)})
        return None
    return value


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
