"""Reading a list's candidates from a CSV or XLSX file (format: docs/nominations.md),
and the template file agents fill in.

The file is read by the one tabular reader (:mod:`shafaf.tabular`). Headers may be
the column codes (``date_of_birth``) or the column's name in Arabic, Kurdish or
English as the page shows it ("تاريخ الميلاد"); sex, education and component may be
codes or the app's own labels in any of the three languages; dates may be written
day first (02/03/1980, 2/3/1980) or as 1980-03-02, in any digits. Every row is
checked and every problem reported with its row number; the file is taken whole or
not at all. The eligibility rules are not applied here: they run when the list is
submitted, on the list as it then stands.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from shafaf import tabular
from shafaf.core.eligibility import EducationLevel
from shafaf.core.names import bidi_controls, character_label
from shafaf.elections.models import Component
from shafaf.entities import labels

REQUIRED = ("position", "name_ar", "mother_name_ar", "sex", "date_of_birth", "education")
OPTIONAL = ("surname_ar", "name_ckb", "name_en", "component", "governorate_code")
LENGTHS = {"name_ar": 200, "surname_ar": 100, "mother_name_ar": 200, "name_ckb": 200,
           "name_en": 200}
MAX_CANDIDATES = 1000
# The reader stops here whatever the file holds: room for blank rows between the
# candidates, never a whole spreadsheet of them.
ROWS_LIMIT = 2 * MAX_CANDIDATES

# Each column's name as the candidate form shows it, in the reader's language.
HEADERS = {
    "position": gettext_lazy("Position"), "name_ar": gettext_lazy("Four-part name"),
    "mother_name_ar": gettext_lazy("Mother's name"), "sex": gettext_lazy("Sex"),
    "date_of_birth": gettext_lazy("Date of birth"), "education": gettext_lazy("Education"),
    "surname_ar": gettext_lazy("Surname"), "name_ckb": gettext_lazy("Name (Kurdish)"),
    "name_en": gettext_lazy("Name (English)"), "component": gettext_lazy("Component"),
    "governorate_code": gettext_lazy("Governorate"),
}
SEX_LABELS = {"F": gettext_lazy("Female"), "M": gettext_lazy("Male")}
# Words agents write that are not the app's own labels.
SEX_WORDS = {"f": "F", "m": "M", "female": "F", "male": "M", "أنثى": "F", "ذكر": "M",
             "مێ": "F", "نێر": "M"}
EDUCATION_WORDS = {"بكالوريوس": "bachelor", "دبلوم": "diploma", "ماجستير": "master",
                   "دكتوراه": "doctorate", "اعدادية": "secondary"}


def _(message: str) -> str:
    return str(gettext(message))


def in_every_language(choices: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(label, code) for each choice's label in each language of the site."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            yield from ((str(label), code) for code, label in choices.items())


def aliases() -> dict[str, str]:
    return dict(in_every_language(HEADERS))


def sexes() -> dict[str, str]:
    return tabular.spellings([*SEX_WORDS.items(), *in_every_language(SEX_LABELS)])


def educations() -> dict[str, str]:
    codes = {level.value: level.value for level in EducationLevel}
    return tabular.spellings([*codes.items(), *EDUCATION_WORDS.items(),
                              *in_every_language({k.value: v
                                                   for k, v in labels.EDUCATION.items()})])


def components() -> dict[str, str]:
    return tabular.spellings([*((c, c) for c in Component.values),
                              *in_every_language(dict(Component.choices))])


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


@dataclass(frozen=True, slots=True)
class _Words:
    sexes: dict[str, str]
    educations: dict[str, str]
    components: dict[str, str]


def read_candidates(*, name: str, content: bytes,
                    governorates: frozenset[str]) -> list[CandidateRow]:
    table = tabular.read_table(name=name, content=content, required=REQUIRED, optional=OPTIONAL,
                               aliases=aliases(), limit=ROWS_LIMIT, translate=_)
    problems = table.problems
    words = _Words(sexes(), educations(), components())
    found: list[CandidateRow] = []
    positions: dict[int, int] = {}
    rows = 0
    for row in table.rows:
        rows += 1
        if rows > MAX_CANDIDATES:
            problems.add(None, "", _("a list holds at most %(limit)d candidates"), {
                "limit": MAX_CANDIDATES})
            break
        candidate = _candidate(row, positions, governorates, words, problems)
        if candidate is not None:
            found.append(candidate)
    if not rows and not problems:
        problems.add(None, "", _("the file has no candidates"))
    problems.raise_if_any()
    return found


def _candidate(row: tabular.Row, positions: dict[int, int], governorates: frozenset[str],
               words: _Words, problems: tabular.Problems) -> CandidateRow | None:
    before = problems.count
    for column in REQUIRED:
        if not row[column]:
            problems.add(row.number, column, _("a value is required"))
    for column, limit in LENGTHS.items():
        if len(row[column]) > limit:
            problems.add(row.number, column, _("longer than %(limit)d characters"), {
                "limit": limit})
        if controls := bidi_controls(row[column]):
            problems.add(row.number, column, _("%(character)s is not allowed in a name"), {
                "character": character_label(controls[0])})
    position = _position(row, problems)
    if position is not None and position in positions:
        problems.add(row.number, "position", _("position %(position)d is also on row "
                                               "%(row)d"), {"position": position,
                                                            "row": positions[position]})
    elif position is not None:
        positions[position] = row.number
    sex = tabular.lookup(words.sexes, row["sex"])
    if row["sex"] and sex is None:
        problems.add(row.number, "sex", _("write F or M"))
    born = _date(row, problems)
    education = _known(row, "education", words.educations, labels.EDUCATION, problems)
    component = _known(row, "component", words.components, dict(Component.choices), problems)
    governorate = row["governorate_code"].upper()
    if governorate and governorate not in governorates:
        problems.add(row.number, "governorate_code",
                     _("unknown governorate code %(value)s"), {"value": governorate})
    # Each value is None exactly when a problem was added for it.
    if (problems.count > before or position is None or sex is None or born is None
            or education is None):
        return None
    return CandidateRow(
        row=row.number, position=position, name_ar=row["name_ar"],
        surname_ar=row["surname_ar"], mother_name_ar=row["mother_name_ar"],
        name_ckb=row["name_ckb"], name_en=row["name_en"], sex=sex, date_of_birth=born,
        education=education, component=component or "", governorate_code=governorate)


def _position(row: tabular.Row, problems: tabular.Problems) -> int | None:
    if not row["position"]:
        return None
    value = tabular.whole(row["position"], (1, MAX_CANDIDATES))
    if isinstance(value, tuple):
        problems.add(row.number, "position", *value)
        return None
    return value


def _date(row: tabular.Row, problems: tabular.Problems) -> date | None:
    if not row["date_of_birth"]:
        return None
    born = tabular.day(row["date_of_birth"])
    if born is None:
        problems.add(row.number, "date_of_birth", _("write the date as DD/MM/YYYY"))
    return born


def _known(row: tabular.Row, column: str, spellings: Mapping[str, str],
           choices: Mapping[Any, Any], problems: tabular.Problems) -> str | None:
    """The code the value names; None if it is empty or unknown (a problem)."""
    if not row[column]:
        return None
    code = tabular.lookup(spellings, row[column])
    if code is None:
        problems.add(row.number, column, _("unknown value %(value)s; write one of: %(known)s"), {
            "value": row[column], "known": ", ".join(map(str, choices.values()))})
    return code


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- the template ------------------------------------------------------------------


def template_rows(*, governorate_code: str) -> list[list[str]]:
    """The header in the reader's language and one example row, as the template
    file holds them."""
    columns = (*REQUIRED, *OPTIONAL)
    example = {
        "position": "1", "name_ar": "محمد علي حسين جاسم", "mother_name_ar": "فاطمة حسن عباس",
        "sex": str(SEX_LABELS["M"]), "date_of_birth": "02/03/1980",
        "education": str(labels.EDUCATION[EducationLevel.BACHELOR]), "surname_ar": "",
        "name_ckb": "", "name_en": "", "component": "", "governorate_code": governorate_code,
    }
    return [[str(HEADERS[c]) for c in columns], [example[c] for c in columns]]


def template_csv(grid: list[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Arabic right."""
    text = io.StringIO()
    csv.writer(text).writerows(grid)
    return ("\ufeff" + text.getvalue()).encode()


def template_xlsx(grid: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    for row in grid:
        sheet.append(row)
    for cell in sheet["A"]:  # codes and numbers stay text, as written
        cell.number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


Writer = Callable[[list[list[str]]], bytes]
TEMPLATES: dict[str, tuple[Writer, str]] = {
    "csv": (template_csv, "text/csv; charset=utf-8"),
    "xlsx": (template_xlsx,
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
