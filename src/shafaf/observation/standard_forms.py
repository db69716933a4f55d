"""The standard election-day forms, shipped as data (standard_forms.json): opening,
voting, closing, counting and incident, version 1, for every organisation, and their
later versions (counting's version 2 adds each list's votes on the posted result form,
docs/observation-posted-forms.md). Their question ids are fixed (docs/observation.md):
dashboards, alerts and SMS read them.

:func:`install` is called by the data migrations 0002_forms and 0004_posted (so a fresh
install has the forms), by the demo and by tests; it takes the model so that a
migration can pass its historical one. A later version is version 1's questions with
its own appended at the end, so that an SMS's letters (A for the first question, ...)
mean the same in every version.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from shafaf.core import observation_forms

VERSION = 1
FIXED_IDS: dict[str, tuple[str, ...]] = {
    "opening": ("arrived_at", "opened_at", "opened_on_time", "materials_complete",
                "device_working"),
    "voting": ("voters_10", "voters_13", "voters_16"),
    "closing": ("closed_at", "voters_total"),
    "counting": ("registered", "voted", "ballots_in_box", "invalid", "valid", "form_posted"),
    "incident": ("category", "severity", "description", "occurred_at"),
}


@cache
def _shipped() -> dict[str, Any]:
    """standard_forms.json, read once."""
    text = resources.files("shafaf.observation").joinpath("standard_forms.json").read_text(
        encoding="utf-8")
    return dict(json.loads(text))


@cache
def definitions() -> tuple[dict[str, Any], ...]:
    """Each standard form: ``code``, ``name`` (three languages), ``sms`` (its SMS
    prefix) and ``questions``."""
    forms = _shipped()["forms"]
    for form in forms:
        problems = observation_forms.definition_problems(form["questions"])
        if problems:  # a broken data file is a bug: fail loudly
            raise ValueError(f"standard form {form['code']}: {problems}")
    return tuple(forms)


@cache
def later_versions() -> tuple[dict[str, Any], ...]:
    """Each later version of a standard form: ``code``, ``version`` and its whole
    ``questions`` (version 1's, then those the version adds)."""
    first = {form["code"]: form for form in definitions()}
    later = []
    for entry in _shipped().get("later_versions", []):
        questions = [*first[entry["code"]]["questions"], *entry["added"]]
        problems = observation_forms.definition_problems(questions)
        if problems:
            raise ValueError(f"standard form {entry['code']} v{entry['version']}: {problems}")
        later.append({**first[entry["code"]], "version": entry["version"],
                      "questions": questions})
    return tuple(later)


def latest_version(code: str) -> int:
    """The highest version of a standard form this release ships."""
    return max([VERSION, *(int(f["version"]) for f in later_versions() if f["code"] == code)])


def sms_prefixes() -> dict[str, str]:
    """SMS prefix → form code: ``OP`` → ``opening``, ..."""
    return {form["sms"]: form["code"] for form in definitions()}


def install(model: Any) -> int:
    """Create each standard form's versions where missing; how many were created."""
    made = 0
    shipped = [*({**form, "version": VERSION} for form in definitions()), *later_versions()]
    for form in shipped:
        exists = model.objects.filter(code=form["code"], version=form["version"],
                                      organisation__isnull=True).exists()
        if not exists:
            model.objects.create(code=form["code"], version=form["version"], organisation=None,
                                 name_ar=form["name"]["ar"], name_ckb=form["name"]["ckb"],
                                 name_en=form["name"]["en"], questions=form["questions"])
            made += 1
    return made
