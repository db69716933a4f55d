"""The exhibition's forms: every field bounded (docs/register-exhibition.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from shafaf.register.models import (
    OBJECTION_STATEMENT_LENGTH,
    VOTER_NUMBER_LENGTH,
    ObjectionGround,
)
from shafaf.register.objections import MAX_EVIDENCE_BYTES

_digits = RegexValidator(r"^[0-9]+$", _("Digits only."))


class IdentityForm(forms.Form):
    """A voter says who they are: their own voter number and birth year."""

    voter_number = forms.CharField(label=_("Your voter number"), max_length=VOTER_NUMBER_LENGTH,
                                   validators=[_digits])
    birth_year = forms.IntegerField(label=_("Your year of birth"), min_value=1900,
                                    max_value=2100)


class ObjectionForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=ObjectionGround.choices)
    statement = forms.CharField(label=_("What is wrong with the entry"), widget=forms.Textarea,
                                max_length=OBJECTION_STATEMENT_LENGTH)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea, required=False,
                               max_length=OBJECTION_STATEMENT_LENGTH)
    evidence_file = forms.FileField(label=_("Evidence file (PDF, JPEG or PNG)"),
                                    required=False)
    other_entry = forms.IntegerField(label=_("The other entry's number (duplicate)"),
                                     required=False, min_value=1, max_value=2**31 - 1)
    right_centre = forms.CharField(label=_("The right polling centre's code (wrong centre)"),
                                   required=False, max_length=16)

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if upload is not None and upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("The evidence file is larger than %(limit)s KB."),
                                        params={"limit": MAX_EVIDENCE_BYTES // 1024})
        return upload


class PublicObjectionForm(IdentityForm, ObjectionForm):
    """The voter's own objection: identified, then the objection."""


class DecisionForm(forms.Form):
    step = forms.ChoiceField(choices=[("uphold", _("Uphold")), ("dismiss", _("Dismiss")),
                                      ("apply", _("Apply to the register"))])
    reason = forms.CharField(label=_("Reason (published)"), widget=forms.Textarea,
                             required=False, max_length=OBJECTION_STATEMENT_LENGTH)


class FinaliseForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm: the register becomes final and can no "
                                         "longer change."))
