"""The voter's public pages of the register: where do I vote (a server-side form on
the same rule as ``POST /api/register/lookup``) and where the registration centres
are (docs/register-lookup.md)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from shafaf.access.addresses import client_address
from shafaf.elections.models import Governorate, RegistrationCentre
from shafaf.register.lookup import (
    BIRTH_YEAR_MAX,
    BIRTH_YEAR_MIN,
    LANGUAGES,
    VOTER_NUMBER_MAX,
    Place,
    Throttled,
    lookup,
)


class LookupForm(forms.Form):
    voter_number = forms.CharField(
        label=_("Voter number"), max_length=VOTER_NUMBER_MAX, strip=True,
        help_text=_("The number printed on your voter card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "dir": "ltr"}))
    birth_year = forms.IntegerField(
        label=_("Year of birth"), min_value=BIRTH_YEAR_MIN, max_value=BIRTH_YEAR_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "dir": "ltr"}))

    def clean_voter_number(self) -> str:
        number: str = self.cleaned_data["voter_number"]
        if not number.isprintable():
            raise forms.ValidationError(_("Type the number as it is printed on your card."))
        return number


@require_http_methods(["GET", "HEAD", "POST"])
def where(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the answer (200), the one failure (404), too many failures
    from this connection (429 with Retry-After), or a form to correct (400)."""
    form = LookupForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            language = get_language() or "ar"
            found = lookup(form.cleaned_data["voter_number"], form.cleaned_data["birth_year"],
                           address=client_address(request),
                           language=language if language in LANGUAGES else "ar")
            if isinstance(found, Place):
                context["place"] = found
            elif isinstance(found, Throttled):
                context["throttled"] = True
                status = 429
            else:
                context["not_found"] = True
                status = 404
    response = render(request, "register/lookup.html", context, status=status)
    response["Cache-Control"] = "no-store"
    if status == 429:
        response["Retry-After"] = str(found.retry_after)  # type: ignore[union-attr]
    return response


@require_safe
def centres(request: HttpRequest) -> HttpResponse:
    """Every registration centre, by governorate: where a voter updates their data."""
    by_governorate: dict[int, list[RegistrationCentre]] = {}
    for centre in RegistrationCentre.objects.order_by("governorate__code", "code"):
        by_governorate.setdefault(centre.governorate_id, []).append(centre)
    governorates = [(governorate, by_governorate.get(governorate.pk, []))
                    for governorate in Governorate.objects.order_by("code")]
    return render(request, "register/centres.html", {
        "governorates": [(g, found) for g, found in governorates if found],
        "total": sum(len(found) for found in by_governorate.values())})
