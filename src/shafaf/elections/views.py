from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from shafaf import tabular
from shafaf.access.checks import can, capability_required
from shafaf.access.roles import Capability
from shafaf.core import laws
from shafaf.elections import actions
from shafaf.elections import imports as import_files
from shafaf.elections.access import access_station, centres_for, governorates_for, stations_for
from shafaf.elections.models import Election, ElectionKind, Phase
from shafaf.refusals import problem_files
from shafaf.refusals.pages import form_lines, run

PAGE_SIZE = 50


@capability_required(Capability.VIEW_STATIONS)
def stations(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    governorate = request.GET.get("governorate", "").strip()
    listing = stations_for(request.user)
    if governorate:
        listing = listing.filter(centre__governorate__code=governorate)
    if query:
        # Centres are matched on their own (7,000 rows), not across the join with
        # every station.
        centres = centres_for(request.user).filter(
            Q(code=query) | Q(name_ar__icontains=query) | Q(name_en__icontains=query))
        listing = listing.filter(Q(code__startswith=query) | Q(centre__in=centres))
    # Paginate on ids alone (an index walk even deep into 35,000 stations), then
    # fetch and join only the page's rows.
    page = Paginator(listing.order_by("code").values_list("pk", flat=True),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    rows = (stations_for(request.user).select_related(None).select_related("centre__governorate")
            .filter(pk__in=list(page.object_list)).order_by("code"))
    return render(request, "elections/stations.html", {
        "page": page, "rows": rows, "query": query, "governorate": governorate,
        "governorates": governorates_for(request.user),
    })


@capability_required(Capability.VIEW_STATIONS)
def station(request: HttpRequest, station_id: int) -> HttpResponse:
    return render(request, "elections/station.html",
                  {"station": access_station(request.user, station_id)})


@capability_required(Capability.VIEW_STATIONS)
def geography(request: HttpRequest) -> HttpResponse:
    governorates = governorates_for(request.user).annotate(
        district_count=Count("districts", distinct=True),
        centre_count=Count("polling_centres", distinct=True),
    )
    return render(request, "elections/geography.html", {"governorates": governorates})


# Far above the 3 MB of a national stations file, far below what would strain memory.
MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    what = forms.ChoiceField(label=gettext_lazy("The file holds"), widget=forms.RadioSelect)
    election = forms.ModelChoiceField(label=gettext_lazy("Election"), required=False,
                                      queryset=Election.objects.order_by("-polling_day"),
                                      empty_label=None)
    file = forms.FileField(label=gettext_lazy("File (CSV UTF-8 or XLSX)"))

    def __init__(self, *args: Any, geography: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("stations", gettext_lazy("Polling centres and stations"))]
        if geography:
            choices.append(("geography", gettext_lazy("Districts and sub-districts")))
        what = cast(forms.ChoiceField, self.fields["what"])
        what.choices = choices
        what.initial = "stations"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("what") == "stations" and not data.get("election"):
            self.add_error("election", _("Choose the election these stations belong to."))
        upload = data.get("file")
        if upload is not None and upload.size > MAX_IMPORT_BYTES:
            self.add_error("file", _("The file is larger than %(limit)d MB.") % {
                "limit": MAX_IMPORT_BYTES // (1024 * 1024)})
        return data


@capability_required(Capability.IMPORT_STATIONS)
def imports(request: HttpRequest) -> HttpResponse:
    geography = can(request.user, Capability.IMPORT_GEOGRAPHY)
    form = ImportForm(request.POST or None, request.FILES or None, geography=geography)
    problems: list[import_files.Problem] = []
    status = 400 if form.is_bound and not form.is_valid() else 200
    unlisted: list[tabular.Unlisted] = []  # beyond the first thousand, counted by reason
    total = 0
    problems_file = None  # every problem, for the uploader to download
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            with problem_files.recorded(request.user.pk) as recorded:
                if data["what"] == "geography":
                    summary = actions.import_geography(actor=request.user, name=upload.name,
                                                       content=upload.read())
                else:
                    summary = actions.import_stations(actor=request.user,
                                                      election=data["election"],
                                                      name=upload.name, content=upload.read())
        except import_files.ImportRejected as rejected:
            problems, unlisted, total = rejected.problems, rejected.unlisted, rejected.total
            status, problems_file = 400, recorded.url
        else:
            messages.success(request, summary.text())
            return redirect("elections:imports")
    return render(request, "elections/imports.html", {
        "form": form, "problems": problems, "unlisted": unlisted, "total": total,
        "problems_file": problems_file, "geography": geography,
        "geography_columns": (*import_files.GEOGRAPHY_REQUIRED, *import_files.GEOGRAPHY_OPTIONAL),
        "station_columns": (*import_files.STATIONS_REQUIRED, *import_files.STATIONS_OPTIONAL),
    }, status=status)


# --- Elections: the list, and a new one set up by an administrator ------------------

# Bounds on what the form accepts, whatever a client sends.
NAME_LENGTH = 200


class ElectionForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=32,
                           help_text=gettext_lazy("Lowercase Latin letters, digits and "
                                                  "hyphens, as in gc-2023"))
    name_ar = forms.CharField(label=gettext_lazy("Name (Arabic)"), max_length=NAME_LENGTH)
    name_ckb = forms.CharField(label=gettext_lazy("Name (Kurdish)"), max_length=NAME_LENGTH,
                               required=False)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=NAME_LENGTH,
                              required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ElectionKind.choices)
    law = forms.ChoiceField(label=gettext_lazy("Law profile"))
    polling_day = forms.DateField(label=gettext_lazy("Polling day"),
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        law = cast(forms.ChoiceField, self.fields["law"])
        law.choices = [(code, f"{code}: {laws.get(code).title}") for code in sorted(laws.PROFILES)]
        for phase in Phase:
            for end in ("starts", "ends"):
                label = format_lazy("{}: {}", phase.label, gettext_lazy("first day")
                                    if end == "starts" else gettext_lazy("last day"))
                self.fields[f"{phase.value}_{end}"] = forms.DateField(
                    required=False, label=label,
                    widget=forms.DateInput(attrs={"type": "date", "aria-label": label}))

    def phases(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(str(phase.label), self[f"{phase.value}_starts"], self[f"{phase.value}_ends"])
                for phase in Phase]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("code", "name_ar", "name_ckb", "name_en", "kind", "law",
                                        "polling_day")]

    def calendar(self) -> dict[str, tuple[date, date]]:
        days = {}
        for phase in Phase:
            starts = self.cleaned_data.get(f"{phase.value}_starts")
            ends = self.cleaned_data.get(f"{phase.value}_ends")
            if starts and ends:
                days[phase.value] = (starts, ends)
        return days

    def clean(self) -> dict[str, Any]:
        super().clean()
        for phase in Phase:
            starts = self.cleaned_data.get(f"{phase.value}_starts")
            ends = self.cleaned_data.get(f"{phase.value}_ends")
            if (starts is None) != (ends is None) and f"{phase.value}_starts" not in self.errors \
                    and f"{phase.value}_ends" not in self.errors:
                self.add_error(f"{phase.value}_starts" if starts is None
                               else f"{phase.value}_ends",
                               _("Give both days of the phase, or neither."))
        return self.cleaned_data


@require_safe
@capability_required(Capability.VIEW_STATIONS)
def elections(request: HttpRequest) -> HttpResponse:
    rows = Election.objects.order_by("-polling_day", "code").annotate(
        contest_count=Count("contests", distinct=True),
        seat_count=Sum("contests__general_seats"))
    return render(request, "elections/elections.html", {
        "rows": rows, "may_create": can(request.user, Capability.IMPORT_GEOGRAPHY)})


@capability_required(Capability.IMPORT_GEOGRAPHY)
def election_new(request: HttpRequest) -> HttpResponse:
    form = ElectionForm(request.POST or None)
    explanation: list[str] = []
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            explanation, status = form_lines(form), 400
        else:
            data = form.cleaned_data
            outcome = run(request, partial(
                actions.create_election, actor=request.user, code=data["code"],
                kind=data["kind"], polling_day=data["polling_day"], law=data["law"],
                name_ar=data["name_ar"], name_en=data["name_en"], name_ckb=data["name_ckb"],
                calendar=form.calendar()),
                done=_("The election is set up with its contests."))
            if outcome.value is not None:
                return redirect("elections:elections")
            explanation = outcome.lines
    return render(request, "elections/election_new.html",
                  {"form": form, "explanation": explanation}, status=status)
