"""The standard forms' fixed questions (docs/observation.md), as the dashboards read
them, and a way to store a report as a phone would."""

from __future__ import annotations

import uuid
from typing import Any

from shafaf.observation.models import FormDefinition, Observer, Submission
from shafaf.observation.submissions import submit

LABEL = {"ar": "سؤال"}
CATEGORIES = ("violence", "intimidation", "vote_buying", "campaigning", "unauthorised_persons",
              "observers_obstructed", "missing_materials", "device_failure", "counts_differ",
              "other")


def _q(qid: str, kind: str, required: bool = False, **more: Any) -> dict[str, Any]:
    return {"id": qid, "type": kind, "required": required, "label": LABEL, **more}


def _choices(*values: str) -> list[dict[str, Any]]:
    return [{"value": v, "label": LABEL} for v in values]


QUESTIONS = {
    "opening": [_q("opened_on_time", "yes_no"), _q("opened_at", "time")],
    "voting": [_q("voters_10", "number"), _q("voters_13", "number"), _q("voters_16", "number")],
    "closing": [_q("voters_total", "number")],
    "counting": [_q("voted", "number")],
    "incident": [_q("category", "choice", True, choices=_choices(*CATEGORIES)),
                 _q("severity", "choice", True,
                    choices=_choices("minor", "serious", "critical")),
                 _q("description", "text", True), _q("occurred_at", "time")],
}


def standard_forms() -> None:
    for code, questions in QUESTIONS.items():
        # In place of the shipped definitions (migration 0002_forms), for this test only.
        FormDefinition.objects.update_or_create(code=code, version=1, organisation=None,
                                                defaults={"name_ar": code,
                                                          "questions": questions})


def report(observer: Observer, form: str, station: str, **answers: Any) -> Submission:
    stored, _ = submit(observer, client_id=uuid.uuid4(), form_code=form, station_code=station,
                       answers=answers)
    return stored
