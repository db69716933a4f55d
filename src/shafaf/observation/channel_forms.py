"""The channel's forms: every field bounded, uploads only PDFs within the limit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from shafaf.elections.models import Election, Governorate
from shafaf.observation.channel import ANSWER_STATUSES, PDF_LIMIT
from shafaf.observation.channel_models import (
    ActivityKind,
    Audience,
    RecommendationTopic,
)
from shafaf.observation.models import Organisation, OrganisationKind, OrganisationStatus

TEXT_LIMIT = 20_000


def read_pdf(upload: UploadedFile | None) -> bytes | None:
    """An upload's bytes if it is a PDF within the limit; a ValidationError otherwise.
    The size is checked before anything is read."""
    if upload is None:
        return None
    if upload.size is None or upload.size > PDF_LIMIT:
        raise forms.ValidationError(_("The file is larger than %(limit)s MB.")
                                    % {"limit": PDF_LIMIT // (1024 * 1024)})
    content: bytes = upload.read(PDF_LIMIT + 1)
    if len(content) > PDF_LIMIT:
        raise forms.ValidationError(_("The file is larger than %(limit)s MB.")
                                    % {"limit": PDF_LIMIT // (1024 * 1024)})
    if not content.startswith(b"%PDF-"):
        raise forms.ValidationError(_("The file is not a PDF."))
    return content


def _elections() -> Any:
    return Election.objects.order_by("-polling_day")


class PdfField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not upload:
            return None
        return (str(upload.name)[:200], read_pdf(upload))


class NoticeForm(forms.Form):
    election = forms.ModelChoiceField(_elections(), label=_("election"), empty_label=None)
    title_ar = forms.CharField(label=_("title (Arabic)"), max_length=300)
    title_ckb = forms.CharField(label=_("title (Kurdish)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=300, required=False)
    body_ar = forms.CharField(label=_("text (Arabic)"), max_length=TEXT_LIMIT,
                              widget=forms.Textarea(attrs={"rows": 6}))
    body_ckb = forms.CharField(label=_("text (Kurdish)"), max_length=TEXT_LIMIT,
                               required=False, widget=forms.Textarea(attrs={"rows": 4}))
    body_en = forms.CharField(label=_("text (English)"), max_length=TEXT_LIMIT,
                              required=False, widget=forms.Textarea(attrs={"rows": 4}))
    governorates = forms.ModelMultipleChoiceField(
        Governorate.objects.all(), required=False, label=_("governorates"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every governorate. An office sends to its own only."))
    kinds = forms.MultipleChoiceField(
        choices=OrganisationKind.choices, required=False, label=_("organisation kinds"),
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every kind."))
    attachment = PdfField(label=_("attachment (PDF)"), required=False)


class MeetingForm(forms.Form):
    title_ar = forms.CharField(label=_("title (Arabic)"), max_length=300)
    title_ckb = forms.CharField(label=_("title (Kurdish)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=300, required=False)
    held = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("place"), max_length=300)
    office = forms.ModelChoiceField(Governorate.objects.all(), required=False,
                                    label=_("office"),
                                    empty_label=_("national office"))
    organisations = forms.ModelMultipleChoiceField(
        Organisation.objects.filter(status=OrganisationStatus.APPROVED), required=False,
        label=_("participating organisations"), widget=forms.CheckboxSelectMultiple)
    other_participants = forms.CharField(label=_("other participants"), max_length=TEXT_LIMIT,
                                         required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    topics = forms.CharField(label=_("topics"), max_length=TEXT_LIMIT,
                             widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("minutes"), max_length=TEXT_LIMIT * 5, required=False,
                              widget=forms.Textarea(attrs={"rows": 8}))
    published = forms.BooleanField(label=_("published (the record, its minutes and documents "
                                           "are public)"), required=False)

    def __init__(self, *args: Any, election: Election | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if election is not None:
            field = self.fields["organisations"]
            field.queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                election=election, status=OrganisationStatus.APPROVED)


class NewMeetingForm(MeetingForm):
    election = forms.ModelChoiceField(_elections(), label=_("election"), empty_label=None)
    field_order = ("election",)


class DocumentForm(forms.Form):
    document = PdfField(label=_("document (PDF)"))


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300)
    text = forms.CharField(label=_("text"), max_length=TEXT_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 5}))
    topic = forms.ChoiceField(label=_("topic"), choices=RecommendationTopic.choices)


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("status"),
                               choices=[(s.value, s.label) for s in ANSWER_STATUSES])
    answer = forms.CharField(label=_("the commission's answer"), max_length=TEXT_LIMIT,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ActivityForm(forms.Form):
    held = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    governorate = forms.ModelChoiceField(Governorate.objects.all(), label=_("governorate"))
    kind = forms.ChoiceField(label=_("kind"), choices=ActivityKind.choices)
    audience = forms.ChoiceField(label=_("audience"), choices=Audience.choices)
    reach = forms.IntegerField(label=_("participants"), min_value=1, max_value=1_000_000)
    note = forms.CharField(label=_("note"), max_length=500, required=False)
