"""The register's staff pages for stations, voter lists and voters
(docs/register-stations.md): who may see them, within their governorate.

Names never travel in a URL: the name search is a POST (its paging too), and a
voter's page is addressed by the voter number only. A centre or voter outside the
user's governorate answers the same 404 as one that does not exist.
"""

from __future__ import annotations

import io
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Collate
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from shafaf.access.checks import can, capability_required, governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.core.arabic_names import fold_digits, sort_key
from shafaf.elections.models import Election, Governorate, PollingCentre, PollingStation
from shafaf.refusals.wording import explain
from shafaf.register import stations as filling
from shafaf.register import voter_lists
from shafaf.register.finality import RegisterRefused
from shafaf.register.models import Voter, VoterChange
from shafaf.register.order import SEPARATOR
from shafaf.register.stations import centres_with_stations

PAGE_SIZE = 50
capfirst_lazy = lazy(capfirst, str)
NAME_LENGTH = 100
NUMBER_LENGTH = 20


def _collation() -> str:
    return "C" if connection.vendor == "postgresql" else "BINARY"


def centres_for(user: Visitor) -> QuerySet[PollingCentre]:
    user = require(user, Capability.VIEW_REGISTER)
    scope = governorate_scope(user)
    centres = PollingCentre.objects.all()
    return centres if scope is None else centres.filter(governorate_id=scope)


def voters_for(user: Visitor) -> QuerySet[Voter]:
    user = require(user, Capability.VIEW_REGISTER)
    scope = governorate_scope(user)
    voters = Voter.objects.all()
    return voters if scope is None else voters.filter(governorate_id=scope)


def _elections() -> QuerySet[Election]:
    return Election.objects.order_by("-polling_day", "code")


# --- Stations -------------------------------------------------------------------------


class FillForm(forms.Form):
    election = forms.ModelChoiceField(label=gettext_lazy("Election"), queryset=_elections(),
                                      to_field_name="code", empty_label=None)
    governorate = forms.ModelChoiceField(label=gettext_lazy("Governorate"), required=False,
                                         queryset=Governorate.objects.all(),
                                         to_field_name="code",
                                         empty_label=gettext_lazy("All governorates"))
    confirm = forms.BooleanField(label=gettext_lazy(
        "I confirm: fill the stations from the register now (voters may change station)."))


@never_cache
@capability_required(Capability.VIEW_REGISTER)
def stations(request: HttpRequest) -> HttpResponse:
    """Per centre: its voters, stations and largest station; the fill button for
    those who may fill (POST)."""
    may_fill = can(request.user, Capability.IMPORT_REGISTER)
    status = 200
    if request.method == "POST":
        require(request.user, Capability.IMPORT_REGISTER)
        form = FillForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                summary = filling.assign_stations(actor=request.user,
                                                  election=data["election"],
                                                  governorate=data["governorate"])
            except RegisterRefused as refused:
                messages.error(request, explain(refused).message)
            else:
                messages.success(request, summary.text())
            return redirect(f"{request.path}?election={data['election'].code}")
        status = 400
    else:
        form = FillForm(initial={"election": request.GET.get("election")})
    election = _elections().filter(code=request.GET.get("election", "")).first() \
        or _elections().first()
    centres = centres_for(request.user).none()
    if election is not None:
        centres = centres_for(request.user).filter(election=election)
    page = Paginator(centres.order_by("code").values_list("pk", flat=True),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    rows = centres_with_stations(PollingCentre.objects.filter(pk__in=list(page.object_list))
                                 .select_related("governorate")).order_by("code")
    return render(request, "register/stations_centres.html", {
        "form": form, "may_fill": may_fill, "election": election, "elections": _elections(),
        "page": page, "rows": rows, "maximum": filling.maximum_per_station(),
    }, status=status)


def access_centre(user: Visitor, centre_id: int) -> PollingCentre:
    return get_object_or_404(centres_for(user).select_related("election", "governorate"),
                             pk=centre_id)


@require_safe
@never_cache
@capability_required(Capability.VIEW_REGISTER)
def centre(request: HttpRequest, centre_id: int) -> HttpResponse:
    found = access_centre(request.user, centre_id)
    found_stations = PollingStation.objects.filter(centre=found).order_by("number")
    summary = centres_with_stations(PollingCentre.objects.filter(pk=found.pk)).get()
    return render(request, "register/stations_centre.html", {
        "centre": found, "stations": found_stations, "summary": summary,
        "may_export": can(request.user, Capability.EXPORT_REGISTER),
        "kinds": ((voter_lists.Kind.POSTED, _("List for posting at the centre")),
                  (voter_lists.Kind.POLLING_DAY, _("Polling-day list"))),
    })


class ListForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k.value, k.value) for k in voter_lists.Kind])
    station = forms.IntegerField(required=False, min_value=1, max_value=100_000)


@require_POST
@capability_required(Capability.EXPORT_REGISTER)
def centre_lists(request: HttpRequest, centre_id: int) -> HttpResponse:
    """One station's list or the whole centre's, as a PDF download: an audited print."""
    found = access_centre(request.user, centre_id)
    form = ListForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose the kind of list, and a station of this centre."),
                            status=400, content_type="text/plain; charset=utf-8")
    kind = voter_lists.Kind(form.cleaned_data["kind"])
    number = form.cleaned_data["station"]
    if number is not None and not PollingStation.objects.filter(centre=found,
                                                                number=number).exists():
        raise Http404
    # The finished PDF only (a few kilobytes a page): the layout, the memory-hungry
    # part, is done one station at a time.
    out = io.BytesIO()
    voter_lists.print_lists(actor=request.user, centre=found, kind=kind, out=out,
                            station=number)
    out.seek(0)
    name = f"{found.code}-{number:02d}" if number is not None else found.code
    # Streamed from the spooled file; the access decorators type views as HttpResponse.
    return cast(HttpResponse, FileResponse(out, as_attachment=True,
                                           filename=f"{name}-{kind.value}.pdf",
                                           content_type="application/pdf"))


