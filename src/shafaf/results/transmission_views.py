"""Staff pages for counting devices, transmissions and late stations
(docs/results-transmission.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from shafaf import tabular
from shafaf.access.checks import can, capability_required, require
from shafaf.access.roles import Capability
from shafaf.refusals import explain, problem_files
from shafaf.results import transmission_selectors as selectors
from shafaf.results import transmissions as actions
from shafaf.results.models import CountingDevice
from shafaf.results.refusals import ResultsRefused

PAGE_SIZE = 50
# A national file of 60,000 devices is about 5 MB.
MAX_DEVICE_FILE_BYTES = 10 * 1024 * 1024


class DeviceFileForm(forms.Form):
    election = forms.ModelChoiceField(label=gettext_lazy("Election"),
                                      queryset=selectors.elections(), empty_label=None,
                                      to_field_name="code")
    file = forms.FileField(label=gettext_lazy("File (CSV UTF-8 or XLSX)"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_DEVICE_FILE_BYTES:
            self.add_error("file", _("The file is larger than %(limit)d MB.") % {
                "limit": MAX_DEVICE_FILE_BYTES // (1024 * 1024)})
        return self.cleaned_data


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=actions.REASON_LIMIT)


@capability_required(Capability.MANAGE_COUNTING_DEVICES)
def devices(request: HttpRequest) -> HttpResponse:
    """The election's devices; registering a file of them (POST)."""
    user = require(request.user, Capability.MANAGE_COUNTING_DEVICES)
    status = 200
    problems: list[tabular.Problem] = []
    unlisted: list[tabular.Unlisted] = []
    total, problems_file = 0, None
    election = selectors.chosen_election(request.GET.get("election"))
    if request.method == "POST":
        form = DeviceFileForm(request.POST, request.FILES)
        if form.is_valid():
            election = form.cleaned_data["election"]
            upload = form.cleaned_data["file"]
            try:
                with problem_files.recorded(request.user.pk) as recorded:
                    summary = actions.register_devices(
                        actor=user, election=election, name=upload.name[:200],
                        content=upload.read())
            except tabular.ImportRejected as rejected:
                problems, unlisted, total = rejected.problems, rejected.unlisted, rejected.total
                status, problems_file = 400, recorded.url
            except ResultsRefused as refused:
                messages.error(request, explain(refused).message)
                return redirect(f"{request.path}?election={election.code}")
            else:
                messages.success(request, summary.text())
                return redirect(f"{request.path}?election={election.code}")
        else:
            status = 400
    else:
        form = DeviceFileForm(initial={"election": election.code if election else None})
    listing = (selectors.devices_for(user, election) if election is not None
               else CountingDevice.objects.none())
    page = Paginator(listing.select_related("station").order_by("serial"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "results/devices.html", {
        "form": form, "page": page, "election": election, "problems": problems,
        "unlisted": unlisted, "total": total, "problems_file": problems_file,
        "revoke_form": RevokeForm(), "columns": actions.DEVICE_COLUMNS,
    }, status=status)


@require_POST
@capability_required(Capability.MANAGE_COUNTING_DEVICES)
def revoke(request: HttpRequest, device_id: int) -> HttpResponse:
    user = require(request.user, Capability.MANAGE_COUNTING_DEVICES)
    device = actions.access_device(user, device_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return render(request, "results/device_revoke.html",
                      {"form": form, "device": device}, status=400)
    try:
        actions.revoke_device(actor=user, device=device,
                              reason=form.cleaned_data["reason"])
    except ResultsRefused as refused:
        messages.error(request, explain(refused).message)
    else:
        messages.success(request, _("The device %(serial)s is revoked.") % {
            "serial": device.serial})
    code = device.station.centre.election.code
    return redirect(f"{reverse('results:devices')}?election={code}")


@capability_required(Capability.VIEW_RESULTS)
def late(request: HttpRequest) -> HttpResponse:
    """Stations whose transmission is late; settling them (POST, the audit centre)."""
    user = require(request.user, Capability.VIEW_RESULTS)
    now = timezone.now()
    if request.method == "POST":
        require(user, Capability.AUDIT_RESULTS)
        # Settling changes many stations at once: the form names its election.
        election = selectors.elections().filter(code=request.POST.get("election", "")[:32]
                                                ).first()
        if election is None:
            return HttpResponseBadRequest(_("Choose the election whose late stations to "
                                            "settle."))
        try:
            settled = actions.settle_late(actor=user, election=election, now=now)
        except ResultsRefused as refused:
            messages.error(request, explain(refused).message)
        else:
            messages.success(request, _("Late stations settled: %(count)d.") % {"count": settled})
        return redirect(f"{request.path}?election={election.code}")
    election = selectors.chosen_election(request.GET.get("election"))
    rows: list[dict[str, object]] = []
    page = None
    if election is not None:
        page = Paginator(selectors.scoped_late(user, election, now), PAGE_SIZE).get_page(
            request.GET.get("page"))
        rows = [{"station": station, "late": actions.late_for(station, election, now)}
                for station in page.object_list]
    return render(request, "results/late.html", {
        "election": election, "elections": selectors.elections(), "page": page, "rows": rows,
        "may_settle": can(user, Capability.AUDIT_RESULTS)})


@require_safe
@capability_required(Capability.VIEW_RESULTS)
def transmissions(request: HttpRequest) -> HttpResponse:
    """The log of transmissions received, newest first; refusals only on request."""
    user = require(request.user, Capability.VIEW_RESULTS)
    shown = request.GET.get("outcome", "")
    log = selectors.transmissions_for(user)
    if shown in ("accepted", "refused"):
        log = log.filter(outcome=shown)
    page = Paginator(log.select_related("station", "device", "form"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "results/transmissions.html", {"page": page, "outcome": shown})
