"""The structured SMS grammar of observation reports (docs/observation-reports.md).

    OP KI00001-03 A0715 B0700 C1 D1 E1

A form's prefix, the station's code, then answers: each a question's letter (A for
the form's first question, B for its second, ...) followed at once by its value:
``1``/``0`` for yes/no, digits for a number, ``HHMM`` for a time, the choice's number
(from 1) for a choice, the choices' numbers for a multiple choice (one digit each, or
separated by dots: ``3.10``), and for free text everything to the end of the message
(so it comes last). Arabic-Indic and Persian digits are read as digits; letters in
either case. Pure: the webhook looks the observer, form and station up.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TEXT_LIMIT = 480
"""Longer than three concatenated SMS: not a phone's message."""
LETTERS = string.ascii_uppercase
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_STATION = re.compile(r"[A-Z]{2}\d{1,8}-\d{1,4}")
_TOKEN = re.compile(r"\S+")
_TIME = re.compile(r"([01]\d|2[0-3])([0-5]\d)")


@dataclass(frozen=True, slots=True)
class SmsProblem(Exception):
    """Why a message cannot be read: ``code`` stable, ``letter`` and ``question`` the
    answer at fault (empty for the message as a whole), ``value`` what was sent."""

    code: str
    letter: str = ""
    question: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    prefix: str
    station: str
    answers: dict[str, Any] = field(default_factory=dict)


def normalise(text: str) -> str:
    return text.translate(_DIGITS).strip()


def head(text: str) -> tuple[str, str, list[re.Match[str]]]:
    """The prefix, the station code and the answers' tokens of a normalised message."""
    if len(text) > TEXT_LIMIT:
        raise SmsProblem("too_long")
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        raise SmsProblem("empty")
    prefix = tokens[0].group().upper()
    if len(tokens) < 2:
        raise SmsProblem("no_station", value=prefix[:12])
    station = tokens[1].group().upper()
    if not _STATION.fullmatch(station):
        raise SmsProblem("bad_station", value=station[:20])
    return prefix, station, tokens[2:]


def read_answers(text: str, tokens: Sequence[re.Match[str]],
                 questions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The answers (question id → value, as the API takes them) the tokens give."""
    by_letter = dict(zip(LETTERS, questions, strict=False))
    answers: dict[str, Any] = {}
    for token in tokens:
        raw = token.group()
        letter, value = raw[0].upper(), raw[1:]
        question = by_letter.get(letter)
        if question is None:
            raise SmsProblem("unknown_letter", letter=letter, value=raw[:20])
        qid = str(question["id"])
        if qid in answers:
            raise SmsProblem("twice", letter=letter, question=qid)
        if question["type"] == "text":
            answers[qid] = text[token.start() + 1:].strip()
            break
        answers[qid] = _value(question, letter, value)
    return answers


def _value(question: Mapping[str, Any], letter: str, value: str) -> Any:
    def wrong(code: str) -> SmsProblem:
        return SmsProblem(code, letter=letter, question=str(question["id"]), value=value[:20])

    kind = question["type"]
    if kind == "list_votes":  # a number per list does not fit a letter: the app sends it
        raise wrong("not_by_sms")
    if not value:
        raise wrong("no_value")
    if kind == "yes_no":
        if value not in ("0", "1"):
            raise wrong("not_yes_no")
        return value == "1"
    if kind == "number":
        if not value.isdigit() or len(value) > 9:
            raise wrong("not_a_number")
        return int(value)
    if kind == "time":
        match = _TIME.fullmatch(value)
        if match is None:
            raise wrong("not_a_time")
        return f"{match[1]}:{match[2]}"
    choices = [str(c["value"]) for c in question.get("choices", ())]
    numbers = value.split(".") if "." in value else list(value)
    if kind == "choice":
        numbers = [value]
    picked = []
    for number in numbers:
        if not number.isdigit() or not 1 <= int(number) <= len(choices):
            raise wrong("not_a_choice")
        picked.append(choices[int(number) - 1])
    return picked[0] if kind == "choice" else picked
