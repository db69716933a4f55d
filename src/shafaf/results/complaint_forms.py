"""The complaints' forms: every field bounded (docs/results-complaints.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shafaf.core.result_complaints import Step
from shafaf.elections.models import Election, PollingCentre, PollingStation
from shafaf.entities.models import Candidate
from shafaf.register.exhibition_forms import IdentityForm
from shafaf.register.objections import MAX_EVIDENCE_BYTES
from shafaf.results.models import (
    COMPLAINT_REASON_LENGTH,
    COMPLAINT_TEXT_LENGTH,
    BoardOrder,
    ComplaintGround,
)

PLACE_LENGTH = 24


class ComplaintForm(forms.Form):
    election = forms.ModelChoiceField(label=_("Election"), queryset=Election.objects.none(),
                                      empty_label=None)
    place = forms.CharField(label=_("Station code (KI0001-01), or a centre's code (KI0001) "
                                    "for every station of the centre"),
                            max_length=PLACE_LENGTH)
    ground = forms.ChoiceField(label=_("Ground"), choices=ComplaintGround.choices)
    statement = forms.CharField(label=_("What happened"), widget=forms.Textarea,
                                max_length=COMPLAINT_TEXT_LENGTH)
    evidence_file = forms.FileField(label=_("Evidence file (PDF, JPEG or PNG, at most 2 MB)"),
                                    required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        elections = Election.objects.order_by("-polling_day", "code")
        field = self.fields["election"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (declared above)
        field.queryset = elections
        latest = elections.first()
        if latest is not None:
            field.initial = latest.pk

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if upload is not None and upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("The evidence file is larger than %(limit)s KB."),
                                        params={"limit": MAX_EVIDENCE_BYTES // 1024})
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        election, code = data.get("election"), (data.get("place") or "").strip().upper()
        if election is None or not code:
            return data
        station = (PollingStation.objects.select_related("centre")
                   .filter(centre__election=election, code=code).first())
        centre = station.centre if station else PollingCentre.objects.filter(
            election=election, code=code).first()
        if centre is None:
            self.add_error("place", _("No polling station or centre of this election has "
                                      "this code."))
        data["station"], data["centre"] = station, centre
        return data

    def evidence(self) -> bytes | None:
        upload = self.cleaned_data.get("evidence_file")
        return upload.read(MAX_EVIDENCE_BYTES + 1) if upload is not None else None


class PublicComplaintForm(IdentityForm, ComplaintForm):
    """A voter's own complaint: identified by their voter number and birth year."""


class StepForm(forms.Form):
    """One step on a complaint's page; the fields a step does not use are ignored."""

    step = forms.ChoiceField(choices=[(step.value, step.value) for step in Step])
    reason = forms.CharField(label=_("Reason (published)"), widget=forms.Textarea,
                             required=False, max_length=COMPLAINT_REASON_LENGTH)
    grounds = forms.CharField(label=_("Grounds of appeal"), widget=forms.Textarea,
                              required=False, max_length=COMPLAINT_TEXT_LENGTH)
    ruling = forms.CharField(label=_("The Panel's ruling: its number and date"),
                             required=False, max_length=200)
    ruling_text = forms.CharField(label=_("What the Panel ruled (published)"),
                                  widget=forms.Textarea, required=False,
                                  max_length=COMPLAINT_REASON_LENGTH)
    panel_order = forms.ChoiceField(label=_("The Panel's own order, overturning a dismissal"),
                                    choices=BoardOrder.choices, required=False)
    candidate = forms.TypedChoiceField(label=_("Candidate disqualified by the ruling"),
                                       required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, candidates: QuerySet[Candidate] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["candidate"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 (declared above)
        field.choices = [("", "—")] + [
            (c.pk, f"{c.nomination.entity.code} {c.position} {c.name_ar}")
            for c in (candidates if candidates is not None else Candidate.objects.none())
            .select_related("nomination__entity").order_by("nomination__entity__code",
                                                           "position")]
