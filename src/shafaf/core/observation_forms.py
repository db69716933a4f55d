"""Election-day observation forms as data (docs/observation.md), and the check of an
observer's answers against one.

A form is a list of questions; each question is a mapping with ``id`` (a short slug,
unique in the form), ``type`` (one of :data:`TYPES`), ``required`` (a bool),
``label`` (``{"ar": ..., "ckb": ..., "en": ...}``), and for ``choice`` and ``multi``
its ``choices`` (each ``{"value": slug, "label": {...}}``); a ``number`` may have
``min`` and ``max``. A ``list_votes`` question takes the votes of each list on the
station's posted result form: an object of list ballot number (a string of digits, as
in the open data) → a whole number from 0; which lists stand at a station is for the
caller to say (:func:`list_problems`). Pure: the same check serves the API, the web
forms and SMS.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TYPES = ("yes_no", "number", "choice", "multi", "text", "time", "list_votes")
LANGUAGES = ("ar", "ckb", "en")
QUESTIONS_LIMIT = 200
CHOICES_LIMIT = 100
TEXT_LIMIT = 2000
NUMBER_LIMIT = 10**9
_ID = re.compile(r"[a-z][a-z0-9_]{0,31}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_LIST_KEY = re.compile(r"[A-Za-z0-9_-]{1,32}")
LISTS_LIMIT = 500
"""More lists than ever stood in one governorate (2023: at most a few dozen)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, and where: ``question`` is the question's id (empty for the form
    as a whole); ``code`` a stable code; ``message`` English words for logs and tests
    (pages word the code in the reader's language)."""

    question: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.question}: {self.message}" if self.question else self.message