# --- Voters ---------------------------------------------------------------------------


def _field_label(name: str) -> Any:
    """A voter field's own name, as the register's model words it."""
    return capfirst_lazy(getattr(Voter._meta.get_field(name), "verbose_name", name))


class SearchForm(forms.Form):
    number = forms.CharField(label=_field_label("voter_number"), required=False,
                             max_length=NUMBER_LENGTH)
    first_name = forms.CharField(label=_field_label("first_name"), required=False,
                                 max_length=NAME_LENGTH)
    father_name = forms.CharField(label=_field_label("father_name"), required=False,
                                  max_length=NAME_LENGTH)
    grandfather_name = forms.CharField(label=_field_label("grandfather_name"),
                                       required=False, max_length=NAME_LENGTH)
    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000,
                              widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get(f, "").strip() for f in ("first_name", "father_name",
                                                   "grandfather_name")]
        while parts and not parts[-1]:
            parts.pop()
        if any(not part for part in parts):
            raise forms.ValidationError(_("Give the names in order: the first name, then the "
                                          "father's, then the grandfather's."))
        if any(SEPARATOR in part or not sort_key(part) for part in parts):
            raise forms.ValidationError(_("A name must have at least one letter."))
        data["parts"] = parts
        if not parts and not data.get("number", "").strip():
            raise forms.ValidationError(_("Give a voter number or a first name."))
        return data


def name_prefix(parts: list[str]) -> str:
    """The start of the stored sort key of every voter whose names begin so: the
    whole folded key of each given part but the last, which may be only its start."""
    return SEPARATOR.join(sort_key(part) for part in parts)


def search_voters(user: Visitor, *, number: str, parts: list[str]) -> QuerySet[Voter]:
    voters = voters_for(user)
    if number:
        voters = voters.filter(voter_number=fold_digits(number))
    if parts:
        voters = voters.filter(sort_key__startswith=name_prefix(parts))
    return voters


@never_cache
@capability_required(Capability.VIEW_REGISTER)
def voters(request: HttpRequest) -> HttpResponse:
    """Search by voter number (exact) or by the first names (folded, prefix). A POST,
    so that no name is ever in a URL or an access log; it only reads."""
    form = SearchForm(request.POST if request.method == "POST" else None)
    page = None
    rows: list[Voter] = []
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            found = search_voters(request.user, number=data["number"].strip(),
                                  parts=data["parts"])
            page = Paginator(found.order_by(Collate("sort_key", _collation()))
                             .values_list("pk", flat=True), PAGE_SIZE).get_page(data["page"])
            rows = list(Voter.objects.filter(pk__in=list(page.object_list))
                        .select_related("centre", "station", "governorate")
                        .order_by(Collate("sort_key", _collation())))
        else:
            status = 400
    return render(request, "register/voters_search.html",
                  {"form": form, "page": page, "rows": rows}, status=status)


# The fields of a change, in the order a record shows them.
FIELDS = ("first_name", "father_name", "grandfather_name", "family_name", "mother_name",
          "sex", "birth_date", "governorate_id", "centre_id", "station_id", "category",
          "card_kind", "status", "removal_reason")


def _label(field: str) -> str:
    found = Voter._meta.get_field(field.removesuffix("_id"))
    return str(getattr(found, "verbose_name", field))


def _changes(voter: Voter) -> list[dict[str, Any]]:
    """Each change with its fields labelled and its ids named (centre and
    governorate codes)."""
    history = list(VoterChange.objects.filter(voter=voter).select_related("actor")
                   .order_by("at", "pk"))
    ids: dict[str, set[int]] = {"centre_id": set(), "governorate_id": set(),
                                "station_id": set()}
    for change in history:
        for values in (change.before or {}, change.after or {}):
            for key in ids:
                if isinstance(values.get(key), int):
                    ids[key].add(values[key])
    names = {
        "centre_id": dict(PollingCentre.objects.filter(pk__in=ids["centre_id"])
                          .values_list("pk", "code")),
        "governorate_id": dict(Governorate.objects.filter(pk__in=ids["governorate_id"])
                               .values_list("pk", "code")),
        "station_id": dict(PollingStation.objects.filter(pk__in=ids["station_id"])
                           .values_list("pk", "code")),
    }

    def shown(key: str, value: object) -> str:
        if value is None:
            return ""
        if key in names and isinstance(value, int):
            return str(names[key].get(value, value))
        return str(value)

    rows = []
    for change in history:
        before, after = change.before or {}, change.after or {}
        keys = [k for k in FIELDS if k in before or k in after]
        keys += sorted(k for k in {*before, *after} if k not in FIELDS)
        rows.append({"change": change, "created": change.before is None, "fields": [
            (_label(k) if k in FIELDS else k, shown(k, before.get(k)), shown(k, after.get(k)))
            for k in keys]})
    return rows


@require_safe
@never_cache
@capability_required(Capability.VIEW_REGISTER)
def voter(request: HttpRequest, voter_number: str) -> HttpResponse:
    found = get_object_or_404(voters_for(request.user).select_related(
        "centre", "station", "governorate"), voter_number=voter_number)
    return render(request, "register/voters_detail.html",
                  {"voter": found, "changes": _changes(found)})
