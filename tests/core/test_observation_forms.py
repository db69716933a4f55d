"""Forms as data: the check of a definition and of an observer's answers."""

from __future__ import annotations

import pytest

from shafaf.core.observation_forms import answer_problems, definition_problems, disagree

LABEL = {"ar": "سؤال", "ckb": "پرسیار", "en": "A question"}
FORM = [
    {"id": "opened", "type": "yes_no", "required": True, "label": LABEL},
    {"id": "voters", "type": "number", "required": False, "label": LABEL, "min": 0,
     "max": 600},
    {"id": "staff", "type": "choice", "required": False, "label": LABEL,
     "choices": [{"value": "all", "label": LABEL}, {"value": "some", "label": LABEL}]},
    {"id": "materials", "type": "multi", "required": False, "label": LABEL,
     "choices": [{"value": "ink", "label": LABEL}, {"value": "box", "label": LABEL}]},
    {"id": "note", "type": "text", "required": False, "label": LABEL},
    {"id": "at", "type": "time", "required": False, "label": LABEL},
]


def test_the_standard_shape_is_a_valid_definition():
    assert definition_problems(FORM) == []


@pytest.mark.parametrize(("questions", "code"), [
    ([], "not_a_list"),
    ("a form", "not_a_list"),
    ([{"id": "Bad Id", "type": "text", "label": LABEL}], "bad_id"),
    ([{"id": "a", "type": "essay", "label": LABEL}], "bad_type"),
    ([{"id": "a", "type": "text", "label": {"en": "x"}}], "no_label"),
    ([{"id": "a", "type": "choice", "label": LABEL, "choices": []}], "bad_choices"),
    ([{"id": "a", "type": "choice", "label": LABEL,
       "choices": [{"value": "x"}, {"value": "x"}]}], "bad_choices"),
    ([{"id": "a", "type": "number", "label": LABEL, "min": 5, "max": 1}], "bad_range"),
    ([{"id": "a", "type": "text", "label": LABEL}] * 2, "duplicate_id"),
])
def test_a_bad_definition_is_named(questions, code):
    assert code in {p.code for p in definition_problems(questions)}


def test_fitting_answers_have_no_problem():
    answers = {"opened": True, "voters": 12, "staff": "all", "materials": ["ink"],
               "note": "نص", "at": "07:05"}
    assert answer_problems(FORM, answers) == []


@pytest.mark.parametrize(("answers", "question", "code"), [
    ({}, "opened", "required"),
    ({"opened": None}, "opened", "required"),
    ({"opened": "yes"}, "opened", "wrong_type"),
    ({"opened": True, "voters": "12"}, "voters", "wrong_type"),
    ({"opened": True, "voters": True}, "voters", "wrong_type"),
    ({"opened": True, "voters": 601}, "voters", "out_of_range"),
    ({"opened": True, "voters": -1}, "voters", "out_of_range"),
    ({"opened": True, "staff": "none"}, "staff", "unknown_choice"),
    ({"opened": True, "materials": "ink"}, "materials", "wrong_type"),
    ({"opened": True, "materials": ["ink", "ink"]}, "materials", "duplicate_choice"),
    ({"opened": True, "note": "x" * 2001}, "note", "too_long"),
    ({"opened": True, "at": "7:05"}, "at", "wrong_type"),
    ({"opened": True, "at": "24:00"}, "at", "wrong_type"),
    ({"opened": True, "extra": 1}, "extra", "unknown_question"),
])
def test_each_bad_answer_names_its_question(answers, question, code):
    assert (question, code) in {(p.question, p.code) for p in answer_problems(FORM, answers)}


def test_answers_must_be_an_object():
    assert [p.code for p in answer_problems(FORM, ["opened"])] == ["not_an_object"]


def test_two_reports_disagree_on_facts_not_on_words_or_clocks():
    a = {"opened": True, "materials": ["ink", "box"], "note": "late", "at": "07:05"}
    assert not disagree(FORM, a, {"opened": True, "materials": ["box", "ink"], "note": "ok",
                                  "at": "07:09"})
    assert not disagree(FORM, a, {"voters": 4})  # nothing answered by both
    assert disagree(FORM, a, {"opened": False})
    assert disagree(FORM, a, {"materials": ["ink"]})