def definition_problems(questions: object) -> list[Problem]:
    """Why a list of questions is not a valid form definition (empty: it is)."""
    if not isinstance(questions, list) or not questions:
        return [Problem("", "not_a_list", "a form is a non-empty list of questions")]
    if len(questions) > QUESTIONS_LIMIT:
        return [Problem("", "too_many", f"more than {QUESTIONS_LIMIT} questions")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for n, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            problems.append(Problem("", "not_a_question", f"question {n} is not an object"))
            continue
        qid = question.get("id")
        if not isinstance(qid, str) or not _ID.fullmatch(qid):
            problems.append(Problem("", "bad_id", f"question {n}: id must be a lower-case "
                                                  "slug of at most 32 characters"))
            continue
        if qid in seen:
            problems.append(Problem(qid, "duplicate_id", "two questions have this id"))
        seen.add(qid)
        kind = question.get("type")
        if kind not in TYPES:
            problems.append(Problem(qid, "bad_type", f"type must be one of {', '.join(TYPES)}"))
        if not isinstance(question.get("required", False), bool):
            problems.append(Problem(qid, "bad_required", "required must be true or false"))
        label = question.get("label")
        if not isinstance(label, dict) or not isinstance(label.get("ar"), str) \
                or not label["ar"].strip():
            problems.append(Problem(qid, "no_label", "a question needs an Arabic label"))
        if kind in ("choice", "multi"):
            problems.extend(_choice_problems(qid, question.get("choices")))
        if kind == "number":
            low, high = question.get("min", 0), question.get("max", NUMBER_LIMIT)
            if not (_is_int(low) and _is_int(high) and low <= high):
                problems.append(Problem(qid, "bad_range", "min and max must be whole "
                                                          "numbers, min ≤ max"))
    return problems


def _choice_problems(qid: str, choices: object) -> list[Problem]:
    if not isinstance(choices, list) or not choices or len(choices) > CHOICES_LIMIT:
        return [Problem(qid, "bad_choices", f"a choice question needs 1 to {CHOICES_LIMIT} "
                                            "choices")]
    values = [c.get("value") if isinstance(c, dict) else None for c in choices]
    if not all(isinstance(v, str) and _ID.fullmatch(v) for v in values):
        return [Problem(qid, "bad_choices", "each choice needs a value (a lower-case slug)")]
    if len(set(values)) != len(values):
        return [Problem(qid, "bad_choices", "two choices have the same value")]
    return []


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def answer_problems(questions: Sequence[Mapping[str, Any]], answers: object) -> list[Problem]:
    """Why ``answers`` (question id → value) do not fit the form: a missing required
    answer, a value of the wrong type or outside its range, an unknown question.
    Empty: they fit. ``None`` counts as no answer."""
    if not isinstance(answers, dict):
        return [Problem("", "not_an_object", "answers must be an object of question id → "
                                              "value")]
    problems: list[Problem] = []
    known = {str(q["id"]): q for q in questions}
    for qid in answers:
        if qid not in known:
            problems.append(Problem(str(qid)[:40], "unknown_question",
                                    "the form has no such question"))
    for qid, question in known.items():
        value = answers.get(qid)
        if value is None:
            if question.get("required", False):
                problems.append(Problem(qid, "required", "this question must be answered"))
            continue
        if (problem := _value_problem(question, value)) is not None:
            problems.append(Problem(qid, *problem))
    return problems


def _value_problem(question: Mapping[str, Any], value: object) -> tuple[str, str] | None:
    kind = question["type"]
    if kind == "yes_no":
        return None if isinstance(value, bool) else ("wrong_type", "must be true or false")
    if kind == "number":
        if not isinstance(value, int) or isinstance(value, bool):
            return "wrong_type", "must be a whole number"
        low, high = question.get("min", 0), question.get("max", NUMBER_LIMIT)
        if not low <= value <= high:
            return "out_of_range", f"must be from {low} to {high}"
        return None
    if kind == "text":
        if not isinstance(value, str):
            return "wrong_type", "must be text"
        return None if len(value) <= TEXT_LIMIT else ("too_long",
                                                      f"at most {TEXT_LIMIT} characters")
    if kind == "time":
        ok = isinstance(value, str) and _TIME.fullmatch(value)
        return None if ok else ("wrong_type", "must be a time written HH:MM")
    if kind == "list_votes":
        return _list_votes_problem(value)
    values = {c["value"] for c in question.get("choices", ())}
    if kind == "choice":
        if not isinstance(value, str):
            return "wrong_type", "must be one of the choices' values"
        return None if value in values else ("unknown_choice", "not one of the choices")
    # multi
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "wrong_type", "must be a list of the choices' values"
    if len(set(value)) != len(value):
        return "duplicate_choice", "a choice is given twice"
    return None if set(value) <= values else ("unknown_choice", "not one of the choices")


def _list_votes_problem(value: object) -> tuple[str, str] | None:
    if not isinstance(value, dict):
        return "wrong_type", "must be an object of list number → votes"
    if len(value) > LISTS_LIMIT:
        return "too_many_lists", f"at most {LISTS_LIMIT} lists"
    for key, votes in value.items():
        if not isinstance(key, str) or not _LIST_KEY.fullmatch(key):
            return "bad_list", f"{str(key)[:40]!r} is not a list's number"
        if not _is_int(votes):
            return "wrong_type", f"the votes of list {key} must be a whole number"
        if not 0 <= votes <= NUMBER_LIMIT:
            return "out_of_range", f"the votes of list {key} must be from 0 to {NUMBER_LIMIT}"
    return None


def list_problems(questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Any],
                  lists: Collection[str]) -> list[Problem]:
    """The ``list_votes`` answers that name a list not standing at the station
    (``lists``: the ballot numbers of the lists standing there). Run after
    :func:`answer_problems` found none."""
    problems: list[Problem] = []
    for question in questions:
        value = answers.get(question["id"])
        if question["type"] != "list_votes" or not isinstance(value, dict):
            continue
        unknown = sorted(str(key) for key in value if key not in lists)
        if unknown:
            problems.append(Problem(str(question["id"]), "unknown_list",
                                    "no such list stands here: " + ", ".join(unknown[:10])))
    return problems


COMPARED = ("yes_no", "number", "choice", "multi", "list_votes")


def disagree(questions: Sequence[Mapping[str, Any]], a: Mapping[str, Any],
             b: Mapping[str, Any]) -> bool:
    """Whether two reports of one station give different answers to a question both
    answered. Free text and times are left out: two people word and clock things
    differently; a multiple choice is compared as a set."""
    for question in questions:
        qid = question["id"]
        if question["type"] not in COMPARED or a.get(qid) is None or b.get(qid) is None:
            continue
        x, y = a[qid], b[qid]
        if question["type"] == "multi" and isinstance(x, list) and isinstance(y, list):
            x, y = set(x), set(y)
        if x != y:
            return True
    return False
