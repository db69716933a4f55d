"""The register's staff import page (/staff/register/import/): a register file, a
file of registration centres, or the link of polling centres to them. The upload is
streamed to a file under the data directory (bounded by REGISTER_UPLOAD_BYTES) and
imported by a background job, whose page shows the progress and the outcome."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy

from shafaf.access.checks import capability_required
from shafaf.access.roles import Capability
from shafaf.elections.models import Election
from shafaf.jobs.actions import enqueue
from shafaf.register import import_jobs

NAME_LENGTH = 200


def _(message: str) -> str:
    return str(gettext(message))


class ImportForm(forms.Form):
    what = forms.ChoiceField(label=gettext_lazy("The file holds"), widget=forms.RadioSelect,
                             initial=import_jobs.VOTERS, choices=[
                                 (import_jobs.VOTERS, gettext_lazy("The voter register (CSV, "
                                                                   "plain or gzip)")),
                                 (import_jobs.CENTRES, gettext_lazy("Registration centres")),
                                 (import_jobs.LINKS, gettext_lazy(
                                     "The registration centre of each polling centre"))])
    election = forms.ModelChoiceField(label=gettext_lazy("Election"), required=False,
                                      queryset=Election.objects.order_by("-polling_day"),
                                      empty_label=None)
    file = forms.FileField(label=gettext_lazy("File"), max_length=NAME_LENGTH)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("what") in (import_jobs.VOTERS, import_jobs.LINKS) \
                and not data.get("election"):
            self.add_error("election", _("Choose the election."))
        upload = data.get("file")
        if upload is not None and data.get("what") != import_jobs.VOTERS \
                and upload.size > import_jobs.SMALL_FILE_BYTES:
            self.add_error("file", _("The file is larger than %(limit)d MB.") % {
                "limit": import_jobs.SMALL_FILE_BYTES // (1024 * 1024)})
        return data


def _too_large(request: HttpRequest) -> bool:
    """Refused before the upload is read: its declared size is beyond the bound."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.REGISTER_UPLOAD_BYTES + 1024 * 1024


def _limit_message() -> str:
    return _("The file is larger than %(limit)d MB.") % {
        "limit": settings.REGISTER_UPLOAD_BYTES // (1024 * 1024)}


@capability_required(Capability.IMPORT_REGISTER)
def import_page(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST" and _too_large(request):
        form = ImportForm()
        error = _limit_message()
        return render(request, "register/import.html", {"form": form, "error": error},
                      status=413)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            token = import_jobs.store(upload.chunks(), settings.REGISTER_UPLOAD_BYTES)
        except import_jobs.UploadTooLarge:
            return render(request, "register/import.html",
                          {"form": form, "error": _limit_message()}, status=413)
        election = data.get("election")
        job = enqueue(actor=request.user, kind=import_jobs.KIND, params={
            "what": data["what"], "election": election.pk if election else None,
            "name": str(upload.name)[:NAME_LENGTH], "upload": token})
        return redirect("jobs:job", job_id=job.pk)
    return render(request, "register/import.html", {"form": form, "error": error},
                  status=400 if form.is_bound else 200)
