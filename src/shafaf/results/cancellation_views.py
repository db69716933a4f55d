"""The Board's cancellation of a station held at the audit centre, from the station's
page (shafaf.results.cancellation)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shafaf.access.checks import capability_required
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.refusals.pages import form_lines, run
from shafaf.results.cancellation import REASON_LENGTH, cancel_station
from shafaf.results.entry_views import access_station
from shafaf.results.models import StationResult


class CancelForm(forms.Form):
    component = forms.CharField(required=False, max_length=32)
    reason = forms.CharField(label=gettext_lazy("Reason, published with the cancellation"),
                             max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))


@require_POST
@capability_required(Capability.DECIDE_RESULT_COMPLAINTS)
def cancel(request: HttpRequest, station_id: int) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    station = access_station(user, station_id)
    form = CancelForm(request.POST)
    back = reverse("results:station", args=[station.pk])
    if not form.is_valid():
        from django.contrib import messages

        for line in form_lines(form) or [_("Give the reason.")]:
            messages.error(request, line)
        return redirect(back)
    result = get_object_or_404(StationResult, station=station,
                               component=form.cleaned_data["component"])
    run(request, lambda: cancel_station(actor=user, result=result,
                                        reason=form.cleaned_data["reason"]),
        done=_("The station is cancelled: nothing of its count is in the results."),
        flash_refusal=True)
    return redirect(back)
