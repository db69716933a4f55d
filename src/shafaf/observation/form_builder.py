"""A coordinator builds a new version of a form without code (docs/observation-reports.md):
server-rendered forms, one row per question (add, remove, reorder), turned into the
form's data and checked by :func:`shafaf.core.observation_forms.definition_problems`.
A saved version never changes: saving again makes the next version. An own version
of a standard form keeps the standard form's fixed question ids (dashboards read them).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from shafaf.access.people import Account
from shafaf.audit import actions as audit
from shafaf.core import observation_forms
from shafaf.observation import standard_forms
from shafaf.observation.models import FormDefinition, Organisation

CHOICE_LINES = observation_forms.CHOICES_LIMIT
TYPE_CHOICES = [
    ("yes_no", _("yes or no")), ("number", _("number")), ("choice", _("one choice")),
    ("multi", _("several choices")), ("text", _("text")), ("time", _("time (HH:MM)")),
    ("list_votes", _("votes of each list on the ballot")),
]


class FormNames(forms.Form):
    code = forms.SlugField(label=_("Form code"), max_length=32,
                           help_text=_("Lower-case letters, digits and _ (e.g. queue_check)."))
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=200)
    name_ckb = forms.CharField(label=_("Name (Kurdish)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)


class QuestionRow(forms.Form):
    qid = forms.CharField(label=_("Question id"), max_length=32, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=TYPE_CHOICES, initial="yes_no",
                             required=False)
    label_ar = forms.CharField(label=_("Question (Arabic)"), max_length=500, required=False)
    label_ckb = forms.CharField(label=_("Question (Kurdish)"), max_length=500, required=False)
    label_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = forms.CharField(
        label=_("Choices, one per line"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("value | Arabic | Kurdish | English"))
    min = forms.IntegerField(label=_("Minimum"), required=False,
                             min_value=0, max_value=observation_forms.NUMBER_LIMIT)
    max = forms.IntegerField(label=_("Maximum"), required=False,
                             min_value=0, max_value=observation_forms.NUMBER_LIMIT)

    def question(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["type"] or "yes_no"
        label = {lang: data[f"label_{lang}"].strip() for lang in ("ar", "ckb", "en")}
        question: dict[str, Any] = {"id": data["qid"].strip(), "type": kind,
                                    "required": bool(data["required"]),
                                    "label": {k: v for k, v in label.items() if v}}
        if kind in ("choice", "multi"):
            question["choices"] = [_choice(line) for line in
                                   data["choices"].splitlines()[:CHOICE_LINES + 1]
                                   if line.strip()]
        if kind == "number":
            for bound in ("min", "max"):
                if data[bound] is not None:
                    question[bound] = data[bound]
        return question

    def blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("qid", "").strip() and not data.get("label_ar", "").strip()


def _choice(line: str) -> dict[str, Any]:
    value, *labels = [part.strip() for part in line.split("|")]
    label = dict(zip(("ar", "ckb", "en"), labels, strict=False))
    label = {k: v for k, v in label.items() if v} or {"ar": value}
    return {"value": value, "label": label}


QuestionRows = forms.formset_factory(QuestionRow, extra=3, can_order=True, can_delete=True,
                                     max_num=observation_forms.QUESTIONS_LIMIT,
                                     absolute_max=observation_forms.QUESTIONS_LIMIT + 10,
                                     validate_max=True)


def rows_of(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A form version's questions as the builder's initial rows."""
    rows = []
    for n, q in enumerate(questions, start=1):
        label = q.get("label", {})
        rows.append({
            "qid": q["id"], "type": q["type"], "required": q.get("required", False),
            "label_ar": label.get("ar", ""), "label_ckb": label.get("ckb", ""),
            "label_en": label.get("en", ""), "min": q.get("min"), "max": q.get("max"),
            "ORDER": n,
            "choices": "\n".join(" | ".join([c["value"], *(c.get("label", {}).get(lang, "")
                                                          for lang in ("ar", "ckb", "en"))])
                                 for c in q.get("choices", ())),
        })
    return rows


def questions_of(rows: Any) -> list[dict[str, Any]]:
    """The questions the rows give, in their order, leaving out deleted and blank rows."""
    kept = [row for row in rows.ordered_forms if not row.blank()]
    return [row.question() for row in kept]


def problems(code: str, questions: list[dict[str, Any]]) -> list[str]:
    """What is wrong with a version (empty: it may be saved)."""
    found = [str(p) for p in observation_forms.definition_problems(questions)]
    present = {q.get("id") for q in questions}
    missing = [qid for qid in standard_forms.FIXED_IDS.get(code, ()) if qid not in present]
    if missing:
        found.append(str(_("A version of a standard form keeps its fixed questions: %(ids)s.")
                         % {"ids": ", ".join(missing)}))
    return found


def current(organisation: Organisation, code: str) -> FormDefinition | None:
    """The version a new one starts from: the organisation's newest, else the standard's."""
    forms_ = FormDefinition.objects.filter(code=code)
    return (forms_.filter(organisation=organisation).order_by("-version").first()
            or forms_.filter(organisation__isnull=True).order_by("-version").first())


def save_version(*, actor: Account, organisation: Organisation, code: str, names: dict[str, str],
                 questions: list[dict[str, Any]]) -> FormDefinition:
    """A new version of ``code`` for the organisation, numbered above every version of
    the code it can see (the standard's and its own), so numbers never clash."""
    if problems(code, questions):
        raise ValueError("the form has problems")
    with transaction.atomic():
        # One save at a time per organisation: two saves never take one number.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        seen = FormDefinition.objects.filter(
            Q(organisation__isnull=True) | Q(organisation=organisation), code=code)
        version = (seen.aggregate(top=Max("version"))["top"] or 0) + 1
        made = FormDefinition.objects.create(
            code=code, version=version, organisation=organisation, questions=questions,
            name_ar=names["name_ar"], name_ckb=names.get("name_ckb", ""),
            name_en=names.get("name_en", ""), created_by=actor)
        audit.record(actor=actor, action="observation.form_version_saved", target=made,
                     data={"code": code, "version": version,
                           "organisation": organisation.pk,
                           "questions": [q["id"] for q in questions]})
    return made
